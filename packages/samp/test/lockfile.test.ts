import { statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LockfileError, formatLockfile, locateLockfile, parseLockfile, parseSampHub, readLockfile, writeLockfile } from '../src/index.js';
import { removeTempDirs, tempDir } from './support/temp.js';

afterAll(removeTempDirs);

describe('lockfile', () => {
  it('parses comments, blank lines and key=value lines verbatim (SAMP 1.3 §4.3)', () => {
    const text = '# SAMP lockfile\n\n#x=y\nsamp.secret=a=b c \nsamp.hub.xmlrpc.url=http://127.0.0.1:1234/xmlrpc\r\nsamp.profile.version=1.3\nhub.label=Hub 4790\n';
    expect(parseLockfile(text)).toEqual({
      'samp.secret': 'a=b c ',
      'samp.hub.xmlrpc.url': 'http://127.0.0.1:1234/xmlrpc',
      'samp.profile.version': '1.3',
      'hub.label': 'Hub 4790',
    });
  });

  it.each([
    ['samp.secret=x\n', 'lockfile: no samp.hub.xmlrpc.url line'],
    ['samp.secret=x\nsamp.hub.xmlrpc.url=u\ngarbage line\n', 'lockfile: line 3 is neither a comment nor key=value: "garbage line"'],
    ['samp.secret=x\nbad key=1\nsamp.hub.xmlrpc.url=u\n', 'lockfile: line 2: bad key "bad key"'],
  ])('refuses %j', (text, message) => {
    expect(() => parseLockfile(text)).toThrow(LockfileError);
    expect(() => parseLockfile(text)).toThrow(`samp: ${message}`);
  });

  it('resolves SAMP_HUB std-lockurl values, JSAMP file://localhost form included', () => {
    expect(parseSampHub('std-lockurl:file:///tmp/x/samp')).toEqual({ kind: 'file', path: '/tmp/x/samp' });
    expect(parseSampHub('std-lockurl:file://localhost/tmp/x%20y/samp')).toEqual({ kind: 'file', path: '/tmp/x y/samp' });
    expect(parseSampHub('std-lockurl:http://127.0.0.1:8/lock')).toEqual({ kind: 'url', url: 'http://127.0.0.1:8/lock' });
    expect(() => parseSampHub('web-appname:hubtester')).toThrow('SAMP_HUB must start with std-lockurl: for the Standard Profile');
    expect(() => parseSampHub('std-lockurl:file://otherhost/tmp/samp')).toThrow('file URL on host otherhost: only local lockfiles can be read');
    expect(() => parseSampHub('std-lockurl:ftp://h/x')).toThrow('unsupported lockurl scheme ftp:');
  });

  it('defaults to ~/.samp without SAMP_HUB (computed, never touched)', () => {
    expect(locateLockfile({})).toEqual({ kind: 'file', path: join(homedir(), '.samp') });
    expect(locateLockfile({ SAMP_HUB: '' })).toEqual({ kind: 'file', path: join(homedir(), '.samp') });
    expect(locateLockfile({ SAMP_HUB: 'std-lockurl:file:///a/b' })).toEqual({ kind: 'file', path: '/a/b' });
  });

  it('writes mode 0600 and reads back what it wrote; a missing file means no hub', async () => {
    const path = join(tempDir(), 'samp');
    const info = { 'samp.secret': 's3cret', 'samp.hub.xmlrpc.url': 'http://127.0.0.1:9/xmlrpc', 'samp.profile.version': '1.3' };
    writeFileSync(path, 'old content, world-readable\n', { mode: 0o644 });
    await writeLockfile(path, info);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await readLockfile({ kind: 'file', path })).toEqual(info);
    expect(await readLockfile({ kind: 'file', path: join(tempDir(), 'none') })).toBeUndefined();
    expect(formatLockfile(info, 'two\nlines')).toBe('# two\n# lines\nsamp.secret=s3cret\nsamp.hub.xmlrpc.url=http://127.0.0.1:9/xmlrpc\nsamp.profile.version=1.3\n');
    expect(() => formatLockfile({ ...info, 'samp.secret': 'a\nb' })).toThrow('contains a line break');
  });
});
