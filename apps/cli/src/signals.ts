/**
 * Waiting for Ctrl-C (SIGINT) or a service manager's SIGTERM in the commands that run until
 * stopped (`vokit samp hub`, `vokit samp listen`), so they can shut down cleanly.
 */

/** A wait for a termination signal. */
export interface SignalWait {
  /** Resolves with the first signal received. */
  received: Promise<NodeJS.Signals>;
  /**
   * Removes the handlers. Call it once the wait is over, whatever ended it: a further Ctrl-C
   * then ends the process at once, Node's default, in case the clean shutdown hangs.
   */
  dispose(): void;
}

/**
 * Starts waiting for any of `signals` (default SIGINT and SIGTERM). The process stays up while
 * it waits, even when nothing else holds the event loop (a SAMP client's callback server does
 * not).
 */
export function waitForSignal(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): SignalWait {
  let resolve!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (signal: NodeJS.Signals) => {
    dispose();
    resolve(signal);
  };
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const dispose = () => {
    clearInterval(keepAlive);
    for (const signal of signals) process.off(signal, handler);
  };
  for (const signal of signals) process.on(signal, handler);
  return { received, dispose };
}
