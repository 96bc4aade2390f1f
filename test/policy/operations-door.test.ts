/**
 * Generated from the operations declaration (src/policy/operations.ts): every query and mutation
 * × every matrix column × scope variants (none, exactly what the call declares, each declared
 * category left out) × the token bound to the target patient or to another one. Expectations come
 * from the declaration and the matrix, not from a hand-written table:
 *  - refused by the declaration (column not listed, a declared category outside the scope or not
 *    writable) → FORBIDDEN, no data, nothing written, no category released in the log;
 *  - bound to another patient → the target is NOT_FOUND (a refused attempt is logged for it),
 *    nothing of it in the response, nothing written;
 *  - admitted → whatever is returned about a patient has that patient's access event in the
 *    same request.
 * Only the sample arguments below are written by hand; a declared operation without a sample
 * fails the test.
 */
import { randomUUID } from 'node:crypto';
import { parse, validate } from 'graphql';
import { declaredCategories, OPERATIONS, OperationPolicy } from '../../src/policy/operations';
import { resolveCategories } from '../../src/policy/door';
import { readableCategories, writableCategories } from '../../src/policy/matrix';
import { ALL_COLUMNS, COLUMNS, Column, DataCategory } from '../../src/policy/vocabulary';
import { GqlResponse, TestApi, startTestApi } from '../support/harness';
import { subjectsOf } from '../support/principals';
import { policedSchema } from '../support/probes';

interface Target { id: string; number: string; bsn: string; objection: string; note: string; destruction: string }
interface Sample { query: string; variables: (t: Target) => Record<string, unknown> }

