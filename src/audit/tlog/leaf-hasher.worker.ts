/**
 * A worker thread of the parallel verification (parallel-hashing.ts): reads the events a batch of
 * published leaves names, with its own connection, and returns their leaf hashes — the part of
 * verifying that costs CPU per event, spread over the cores.
 */
import { Client } from 'pg';
import { parentPort, workerData } from 'node:worker_threads';
import { eventLeafHash } from './leaf';
import { eventsNamed } from './tree-store';

interface Job {
  job: number;
  ids: string[];
  seqs: string[];
}

const { url, schema } = workerData as { url: string; schema?: string };
const client = new Client({ connectionString: url, application_name: 'access-log-verify' });
// Jobs run one after another on the one connection.
let queue: Promise<unknown> = client.connect().then(() => (schema ? client.query(`SET search_path TO ${schema}`) : undefined));

parentPort!.on('message', (job: Job) => {
  queue = queue.then(async () => {
    const found = await eventsNamed({ query: async (text, params) => (await client.query(text, params)).rows }, job.ids, job.seqs);
    const hashes = new Uint8Array(32 * job.ids.length);
    const present = new Uint8Array(job.ids.length);
    job.ids.forEach((id, k) => {
      const event = found.get(id);
      if (!event) return;
      present[k] = 1;
      hashes.set(eventLeafHash(event), 32 * k);
    });
    parentPort!.postMessage({ job: job.job, hashes, present }, [hashes.buffer, present.buffer]);
  }).catch((error) => parentPort!.postMessage({ job: job.job, error: String((error as Error).message) }));
});
