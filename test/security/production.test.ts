/**
 * What NODE_ENV=production promises (SPEC §7): introspection off unless
 * INTROSPECTION=true, no field suggestions, no stack traces, no SQL, driver text or file paths in
 * any error — including real internal failures (a missing table, a failing access-log write) — and
 * CSRF prevention kept.
 */
import fs from 'node:fs';
import { startProductionApi, ProductionApi } from '../support/production';
import { manifestFolder } from '../support/trusted-documents';

let api: ProductionApi;
let p1: string;
/** Every response body of this file, checked at the end for internals. */
const seen: string[] = [];

/** A patient-portal mutation, trusted here, so that the GET rule itself is what refuses it. */
const CSRF_NOTE = 'mutation { addPortalNote(text: "csrf") { id } }';
const manifests = manifestFolder({ 'patient-portal': [CSRF_NOTE] });

beforeAll(async () => {
  api = await startProductionApi({ TRUSTED_DOCUMENTS_DIR: manifests });
  p1 = await api.patientId('P-0001');
});
afterAll(async () => {
  await api?.close();
  fs.rmSync(manifests, { recursive: true, force: true });
});

async function post(body: unknown, headers: Record<string, string> = {}, url = api.server.url) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await api.productionToken('clin-dekker')}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  seen.push(text);
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}

/** No stack, no SQL, no driver or PostgreSQL wording, no file path, no schema detail. */
const INTERNALS = /\/work\/|node_modules|\.ts:\d|\.js:\d|stacktrace|\bat [\w.<>]+ \(|QueryFailedError|\bSELECT\b|\bINSERT\b|\bFROM\b|(relation|column) "[^"]+" does not exist|syntax error at|postgres|typeorm|lab_result|access_event|trigger|Did you mean/i;

describe('introspection', () => {
  test.each([
    ['__schema', '{ __schema { types { name } } }'],
    ['__type', '{ __type(name: "Patient") { fields { name } } }'],
  ])('%s is refused: no type or field name in the answer', async (_name, query) => {
    const res = await post({ query });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.text).not.toMatch(/labResults|PatientConnection|DataCategory/);
  });

  test('__typename still works (it is not introspection of the schema)', async () => {
    const res = await post({ query: '{ me { __typename subject } }' });
    expect(res.status).toBe(200);
    expect(res.body.data.me).toEqual({ __typename: 'Principal', subject: 'clin-dekker' });
  });

  test('INTROSPECTION=true turns it on', async () => {
    const other = await api.startAnother({ INTROSPECTION: 'true' });
    const res = await post({ query: '{ __type(name: "Patient") { fields { name } } }' }, {}, other.url);
    expect(res.status).toBe(200);
    expect(res.body.data.__type.fields.map((f: { name: string }) => f.name)).toContain('labResults');
  });
});

describe('no field suggestions', () => {
  test.each([
    ['a misspelt field', '{ me { subjec } }', ['subject']],
    ['a misspelt patient field', 'query($id: ID!) { patient(id: $id) { labResult { value } } }', ['labResults']],
    ['a misspelt argument', 'query($id: ID!) { patient(id: $id) { labResults(specimn: BLOOD) { value } } }', ['specimen']],
    ['a misspelt enum value', 'query($id: ID!) { patient(id: $id) { labResults(specimen: BLOD) { value } } }', ['BLOOD', 'URINE']],
    ['a misspelt root field', '{ patiens { nodes { id } } }', ['patients']],
  ])('%s: refused without naming the real one', async (_name, query, hidden) => {
    const res = await post({ query, variables: { id: p1 } });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    for (const e of res.body.errors) {
      expect(e.message).not.toMatch(/did you mean/i);
      for (const name of hidden) expect(e.message).not.toContain(`"${name}"`);
    }
  });
});

