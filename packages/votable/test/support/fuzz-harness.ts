// Mutation fuzzing of parseVOTable over the real fixtures (issue 3: "a fuzz test mutates real
// fixtures and sees only typed errors"). A seeded PRNG picks a fixture and one to three
// mutations; the parser runs in a worker thread (fuzz-worker.mjs) so a hang is caught by a
// per-case deadline and the worker is replaced. Same seed, same cases: a failure prints the
// seed, case number and mutations, and writes the input to a temp file to replay.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import ts from 'typescript';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE = join(HERE, '..', '..');
const FIXTURES = join(PACKAGE, 'test', 'fixtures');

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: small, fast, and good enough to spread mutations; same seed, same sequence. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------------------------
// Fixtures

export interface Fixture {
  name: string;
  bytes: Uint8Array;
}

/** Every fixture as stored, plus the gzipped one decompressed (so its XML gets mutated too). */
export function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
      else if (/\.(xml|vot)(\.gz)?$/.test(entry.name)) {
        const bytes = new Uint8Array(readFileSync(join(dir, entry.name)));
        out.push({ name: rel, bytes });
        if (rel.endsWith('.gz')) out.push({ name: `${rel} (gunzipped)`, bytes: new Uint8Array(gunzipSync(bytes)) });
      }
    }
  };
  walk(FIXTURES, '');
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

// ---------------------------------------------------------------------------------------------
// Mutations

const encoder = new TextEncoder();

/** Bytes that matter to an XML scanner, a base64 decoder or a UTF-8 decoder. */
const INTERESTING_BYTES = [
  0x3c, 0x3e, 0x26, 0x22, 0x27, 0x2f, 0x3d, 0x20, 0x0a, 0x0d, 0x09, 0x00, 0xff, 0x80, 0xc3, 0xe2, 0x5d, 0x3f, 0x21, 0x2b,
  0x41, 0x30, 0x2d,
];

const TOKENS = [
  '<', '>', '&', '&amp;', '&lt;', '&#0;', '&#x110000;', '&#65;', '&#x1F600;', '&nosuch;', ']]>', '<![CDATA[', '<!--',
  '-->', '<?xml version="1.0"?>', '<!DOCTYPE VOTABLE [<!ENTITY a "aaaaaaaaaaaa">]>', '<!ENTITY x SYSTEM "file:///etc/hostname">',
  '"', "'", '</TD>', '<TD>', '<TR>', '</TR>', '<TD/>', '<TR/>', '<TABLE>', '</TABLE>', '<TABLEDATA>', '</TABLEDATA>',
  '<FIELD name="x" datatype="int"/>', '<FIELD name="y" datatype="char" arraysize="*"/>',
  '<FIELD name="z" datatype="doubleComplex" arraysize="2x*"/>', '<PARAM name="p" datatype="double" value="1"/>',
  '<INFO name="QUERY_STATUS" value="ERROR"/>', '<RESOURCE>', '</RESOURCE>', '<DATA>', '</DATA>',
  '<BINARY2><STREAM encoding="base64">AAAA</STREAM></BINARY2>', '<BINARY><STREAM encoding="gzip">', '<FITS extnum="1">',
  '<STREAM href="no-such-file.bin"/>', 'NaN', '-', '1e999', '0x7fffffffffffffff', '-9223372036854775809', '\u00e9', '\ufeff',
  ' xmlns="http://www.ivoa.net/xml/VOTable/v1.3"', ' xmlns:v="urn:x"', ' ID="dup"', ' ref="nowhere"', '<v:TD>', 'T', '?',
];

const ATTRIBUTE_VALUES = [
  '', ' ', '*', '**', '0', '1', '-1', '2', '3x*', '*x3', '0x0', '2x2*', '1x0x*', '99999999999', '4294967297', '2147483648',
  '1e9', 'x', 'bar', 'NaN', 'string', 'unicodeChar', 'char', 'bit', 'boolean', 'long', 'short', 'unsignedByte', 'float',
  'double', 'floatComplex', 'doubleComplex', 'base64', 'gzip', 'dynamic', 'deflate', '1.0', '1.6', 'v1.1', '1.3', '2.0',
  'meta', 'results', 'no-such-file.bin', '&amp;', '&#0;', '&#x20;', 'yes', 'no', '-0', '007', ' 12 ', '18446744073709551616',
];

