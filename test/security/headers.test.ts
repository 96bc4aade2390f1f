/**
 * Security headers on every response: every route and every status the server
 * produces — 200, 400 (parse error, bad JSON, CSRF, batch), 401, 404, 413, 429, /healthz, /readyz —
 * carries the full set, in development and in production (where HSTS is added).
 */
import { HSTS, SECURITY_HEADERS } from '../../src/http/security-headers';
import { MAX_BODY_BYTES } from '../../src/http/limits';
import { startTestApi, TestApi } from '../support/harness';
import { startProductionApi, ProductionApi } from '../support/production';

let dev: TestApi;
let prod: ProductionApi;

beforeAll(async () => {
  dev = await startTestApi();
  prod = await startProductionApi();
});
afterAll(async () => {
  await dev?.close();
  await prod?.close();
});

type Exchange = (base: string, bearer: () => Promise<string>) => Promise<Response>;

const json = (bearer: string | undefined, body: string, extra: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...extra },
  body,
});

/** Every kind of response the server gives, with the status it must have. */
const EXCHANGES: Array<[string, number, Exchange]> = [
  ['a query → 200', 200, async (base, bearer) => fetch(`${base}/graphql`, json(await bearer(), JSON.stringify({ query: '{ me { subject } }' })))],
  ['a parse error → 400', 400, async (base, bearer) => fetch(`${base}/graphql`, json(await bearer(), JSON.stringify({ query: '{ me { ' })))],
  ['a body that is not JSON → 400', 400, async (base, bearer) => fetch(`${base}/graphql`, json(await bearer(), '{"query": '))],
  ['a batch → 400', 400, async (base, bearer) => fetch(`${base}/graphql`, json(await bearer(), JSON.stringify([{ query: '{ me { subject } }' }])))],
  ['a GET without CSRF preflight header → 400', 400, async (base, bearer) =>
    fetch(`${base}/graphql?query=${encodeURIComponent('{ me { subject } }')}`, { headers: { authorization: `Bearer ${await bearer()}` } })],
  ['no token → 401', 401, async (base) => fetch(`${base}/graphql`, json(undefined, JSON.stringify({ query: '{ me { subject } }' })))],
  ['an unknown path → 404', 404, async (base) => fetch(`${base}/admin`)],
  ['an oversized body → 413', 413, async (base, bearer) => fetch(`${base}/graphql`, json(await bearer(), JSON.stringify({ query: '{ me { subject } }', pad: 'x'.repeat(MAX_BODY_BYTES) })))],
  ['/healthz → 200', 200, async (base) => fetch(`${base}/healthz`)],
  ['/readyz → 200', 200, async (base) => fetch(`${base}/readyz`)],
];

function expectSecurityHeaders(res: Response, production: boolean) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect([name, res.headers.get(name)]).toEqual([name, value]);
  }
  expect(res.headers.get('strict-transport-security')).toBe(production ? HSTS : null);
  expect(res.headers.get('x-powered-by')).toBeNull();
}

const baseOf = (api: TestApi) => api.server.url.replace(/\/graphql$/, '');

describe.each([
  ['development', false],
  ['production', true],
])('%s', (_env, production) => {
  const api = () => (production ? prod : dev);
  const bearer = () => (production ? prod.productionToken('gp-jansen') : dev.token('gp-jansen'));

  test.each(EXCHANGES)('%s carries every security header', async (_name, status, exchange) => {
    const res = await exchange(baseOf(api()), bearer);
    await res.arrayBuffer();
    expect(res.status).toBe(status);
    expectSecurityHeaders(res, production);
  });

  test('too many requests → 429 with Retry-After carries every security header', async () => {
    const limited = await api().startAnother({ RATE_LIMIT_REQUESTS: '1' });
    const base = limited.url.replace(/\/graphql$/, '');
    const token = await bearer();
    const first = await fetch(`${base}/graphql`, json(token, JSON.stringify({ query: '{ me { subject } }' })));
    expect(first.status).toBe(200);
    const second = await fetch(`${base}/graphql`, json(token, JSON.stringify({ query: '{ me { subject } }' })));
    await second.arrayBuffer();
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expectSecurityHeaders(second, production);
  });
});

test('responses are JSON, never sniffed as anything else', async () => {
  const res = await fetch(`${baseOf(dev)}/graphql`, json(await dev.token('gp-jansen'), JSON.stringify({ query: '{ me { subject } }' })));
  expect(res.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
});
