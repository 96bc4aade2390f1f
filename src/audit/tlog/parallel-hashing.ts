/**
 * Leaf hashes of the events a batch of published leaves names, computed by worker threads (one
 * per core, each with its own database connection), so verifying a million events is not bound
 * to one core. Available where the code runs compiled (the worker is a .js file); elsewhere
 * verification hashes in the calling thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PublishedLeaf } from './published';

export interface LeafHasher {
  /** For each leaf, the hash of the event it names, or undefined when there is no such event. */
  hashes(leaves: PublishedLeaf[]): Promise<Array<Buffer | undefined>>;
  close(): Promise<void>;
}

const WORKER = path.join(__dirname, 'leaf-hasher.worker.js');

/** Worker threads on the database at `url` (schema `schema`), or undefined when they cannot run here. */
export function parallelLeafHasher(url: string | undefined, schema: string | undefined): LeafHasher | undefined {
  if (!url || !fs.existsSync(WORKER)) return undefined;
  const threads = Math.max(1, Math.min(4, os.availableParallelism()));
  const workers = Array.from({ length: threads }, () => new Worker(WORKER, { workerData: { url, schema } }));
  const waiting = new Map<number, { resolve(v: Array<Buffer | undefined>): void; reject(e: Error): void; n: number }>();
  let jobs = 0;
  for (const w of workers) {
    w.on('message', (m: { job: number; hashes?: Uint8Array; present?: Uint8Array; error?: string }) => {
      const pending = waiting.get(m.job);
      if (!pending) return;
      waiting.delete(m.job);
      if (m.error || !m.hashes || !m.present) return pending.reject(new Error(m.error ?? 'leaf hasher failed'));
      const hashes = Buffer.from(m.hashes.buffer, m.hashes.byteOffset, m.hashes.byteLength);
      const present = m.present;
      pending.resolve(Array.from({ length: pending.n }, (_, k) => (present[k] ? hashes.subarray(32 * k, 32 * k + 32) : undefined)));
    });
    w.on('error', (error) => {
      for (const p of waiting.values()) p.reject(error);
      waiting.clear();
    });
  }
  return {
    hashes(leaves) {
      const job = jobs++;
      return new Promise((resolve, reject) => {
        waiting.set(job, { resolve, reject, n: leaves.length });
        workers[job % threads].postMessage({ job, ids: leaves.map((l) => l.eventId), seqs: leaves.map((l) => l.seq) });
      });
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
