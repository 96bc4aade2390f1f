/**
 * The existence-oracle check (SPEC §7: the API is no oracle for who is a patient). For each
 * lookup by key, requests for a patient that exists but lies outside the caller's gate and for one
 * that does not exist are sent interleaved (the order within each pair drawn at random, so drift
 * and warm-up hit both alike), and their latencies are compared with a two-sided Mann–Whitney U
 * test (normal approximation with tie correction: the samples are large, and latencies are not
 * normally distributed). "No significant difference" means p ≥ 0.01.
 */

export interface TimingCase {
  name: string;
  query: string;
  outside: Record<string, unknown>;
  missing: Record<string, unknown>;
}

export interface TimingResult {
  name: string;
  pairs: number;
  outsideMedianMs: number;
  missingMedianMs: number;
  /** Two-sided p-value of the Mann–Whitney U test. */
  p: number;
}

/** Two-sided p-value of the Mann–Whitney U test for samples a and b. */
export function mannWhitneyP(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const t = j - i + 1;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  const n1 = a.length;
  const n2 = b.length;
  const n = n1 + n2;
  const r1 = all.reduce((s, x, i) => s + (x.g === 0 ? ranks[i] : 0), 0);
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sd === 0) return 1;
  const z = (Math.abs(u - mean) - 0.5) / sd;
  return Math.min(1, 2 * (1 - normalCdf(Math.max(0, z))));
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 via erf). */
function normalCdf(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return 0.5 * (1 + erf);
}

const median = (values: number[]) => {
  const s = [...values].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Sends `pairs` interleaved pairs of each case and compares the two latency samples. */
export async function measureExistenceTiming(url: string, token: string, cases: TimingCase[], pairs: number): Promise<TimingResult[]> {
  const send = async (query: string, variables: Record<string, unknown>) => {
    const started = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = await res.json() as { errors?: Array<{ extensions?: { code?: string } }> };
    const ms = performance.now() - started;
    if (body.errors?.[0]?.extensions?.code !== 'NOT_FOUND') throw new Error(`existence timing: expected NOT_FOUND, got ${JSON.stringify(body).slice(0, 200)}`);
    return ms;
  };
  const results: TimingResult[] = [];
  for (const c of cases) {
    const outside: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < 20; i++) await send(c.query, i % 2 ? c.outside : c.missing); // warm-up, not counted
    for (let i = 0; i < pairs; i++) {
      if (Math.random() < 0.5) {
        outside.push(await send(c.query, c.outside));
        missing.push(await send(c.query, c.missing));
      } else {
        missing.push(await send(c.query, c.missing));
        outside.push(await send(c.query, c.outside));
      }
    }
    results.push({ name: c.name, pairs, outsideMedianMs: median(outside), missingMedianMs: median(missing), p: mannWhitneyP(outside, missing) });
  }
  return results;
}
