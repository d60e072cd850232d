/**
 * Where `convert` writes: standard output for `-`, else a file written under a temporary name
 * beside the target and renamed over it only once everything is written, so a failed
 * conversion never leaves a half-written file behind (and converting a file onto itself works).
 */

import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OutputError } from './errors.js';
import { describeFileError } from './input.js';

/** A place to write text or bytes, with backpressure. */
export interface OutputSink {
  /** How to name the output in messages. */
  readonly name: string;
  write(chunk: string | Uint8Array): Promise<void>;
  /** Finishes the output (renames the temporary file into place). */
  close(): Promise<void>;
  /** Gives up: removes the temporary file. Never throws. */
  abort(): Promise<void>;
}

/**
 * Raised when the reader of standard output went away (`vokit convert x.vot - | head`): the
 * command stops quietly with status 0, as Unix filters do.
 */
export class BrokenPipe extends Error {
  override readonly name = 'BrokenPipe';
}

/** Opens `target` (`-` for standard output) for writing. */
export async function openOutput(target: string, stdout: NodeJS.WriteStream = process.stdout): Promise<OutputSink> {
  return target === '-' ? stdoutSink(stdout) : fileSink(target);
}

function stdoutSink(stdout: NodeJS.WriteStream): OutputSink {
  let broken: Error | null = null;
  const onError = (error: Error & { code?: string }) => {
    broken = error.code === 'EPIPE' ? new BrokenPipe('stdout closed') : new OutputError(`stdout: ${error.message}`);
  };
  stdout.on('error', onError);
  const write = (chunk: string | Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      if (broken) return reject(broken);
      const more = stdout.write(chunk, (error) => {
        if (error) onError(error);
      });
      if (more) return resolve();
      const settle = () => {
        stdout.off('drain', settle);
        stdout.off('error', settle);
        if (broken) reject(broken);
        else resolve();
      };
      stdout.on('drain', settle);
      stdout.on('error', settle);
    });
  return {
    name: 'stdout',
    write,
    close: async () => {
      // Let the last write flush (or fail) before reporting success.
      await new Promise<void>((resolve) => stdout.write('', () => resolve()));
      stdout.off('error', onError);
      if (broken) throw broken;
    },
    abort: async () => {
      stdout.off('error', onError);
    },
  };
}

async function fileSink(target: string): Promise<OutputSink> {
  const temporary = join(dirname(target), `.${basename(target)}.vokit-${process.pid}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'w');
  } catch (error) {
    throw new OutputError(`${target}: ${describeFileError(error)}`, { cause: error });
  }
  let closed = false;
  const fail = (error: unknown) => new OutputError(`${target}: ${describeFileError(error)}`, { cause: error });
  return {
    name: target,
    async write(chunk) {
      try {
        // writeFile loops until every byte is written (write() may write part of a buffer).
        await handle.writeFile(chunk);
      } catch (error) {
        throw fail(error);
      }
    },
    async close() {
      try {
        closed = true;
        await handle.close();
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw fail(error);
      }
    },
    async abort() {
      if (!closed) await handle.close().catch(() => {});
      await rm(temporary, { force: true }).catch(() => {});
    },
  };
}
