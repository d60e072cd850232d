// A stand-in parser that never returns: the harness must end it at the deadline.
export class VOTableError extends Error {}

export async function parseVOTable() {
  for (;;) {
    // Spin: a synchronous hang no promise race can interrupt in-thread.
  }
}

export function parseVOTableSync() {
  for (;;) {
    // Spin.
  }
}

export async function* streamVOTable() {
  yield* [];
  for (;;) {
    // Spin.
  }
}
