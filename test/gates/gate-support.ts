/**
 * Small helpers shared by the gate tests (SPEC §4, §7). Everything goes through the real HTTP
 * API with real tokens; SQL is only used to arrange states and to read the truth to compare with.
 */
import { randomUUID } from 'node:crypto';
import { errorCodes, GqlResponse, TestApi } from '../support/harness';

type Gql = TestApi['gql'];

export const BY_NUMBER = `query($n: String!) { patientByNumber(patientNumber: $n) { id patientNumber labResults { code value } } }`;
export const BY_ID = `query($id: ID!) { patient(id: $id) { id patientNumber labResults { code value } } }`;
export const BY_BSN = `query($bsn: String!) { patientByBsn(bsn: $bsn) { id patientNumber labResults { code value } } }`;

/** A well-formed BSN (passes the 11-test) that no demo patient has. */
export const UNKNOWN_BSN = '100000009';

/** Asserts the response is exactly the NOT_FOUND of an unknown patient for `field`. */
export function expectNotFound(res: GqlResponse, field = 'patientByNumber'): void {
  expect(res.status).toBe(200);
  expect(res.body.data?.[field] ?? null).toBeNull();
  expect(errorCodes(res)).toEqual({ [field]: 'NOT_FOUND' });
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0].message).toBe('Patient not found');
}

/** The distinctive lab values of a patient, read as the database owner. */
export async function labValues(api: TestApi, patientNumber: string): Promise<string[]> {
  const rows = await api.sql<{ value: string }>(
    'SELECT l.value FROM lab_result l JOIN patient p ON p.id = l.patient_id WHERE p.patient_number = $1', [patientNumber]);
  // Short values (e.g. "5.5") are too generic to search a response for.
  return rows.map((r) => r.value).filter((v) => v.length >= 4);
}

/** Asserts none of the strings occur in the response text. */
export function expectAbsent(res: GqlResponse, values: string[]): void {
  for (const v of values) expect(res.text).not.toContain(v);
}

/** Asserts the subject reads `patientNumber` with its labs, and returns the response. */
export async function expectReadsLabs(api: TestApi, gql: Gql, as: string | { token: string }, patientNumber: string): Promise<GqlResponse> {
  const res = await gql(as, BY_NUMBER, { n: patientNumber });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.patientByNumber.patientNumber).toBe(patientNumber);
  const values = await labValues(api, patientNumber);
  expect(values.length).toBeGreaterThan(0);
  for (const v of values) expect(res.text).toContain(v);
  return res;
}

/** Asserts the subject gets NOT_FOUND for `patientNumber`, the same answer as for an unknown patient, and no lab value of it. */
export async function expectRefused(api: TestApi, gql: Gql, as: string | { token: string }, patientNumber: string): Promise<void> {
  const res = await gql(as, BY_NUMBER, { n: patientNumber });
  expectNotFound(res);
  expectAbsent(res, [...(await labValues(api, patientNumber)), patientNumber]);
  const unknown = await gql(as, BY_NUMBER, { n: 'P-9999' });
  expect(res.body).toEqual(unknown.body);

  const byId = await gql(as, BY_ID, { id: await api.patientId(patientNumber) });
  expectNotFound(byId, 'patient');
  const unknownId = await gql(as, BY_ID, { id: randomUUID() });
  expect(byId.status).toBe(unknownId.status);
  expect(byId.body).toEqual(unknownId.body);
}

/** Number of rows of a table (to prove nothing was written). */
export async function countRows(api: TestApi, table: string, where = 'TRUE', params: unknown[] = []): Promise<number> {
  const [row] = await api.sql<{ n: string }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return Number(row.n);
}
