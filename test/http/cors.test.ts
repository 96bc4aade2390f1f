/**
 * CORS on /graphql (CORS_ORIGINS): exact origins only, a correct preflight, credentials off, and
 * no CORS header at all when the list is empty (the default).
 */
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let corsUrl: string;
const ALLOWED = 'https://portal.example';
const LOCAL = 'http://localhost:5173';
/** Every response of the file, checked at the end for a credentials header. */
const seen: Headers[] = [];

beforeAll(async () => {
  api = await startTestApi();
  corsUrl = (await api.startAnother({ CORS_ORIGINS: `${ALLOWED}, ${LOCAL}` })).url;
});
afterAll(() => api?.close());

async function send(url: string, init: RequestInit & { headers?: Record<string, string> }) {
  const res = await fetch(url, init);
  const text = await res.text();
  seen.push(res.headers);
  return { status: res.status, headers: res.headers, text };
}

const preflight = (url: string, origin: string, method = 'POST', headers = 'authorization, content-type') =>
  send(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });

const corsHeaders = (headers: Headers) => [...headers.keys()].filter((name) => name.startsWith('access-control-'));

describe('with CORS_ORIGINS', () => {
  test.each([ALLOWED, LOCAL])('a preflight from %s: 204 with the allow-list headers', async (origin) => {
    const res = await preflight(corsUrl, origin);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST');
    const allowed = res.headers.get('access-control-allow-headers')!.split(', ');
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight']));
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    // The security headers stay.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test.each([
    ['another site', 'https://evil.example'],
    ['a look-alike host', 'https://portal.example.evil.example'],
    ['another scheme', 'http://portal.example'],
    ['another port', 'https://portal.example:8443'],
    ['an opaque origin', 'null'],
  ])('a preflight from %s: no CORS header, so the browser refuses', async (_name, origin) => {
    const res = await preflight(corsUrl, origin);
    expect(res.status).toBe(204);
    expect(corsHeaders(res.headers)).toEqual([]);
    expect(res.headers.get('vary')).toBe('Origin');
  });

  test('a POST from an allowed origin: data, Allow-Origin, the request id readable', async () => {
    const res = await send(corsUrl, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json', authorization: `Bearer ${await api.token('gp-jansen')}` },
      body: JSON.stringify({ query: '{ me { subject } }' }),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).data.me.subject).toBe('gp-jansen');
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-expose-headers')!.split(', ')).toEqual(expect.arrayContaining(['x-request-id', 'www-authenticate']));
    expect(res.headers.get('vary')).toBe('Origin');
  });

  test('a GET query with apollo-require-preflight from an allowed origin works (the header the preflight allows)', async () => {
    const res = await send(`${corsUrl}?query=${encodeURIComponent('{ me { subject } }')}`, {
      headers: { origin: LOCAL, 'apollo-require-preflight': 'true', authorization: `Bearer ${await api.token('gp-jansen')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(LOCAL);
  });

  test('a refused token from an allowed origin: the front-end can read the 401 and its challenge', async () => {
    const res = await send(corsUrl, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { subject } }' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="patient-record-api"');
  });

  test('a request from another origin gets no Allow-Origin (the browser withholds the answer)', async () => {
    const res = await send(corsUrl, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json', authorization: `Bearer ${await api.token('gp-jansen')}` },
      body: JSON.stringify({ query: '{ me { subject } }' }),
    });
    expect(corsHeaders(res.headers)).toEqual([]);
  });

  test('OPTIONS that is no preflight is still 405', async () => {
    const res = await send(corsUrl, { method: 'OPTIONS', headers: { origin: ALLOWED } });
    expect(res.status).toBe(405);
  });
});

describe('without CORS_ORIGINS (the default)', () => {
  test('a preflight is not answered as one: 405, no CORS header', async () => {
    const res = await preflight(api.server.url, ALLOWED);
    expect(res.status).toBe(405);
    expect(corsHeaders(res.headers)).toEqual([]);
    expect(res.headers.get('vary')).toBeNull();
  });

  test('a request with an Origin gets no CORS header', async () => {
    const res = await send(api.server.url, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json', authorization: `Bearer ${await api.token('gp-jansen')}` },
      body: JSON.stringify({ query: '{ me { subject } }' }),
    });
    expect(res.status).toBe(200);
    expect(corsHeaders(res.headers)).toEqual([]);
  });
});

test('credentials are never allowed', () => {
  expect(seen.length).toBeGreaterThan(10);
  for (const headers of seen) expect(headers.get('access-control-allow-credentials')).toBeNull();
});
