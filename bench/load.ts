/**
 * One load run with autocannon, keeping every response's exact latency (autocannon's own latency
 * histogram has a 1 ms resolution, too coarse for fast requests) and, from the server's statement
 * probe, how many SQL statements each request took.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  token: string;
  body: string;
  connections: number;
  seconds: number;
  /** Sampled every 100 ms while the load runs (the server's resident memory). */
  sampleRssMb: () => number;
  /** The server's statement counts since the last call (bench/statement-probe.ts). */
  statementCounts: () => Promise<Map<number, number>>;
}

export interface LoadSamples {
  latenciesMs: number[];
  statements: number[];
  seconds: number;
  bytes: number;
  peakRssMb: number;
  non2xx: number;
  /** 2xx responses whose body carried GraphQL errors or no data. */
  failedBodies: number;
  connectionErrors: number;
  timeouts: number;
}

/** A response counts only if it carries data and no GraphQL errors. */
function bodyOk(body: string): boolean {
  return body.startsWith('{"data":{') && !body.includes('"errors":[');
}

export async function runLoad(options: LoadOptions): Promise<LoadSamples> {
  const samples: LoadSamples = {
    latenciesMs: [], statements: [], seconds: 0, bytes: 0, peakRssMb: 0, non2xx: 0, failedBodies: 0, connectionErrors: 0, timeouts: 0,
  };
  await options.statementCounts(); // what came before this run is not counted
  const rss = setInterval(() => {
    samples.peakRssMb = Math.max(samples.peakRssMb, options.sampleRssMb() || 0);
  }, 100);
  try {
    const result = await autocannon({
      url: options.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: options.body,
      connections: options.connections,
      pipelining: 1,
      duration: options.seconds,
      timeout: 60,
      setupClient: (client: any) => {
        client.on('response', (_status: number, bytes: number, responseTimeMs: number) => {
          samples.latenciesMs.push(responseTimeMs);
          samples.bytes += bytes;
        });
      },
      verifyBody: bodyOk,
    } as autocannon.Options);
    samples.seconds = result.duration;
    samples.non2xx = result.non2xx;
    samples.failedBodies = (result as unknown as { mismatches: number }).mismatches ?? 0;
    samples.connectionErrors = result.errors;
    samples.timeouts = result.timeouts;
  } finally {
    clearInterval(rss);
  }
  samples.peakRssMb = Math.max(samples.peakRssMb, options.sampleRssMb() || 0);
  for (const [statements, requests] of await options.statementCounts()) {
    for (let i = 0; i < requests; i++) samples.statements.push(statements);
  }
  return samples;
}

/** The q-quantile (0…1) of unsorted values, nearest-rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