const STREAM_CHARS = ['!', '@', '=', '==', '=A', '\u0000', ' ', '\n', 'A', '/', '+', '-', '_', 'AAAA', '====', 'é'];

export interface Mutated {
  bytes: Uint8Array;
  what: string;
}

type Mutator = (rng: Rng, input: Uint8Array) => Mutated;

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const latin1Cache = new WeakMap<Uint8Array, string>();

/** Latin-1 keeps one char per byte, so regex offsets are byte offsets and nothing is lost. */
function latin1(bytes: Uint8Array): string {
  const cached = latin1Cache.get(bytes);
  if (cached !== undefined) return cached;
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  latin1Cache.set(bytes, s);
  return s;
}

/** A span [start, end): half the time from one `<` to another, so whole elements move. */
function span(rng: Rng, input: Uint8Array): [number, number] {
  if (input.length === 0) return [0, 0];
  if (rng.chance(0.5)) {
    const lts: number[] = [];
    for (let i = 0; i < input.length; i++) if (input[i] === 0x3c) lts.push(i);
    if (lts.length >= 2) {
      const a = rng.int(lts.length - 1);
      const b = a + 1 + rng.int(Math.min(8, lts.length - 1 - a));
      return [lts[a], lts[b]];
    }
  }
  const start = rng.int(input.length);
  return [start, Math.min(input.length, start + 1 + rng.int(rng.chance(0.8) ? 32 : 512))];
}

const flipBytes: Mutator = (rng, input) => {
  const out = input.slice();
  const n = 1 + rng.int(8);
  const at: number[] = [];
  for (let k = 0; k < n && out.length > 0; k++) {
    const i = rng.int(out.length);
    out[i] = rng.chance(0.5) ? rng.int(256) : rng.pick(INTERESTING_BYTES);
    at.push(i);
  }
  return { bytes: out, what: `flip bytes at ${at.join(',')}` };
};

const truncate: Mutator = (rng, input) => {
  const at = rng.int(input.length + 1);
  return { bytes: input.slice(0, at), what: `truncate at ${at}` };
};

const insert: Mutator = (rng, input) => {
  const at = rng.int(input.length + 1);
  let piece: Uint8Array;
  let label: string;
  if (rng.chance(0.7)) {
    const token = rng.pick(TOKENS);
    piece = encoder.encode(token);
    label = JSON.stringify(token);
  } else {
    piece = new Uint8Array(1 + rng.int(16)).map(() => rng.int(256));
    label = `${piece.length} random bytes`;
  }
  return { bytes: concat(input.subarray(0, at), piece, input.subarray(at)), what: `insert ${label} at ${at}` };
};

const deleteSpan: Mutator = (rng, input) => {
  const [a, b] = span(rng, input);
  return { bytes: concat(input.subarray(0, a), input.subarray(b)), what: `delete [${a}, ${b})` };
};

const duplicateSpan: Mutator = (rng, input) => {
  const [a, b] = span(rng, input);
  const at = rng.chance(0.5) ? b : rng.int(input.length + 1);
  const piece = input.slice(a, b);
  return { bytes: concat(input.subarray(0, at), piece, input.subarray(at)), what: `copy [${a}, ${b}) to ${at}` };
};

