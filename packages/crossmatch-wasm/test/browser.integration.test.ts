// The package in a real browser: headless Debian Chromium (scripts/setup.sh installs it) loads
// the built dist/ as native ES modules from a local server, runs init() and HEALPix on the main
// thread, and runs every crossmatch mode in module workers that load the core with init(),
// initSync() and init({ module }) (a WebAssembly.Module compiled by the page and posted, with a
// SkyIndex transferred as its one ArrayBuffer). Every answer must equal healpy's values and the
// same calls made here in Node, bit for bit. The page lives in test/browser/.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATCH_FINDS, type MatchFind } from '../src/index.js';
import { awkwardCatalogues } from './sky-catalogues.js';
import {
  CROSSMATCH_RADIUS,
  HEALPIX_CASES,
  matchToJson,
  readCatalogues,
  runHealpix,
  writeCatalogues,
  type HealpixAnswer,
  type MatchJson,
} from './browser/workload.js';

const CHROMIUM = '/usr/bin/chromium';
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(PACKAGE, 'dist');
const PAGE_DIR = join(PACKAGE, 'test/browser');
/** Wall-clock bound for Chromium to start, run everything and POST its answer. */
const PAGE_TIMEOUT_MS = 90_000;

/**
 * healpy 1.16.1: `ang2pix(2**order, lon, lat, nest=..., lonlat=True)` on HEALPIX_CASES.points,
 * computed with /usr/bin/python3.
 */
const HEALPY: Record<string, string[]> = {
  '0 nest': ['0', '0', '11', '6', '5', '7'],
  '0 ring': ['0', '0', '11', '6', '5', '7'],
  '12 nest': ['11096352', '16777215', '184549376', '107653802', '99064147', '118088263'],
  '12 ring': ['34251238', '0', '201326591', '100663296', '62926558', '149475165'],
  '29 nest': [
    '190633879269976798',
    '288230376151711743',
    '3170534143305977920',
    '1849478246973483690',
    '1701909093095499231',
    '2028740913184819897',
  ],
  '29 ring': [
    '588667507910123017',
    '0',
    '3458764487480596207',
    '1729382256910270464',
    '1081138489400785018',
    '2568009316715583843',
  ],
};

/**
 * Pairs of the modes that geometry alone defines, on awkwardCatalogues(SEED, ROWS, SPREAD) at
 * CROSSMATCH_RADIUS (the brute force matcher gives the same, asserted below), so that a change of
 * the catalogue generator shows up here first. `best` is left out: its pairs depend on how
 * one-to-one conflicts are resolved (STILTS's rule), so here it is only compared with Node. The
 * generator's dense cluster gives rows several candidates, so the modes differ.
 */
const SEED = 42026;
const ROWS = 2000;
/** B's jittered copies of A rows lie within this many arcseconds, about the match radius. */
const SPREAD = 3;
const PAIR_COUNTS: Partial<Record<MatchFind, number>> = { all: 6038, nearest: 1251, best1: 1251, best2: 1317 };

/**
 * Largest difference of a separation between Chromium and Node, arcseconds. The unit vectors
 * are the same bits in every engine (sinCosDegrees uses only IEEE additions and
 * multiplications; with Math.sin/Math.cos, Chromium's V8 and Node 20's differed in the last bit
 * and separations by up to 4e-11″); 2 asin(d/2) still calls each engine's Math.asin, whose last
 * bit is worth far less than this at arcsecond scales. Measured: 0. Pair sets are compared
 * exactly.
 */
const SEPARATION_TOLERANCE = 1e-12;
/** Worst separation difference per mode over the three workers, logged after the run. */
const separationDiffs: Partial<Record<MatchFind, number>> = {};

interface WorkerAnswer {
  variant: string;
  loadMs: number;
  matchMs: number;
  sameModule?: boolean;
  usedIndex: boolean;
  healpix: Record<string, HealpixAnswer>;
  matches: Record<MatchFind, MatchJson>;
}

interface PageAnswer {
  error?: string;
  ok?: boolean;
  userAgent?: string;
  main?: { initMs: number; variant: string; simdSupported: boolean; healpix: Record<string, HealpixAnswer> };
  workers?: { init: WorkerAnswer; initSync: WorkerAnswer; module: WorkerAnswer };
  indexDetached?: boolean;
}

const catalogues = awkwardCatalogues(SEED, ROWS, SPREAD);
const cataloguesBuffer = writeCatalogues(catalogues.a, catalogues.b);

