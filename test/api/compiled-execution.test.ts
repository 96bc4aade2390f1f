/**
 * Operations run as compiled queries (src/graphql/compiled-execution.ts). The answers must be the
 * ones the GraphQL specification and graphql-js give: a withheld field is null with its error and
 * path, a null in a non-null position bubbles up, variables that do not coerce are the client's
 * error, a second request with the same document (served from the compiled cache) answers the
 * same, and documents the compiler leaves to graphql-js still answer.
 */
import { errorCodes, startTestApi, TestApi } from '../support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const GP_VIEW = `query GpView($n: String!) { patientByNumber(patientNumber: $n) { patientNumber birthDate labResults { code observedAt } diagnoses { code display } } }`;

test('a repeated document answers the same, with the withheld field null at its path', async () => {
  const first = await api.gql('gp-jansen', GP_VIEW, { n: 'P-0001' });
  const second = await api.gql('gp-jansen', GP_VIEW, { n: 'P-0001' });
  expect(first.status).toBe(200);
  expect(second.text).toBe(first.text);
  const patient = first.body.data.patientByNumber;
  expect(patient.diagnoses).toBeNull();
  expect(first.body.errors).toEqual([expect.objectContaining({ path: ['patientByNumber', 'diagnoses'], locations: [expect.objectContaining({ line: 1 })] })]);
  expect(errorCodes(first)).toEqual({ 'patientByNumber.diagnoses': 'FORBIDDEN' });
  // Scalars keep their own serialisation: a date-time as ISO 8601, a date as YYYY-MM-DD.
  expect(patient.labResults[0].observedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
  expect(patient.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const truth = await api.sql<{ display: string }>('SELECT display FROM diagnosis d JOIN patient p ON p.id = d.patient_id WHERE p.patient_number = $1', ['P-0001']);
  for (const d of truth) expect(first.text).not.toContain(d.display);
});

test('a refused non-null root field nulls the whole answer', async () => {
  // accessLog returns a non-null connection; a GP may not read it.
  const res = await api.gql('gp-jansen', `query($p: ID!) { accessLog(patientId: $p) { __typename } }`, { p: await api.patientId('P-0001') });
  expect(res.status).toBe(200);
  expect(res.body.data).toBeNull();
  expect(errorCodes(res)).toEqual({ accessLog: 'FORBIDDEN' });
});

test('variables that do not coerce are refused as the client\'s error, and nothing is read', async () => {
  const before = (await api.sql<{ n: string }>('SELECT count(*)::text AS n FROM access_event'))[0].n;
  const wrongType = await api.gql('clin-dekker', GP_VIEW, { n: 5 });
  const missing = await api.gql('clin-dekker', GP_VIEW, {});
  for (const res of [wrongType, missing]) {
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0].message).toMatch(/^Variable "\$n"/);
  }
  expect((await api.sql<{ n: string }>('SELECT count(*)::text AS n FROM access_event'))[0].n).toBe(before);
});

/** A request naming its operation (the harness's client sends none). */
async function named(subject: string, query: string, operationName: string): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(api.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await api.token(subject)}` },
    body: JSON.stringify({ query, operationName }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}

test('the operation named in the request is the one executed; an unknown name is refused', async () => {
  const doc = `query Mine { myRecord { patientNumber } } query Other { patientByNumber(patientNumber: "P-0002") { patientNumber } }`;
  const mine = await named('P-0001', doc, 'Mine');
  expect(mine.body.data).toEqual({ myRecord: { patientNumber: 'P-0001' } });
  expect(mine.text).not.toContain('P-0002');
  const unknown = await named('P-0001', doc, 'Nope');
  expect(unknown.status).toBe(400);
  expect(unknown.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
  expect(unknown.text).not.toContain('patientNumber":');
});

test('introspection, fragments, aliases and directives still answer', async () => {
  const res = await api.gql('clin-dekker', `query($all: Boolean = true) { __schema { queryType { name } }
    patientByNumber(patientNumber: "P-0001") { ...Who number: patientNumber __typename labResults @include(if: $all) { code } diagnoses @skip(if: $all) { code } } }
    fragment Who on Patient { name { family } }`);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.__schema.queryType.name).toBe('Query');
  const p = res.body.data.patientByNumber;
  expect(p).toEqual(expect.objectContaining({ number: 'P-0001', __typename: 'Patient', name: { family: expect.any(String) } }));
  expect(p.labResults.length).toBeGreaterThan(0);
  expect(p).not.toHaveProperty('diagnoses');
});
