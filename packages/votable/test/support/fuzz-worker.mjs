// Runs parseVOTable (or parseVOTableSync, or streamVOTable) on the inputs the fuzz harness posts, in a worker thread so that a case
// that hangs (a synchronous infinite loop cannot be interrupted in-thread) is ended by
// terminating the worker. Reports, per case: "ok", "typed" (a VOTableError: allowed), or
// "untyped" / "invariant" (findings).
import { parentPort, workerData } from 'node:worker_threads';

const { parseVOTable, parseVOTableSync, streamVOTable, VOTableError } = await import(workerData.entry);

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

/** Streams the document in batches of `batchRows`, reading every batch as it comes. */
async function stream(input, batchRows) {
  let tables = 0;
  for await (const event of streamVOTable(input, { batchRows })) {
    if (event.type === 'table') tables += 1;
    else if (event.type === 'rows') {
      for (const column of event.columns) {
        if (column.length !== event.rowCount) {
          throw Object.assign(new Error(`batch column "${column.name}" has ${column.length} rows, batch says ${event.rowCount}`), {
            invariant: true,
          });
        }
        column.toArray();
      }
    }
  }
  return tables;
}

parentPort.on('message', async ({ id, bytes, chunks, mode, batchRows }) => {
  let reply;
  try {
    const input = chunks ? chunked(bytes, chunks) : bytes;
    let tables;
    if (mode === 'sync') tables = touch(parseVOTableSync(bytes));
    else if (mode === 'stream') tables = await stream(input, batchRows);
    else tables = touch(await parseVOTable(input));
    reply = { id, outcome: 'ok', tables };
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