/**
 * The built package, as the browser runs it: Node repeats the browser's calls on the same build,
 * so the comparison holds even while src/ is ahead of dist/. Imported at run time because dist/
 * may not exist when this file is type-checked.
 */
let built: typeof import('../src/index.js');

let server: Server | undefined;
let browser: ChildProcess | undefined;
let profileDir: string | undefined;
let answer: PageAnswer | undefined;
let pageFailure: unknown;
/** Last few KiB of Chromium's stderr (page console and errors), for failure messages. */
let browserLog = '';

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

/** A file under `root` named by the URL path `rest`, or undefined when it leaves root or is not .js/.html. */
function servedFile(root: string, rest: string): string | undefined {
  const file = resolve(root, `.${decodeURIComponent(rest)}`);
  const inside = relative(root, file);
  if (inside.startsWith('..') || inside.startsWith(sep) || !(extname(file) in CONTENT_TYPES) || !existsSync(file)) return undefined;
  return file;
}

/** Serves dist/ at /dist/, test/browser/ at /test/browser/ and the catalogues; resolves with what the page POSTs. */
function startServer(onAnswer: (answer: PageAnswer) => void): Promise<Server> {
  const s = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'POST' && path === '/result') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.end('ok');
        onAnswer(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PageAnswer);
      });
      return;
    }
    if (path === '/catalogues.f64') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(Buffer.from(cataloguesBuffer));
      return;
    }
    const file = path.startsWith('/dist/')
      ? servedFile(DIST, path.slice('/dist'.length))
      : path.startsWith('/test/browser/')
        ? servedFile(PAGE_DIR, path.slice('/test/browser'.length))
        : undefined;
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)]!, 'Cache-Control': 'no-store' }).end(readFileSync(file));
  });
  return new Promise((done) => s.listen(0, '127.0.0.1', () => done(s)));
}

/** Stops Chromium's whole process group (it was started as its leader): TERM, then KILL after 5 s. */
async function stopBrowser(): Promise<void> {
  const child = browser;
  browser = undefined;
  if (!child || child.pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((done) => child.once('exit', done));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is already gone
    }
  };
  signalGroup('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((done) => setTimeout(() => done(true), 5000))]);
  // Renderers and the zygote share the group and may outlive the browser process briefly.
  signalGroup('SIGKILL');
  if (timedOut) await exited;
}