const byId = (op: string, extra = '') => `query($id: ID!) { ${op}(id: $id${extra}) { id } }`;
const SAMPLES: Record<string, Sample> = {
  me: { query: '{ me { subject } }', variables: () => ({}) },
  patient: { query: byId('patient'), variables: (t) => ({ id: t.id }) },
  patientByNumber: { query: 'query($n: String!) { patientByNumber(patientNumber: $n) { id patientNumber } }', variables: (t) => ({ n: t.number }) },
  patientByBsn: { query: 'query($b: String!) { patientByBsn(bsn: $b) { id patientNumber } }', variables: (t) => ({ b: t.bsn }) },
  patients: { query: '{ patients(first: 20) { nodes { id patientNumber } } }', variables: () => ({}) },
  myRecord: { query: '{ myRecord { id patientNumber } }', variables: () => ({}) },
  accessLog: { query: 'query($id: ID!) { accessLog(patientId: $id, first: 3) { nodes { id patientId actorSubject } } }', variables: (t) => ({ id: t.id }) },
  accessLogAuditEvents: { query: 'query($id: ID!) { accessLogAuditEvents(patientId: $id, first: 3) }', variables: (t) => ({ id: t.id }) },
  auditEvents: { query: '{ auditEvents(first: 20) }', variables: () => ({}) },
  breakGlassReviewQueue: { query: '{ breakGlassReviewQueue(first: 20) { nodes { id patientId breakGlassReason } } }', variables: () => ({}) },
  verifyAccessLog: { query: '{ verifyAccessLog { ok checked } }', variables: () => ({}) },
  researchCohort: { query: '{ researchCohort(studyId: "STUDY-01", first: 2) { nodes { pseudonym } } }', variables: () => ({}) },
  recordExport: { query: 'query($id: ID!) { recordExport(patientId: $id, format: JSON) { contentType data } }', variables: (t) => ({ id: t.id }) },
  destructionRequests: { query: '{ destructionRequests(first: 50) { id patientId reason } }', variables: () => ({}) },
  breakGlass: { query: 'mutation($id: ID!) { breakGlass(patientId: $id, reason: "generated door test", minutes: 1) { id } }', variables: (t) => ({ id: t.id }) },
  breakGlassByPatientNumber: {
    query: 'mutation($n: String!) { breakGlassByPatientNumber(patientNumber: $n, reason: "generated door test", minutes: 1) { id } }', variables: (t) => ({ n: t.number }),
  },
  setConsent: { query: 'mutation($id: ID!) { setConsent(input: { patientId: $id, channel: PHOTOGRAPHY, granted: false }) { id } }', variables: (t) => ({ id: t.id }) },
  lodgeObjection: {
    query: 'mutation($id: ID!) { lodgeObjection(input: { patientId: $id, kind: TRAINEES, lodgedByRelation: "SELF" }) { id } }', variables: (t) => ({ id: t.id }),
  },
  withdrawObjection: { query: 'mutation($id: ID!) { withdrawObjection(id: $id) { id } }', variables: (t) => ({ id: t.objection }) },
  addPortalNote: { query: 'mutation { addPortalNote(text: "generated door test") { id } }', variables: () => ({}) },
  deletePortalNote: { query: 'mutation($id: ID!) { deletePortalNote(id: $id) }', variables: (t) => ({ id: t.note }) },
  updateContactDetails: {
    query: 'mutation($id: ID!) { updateContactDetails(patientId: $id, input: { phone: "+31 71 526 9111" }) { id phone } }', variables: (t) => ({ id: t.id }),
  },
  addPatientStatement: { query: 'mutation($id: ID!) { addPatientStatement(patientId: $id, title: "door", text: "generated door test") { id } }', variables: (t) => ({ id: t.id }) },
  // Arguments that name categories are variables, so the test resolves them as the door does.
  addClinicalDocument: {
    query: 'mutation($input: AddClinicalDocumentInput!) { addClinicalDocument(input: $input) { id } }',
    variables: (t) => ({ input: { patientId: t.id, type: 'CONSULT_REPORT', title: 'door', body: 'generated', thirdPartySection: 'about a relative' } }),
  },
  requestDestruction: {
    query: 'mutation($input: DestructionRequestInput!) { requestDestruction(input: $input) { id patientId reason } }',
    variables: (t) => ({ input: { patientId: t.id, scope: 'PORTAL_NOTES LAB', reason: 'generated door test' } }),
  },
  decideDestruction: { query: 'mutation($id: ID!) { decideDestruction(id: $id, approve: false, reason: "generated door test") { id patientId reason } }', variables: (t) => ({ id: t.destruction }) },
  issuePortalToken: {
    query: 'mutation($n: String!) { issuePortalToken(input: { patientNumber: $n, practitionerSubject: "gp-jansen", role: GP, scope: [LAB] }) { jti } }', variables: (t) => ({ n: t.number }),
  },
  revokeIssuedToken: { query: 'mutation($j: ID!) { revokeIssuedToken(jti: $j) { jti } }', variables: () => ({ j: randomUUID() }) },
  revokeToken: { query: 'mutation($j: String!) { revokeToken(jti: $j, reason: "generated door test") { jti } }', variables: () => ({ j: randomUUID() }) },
};

/** The patient each column acts on: one inside its gate in the demo data where there is one. */
const TARGET: Partial<Record<Column, string>> = { REP: 'P-0003' };
const OTHER = 'P-0002';
const PATIENT_SPECIFIC = new Set(['argument', 'row']);

let api: TestApi;
const targets = new Map<string, Target>();

async function target(number: string): Promise<Target> {
  const known = targets.get(number);
  if (known) return known;
  const [p] = await api.sql('SELECT id, bsn FROM patient WHERE patient_number = $1', [number]);
  const t = { id: p.id, number, bsn: p.bsn, ...(await ownedRows(p.id, number)) };
  targets.set(number, t);
  return t;
}

