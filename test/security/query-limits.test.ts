/**
 * Abusive requests are refused before execution (SPEC §7): depth, aliases, directives,
 * tokens and cost (GraphQL Armor + graphql-js's token limit) with QUERY_TOO_COMPLEX and HTTP 400;
 * bodies over 100 kB with 413; batched requests with 400. "Before execution" is checked the hard
 * way: a refused operation that names a patient leaves no access event and no write.
 *
 * And the other side: the legitimate heavy operations — a clinician's full record, a page of 20
 * full records, 100 names, the record export — pass the same limits.
 */
import { MAX_BODY_BYTES } from '../../src/http/limits';
import { QUERY_LIMITS } from '../../src/security/query-limits';
import { startTestApi, TestApi } from '../support/harness';
import { fullSelection, objectType } from '../support/schema-walk';

let api: TestApi;
let p1: string;
let fullRecord: string;

beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
  fullRecord = fullSelection(objectType('Patient'));
});
afterAll(() => api?.close());

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** POSTs any body (a string is sent as it is) as a demo subject. */
async function post(subject: string, body: unknown, init: { headers?: Record<string, string>; stream?: boolean } = {}): Promise<Raw> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const payload: string | ReadableStream<Uint8Array> = init.stream
    ? new ReadableStream({
      start(controller) {
        // Sent in pieces, without Content-Length: the limit must hold while streaming.
        const bytes = new TextEncoder().encode(text);
        for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.slice(i, i + 16 * 1024));
        controller.close();
      },
    })
    : text;
  const res = await fetch(api.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await api.token(subject)}`, ...init.headers },
    body: payload,
    ...(init.stream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const out = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(out);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text: out, body: parsed };
}

const eventsOf = (requestId: string | null) => api.sql('SELECT id FROM access_event WHERE request_id = $1', [requestId]);

/** A refusal before execution: 400, only QUERY_TOO_COMPLEX errors, no data, nothing logged (nothing ran). */
async function expectRefused(res: Raw) {
  expect(res.status).toBe(400);
  expect(res.body).toBeDefined();
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors.length).toBeGreaterThan(0);
  expect(res.body.errors.map((e: any) => e.extensions.code)).toEqual(res.body.errors.map(() => 'QUERY_TOO_COMPLEX'));
  expect(res.text).not.toContain('Vries');
  expect(await eventsOf(res.headers.get('x-request-id'))).toEqual([]);
}

describe('legitimate heavy operations pass the limits', () => {
  test("a treating clinician's full record, every field of the schema", async () => {
    const res = await post('clin-dekker', { query: `query($id: ID!) { patient(id: $id) ${fullRecord} }`, variables: { id: p1 } });
    expect(res.status).toBe(200);
    const codes = (res.body.errors ?? []).map((e: any) => e.extensions.code);
    expect(codes).not.toContain('QUERY_TOO_COMPLEX');
    // Only withheld categories (insurance, financial, portal notes) are errors, and they are FORBIDDEN.
    expect(new Set(codes)).toEqual(new Set(['FORBIDDEN']));
    expect(res.body.data.patient.name.family).toBe('de Vries');
    expect(res.body.data.patient.labResults.length).toBeGreaterThan(0);
  });

  test('the full record through named and inline fragments, twice under aliases', async () => {
    const query = `query($id: ID!) { a: patient(id: $id) { ...Full } b: patient(id: $id) { ... on Patient ${fullRecord} } }
      fragment Full on Patient ${fullRecord}`;
    const res = await post('P-0001', { query, variables: { id: p1 } });
    expect(res.status).toBe(200);
    expect((res.body.errors ?? []).map((e: any) => e.extensions.code)).not.toContain('QUERY_TOO_COMPLEX');
    expect(res.body.data.a.name.family).toBe('de Vries');
    expect(res.body.data.b.portalNotes.length).toBeGreaterThan(0);
  });

  test('a page of 20 full records and a page of 100 names', async () => {
    const page = await post('dpo-01', { query: `{ patients(first: 20) { nodes ${fullRecord} pageInfo { hasNextPage } } }` });
    expect(page.status).toBe(200);
    expect((page.body.errors ?? []).map((e: any) => e.extensions.code)).not.toContain('QUERY_TOO_COMPLEX');
    expect(page.body.data.patients.nodes.length).toBeGreaterThanOrEqual(4);
    const names = await post('dpo-01', { query: '{ patients(first: 100) { nodes { id patientNumber name { given family } } pageInfo { endCursor hasNextPage } } }' });
    expect(names.status).toBe(200);
    expect(names.body.errors).toBeUndefined();
  });

  test('the record export (JSON and FHIR)', async () => {
    for (const format of ['JSON', 'FHIR_R4']) {
      const res = await post('P-0001', { query: `query($id: ID!, $f: ExportFormat!) { recordExport(patientId: $id, format: $f) { format contentType data } }`, variables: { id: p1, f: format } });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.recordExport.data).toContain('Vries');
    }
  });

  test('a document just under the token limit passes', async () => {
    // A long list literal: thousands of tokens that cost nothing else.
    const list = Array.from({ length: QUERY_LIMITS.maxTokens - 40 }, () => 'GP_LETTER').join(' ');
    const res = await post('gp-jansen', { query: `query($id: ID!, $t: [DocumentType!] = [${list}]) { patient(id: $id) { documents(types: $t) { type } } }`, variables: { id: p1 } });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.patient.documents.map((d: { type: string }) => d.type)).toContain('GP_LETTER');
  });
});

describe('abusive operations are refused before execution: 400, QUERY_TOO_COMPLEX', () => {
  test(`depth over ${QUERY_LIMITS.maxDepth} (introspection's ofType chains)`, async () => {
    let nested = 'name';
    for (let i = 0; i < QUERY_LIMITS.maxDepth; i++) nested = `ofType { ${nested} }`;
    const res = await post('gp-jansen', { query: `{ __type(name: "Patient") { fields { type { ${nested} } } } }` });
    await expectRefused(res);
    expect(res.body.errors[0].message).toMatch(/depth/i);
  });

  test(`more than ${QUERY_LIMITS.maxAliases} aliases — each naming a patient, none of them read`, async () => {
    const fields = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `p${i}: patient(id: $id) { name { family } }`).join(' ');
    const res = await post('clin-dekker', { query: `query($id: ID!) { ${fields} }`, variables: { id: p1 } });
    await expectRefused(res);
    expect(res.body.errors[0].message).toMatch(/alias/i);
  });

  test(`more than ${QUERY_LIMITS.maxDirectives} directives`, async () => {
    const fields = ['patientNumber', 'birthDate', 'gender', 'bsn', 'phone', 'email', 'name { family }', 'address { city }', 'diagnoses { code }', 'medications { name }', 'ecgs { rhythm }'];
    const selection = fields.map((f) => f.replace(/^(\w+)/, '$1 @include(if: true) @skip(if: false)')).join(' ');
    expect(fields.length * 2).toBeGreaterThan(QUERY_LIMITS.maxDirectives);
    const res = await post('clin-dekker', { query: `query($id: ID!) { patient(id: $id) { ${selection} } }`, variables: { id: p1 } });
    await expectRefused(res);
    expect(res.body.errors[0].message).toMatch(/directive/i);
  });

  test(`more than ${QUERY_LIMITS.maxTokens} tokens`, async () => {
    const typenames = Array.from({ length: QUERY_LIMITS.maxTokens + 1 }, () => '__typename').join(' ');
    const res = await post('clin-dekker', { query: `query($id: ID!) { patient(id: $id) { name { family } ${typenames} } }`, variables: { id: p1 } });
    await expectRefused(res);
    expect(res.body.errors[0].message).toMatch(/tokens/i);
  });

  test('the same field repeated thousands of times (graphql-js aborts the overlap check)', async () => {
    const typenames = Array.from({ length: QUERY_LIMITS.maxTokens - 10 }, () => '__typename').join(' ');
    await expectRefused(await post('gp-jansen', { query: `{ me { ${typenames} } }` }));
  });

  test(`cost over ${QUERY_LIMITS.maxCost}: 100 full records in one page`, async () => {
    const res = await post('dpo-01', { query: `{ patients(first: 100) { nodes ${fullRecord} } }` });
    await expectRefused(res);
    expect(res.body.errors[0].message).toMatch(/cost/i);
  });

  test('a refused mutation writes nothing', async () => {
    const text = `note behind too many aliases ${Date.now()}`;
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `m${i}: addPortalNote(text: $t) { id }`).join(' ');
    const res = await post('P-0001', { query: `mutation($t: String!) { ${aliases} }`, variables: { t: text } });
    await expectRefused(res);
    expect(await api.sql('SELECT id FROM portal_note WHERE text = $1', [text])).toEqual([]);
  });
});

