/**
 * Consent policies for Web Profile registrations (SAMP 1.3 §5.4: the hub must get the user's
 * consent before a web page may register, because any page the user opens could try).
 */
import type { SampMap } from './message.js';

/** What the hub knows about a web page asking to register. */
export interface WebRegistrationRequest {
  /** `samp.name` from the identity-info map (the page's own claim, not verified). */
  appName: string;
  /** The whole identity-info map sent to `samp.webhub.register`. */
  identity: SampMap;
  /** The request's `Origin` header (set by the browser, so trustworthy), if any. */
  origin?: string;
  /** Remote address of the request (always loopback: others are refused before this point). */
  remoteAddress?: string;
}

/** Decides whether a web page may register; may ask the user. */
export type WebConsentPolicy = (request: WebRegistrationRequest) => boolean | Promise<boolean>;

/** Accepts every registration: for tests and kiosks only (JSAMP `-web:auth true`). */
export const acceptAllWebClients: WebConsentPolicy = () => true;

/** Refuses every registration (the default when nobody can be asked). */
export const refuseAllWebClients: WebConsentPolicy = () => false;

/** Options of {@link createTerminalConsent}. */
export interface TerminalConsentOptions {
  /** Where the question is read from. Default `process.stdin`. */
  input?: NodeJS.ReadableStream;
  /** Where the question is written. Default `process.stderr`. */
  output?: NodeJS.WritableStream;
  /** Refuse when no answer comes within this many milliseconds. Default 60000. */
  timeoutMs?: number;
}

/**
 * Asks on the terminal ("Allow web page ... to register? [y/N]"). Questions are asked one at a
 * time; anything but y/yes refuses, as does a timeout. Use it only when stdin is a TTY; the
 * CLI falls back to {@link refuseAllWebClients} otherwise.
 */
export function createTerminalConsent(options: TerminalConsentOptions = {}): WebConsentPolicy {
  let queue: Promise<unknown> = Promise.resolve();
  return (request) => {
    const ask = queue.then(async () => {
      const { createInterface } = await import('node:readline');
      const rl = createInterface({ input: options.input ?? process.stdin, output: options.output ?? process.stderr, terminal: false });
      const question =
        `SAMP Web Profile: a web page asks to register.\n` +
        `  name:   ${JSON.stringify(request.appName)} (claimed by the page)\n` +
        `  origin: ${request.origin ?? '(none: not a browser)'}\n` +
        `Allow it to exchange messages with your SAMP applications? [y/N] `;
      try {
        return await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), options.timeoutMs ?? 60_000);
          rl.question(question, (answer) => {
            clearTimeout(timer);
            resolve(/^\s*y(es)?\s*$/i.test(answer));
          });
        });
      } finally {
        rl.close();
      }
    });
    queue = ask.catch(() => undefined);
    return ask;
  };
}
