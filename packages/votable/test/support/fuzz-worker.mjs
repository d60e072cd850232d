// Runs parseVOTable on the inputs the fuzz harness posts, in a worker thread so that a case
// that hangs (a synchronous infinite loop cannot be interrupted in-thread) is ended by
// terminating the worker. Reports, per case: "ok", "typed" (a VOTableError: allowed), or
// "untyped" / "invariant" (findings).
import { parentPort, workerData } from 'node:worker_threads';

const { parseVOTable, VOTableError } = await import(workerData.entry);

/** Feeds `bytes` in pieces of the given sizes, yielding to the event loop between them. */
async function* chunked(bytes, sizes) {
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[k++ % sizes.length]);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

/** Reads every cell, so that columns the parser built inconsistently fail here, not later. */
function touch(doc) {
  let tables = 0;
  const walk = (resources) => {
    for (const resource of resources) {
      for (const table of resource.tables) {
        tables += 1;
        for (const column of table.columns) {
          if (column.length !== table.rowCount) {
            throw Object.assign(new Error(`column "${column.name}" has ${column.length} rows, table says ${table.rowCount}`), {
              invariant: true,
            });
          }
          column.toArray();
        }
      }
      walk(resource.resources);
    }
  };
  walk(doc.resources);
  return tables;
}

parentPort.on('message', async ({ id, bytes, chunks }) => {
  let reply;
  try {
    const doc = await parseVOTable(chunks ? chunked(bytes, chunks) : bytes);
    reply = { id, outcome: 'ok', tables: touch(doc) };
  } catch (error) {
    const typed = error instanceof VOTableError;
    reply = {
      id,
      outcome: typed ? 'typed' : error?.invariant ? 'invariant' : 'untyped',
      name: error?.name ?? typeof error,
      code: error?.code,
      message: String(error?.message ?? error).slice(0, 400),
      stack: typed ? undefined : String(error?.stack ?? '').slice(0, 2000),
    };
  }
  parentPort.postMessage(reply);
});

parentPort.postMessage({ ready: true });
