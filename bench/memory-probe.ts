/**
 * Preloaded (`node --expose-gc --require dist/bench/memory-probe.js`) into the API process that
 * `npm run soak -- --heap-snapshots <dir>` starts, and into nothing else: the server itself has no
 * way to dump its heap. It writes `process.memoryUsage()` every MEMORY_PROBE_SECONDS to
 * `<dir>/memory.jsonl`, and on SIGUSR2 runs a full collection, writes the memory figures after it
 * and a heap snapshot (`<dir>/<n>.heapsnapshot`), then a line `{"snapshot": n}` the soak waits for.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.MEMORY_PROBE_DIR;
// Worker threads inherit the preload; only the main thread reports (RSS is the process's anyway).
if (dir && isMainThread) {
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'memory.jsonl');
  const started = Date.now();
  const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
  const figures = () => {
    const m = process.memoryUsage();
    return { minute: Math.round(((Date.now() - started) / 60_000) * 100) / 100, rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
  };
  const write = (line: object) => fs.appendFileSync(log, JSON.stringify(line) + '\n');
  const every = Number(process.env.MEMORY_PROBE_SECONDS ?? 10) * 1000;
  setInterval(() => write(figures()), every).unref();
  let count = 0;
  process.on('SIGUSR2', () => {
    const collect = (globalThis as { gc?: () => void }).gc;
    // Twice: the first collection may only queue finalizers whose objects the second frees.
    collect?.();
    collect?.();
    count += 1;
    write({ ...figures(), afterGc: true, snapshot: count, phase: 'collected' });
    v8.writeHeapSnapshot(path.join(dir, `${count}.heapsnapshot`));
    write({ ...figures(), snapshot: count, phase: 'written' });
  });
}