/** Fresh rows an operation may name by id, owned by the patient (so that each call has one to act on). */
async function ownedRows(patientId: string, number: string): Promise<Pick<Target, 'objection' | 'note' | 'destruction'>> {
  // One active objection per patient and kind: the previous test row steps aside.
  await api.sql(`UPDATE objection SET withdrawn_at = now() WHERE patient_id = $1 AND kind = 'CANCER_REGISTRY' AND withdrawn_at IS NULL`, [patientId]);
  const [objection] = await api.sql(`INSERT INTO objection (patient_id, kind, lodged_at, lodged_by, lodged_by_relation) VALUES ($1, 'CANCER_REGISTRY', now(), $2, 'SELF') RETURNING id`, [patientId, number]);
  const [note] = await api.sql(`INSERT INTO portal_note (patient_id, text) VALUES ($1, 'door test note') RETURNING id`, [patientId]);
  const [destruction] = await api.sql(`INSERT INTO destruction_request (patient_id, scope, reason, status, requested_at, requested_by)
    VALUES ($1, 'PORTAL_NOTES', 'a reason only the privacy officer may read', 'REQUESTED', now(), $2) RETURNING id`, [patientId, number]);
  return { objection: objection.id, note: note.id, destruction: destruction.id };
}

/** Everything a mutation could change, in one row: compared before and after a refused call. */
const fingerprint = () => api.sql(`SELECT
  (SELECT count(*) FROM consent WHERE withdrawn_at IS NULL) AS consents, (SELECT count(*) FROM objection WHERE withdrawn_at IS NULL) AS objections,
  (SELECT count(*) FROM portal_note) AS notes, (SELECT count(*) FROM destruction_request WHERE status = 'REQUESTED') AS destructions,
  (SELECT count(*) FROM clinical_document) AS documents, (SELECT count(*) FROM break_glass_session) AS sessions,
  (SELECT count(*) FROM issued_token) AS issued, (SELECT count(*) FROM revoked_token) AS revoked,
  (SELECT md5(string_agg(concat_ws('|', phone, email, address_street), ',' ORDER BY id)) FROM patient) AS contacts`);

const eventsOf = (res: GqlResponse) => api.sql<{ patient_id: string | null; action: string; outcome: string; categories_granted: string[] }>(
  'SELECT patient_id, action, outcome, categories_granted FROM access_event WHERE request_id = $1', [res.headers.get('x-request-id')]);

/** Whether the declaration alone refuses this column with this scope (the door's first checks). */
function refusedByDeclaration(op: OperationPolicy, column: Column, scope: DataCategory[] | undefined, args: Record<string, unknown>): boolean {
  if (!op.columns.includes(column)) return true;
  const readable = new Set([...readableCategories(column)].filter((c) => !scope || scope.includes(c)));
  const writable = [...writableCategories(column)].filter((c) => readable.has(c));
  return resolveCategories(op.reads, args).some((c) => !readable.has(c)) || resolveCategories(op.writes, args).some((c) => !writable.includes(c));
}

/** The scope variants of a call: none, exactly the declared categories, and each one left out. */
function scopes(op: OperationPolicy, args: Record<string, unknown>): Array<DataCategory[] | undefined> {
  const declared = [...new Set([...resolveCategories(op.reads, args), ...resolveCategories(op.writes, args)])];
  if (declared.length === 0) return [undefined, [DataCategory.IDENTITY]];
  const without = declared.map((c) => declared.filter((d) => d !== c)).filter((s) => s.length > 0);
  return [undefined, declared, ...without, ...(declared.length === 1 ? [[declared[0] === DataCategory.IDENTITY ? DataCategory.CONTACT : DataCategory.IDENTITY]] : [])];
}

beforeAll(async () => {
  api = await startTestApi({ RATE_LIMIT_REQUESTS: '0' });
});
afterAll(() => api?.close());

test('every declared operation has a sample call here, and every declaration names its categories', () => {
  expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(OPERATIONS).sort());
  for (const op of Object.values(OPERATIONS)) {
    for (const c of [...declaredCategories(op.reads), ...declaredCategories(op.writes)]) expect(Object.values(DataCategory)).toContain(c);
  }
  for (const [name, sample] of Object.entries(SAMPLES)) {
    expect({ name, errors: validate(policedSchema(), parse(sample.query)).map((e) => e.message) }).toEqual({ name, errors: [] });
  }
});

