/**
 * GraphQL over HTTP: media types, status codes, GET for queries only, CSRF prevention.
 * Every request carries a valid token unless the test is about something else, so a refusal
 * here is the transport's, not the policy's.
 */
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let gp: string;

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const ME = '{ me { subject } }';
const NOTE = 'transport test note 5e1a';

beforeAll(async () => {
  api = await startTestApi();
  gp = await api.token('gp-jansen');
});
afterAll(() => api?.close());

async function send(init: { method?: string; headers?: Record<string, string>; body?: string; search?: string }) {
  const res = await fetch(`${api.server.url}${init.search ?? ''}`, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', allow: res.headers.get('allow'), body, text };
}

const auth = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${gp}`, ...extra });
const json = (extra: Record<string, string> = {}) => auth({ 'content-type': 'application/json', ...extra });
const notesStored = async () => (await api.sql(`SELECT count(*)::int AS n FROM portal_note WHERE text = $1`, [NOTE]))[0].n;

describe('media types', () => {
  test('Accept: application/graphql-response+json → that media type', async () => {
    const res = await send({ headers: json({ accept: GRAPHQL_RESPONSE }), body: JSON.stringify({ query: ME }) });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/graphql-response\+json/);
    expect(res.body.data.me.subject).toBe('gp-jansen');
  });

  test('no Accept header, or application/json → application/json (legacy clients keep working)', async () => {
    for (const headers of [json(), json({ accept: 'application/json' }), json({ accept: '*/*' })]) {
      const res = await send({ headers, body: JSON.stringify({ query: ME }) });
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^application\/json/);
    }
  });

  test('graphql-response+json preferred by q-value over application/json', async () => {
    const res = await send({ headers: json({ accept: `application/json;q=0.5, ${GRAPHQL_RESPONSE}` }), body: JSON.stringify({ query: ME }) });
    expect(res.type).toMatch(/^application\/graphql-response\+json/);
  });

  test('our own refusals (401) speak the accepted media type too', async () => {
    const res = await send({ headers: { 'content-type': 'application/json', accept: GRAPHQL_RESPONSE }, body: JSON.stringify({ query: ME }) });
    expect(res.status).toBe(401);
    expect(res.type).toMatch(/^application\/graphql-response\+json/);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('status codes with application/graphql-response+json', () => {
  const accept = () => json({ accept: GRAPHQL_RESPONSE });
  test('parse error → 400, no data', async () => {
    const res = await send({ headers: accept(), body: JSON.stringify({ query: '{ me { subject ' }) });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/graphql-response\+json/);
    expect(res.body).not.toHaveProperty('data');
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  test('validation error → 400, no data', async () => {
    const res = await send({ headers: accept(), body: JSON.stringify({ query: '{ me { nonsense } }' }) });
    expect(res.status).toBe(400);
    expect(res.body).not.toHaveProperty('data');
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('a body that is not JSON → 400', async () => {
    const res = await send({ headers: accept(), body: '{"query": ' });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/graphql-response\+json/);
  });

  test('a field error during execution is not a request error → 200 with data and errors', async () => {
    const res = await send({ headers: accept(), body: JSON.stringify({ query: '{ patientByNumber(patientNumber: "P-0001") { labResults { value } diagnoses { code } } }' }) });
    expect(res.status).toBe(200);
    expect(res.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('GET: queries only, and never a simple (CSRF-able) request', () => {
  const query = (q: string) => `?query=${encodeURIComponent(q)}`;

  test('a query over GET with a preflight header → 200', async () => {
    const res = await send({ method: 'GET', search: query(ME), headers: auth({ 'apollo-require-preflight': 'true', accept: GRAPHQL_RESPONSE }) });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/graphql-response\+json/);
    expect(res.body.data.me.subject).toBe('gp-jansen');
  });

  test('a query over GET without a non-simple header is refused by CSRF prevention (400), nothing runs', async () => {
    const before = (await api.sql('SELECT count(*)::int AS n FROM access_event'))[0].n;
    const res = await send({ method: 'GET', search: query('{ patientByNumber(patientNumber: "P-0001") { labResults { value } } }'), headers: auth() });
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/labResults"\s*:\s*\[/);
    expect((await api.sql('SELECT count(*)::int AS n FROM access_event'))[0].n).toBe(before);
  });

  test('a mutation over GET → 405 with Allow: POST, nothing stored', async () => {
    const res = await send({ method: 'GET', search: query(`mutation { addPortalNote(text: "${NOTE}") { id } }`), headers: { ...auth({ 'apollo-require-preflight': 'true' }), authorization: `Bearer ${await api.token('P-0001')}` } });
    expect(res.status).toBe(405);
    expect(res.allow).toBe('POST');
    expect(await notesStored()).toBe(0);
  });
});

describe('unsupported methods and content types', () => {
  test.each([
    ['text/plain', JSON.stringify({ query: ME })],
    ['application/x-www-form-urlencoded', 'query=%7B%20me%20%7B%20subject%20%7D%20%7D'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ me { subject } }\r\n--x--'],
    ['application/graphql', ME],
    ['application/json; charset=latin1', JSON.stringify({ query: ME })],
  ])('POST with content-type %s → 415, nothing runs', async (type, body) => {
    const patient = await api.token('P-0001');
    const res = await send({ headers: { authorization: `Bearer ${patient}`, 'content-type': type }, body: type.startsWith('application/json') ? JSON.stringify({ query: `mutation { addPortalNote(text: "${NOTE}") { id } }` }) : body });
    expect(res.status).toBe(415);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(await notesStored()).toBe(0);
  });

  test('POST without a content-type → 415', async () => {
    const res = await fetch(api.server.url, { method: 'POST', headers: auth(), body: new Blob([JSON.stringify({ query: ME })]) });
    expect(res.status).toBe(415);
  });

  test('application/json; charset=utf-8 is JSON', async () => {
    const res = await send({ headers: auth({ 'content-type': 'application/json; charset=UTF-8' }), body: JSON.stringify({ query: ME }) });
    expect(res.status).toBe(200);
  });

  test.each(['PUT', 'DELETE', 'PATCH'])('%s → 405 with Allow: GET, POST', async (method) => {
    const res = await send({ method, headers: json(), body: JSON.stringify({ query: ME }) });
    expect(res.status).toBe(405);
    expect(res.allow).toBe('GET, POST');
  });
});