const attributeValue: Mutator = (rng, input) => {
  const text = latin1(input);
  const matches = [...text.matchAll(/\s([A-Za-z_:][-\w.:]*)="([^"<]*)"/g)];
  if (matches.length === 0) return flipBytes(rng, input);
  const m = rng.pick(matches);
  const value = rng.chance(0.85)
    ? rng.pick(ATTRIBUTE_VALUES)
    : Array.from({ length: 1 + rng.int(12) }, () => String.fromCharCode(0x20 + rng.int(95))).join('').replace(/"/g, "'");
  const start = (m.index as number) + m[0].indexOf('"') + 1;
  const end = start + m[2].length;
  const piece = encoder.encode(value);
  return {
    bytes: concat(input.subarray(0, start), piece, input.subarray(end)),
    what: `${m[1]}="${m[2].slice(0, 40)}" → ${JSON.stringify(value)} at ${start}`,
  };
};

const corruptBase64: Mutator = (rng, input) => {
  const text = latin1(input);
  const streams = [...text.matchAll(/<STREAM[^>]*>([^<]*)<\/STREAM>/g)];
  if (streams.length === 0) return flipBytes(rng, input);
  const m = rng.pick(streams);
  const bodyStart = (m.index as number) + m[0].indexOf('>') + 1;
  const bodyEnd = bodyStart + m[1].length;
  if (bodyEnd === bodyStart) return flipBytes(rng, input);
  const at = bodyStart + rng.int(bodyEnd - bodyStart);
  const action = rng.int(4);
  if (action === 0) {
    // Drop 1–7 characters: misaligned quartets, short rows.
    const n = 1 + rng.int(7);
    return { bytes: concat(input.subarray(0, at), input.subarray(Math.min(bodyEnd, at + n))), what: `base64 drop ${n} at ${at}` };
  }
  if (action === 1) {
    // End the stream early, on or off a quartet boundary.
    return { bytes: concat(input.subarray(0, at), input.subarray(bodyEnd)), what: `base64 cut at ${at}` };
  }
  const piece = encoder.encode(rng.pick(STREAM_CHARS));
  if (action === 2) {
    return { bytes: concat(input.subarray(0, at), piece, input.subarray(at)), what: `base64 insert at ${at}` };
  }
  return {
    bytes: concat(input.subarray(0, at), piece, input.subarray(Math.min(bodyEnd, at + piece.length))),
    what: `base64 overwrite at ${at}`,
  };
};

const cellCount: Mutator = (rng, input) => {
  const text = latin1(input);
  const cells = [...text.matchAll(/<TD(?:\s[^>]*)?>[^<]*<\/TD>|<TD\s*\/>/g)];
  if (cells.length === 0) return deleteSpan(rng, input);
  const m = rng.pick(cells);
  const a = m.index as number;
  const b = a + m[0].length;
  if (rng.chance(0.5)) return { bytes: concat(input.subarray(0, a), input.subarray(b)), what: `drop TD at ${a}` };
  return { bytes: concat(input.subarray(0, b), input.subarray(a, b), input.subarray(b)), what: `repeat TD at ${a}` };
};

const MUTATORS: Array<[string, Mutator]> = [
  ['flip', flipBytes],
  ['truncate', truncate],
  ['insert', insert],
  ['delete', deleteSpan],
  ['duplicate', duplicateSpan],
  ['attribute', attributeValue],
  ['base64', corruptBase64],
  ['cells', cellCount],
];

export interface FuzzCase {
  index: number;
  fixture: string;
  kinds: string[];
  what: string[];
  bytes: Uint8Array;
  /** Chunk sizes to stream the input in, or undefined for one Uint8Array. */
  chunks?: number[];
  /** Entry point: parseVOTable (`whole`), parseVOTableSync (`sync`) or streamVOTable (`stream`). */
  mode: 'whole' | 'sync' | 'stream';
  /** Rows per batch in `stream` mode. */
  batchRows?: number;
}

/** The cases for a seed, generated lazily; the same seed always gives the same cases. */
export function* generateCases(seed: number, count: number, fixtures: Fixture[]): Generator<FuzzCase> {
  const rng = new Rng(seed);
  const withStreams = fixtures.filter((f) => latin1(f.bytes).includes('<STREAM'));
  for (let index = 0; index < count; index++) {
    const kinds: string[] = [];
    const what: string[] = [];
    const first = rng.pick(MUTATORS);
    // base64 mutations only bite where there is a STREAM: draw those fixtures for them.
    const fixture = first[0] === 'base64' && withStreams.length > 0 ? rng.pick(withStreams) : rng.pick(fixtures);
    let bytes = fixture.bytes;
    const rounds = rng.chance(0.8) ? 1 : 2 + rng.int(2);
    for (let r = 0; r < rounds; r++) {
      const [kind, mutate] = r === 0 ? first : rng.pick(MUTATORS);
      const out = mutate(rng, bytes);
      bytes = out.bytes;
      kinds.push(kind);
      what.push(out.what);
    }
    // A quarter of the cases arrive in pieces, to cut tags, entities and base64 quartets at
    // odd places; pieces are at least 1/2000 of the input so big documents stay quick.
    const least = Math.ceil(bytes.length / 2000);
    const chunks = rng.chance(0.25)
      ? Array.from({ length: 1 + rng.int(4) }, () => least + rng.int(rng.chance(0.5) ? 7 : 4096))
      : undefined;
    const draw = rng.next();
    const mode = draw < 0.7 ? 'whole' : draw < 0.85 ? 'sync' : 'stream';
    const batchRows = mode === 'stream' ? 1 + rng.int(64) : undefined;
    yield { index, fixture: fixture.name, kinds, what, bytes, chunks: mode === 'sync' ? undefined : chunks, mode, batchRows };
  }
}

// ---------------------------------------------------------------------------------------------
// The parser, in a worker

/**
 * Transpiles src/*.ts file for file (the package uses verbatimModuleSyntax, so each file
 * transpiles alone) into a directory under the package's node_modules, where the runtime
 * dependencies resolve. Returns the file URL of its index.js and a cleanup function.
 */
export function buildParserForWorker(): { entry: string; cleanup: () => void } {
  const src = join(PACKAGE, 'src');
  const out = join(PACKAGE, 'node_modules', '.cache', 'vokit-fuzz', `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const from = join(dir, entry.name);
      const to = join(out, rel, entry.name);
      if (entry.isDirectory()) {
        mkdirSync(to, { recursive: true });
        walk(from, join(rel, entry.name));
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const { outputText } = ts.transpileModule(readFileSync(from, 'utf8'), {
          fileName: from,
          compilerOptions: {
            module: ts.ModuleKind.ESNext,
            target: ts.ScriptTarget.ES2022,
            verbatimModuleSyntax: true,
            useDefineForClassFields: true,
          },
        });
        writeFileSync(to.replace(/\.ts$/, '.js'), outputText);
      }
    }
  };
  walk(src, '');
  return { entry: pathToFileURL(join(out, 'index.js')).href, cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

export interface Finding {
  index: number;
  fixture: string;
  what: string[];
  outcome: 'untyped' | 'invariant' | 'hang' | 'crash';
  detail: string;
  replay: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  ok: number;
  typed: number;
  findings: Finding[];
  codes: Record<string, number>;
  byKind: Record<string, { ok: number; typed: number; findings: number }>;
  slowestMs: number;
  slowestCase: number;
  elapsedMs: number;
}

interface Reply {
  id?: number;
  ready?: boolean;
  outcome?: 'ok' | 'typed' | 'untyped' | 'invariant';
  name?: string;
  code?: string;
  message?: string;
  stack?: string;
}

class ParserWorker {
  private worker!: Worker;
  private ready!: Promise<void>;
  private pending: ((reply: Reply | { crash: string }) => void) | null = null;

  constructor(private readonly entry: string) {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('./fuzz-worker.mjs', import.meta.url), {
      workerData: { entry: this.entry },
      // A mutated arraysize must not take the machine down: cap the heap (typed arrays
      // outside the heap fail with RangeError, which the worker reports as a finding).
      resourceLimits: { maxOldGenerationSizeMb: 768 },
    });
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (m: Reply): void => {
        if (m.ready) {
          this.worker.off('error', reject);
          resolve();
        } else this.pending?.(m);
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
    });
    this.worker.on('error', (error) => this.pending?.({ crash: String(error?.stack ?? error) }));
    this.worker.on('exit', (code) => this.pending?.({ crash: `worker exited with code ${code}` }));
  }

  async run(c: FuzzCase, timeoutMs: number): Promise<Reply | { crash: string } | { hang: true }> {
    await this.ready;
    const bytes = c.bytes.slice();
    const result = await new Promise<Reply | { crash: string } | { hang: true }>((resolve) => {
      const timer = setTimeout(() => resolve({ hang: true }), timeoutMs);
      this.pending = (reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.worker.postMessage({ id: c.index, bytes, chunks: c.chunks, mode: c.mode, batchRows: c.batchRows }, [bytes.buffer]);
    });
    this.pending = null;
    if ('hang' in result || 'crash' in result) await this.restart();
    return result;
  }

  private async restart(): Promise<void> {
    this.worker.removeAllListeners();
    await this.worker.terminate();
    this.start();
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners();
    await this.worker.terminate();
  }
}

function saveReplay(seed: number, c: FuzzCase): string {
  const dir = join(tmpdir(), 'vokit-fuzz-findings');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `seed${seed}-case${c.index}.xml`);
  writeFileSync(file, c.bytes);
  return file;
}

/** Runs `cases` cases from `seed`; never throws for a parser finding, it reports them. */
export async function runFuzz(options: {
  seed: number;
  cases: number;
  /** Per-case deadline, ms (default 5000). */
  caseTimeoutMs?: number;
  /** Worker threads running cases side by side (default 1). Results do not depend on it. */
  workers?: number;
  /** Module to test instead of this package's src (the harness's own tests use a fake). */
  entry?: string;
}): Promise<FuzzReport> {
  const { seed, cases } = options;
  const timeoutMs = options.caseTimeoutMs ?? 5000;
  const fixtures = loadFixtures();
  const built = options.entry ? { entry: options.entry, cleanup: () => {} } : buildParserForWorker();
  const pool = Array.from({ length: Math.max(1, options.workers ?? 1) }, () => new ParserWorker(built.entry));
  const report: FuzzReport = {
    seed,
    cases: 0,
    ok: 0,
    typed: 0,
    findings: [],
    codes: {},
    byKind: {},
    slowestMs: 0,
    slowestCase: -1,
    elapsedMs: 0,
  };
  const record = (c: FuzzCase, reply: Reply | { crash: string } | { hang: true }, ms: number): void => {
    if (ms > report.slowestMs) {
      report.slowestMs = ms;
      report.slowestCase = c.index;
    }
    report.cases += 1;
    const kind = c.kinds.length > 1 ? `${c.kinds[0]}+more` : c.kinds[0];
    const stats = (report.byKind[kind] ??= { ok: 0, typed: 0, findings: 0 });
    const finding = (outcome: Finding['outcome'], detail: string): void => {
      stats.findings += 1;
      const how = c.mode === 'stream' ? `streamVOTable batchRows ${c.batchRows}` : c.mode === 'sync' ? 'parseVOTableSync' : 'parseVOTable';
      const pieces = c.chunks ? ` in chunks of ${c.chunks.join('/')} bytes` : '';
      report.findings.push({ index: c.index, fixture: c.fixture, what: [...c.what, `${how}${pieces}`], outcome, detail, replay: saveReplay(seed, c) });
    };
    if ('hang' in reply) finding('hang', `no answer within ${timeoutMs} ms`);
    else if ('crash' in reply) finding('crash', reply.crash);
    else if (reply.outcome === 'ok') {
      report.ok += 1;
      stats.ok += 1;
    } else if (reply.outcome === 'typed') {
      report.typed += 1;
      stats.typed += 1;
      const code = reply.code ?? '(no code)';
      report.codes[code] = (report.codes[code] ?? 0) + 1;
    } else {
      finding(reply.outcome === 'invariant' ? 'invariant' : 'untyped', `${reply.name}: ${reply.message}\n${reply.stack ?? ''}`);
    }
  };
  const started = performance.now();
  const queue = generateCases(seed, cases, fixtures);
  try {
    await Promise.all(
      pool.map(async (worker) => {
        for (let next = queue.next(); !next.done; next = queue.next()) {
          const t0 = performance.now();
          const reply = await worker.run(next.value, timeoutMs);
          record(next.value, reply, performance.now() - t0);
        }
      }),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.close()));
    built.cleanup();
  }
  report.findings.sort((a, b) => a.index - b.index);
  report.elapsedMs = performance.now() - started;
  return report;
}

/** One line per finding, for the assertion message. */
export function describeFindings(report: FuzzReport, limit = 20): string[] {
  return report.findings
    .slice(0, limit)
    .map((f) => `seed ${report.seed} case ${f.index} [${f.outcome}] ${f.fixture}: ${f.what.join('; ')} → ${f.detail.split('\n').slice(0, 3).join(' | ')} (replay: ${f.replay})`);
}