describe.each(Object.keys(OPERATIONS))('%s', (name) => {
  const op = OPERATIONS[name];
  const sample = SAMPLES[name];

  test.each(ALL_COLUMNS)('× %s × scope variants × bound/unbound', async (column) => {
    const subject = subjectsOf(column, ['P-0001'])[0];
    const targetNumber = column === 'PATIENT' ? 'P-0001' : TARGET[column] ?? 'P-0001';
    const t = await target(targetNumber);
    for (const scope of scopes(op, sample.variables(t))) {
      for (const bound of [false, true]) {
        if (op.patient.from === 'row') Object.assign(t, await ownedRows(t.id, t.number));
        const variables = sample.variables(t);
        // "bound" here means bound to ANOTHER patient than the target (for PATIENT: another patient's own token).
        if (column === 'PATIENT' && bound && op.patient.from === 'self') continue;
        const as = column === 'PATIENT' ? (bound ? OTHER : subject) : subject;
        const patient = column === 'PATIENT' ? undefined : bound ? OTHER : column === 'DUTY' ? targetNumber : undefined;
        const token = await api.token(as, { purpose: COLUMNS[column].purpose, ...(scope ? { scope } : {}), ...(patient ? { patient } : {}) });
        const before = op.type === 'Mutation' ? await fingerprint() : undefined;
        const res = await api.gql({ token }, sample.query, variables);
        const root = res.body.data?.[name] ?? null;
        const code = res.body.errors?.find((e) => e.path?.[0] === name)?.extensions?.code;
        const events = await eventsOf(res);
        const label = `${name} as ${as} (${column}) scope=${scope?.join(',') ?? 'none'} bound=${patient ?? '-'}`;
        if (refusedByDeclaration(op, column, scope, variables)) {
          expect({ label, code, root }).toEqual({ label, code: 'FORBIDDEN', root: null });
          expect({ label, released: events.filter((e) => e.categories_granted.length > 0 || e.action !== 'READ') }).toEqual({ label, released: [] });
          if (before) expect({ label, state: await fingerprint() }).toEqual({ label, state: before });
          continue;
        }
        if (bound && PATIENT_SPECIFIC.has(op.patient.from)) {
          // The target lies outside the token's binding: refused like a patient that does not exist.
          expect({ label, code, root }).toEqual({ label, code: 'NOT_FOUND', root: null });
          expect(res.text).not.toContain(t.id);
          expect({ label, granted: events.filter((e) => e.patient_id === t.id && e.outcome !== 'DENIED') }).toEqual({ label, granted: [] });
          expect({ label, logged: events.some((e) => e.patient_id === t.id && e.outcome === 'DENIED') }).toEqual({ label, logged: true });
          if (before) expect({ label, state: await fingerprint() }).toEqual({ label, state: before });
          continue;
        }
        if (bound && op.patient.from === 'gate') {
          // A list under a token bound to another patient names nothing of the target.
          expect({ label, leaked: res.text.includes(t.id) || res.text.includes(t.number) }).toEqual({ label, leaked: false });
        }
        if (root === null) {
          // Admitted by the declaration but refused further on (gate, age rules, input): no data.
          expect({ label, code: ['NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT'].includes(String(code)) }).toEqual({ label, code: true });
          continue;
        }
        // Every patient a response names was logged in this request.
        const named = new Set([...res.text.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)].map((m) => m[0]));
        const patientIds = (await api.sql<{ id: string }>('SELECT id FROM patient WHERE id = ANY($1::uuid[])', [[...named]])).map((r) => r.id);
        const logged = new Set(events.filter((e) => e.outcome !== 'DENIED').map((e) => e.patient_id));
        expect({ label, unlogged: patientIds.filter((id) => !logged.has(id)) }).toEqual({ label, unlogged: [] });
        if (PATIENT_SPECIFIC.has(op.patient.from) || op.patient.from === 'self') {
          expect({ label, logged: logged.size > 0 }).toEqual({ label, logged: true });
        }
      }
    }
  });
});
