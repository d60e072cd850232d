/**
 * Standard Profile hub discovery (SAMP 1.3 §4.2, §4.3): the `SAMP_HUB` environment variable
 * (`std-lockurl:` followed by a URL of the lockfile), the `~/.samp` default, and the lockfile
 * format (`#` comments, `key=value` lines).
 */
import { constants, promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LockfileError } from './errors.js';

/** The keys of a lockfile; the three `samp.*` keys are what a client needs. */
export interface LockInfo {
  /** `samp.secret`: the registration secret. */
  'samp.secret': string;
  /** `samp.hub.xmlrpc.url`: the hub's XML-RPC endpoint. */
  'samp.hub.xmlrpc.url': string;
  /** `samp.profile.version`, e.g. "1.3". */
  'samp.profile.version'?: string;
  [key: string]: string | undefined;
}

/** Where a lockfile lives: a local path, or (rarely) an http(s) URL (§4.3). */
export type LockfileLocation = { kind: 'file'; path: string } | { kind: 'url'; url: string };

/** The `SAMP_HUB` prefix of the Standard Profile (§4.3). */
export const STD_LOCKURL_PREFIX = 'std-lockurl:';

/** Lockfiles larger than this are refused (a real one is a few hundred bytes). */
const MAX_LOCKFILE_BYTES = 64 * 1024;

/**
 * Parses lockfile text: `#` comment lines, blank lines, and `key=value` lines (value taken
 * verbatim up to the line end, §4.3). Throws {@link LockfileError} for a line that is neither,
 * or when `samp.secret` or `samp.hub.xmlrpc.url` is missing.
 */
export function parseLockfile(text: string, location = 'lockfile'): LockInfo {
  const info: Record<string, string> = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new LockfileError(`line ${i + 1} is neither a comment nor key=value: ${JSON.stringify(line.slice(0, 80))}`, location);
    const key = line.slice(0, eq).trim();
    if (!/^[0-9a-zA-Z._-]+$/.test(key)) throw new LockfileError(`line ${i + 1}: bad key ${JSON.stringify(key)}`, location);
    info[key] = line.slice(eq + 1);
  }
  for (const key of ['samp.secret', 'samp.hub.xmlrpc.url']) {
    if (!info[key]) throw new LockfileError(`no ${key} line`, location);
  }
  return info as LockInfo;
}

/** Formats a lockfile: a comment header, then `key=value` lines (the inverse of {@link parseLockfile}). */
export function formatLockfile(info: LockInfo, comment = 'SAMP Standard Profile lockfile written by @vokit/samp'): string {
  const lines = comment.split('\n').map((line) => `# ${line}`);
  for (const [key, value] of Object.entries(info)) {
    if (value === undefined) continue;
    if (/[\r\n]/.test(value) || /[\r\n=]/.test(key)) throw new LockfileError(`key ${key} or its value contains a line break or '='`, 'lockfile');
    lines.push(`${key}=${value}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The default lockfile: `$HOME/.samp` (§4.3; `USERPROFILE` on Windows via `os.homedir`). */
export function defaultLockfilePath(): string {
  return join(homedir(), '.samp');
}

/**
 * Resolves a `SAMP_HUB` value (§4.3). `std-lockurl:file:///path`, `std-lockurl:file://localhost/path`
 * (as JSAMP writes it) and `std-lockurl:http://...` are understood; a value with another prefix
 * (e.g. `web-appname:`, used by JSAMP's Web Profile tools) names no Standard Profile lockfile and
 * throws {@link LockfileError}.
 */
export function parseSampHub(value: string): LockfileLocation {
  if (!value.startsWith(STD_LOCKURL_PREFIX)) {
    throw new LockfileError(`SAMP_HUB must start with ${STD_LOCKURL_PREFIX} for the Standard Profile`, value);
  }
  const rest = value.slice(STD_LOCKURL_PREFIX.length);
  let url: URL;
  try {
    url = new URL(rest);
  } catch (cause) {
    throw new LockfileError('the lockurl is not a URL', value, { cause });
  }
  if (url.protocol === 'file:') {
    if (url.hostname !== '' && url.hostname !== 'localhost') {
      throw new LockfileError(`file URL on host ${url.hostname}: only local lockfiles can be read`, value);
    }
    const local = new URL(`file://${url.pathname}`);
    return { kind: 'file', path: fileURLToPath(local) };
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'url', url: url.href };
  throw new LockfileError(`unsupported lockurl scheme ${url.protocol}`, value);
}

/**
 * Where the Standard Profile lockfile is: `SAMP_HUB` if set in `env` (default `process.env`),
 * else `~/.samp`.
 */
export function locateLockfile(env: Record<string, string | undefined> = process.env): LockfileLocation {
  const hub = env.SAMP_HUB;
  if (hub !== undefined && hub !== '') return parseSampHub(hub);
  return { kind: 'file', path: defaultLockfilePath() };
}

/**
 * Reads and parses a lockfile. Returns `undefined` when a local file does not exist (no hub);
 * throws {@link LockfileError} when it exists but cannot be read or parsed.
 */
export async function readLockfile(location: LockfileLocation, options: { fetch?: typeof fetch } = {}): Promise<LockInfo | undefined> {
  if (location.kind === 'url') {
    const doFetch = options.fetch ?? globalThis.fetch;
    let text: string;
    try {
      const response = await doFetch(location.url);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new LockfileError(`HTTP ${response.status}`, location.url);
      text = await response.text();
    } catch (cause) {
      if (cause instanceof LockfileError) throw cause;
      throw new LockfileError('cannot fetch the lockfile', location.url, { cause });
    }
    return parseLockfile(text.slice(0, MAX_LOCKFILE_BYTES), location.url);
  }
  let text: string;
  try {
    const handle = await fs.open(location.path, constants.O_RDONLY);
    try {
      const { size } = await handle.stat();
      if (size > MAX_LOCKFILE_BYTES) throw new LockfileError(`${size} bytes is too large for a lockfile`, location.path);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (cause instanceof LockfileError) throw cause;
    throw new LockfileError('cannot read the lockfile', location.path, { cause });
  }
  return parseLockfile(text, location.path);
}

/**
 * Writes a lockfile with mode 0600 (§4.3: readable only by its owner). An existing file is
 * replaced: it is unlinked first and the new one created exclusively, so a symlink planted at
 * the path is never followed.
 */
export async function writeLockfile(path: string, info: LockInfo, comment?: string): Promise<void> {
  const text = formatLockfile(info, comment);
  await fs.rm(path, { force: true });
  const handle = await fs.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    // The umask may have cleared bits of the creation mode, never added any; chmod makes it exact.
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}
