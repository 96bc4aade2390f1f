/**
 * Per-subject rate limiting: past RATE_LIMIT_REQUESTS per window a subject gets 429
 * with Retry-After, no data and nothing run or logged; other subjects are unaffected; the window
 * recovers by itself. With RATE_LIMIT_STORE=postgres every server on the database shares one
 * counter per subject; with `memory` each process counts on its own (the scale-out note in docs/operations.md).
 */
import { loadConfig } from '../../src/config';
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let p1: string;

beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
});
afterAll(() => api?.close());

const READ = 'query($id: ID!) { patient(id: $id) { name { family } } }';
const eventsOf = (requestId: string | null) => api.sql('SELECT id FROM access_event WHERE request_id = $1', [requestId]);

test('past the limit: 429, Retry-After within the window, no data, nothing logged; other subjects unaffected', async () => {
  const limited = await api.startAnother({ RATE_LIMIT_REQUESTS: '5', RATE_LIMIT_WINDOW_SECONDS: '60' });
  const token = await api.token('clin-dekker');
  for (let i = 0; i < 5; i++) expect((await limited.gql({ token }, READ, { id: p1 })).status).toBe(200);
  const res = await limited.gql({ token }, READ, { id: p1 });
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
  expect(res.text).not.toContain('Vries');
  expect(await eventsOf(res.headers.get('x-request-id'))).toEqual([]);
  // The limit is per subject, not per token: a fresh token of the same subject is limited too.
  expect((await limited.gql('clin-dekker', '{ me { subject } }')).status).toBe(429);
  // Other subjects are not.
  expect((await limited.gql('gp-jansen', READ, { id: p1 })).status).toBe(200);
  // Unauthenticated requests are answered 401 as always (the limit is keyed by verified subjects).
  const anonymous = await fetch(limited.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { subject } }"}' });
  expect(anonymous.status).toBe(401);
});

test('the window recovers by itself', async () => {
  const limited = await api.startAnother({ RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW_SECONDS: '1' });
  const token = await api.token('gp-jansen');
  expect((await limited.gql({ token }, '{ me { subject } }')).status).toBe(200);
  expect((await limited.gql({ token }, '{ me { subject } }')).status).toBe(200);
  expect((await limited.gql({ token }, '{ me { subject } }')).status).toBe(429);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  expect((await limited.gql({ token }, '{ me { subject } }')).status).toBe(200);
});

test('RATE_LIMIT_STORE=postgres: two servers share one counter per subject', async () => {
  const env = { RATE_LIMIT_REQUESTS: '6', RATE_LIMIT_WINDOW_SECONDS: '60', RATE_LIMIT_STORE: 'postgres' };
  const a = await api.startAnother(env);
  const b = await api.startAnother(env);
  const token = await api.token('admin-mulder');
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await (i % 2 ? b : a).gql({ token }, '{ me { subject } }')).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  const [row] = await api.sql<{ points: number }>(`SELECT points FROM rate_limit WHERE key = 'subject:admin-mulder'`);
  expect(row.points).toBe(8);
});

test('RATE_LIMIT_STORE=memory: each server counts on its own (why replicas want postgres)', async () => {
  const env = { RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60', RATE_LIMIT_STORE: 'memory' };
  const a = await api.startAnother(env);
  const b = await api.startAnother(env);
  const token = await api.token('lab-trix-01');
  const statuses: number[] = [];
  for (let i = 0; i < 8; i++) statuses.push((await (i % 2 ? b : a).gql({ token }, '{ me { subject } }')).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
});

test('concurrent requests cannot slip past the limit', async () => {
  const limited = await api.startAnother({ RATE_LIMIT_REQUESTS: '10', RATE_LIMIT_STORE: 'postgres' });
  const token = await api.token('ins-alpha');
  const statuses = await Promise.all(Array.from({ length: 30 }, async () => (await limited.gql({ token }, '{ me { subject } }')).status));
  expect(statuses.filter((s) => s === 200)).toHaveLength(10);
  expect(statuses.filter((s) => s === 429)).toHaveLength(20);
});

test('the settings are validated', () => {
  const base = { ...process.env, NODE_ENV: 'test' };
  expect(() => loadConfig({ ...base, RATE_LIMIT_STORE: 'redis' })).toThrow(/RATE_LIMIT_STORE/);
  expect(() => loadConfig({ ...base, RATE_LIMIT_REQUESTS: '-1' })).toThrow(/RATE_LIMIT_REQUESTS/);
  expect(() => loadConfig({ ...base, RATE_LIMIT_WINDOW_SECONDS: '0' })).toThrow(/RATE_LIMIT_WINDOW_SECONDS/);
  expect(loadConfig(base)).toMatchObject({ rateLimitRequests: 600, rateLimitWindowSeconds: 60, rateLimitStore: 'memory' });
});