describe('internal failures are reported without internals', () => {
  test('a missing table: INTERNAL_SERVER_ERROR, the rest of the answer intact, no SQL or path', async () => {
    await api.sql('ALTER TABLE lab_result RENAME TO lab_result_moved_away');
    try {
      const res = await post({ query: 'query($id: ID!) { patient(id: $id) { name { family } labResults { value } } }', variables: { id: p1 } });
      expect(res.status).toBe(200);
      expect(res.body.data.patient.name.family).toBe('de Vries');
      expect(res.body.data.patient.labResults).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      const [error] = res.body.errors;
      expect(Object.keys(error).sort()).toEqual(['extensions', 'locations', 'message', 'path']);
      expect(error).toMatchObject({ message: 'The request could not be completed', path: ['patient', 'labResults'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(Object.keys(error.extensions)).toEqual(['code']);
    } finally {
      await api.sql('ALTER TABLE lab_result_moved_away RENAME TO lab_result');
    }
  });

  test('the access log cannot be written: 503, nothing of the record, no internals', async () => {
    await api.sql(`CREATE FUNCTION prod_test_outage() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'access_event disk full at /var/lib/postgresql/data (SELECT INSERT)'; END $$`);
    await api.sql('CREATE TRIGGER prod_test_outage BEFORE INSERT ON access_event FOR EACH ROW EXECUTE FUNCTION prod_test_outage()');
    try {
      const res = await post({ query: 'query($id: ID!) { patient(id: $id) { name { family } bsn } }', variables: { id: p1 } });
      expect(res.status).toBe(503);
      expect(res.body.data).toBeNull();
      expect(res.text).not.toContain('Vries');
      expect(res.body.errors.map((e: any) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    } finally {
      await api.sql('DROP TRIGGER prod_test_outage ON access_event');
      await api.sql('DROP FUNCTION prod_test_outage()');
    }
  });

  test('a resolver given garbage input answers with a code, never with the driver error', async () => {
    const cases = [
      { query: '{ patient(id: "00000000-0000-0000-0000-00000000000g") { name { family } } }' },
      { query: '{ patients(first: 5, after: "%%%not-a-cursor") { nodes { id } } }' },
      { query: '{ accessLog(patientId: "\'; DROP TABLE patient; --") { nodes { id } } }' },
      { query: 'query($n: Int!) { patients(first: $n) { nodes { id } } }', variables: { n: 2147483647 } },
      { query: '{ patientByBsn(bsn: "1234567890123456789012345678901234567890") { name { family } } }' },
    ];
    for (const body of cases) {
      const res = await post(body);
      expect(res.status).toBeLessThan(500);
      for (const e of res.body.errors ?? []) expect(e.extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
  });

  test('no response tells how many SQL statements it took', async () => {
    const res = await post({ query: '{ me { subject } }' });
    expect(res.headers.get('x-sql-statements')).toBeNull();
  });
});

describe('CSRF prevention is kept', () => {
  test('a GET query without a preflight-forcing header is refused', async () => {
    const res = await fetch(`${api.server.url}?query=${encodeURIComponent('{ me { subject } }')}`, {
      headers: { authorization: `Bearer ${await api.productionToken('clin-dekker')}` },
    });
    const text = await res.text();
    seen.push(text);
    expect(res.status).toBe(400);
    expect(text).not.toContain('clin-dekker');
  });

  test('a "simple" POST (text/plain, as a cross-site form could send) is refused', async () => {
    const res = await post(JSON.stringify({ query: '{ me { subject } }' }), { 'content-type': 'text/plain' });
    expect([400, 415]).toContain(res.status);
    expect(res.body.data).toBeUndefined();
    expect(res.text).not.toContain('clin-dekker');
  });

  test('a mutation over GET is refused even with the preflight header', async () => {
    const res = await fetch(`${api.server.url}?query=${encodeURIComponent(CSRF_NOTE)}`, {
      headers: { authorization: `Bearer ${await api.productionToken('P-0001')}`, 'apollo-require-preflight': 'true' },
    });
    seen.push(await res.text());
    expect(res.status).toBe(405);
    expect(await api.sql(`SELECT id FROM portal_note WHERE text = 'csrf'`)).toEqual([]);
  });
});

test('no response of this file carries a stack, SQL, a path or a suggestion', () => {
  expect(seen.length).toBeGreaterThan(10);
  for (const text of seen) expect(text).not.toMatch(INTERNALS);
});
