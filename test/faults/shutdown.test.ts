/**
 * Fault: SIGTERM under load (a rolling deploy, a scale-in). The compiled server runs as its own
 * process (NODE_ENV=development, as in the soak: Apollo's own signal handling is active there and
 * in production) with keep-alive clients hammering it; then it gets SIGTERM. Until it is gone,
 * every answer is a 200 (requests in flight finish) or a refused connection — never a 5xx — and
 * /readyz says 503 from the signal on, and it exits within the grace period instead of serving errors on open connections. The soak found
 * the opposite: Apollo stopped at the signal while the HTTP server kept answering every request
 * on its keep-alive connections with 500, for minutes.
 */
import { startTestApi, TestApi } from '../support/harness';
import { buildOnce, sameDatabaseEnv, startApiProcess } from '../support/processes';

let api: TestApi;

beforeAll(async () => {
  await buildOnce();
  api = await startTestApi();
}, 180_000);
afterAll(() => api?.close());

test('SIGTERM under keep-alive load: in-flight requests finish, no 5xx, the process exits', async () => {
  const proc = await startApiProcess({ ...sameDatabaseEnv(api.config), NODE_ENV: 'development', RATE_LIMIT_REQUESTS: '0' });
  const exited = new Promise<number>((resolve) => proc.child.once('exit', () => resolve(Date.now())));
  let gone = false;
  void exited.then(() => (gone = true));
  const token = await api.token('clin-dekker');
  const id = await api.patientId('P-0001');
  const statuses = new Map<string, number>();
  const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
  const load = Promise.all(Array.from({ length: 8 }, async () => {
    while (!gone) {
      try {
        const res = await fetch(proc.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: 'query($id: ID!) { patient(id: $id) { name { family } } }', variables: { id } }),
        });
        const text = await res.text();
        count(String(res.status));
        if (res.status === 200) expect(text).toContain('de Vries');
      } catch {
        count('connection refused or reset');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }));
  // Readiness polled on a keep-alive connection of its own: once draining began, never 200 again.
  let signalled = Infinity;
  const readyAfterSignal: string[] = [];
  const readiness = (async () => {
    while (!gone) {
      const started = Date.now();
      try {
        const res = await fetch(proc.url.replace(/\/graphql$/, '/readyz'));
        await res.text();
        if (started > signalled + 50) readyAfterSignal.push(String(res.status));
      } catch {
        if (started > signalled + 50) readyAfterSignal.push('refused');
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  signalled = Date.now();
  proc.child.kill('SIGTERM');
  const exitedAt = await Promise.race([exited, new Promise<number>((resolve) => setTimeout(() => resolve(NaN), 30_000))]);
  gone = true;
  await Promise.all([load, readiness]);
  if (Number.isNaN(exitedAt)) proc.child.kill('SIGKILL');
  const summary = Object.fromEntries(statuses);
  process.stderr.write(`\nshutdown under load: ${JSON.stringify(summary)}; exited ${exitedAt - signalled} ms after SIGTERM\n`);
  expect(Object.keys(summary).filter((s) => /^5/.test(s))).toEqual([]);
  expect(summary['200']).toBeGreaterThan(10);
  expect(readyAfterSignal).not.toContain('200');
  expect(exitedAt - signalled).toBeLessThan(15_000);
}, 120_000);
