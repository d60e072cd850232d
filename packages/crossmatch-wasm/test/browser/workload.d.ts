// Types of workload.js (plain JavaScript so that the browser loads it unchanged).
import type { Healpix, MatchResult, SkyColumns } from '../../src/index.js';

export const CROSSMATCH_RADIUS: number;
export interface HealpixCases {
  points: Array<[number, number]>;
  orders: number[];
}
export const HEALPIX_CASES: HealpixCases;
export interface HealpixAnswer {
  scalar: string[];
  batch: string[];
  count: number;
}
export function runHealpix(healpix: Healpix, cases: HealpixCases): Record<string, HealpixAnswer>;
export function writeCatalogues(a: SkyColumns, b: SkyColumns): ArrayBuffer;
export function readCatalogues(buffer: ArrayBuffer): { a: { ra: Float64Array; dec: Float64Array }; b: { ra: Float64Array; dec: Float64Array } };
export interface MatchJson {
  aIndex: number[];
  bIndex: number[];
  separation: number[];
}
export function matchToJson(result: MatchResult): MatchJson;