/** Kills the group synchronously if the test process exits without afterAll (e.g. interrupted). */
const killOnExit = (): void => {
  if (browser?.pid !== undefined) {
    try {
      process.kill(-browser.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
};

/** Serves the built dist/, runs the page in Chromium, and returns what the page POSTs. */
async function runPage(): Promise<PageAnswer> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/setup.sh does)`);
  if (!existsSync(join(DIST, 'index.js')) || !existsSync(join(DIST, 'generated/wasm-binaries.js'))) {
    throw new Error(`${DIST} is not built: run pnpm exec turbo run build --filter=@vokit/crossmatch-wasm`);
  }
  built = (await import(pathToFileURL(join(DIST, 'index.js')).href)) as typeof import('../src/index.js');
  await built.init();
  let deliver: (answer: PageAnswer) => void = () => undefined;
  const answered = new Promise<PageAnswer>((done) => (deliver = done));
  server = await startServer((a) => deliver(a));
  const { port } = server.address() as AddressInfo;
  profileDir = mkdtempSync(join(tmpdir(), 'vokit-chromium-'));
  process.once('exit', killOnExit);
  browser = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-proxy-server',
      '--enable-logging=stderr',
      `--user-data-dir=${profileDir}`,
      `http://127.0.0.1:${port}/test/browser/page.html`,
    ],
    // Its own process group, so that stopBrowser reaches the renderers and utility processes too.
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  browser.stderr!.setEncoding('utf8');
  browser.stderr!.on('data', (chunk: string) => (browserLog = (browserLog + chunk).slice(-4096)));
  const exitedEarly = new Promise<never>((_, reject) =>
    browser!.once('exit', (code, signal) => reject(new Error(`chromium exited (${code ?? signal}) before the page answered:\n${browserLog}`))),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the page in ${PAGE_TIMEOUT_MS} ms; chromium said:\n${browserLog}`)), PAGE_TIMEOUT_MS);
  });
  let answer: PageAnswer;
  try {
    answer = await Promise.race([answered, exitedEarly, timeout]);
  } finally {
    clearTimeout(timer);
    exitedEarly.catch(() => undefined);
  }
  if (answer.error) throw new Error(`the page failed: ${answer.error}\nchromium said:\n${browserLog}`);
  console.log(
    `chromium: init ${answer.main!.initMs.toFixed(1)} ms on the main thread; workers load/match ms: ` +
      Object.entries(answer.workers!)
        .map(([mode, w]) => `${mode} ${w.loadMs.toFixed(1)}/${w.matchMs.toFixed(1)}`)
        .join(', '),
  );
  return answer;
}

// A failure here is kept and rethrown by every test (see page()), so that it counts as failed
// tests in the JSON report rather than as skipped ones.
beforeAll(async () => {
  try {
    answer = await runPage();
  } catch (error) {
    pageFailure = error;
  }
}, PAGE_TIMEOUT_MS + 20_000);

/** The page's answer, or the error that prevented it. */
function page(): PageAnswer {
  if (pageFailure !== undefined) throw pageFailure;
  return answer!;
}

afterAll(async () => {
  if (Object.keys(separationDiffs).length > 0) console.log('largest |separation chromium - node| (arcsec):', separationDiffs);
  await stopBrowser();
  process.off('exit', killOnExit);
  if (server) {
    server.closeAllConnections();
    await new Promise((done) => server!.close(done));
  }
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('in headless Chromium', () => {
  it('loads dist/ and init() chooses release-simd', () => {
    expect(page().ok).toBe(true);
    expect(page().userAgent).toMatch(/HeadlessChrome\/\d+/);
    expect(page().main!.simdSupported).toBe(true);
    expect(page().main!.variant).toBe('release-simd');
  });

  it('gives healpy\'s ang2pix on the main thread, scalar and batched', () => {
    const main = page().main!;
    const node = runHealpix(built.getHealpix(), HEALPIX_CASES);
    for (const [key, pixels] of Object.entries(HEALPY)) {
      expect(main.healpix[key], key).toEqual({ scalar: pixels, batch: pixels, count: pixels.length });
      expect(node[key], key).toEqual(main.healpix[key]);
    }
    expect(Object.keys(main.healpix).sort()).toEqual(Object.keys(HEALPY).sort());
  });

  describe.each(['init', 'initSync', 'module'] as const)('in a module worker loaded with %s', (mode) => {
    const worker = (): WorkerAnswer => page().workers![mode];

    it('runs release-simd and gives healpy\'s ang2pix', () => {
      expect(worker().variant).toBe('release-simd');
      expect(worker().usedIndex).toBe(mode === 'module');
      // init({ module }) must instantiate the posted module rather than compile its own.
      expect(worker().sameModule).toBe(mode === 'module' ? true : undefined);
      for (const [key, pixels] of Object.entries(HEALPY)) expect(worker().healpix[key]!.scalar, key).toEqual(pixels);
    });

    it.each(MATCH_FINDS)('finds the same pairs as Node for find=%s', (find) => {
      const browser = worker().matches[find];
      const { a, b } = readCatalogues(cataloguesBuffer);
      const node = matchToJson(built.crossmatch(a, b, { radius: CROSSMATCH_RADIUS, find }));
      expect({ aIndex: browser.aIndex, bIndex: browser.bIndex }).toEqual({ aIndex: node.aIndex, bIndex: node.bIndex });
      if (PAIR_COUNTS[find] !== undefined) {
        // Geometry alone defines these pairs; `best` against the brute force is crossmatch.test.ts's job.
        const brute = matchToJson(built.bruteForceCrossmatch(a, b, { radius: CROSSMATCH_RADIUS, find }));
        expect(browser.aIndex.length).toBe(PAIR_COUNTS[find]);
        expect({ aIndex: browser.aIndex, bIndex: browser.bIndex }).toEqual({ aIndex: brute.aIndex, bIndex: brute.bIndex });
      }
      let worst = 0;
      for (let i = 0; i < node.separation.length; i++) worst = Math.max(worst, Math.abs(browser.separation[i]! - node.separation[i]!));
      expect(worst).toBeLessThanOrEqual(SEPARATION_TOLERANCE);
      separationDiffs[find] = Math.max(separationDiffs[find] ?? 0, worst);
    });
  });

  it('transferred the SkyIndex buffer to the worker', () => {
    expect(page().indexDetached).toBe(true);
  });
});
