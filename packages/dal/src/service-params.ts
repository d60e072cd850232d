/**
 * Service parameters discovered with `FORMAT=METADATA` (SIA 1.0 §6.1, SSA 1.1 §8.5, SLAP):
 * the service lists its inputs as `PARAM name="INPUT:..."` in the results RESOURCE. We
 * expose them as typed descriptors and validate custom parameters against them before a
 * query is sent, so a typo is an error here rather than an ignored parameter there.
 */
import type { Param, Resource, VOTableDocument } from '@vokit/votable';
import { DALOptionsError } from './errors.js';
import type { ParamMap } from './http.js';

/** One input parameter of a service. */
export interface ServiceParameter {
  /** Name without the `INPUT:` prefix, as the service spells it. */
  name: string;
  /** VOTable datatype (`char`, `double`, `int`...). */
  datatype: string;
  arraysize?: string;
  unit?: string;
  ucd?: string;
  utype?: string;
  description?: string;
  /** Default value as written (`value` attribute), or undefined when empty. */
  defaultValue?: string;
  /** Allowed values (VALUES/OPTION), empty when unrestricted. */
  options: string[];
  min?: number;
  max?: number;
  /** True for the protocol's standard parameters (not custom ones), when the service says so. */
  standard: boolean;
}

function resourcesOf(doc: VOTableDocument): Resource[] {
  const out: Resource[] = [];
  const walk = (rs: Resource[]) => {
    for (const r of rs) {
      out.push(r);
      walk(r.resources);
    }
  };
  walk(doc.resources);
  return out;
}

function toParameter(p: Param, standardNames: ReadonlySet<string>): ServiceParameter {
  const name = p.name.replace(/^INPUT:/i, '');
  const min = p.values?.min?.value;
  const max = p.values?.max?.value;
  return {
    name,
    datatype: p.datatype,
    arraysize: p.arraysize,
    unit: p.unit,
    ucd: p.ucd,
    utype: p.utype,
    description: p.description,
    defaultValue: p.value === '' ? undefined : p.value,
    options: (p.values?.options ?? []).map((o) => o.value),
    min: min === undefined || min === '' ? undefined : Number(min),
    max: max === undefined || max === '' ? undefined : Number(max),
    standard: p.attributes.std === 'true' || standardNames.has(name.toUpperCase()),
  };
}

/** The `INPUT:` parameters of a FORMAT=METADATA response. */
export function parseServiceParameters(doc: VOTableDocument, standardNames: readonly string[] = []): ServiceParameter[] {
  const std = new Set(standardNames.map((n) => n.toUpperCase()));
  const out: ServiceParameter[] = [];
  for (const r of resourcesOf(doc)) {
    for (const p of [...r.params, ...r.tables.flatMap((t) => t.params)]) {
      if (/^INPUT:/i.test(p.name)) out.push(toParameter(p, std));
    }
  }
  return out;
}

const INTEGER = new Set(['short', 'int', 'long', 'unsignedByte']);
const REAL = new Set(['float', 'double']);

/**
 * Checks `params` against the descriptors: unknown names (case-insensitive), values outside
 * OPTION lists or MIN/MAX, and non-numbers for numeric scalars throw {@link DALOptionsError}
 * naming the parameter and what is allowed. Range syntax (`a/b`) and lists are checked per part.
 */
export function validateServiceParameters(params: ParamMap, descriptors: readonly ServiceParameter[]): void {
  const byName = new Map(descriptors.map((d) => [d.name.toUpperCase(), d]));
  for (const [key, raw] of Object.entries(params)) {
    if (raw === undefined || raw === null) continue;
    const d = byName.get(key.toUpperCase());
    if (!d) {
      const known = descriptors.map((x) => x.name).join(', ');
      throw new DALOptionsError(`the service has no parameter "${key}"; it accepts: ${known}`);
    }
    const values = (Array.isArray(raw) ? raw : [raw]).map(String);
    for (const value of values) {
      if (d.options.length > 0 && !d.options.some((o) => o.toUpperCase() === value.toUpperCase())) {
        throw new DALOptionsError(`parameter "${d.name}" must be one of ${d.options.join(', ')}; got "${value}"`);
      }
      const scalar = d.arraysize === undefined || d.arraysize === '1';
      const numeric = scalar && (INTEGER.has(d.datatype) || REAL.has(d.datatype));
      // PQL services (DaCHS) declare range parameters as char with numeric MIN/MAX
      if (numeric || d.min !== undefined || d.max !== undefined) {
        for (const part of value.split(/[/,]/)) {
          if (part === '') continue;
          const n = Number(part);
          if (!Number.isFinite(n) || (INTEGER.has(d.datatype) && !Number.isInteger(n))) {
            throw new DALOptionsError(`parameter "${d.name}" needs ${INTEGER.has(d.datatype) ? 'an integer' : 'a number'}, got "${value}"`);
          }
          if ((d.min !== undefined && n < d.min) || (d.max !== undefined && n > d.max)) {
            throw new DALOptionsError(`parameter "${d.name}" must be within [${d.min ?? '-inf'}, ${d.max ?? '+inf'}], got ${n}`);
          }
        }
      }
    }
  }
}
