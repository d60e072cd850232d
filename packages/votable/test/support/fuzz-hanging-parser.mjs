// A stand-in parser that never returns: the harness must end it at the deadline.
export class VOTableError extends Error {}

export async function parseVOTable() {
  for (;;) {
    // Spin: a synchronous hang no promise race can interrupt in-thread.
  }
}
