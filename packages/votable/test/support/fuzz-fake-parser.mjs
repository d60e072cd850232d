// A stand-in parser for the fuzz harness's own test: it must report what a broken parser does.
export class VOTableError extends Error {}

export async function parseVOTable(input) {
  let bytes = input;
  if (!(bytes instanceof Uint8Array)) {
    const parts = [];
    for await (const chunk of input) parts.push(...chunk);
    bytes = new Uint8Array(parts);
  }
  if (bytes.length % 2 === 0) throw new TypeError('fake: untyped');
  throw new VOTableError('fake: typed');
}

export function parseVOTableSync(bytes) {
  if (bytes.length % 2 === 0) throw new TypeError('fake: untyped');
  throw new VOTableError('fake: typed');
}

export async function* streamVOTable(input) {
  yield* [];
  await parseVOTable(input);
}