describe('request bodies', () => {
  const padded = (size: number) => {
    const base = JSON.stringify({ query: '{ me { subject } }', variables: {} });
    // Spaces inside the JSON text: still one valid request, of exactly `size` bytes.
    return base.slice(0, -1) + ' '.repeat(size - base.length) + '}';
  };

  test('a body of exactly 100 kB is accepted', async () => {
    const body = padded(MAX_BODY_BYTES);
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    const res = await post('gp-jansen', body);
    expect(res.status).toBe(200);
    expect(res.body.data.me.subject).toBe('gp-jansen');
  });

  test('one byte more → 413 (Content-Length known up front)', async () => {
    const res = await post('gp-jansen', padded(MAX_BODY_BYTES + 1));
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(res.body.data).toBeUndefined();
  });

  test('a streamed body without Content-Length → 413 once it passes the limit', async () => {
    const res = await post('gp-jansen', padded(3 * MAX_BODY_BYTES), { stream: true });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  test('a large patient query body is refused before it runs: no access event', async () => {
    const before = await api.sql<{ n: string }>('SELECT count(*) AS n FROM access_event');
    const query = `query($id: ID!) { patient(id: $id) { name { family } } }`;
    const body = JSON.stringify({ query, variables: { id: p1, padding: 'x'.repeat(MAX_BODY_BYTES) } });
    const res = await post('clin-dekker', body);
    expect(res.status).toBe(413);
    expect(res.text).not.toContain('Vries');
    expect(await api.sql<{ n: string }>('SELECT count(*) AS n FROM access_event')).toEqual(before);
  });

  test('the server keeps serving after refusing bodies', async () => {
    const res = await post('gp-jansen', { query: '{ me { subject } }' });
    expect(res.status).toBe(200);
  });
});

describe('batched requests', () => {
  test('a JSON array of operations is refused with 400 and none of them runs', async () => {
    const text = `batched note ${Date.now()}`;
    const res = await post('P-0001', [
      { query: '{ me { subject } }' },
      { query: 'mutation($t: String!) { addPortalNote(text: $t) { id } }', variables: { t: text } },
      { query: 'query($id: ID!) { patient(id: $id) { name { family } } }', variables: { id: p1 } },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(res.body.data).toBeUndefined();
    expect(res.text).not.toContain('Vries');
    expect(await api.sql('SELECT id FROM portal_note WHERE text = $1', [text])).toEqual([]);
    expect(await eventsOf(res.headers.get('x-request-id'))).toEqual([]);
  });

  test('a one-element array is refused too', async () => {
    const res = await post('gp-jansen', [{ query: '{ me { subject } }' }]);
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
  });
});
