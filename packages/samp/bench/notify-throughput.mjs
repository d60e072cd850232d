// Notify and callAndWait throughput through our hub and through JSAMP's hub, same run, same
// clients (two @vokit/samp SampClients in this process; each hub in its own process).
//   pnpm --filter @vokit/samp bench          (needs `pnpm build` and testbed/samp/install.sh)
//   N=2000 REPEATS=5 node bench/notify-throughput.mjs
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SampClient, createMessage } from '@vokit/samp';

const N = Number(process.env.N ?? 2000);
const REPEATS = Number(process.env.REPEATS ?? 5);
const TESTBED = fileURLToPath(new URL('../../../testbed/samp/', import.meta.url));

async function startVokitHub(dir) {
  const child = spawn(process.execPath, [join(TESTBED, 'vokit-hub.mjs'), join(dir, 'samp')], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`vokit hub exited ${code}`)));
  });
  return { sampHub: line.replace(/^SAMP_HUB=/, ''), stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))) };
}

function startJsampHub(dir) {
  const out = execFileSync('bash', [join(TESTBED, 'jsamp-hub.sh'), 'start', dir], { encoding: 'utf8' });
  return { sampHub: out.trim().replace(/^SAMP_HUB=/, ''), stop: async () => execFileSync('bash', [join(TESTBED, 'jsamp-hub.sh'), 'stop', dir]) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label, start) {
  const dir = mkdtempSync(join(tmpdir(), 'samp-bench-'));
  const hub = await start(dir);
  try {
    return await run(label, hub);
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(label, hub) {
  const sender = new SampClient({ hub: hub.sampHub, metadata: { 'samp.name': 'bench-sender' } });
  const receiver = new SampClient({ hub: hub.sampHub, metadata: { 'samp.name': 'bench-receiver' } });
  let received = 0;
  let wake = () => {};
  await receiver.bindReceiveNotification('bench.note', () => {
    if (++received === N) wake();
  });
  await receiver.bindReceiveCall('bench.echo', (m) => m.params);
  await sender.register();
  await receiver.register();
  const message = createMessage('bench.note', { ra: '83.633', dec: '22.0145', text: 'x'.repeat(64) });
  const notifyTimes = [];
  const callTimes = [];
  for (let r = 0; r < REPEATS; r++) {
    received = 0;
    const done = new Promise((resolve) => (wake = resolve));
    const t0 = performance.now();
    // 8 senders in flight, as a busy client would have.
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < N) {
        next++;
        await sender.notify(receiver.selfId, message);
      }
    }));
    await done;
    notifyTimes.push(performance.now() - t0);
    const t1 = performance.now();
    const calls = Math.max(1, Math.floor(N / 10));
    for (let i = 0; i < calls; i++) await sender.callAndWait(receiver.selfId, createMessage('bench.echo', { i: String(i) }), 10);
    callTimes.push(((performance.now() - t1) / calls) * 1000);
  }
  await sender.unregister();
  await receiver.unregister();
  const best = Math.min(...notifyTimes);
  const row = {
    hub: label,
    'notify min ms': best.toFixed(0),
    'notify median ms': median(notifyTimes).toFixed(0),
    'notifies/s (best)': Math.round((N / best) * 1000),
    'callAndWait median µs': median(callTimes).toFixed(0),
  };
  return row;
}

const rows = [await measure('@vokit/samp', startVokitHub), await measure('JSAMP 1.3.7', startJsampHub)];
console.log(`node ${process.version}, N=${N} notifications x ${REPEATS} repeats, ${Math.max(1, Math.floor(N / 10))} callAndWait per repeat`);
console.table(rows);
console.log(`notify throughput ratio vokit/JSAMP: ${(rows[0]['notifies/s (best)'] / rows[1]['notifies/s (best)']).toFixed(2)}`);
