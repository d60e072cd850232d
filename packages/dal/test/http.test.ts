import { describe, expect, it } from 'vitest';
import { DALAbortError, DALTimeoutError, Deadline, toSearchParams, withParams } from '../src/index.js';

describe('Deadline', () => {
  it('refuses zero and negative timeouts, treats huge ones as none', () => {
    expect(() => new Deadline(0)).toThrow('timeout must be a positive number of milliseconds, got 0');
    expect(() => new Deadline(-5)).toThrow(RangeError);
    const none = new Deadline(Infinity);
    expect(none.timeout).toBeUndefined();
    expect(none.remaining()).toBe(Infinity);
    expect(none.signal.aborted).toBe(false);
    none.dispose();
  });

  it('aborts its signal at the deadline and reports a timeout, not an abort', async () => {
    const d = new Deadline(50);
    await new Promise((r) => setTimeout(r, 80));
    expect(d.signal.aborted).toBe(true);
    expect(d.expired).toBe(true);
    expect(d.classify(new Error('aborted'), { url: 'http://x' })).toBeInstanceOf(DALTimeoutError);
    expect(() => d.check()).toThrow(DALTimeoutError);
    d.dispose();
  });

  it('follows the caller signal and keeps its reason as cause', () => {
    const c = new AbortController();
    const d = new Deadline(10_000, c.signal);
    c.abort('stop');
    expect(d.signal.aborted).toBe(true);
    const e = d.classify(new Error('x'));
    expect(e).toBeInstanceOf(DALAbortError);
    expect(e.cause).toBe('stop');
    d.dispose();
  });

  it('sleeps no longer than the deadline', async () => {
    const d = new Deadline(60);
    const t0 = Date.now();
    await d.sleep(5_000).catch(() => undefined);
    expect(Date.now() - t0).toBeLessThan(3000); // well under the 5 s asked for, even on a loaded machine
    d.dispose();
  });
});

describe('parameters', () => {
  it('repeats arrays, drops undefined and null, appends to URLs with or without a query', () => {
    expect(toSearchParams({ POS: ['CIRCLE 1 2 3', 'CIRCLE 4 5 6'], A: undefined, B: null, C: 0, D: false }).toString()).toBe(
      'POS=CIRCLE+1+2+3&POS=CIRCLE+4+5+6&C=0&D=false',
    );
    expect(withParams('http://x/scs.xml?', { RA: 1 })).toBe('http://x/scs.xml?RA=1');
    expect(withParams('http://x/scs?cat=a', { RA: 1 })).toBe('http://x/scs?cat=a&RA=1');
    expect(withParams('http://x/scs', {})).toBe('http://x/scs');
  });
});
