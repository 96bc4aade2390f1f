/**
 * Structured logs never contain patient data. A real API process (production mode,
 * LOG_LEVEL=debug so every request is logged) serves requests that read every data category of
 * P-0001, fail in the ways that log errors (bad tokens, bad input, an access-log outage whose
 * database error quotes a patient's name), and issue a portal token; then its whole output is
 * searched for every seeded patient value and every token it saw.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALL_CATEGORIES } from '../../src/policy/vocabulary';
import { startTestApi, TestApi } from '../support/harness';
import { PROBES } from '../support/probes';
import { ApiProcess, buildOnce, checkpointKeyFile, devPublicKeyFile, gqlTo, sameDatabaseEnv, startApiProcess } from '../support/processes';
import { manifestFolder } from '../support/trusted-documents';

let api: TestApi;
let proc: ApiProcess;
let dir: string;
let manifests: string;
const tokens: string[] = [];

// In production the patient and the GP run only trusted documents: these are theirs here.
const BY_BSN = `query($b: String!) { patientByBsn(bsn: $b) { labResults { value } } }`;
const ADD_NOTE = `mutation($t: String!) { addPortalNote(text: $t) { id } }`;
const UPDATE_CONTACT = `mutation($id: ID!, $e: String!) { updateContactDetails(patientId: $id, input: { email: $e }) { id } }`;
const ISSUE = `mutation { issuePortalToken(input: { practitionerSubject: "gp-jansen", role: GP, patientNumber: "P-0001", scope: [LAB] }) { token } }`;
const ISSUED_READ = `query { patientByNumber(patientNumber: "P-0001") { labResults { value } } }`;
const PROBE_QUERIES = ALL_CATEGORIES.map((c) => PROBES.get(c)!.query);

/** Every identifying or clinical value of the seeded record. */
const SEEDED_VALUES = `
  SELECT given_name AS v FROM patient UNION ALL SELECT family_name FROM patient UNION ALL SELECT bsn FROM patient
  UNION ALL SELECT phone FROM patient UNION ALL SELECT email FROM patient
  UNION ALL SELECT name FROM related_person UNION ALL SELECT phone FROM related_person
  UNION ALL SELECT policy_number FROM insurance
  UNION ALL SELECT display FROM diagnosis UNION ALL SELECT substance FROM allergy UNION ALL SELECT name FROM medication
  UNION ALL SELECT value FROM lab_result UNION ALL SELECT display FROM lab_result
  UNION ALL SELECT interpretation FROM ecg UNION ALL SELECT conclusion FROM imaging_report
  UNION ALL SELECT title FROM clinical_document UNION ALL SELECT body FROM clinical_document UNION ALL SELECT third_party_section FROM clinical_document
  UNION ALL SELECT condition FROM family_history_entry UNION ALL SELECT relative_name FROM family_history_entry UNION ALL SELECT relative_details FROM family_history_entry
  UNION ALL SELECT ethnicity FROM special_category_data UNION ALL SELECT religion FROM special_category_data
  UNION ALL SELECT text FROM portal_note UNION ALL SELECT dbc_code FROM financial_code`;

beforeAll(async () => {
  api = await startTestApi();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-test-'));
  const issuerKey = path.join(dir, 'issuer.pem');
  fs.writeFileSync(issuerKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  await buildOnce();
  manifests = manifestFolder({
    'gp-portal': [...PROBE_QUERIES, BY_BSN, ISSUE, ISSUED_READ],
    'patient-portal': [...PROBE_QUERIES, ADD_NOTE, UPDATE_CONTACT],
  });
  proc = await startApiProcess({
    ...sameDatabaseEnv(api.config),
    NODE_ENV: 'production',
    TRUSTED_DOCUMENTS: 'external',
    TRUSTED_DOCUMENTS_DIR: manifests,
    LOG_LEVEL: 'debug',
    JWT_PUBLIC_KEY_FILE: await devPublicKeyFile(api.config, dir),
    TOKEN_ISSUER_PRIVATE_KEY_FILE: issuerKey,
    RESEARCH_PSEUDONYM_KEY: 'r'.repeat(64),
    ACCESS_LOG_SIGNING_KEY_FILE: checkpointKeyFile(dir),
  });
}, 120_000);
afterAll(async () => {
  await proc?.stop();
  await api?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (manifests) fs.rmSync(manifests, { recursive: true, force: true });
});

async function as(subject: string, options: Parameters<TestApi['token']>[1] = {}) {
  const token = await api.token(subject, options);
  tokens.push(token);
  return token;
}

test('requests that read every category, fail, and issue tokens; then no patient value in the output', async () => {
  const p1 = await api.patientId('P-0001');
  // Every category, through the views that may read it.
  for (const subject of ['clin-dekker', 'P-0001', 'dpo-01', 'gp-jansen']) {
    const token = await as(subject);
    for (const category of ALL_CATEGORIES) {
      const res = await gqlTo(proc.url, token, PROBES.get(category)!.query, { id: p1 });
      expect(res.status).toBe(200);
    }
  }
  const clin = await as('clin-dekker');
  const full = await gqlTo(proc.url, clin, PROBES.get('LAB' as never)!.query, { id: p1 });
  expect(full.text).toContain('labResults');
  // Lookups by BSN and number, good and bad.
  const [{ bsn }] = await api.sql<{ bsn: string }>('SELECT bsn FROM patient WHERE id = $1', [p1]);
  await gqlTo(proc.url, await as('gp-jansen'), BY_BSN, { b: bsn });
  await gqlTo(proc.url, clin, `query($id: ID!) { patient(id: $id) { patientNumber } }`, { id: bsn });
  await gqlTo(proc.url, clin, `query($b: String!) { patientByBsn(bsn: $b) { patientNumber } }`, { b: '123456789' });
  // Refused tokens: expired, tampered, garbage.
  const refused = [await as('gp-jansen', { ttl: '-5m' }), `${(await as('gp-jansen')).slice(0, -4)}AAAA`, 'not.a.jwt'];
  for (const token of refused) {
    expect((await gqlTo(proc.url, token, '{ me { subject } }')).status).toBe(401);
  }
  // Writes with patient text in their input.
  const patientToken = await as('P-0001');
  await gqlTo(proc.url, patientToken, ADD_NOTE, { t: 'Mijn geheime notitie 9f3c' });
  await gqlTo(proc.url, patientToken, UPDATE_CONTACT, { id: p1, e: 'not-an-email 9f3c' });
  // A portal token is issued and used.
  const issued = await gqlTo(proc.url, await as('gp-portal-svc'), ISSUE);
  expect(issued.body.errors).toBeUndefined();
  tokens.push(issued.body.data.issuePortalToken.token);
  expect((await gqlTo(proc.url, issued.body.data.issuePortalToken.token, ISSUED_READ)).status).toBe(200);
  // An access-log outage whose database error quotes the patient's name and BSN.
  await api.sql(`CREATE OR REPLACE FUNCTION test_log_leak() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'cannot log access to "%" (bsn %)', (SELECT given_name || ' ' || family_name FROM patient WHERE id = NEW.patient_id), (SELECT bsn FROM patient WHERE id = NEW.patient_id); END $$`);
  await api.sql('CREATE TRIGGER test_log_leak BEFORE INSERT ON access_event FOR EACH ROW EXECUTE FUNCTION test_log_leak()');
  try {
    expect((await gqlTo(proc.url, clin, PROBES.get('IDENTITY' as never)!.query, { id: p1 })).status).toBe(503);
    await gqlTo(proc.url, patientToken, ADD_NOTE, { t: 'Nog een notitie 9f3c' });
  } finally {
    await api.sql('DROP TRIGGER test_log_leak ON access_event');
    await api.sql('DROP FUNCTION test_log_leak()');
  }
  await proc.stop();

  const output = proc.output();
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  // Every line is a structured log entry.
  const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const e of entries) expect(e).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }));
  // The log is not empty: requests and the errors above were logged.
  expect(entries.filter((e) => e.msg === 'request').length).toBeGreaterThan(ALL_CATEGORIES.length * 4);
  expect(entries.some((e) => e.level === 'error' && String(e.msg).startsWith('access log write failed'))).toBe(true);
  // Each refused token is logged with its class and its jti (read without trusting it), never the token.
  const jtiOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')).jti;
  const refusals = entries.filter((e) => e.msg === 'token refused');
  expect(refusals.map((e) => [e.level, e.refusal, e.jti])).toEqual([
    ['info', 'expired', jtiOf(refused[0])],
    ['info', 'signature', jtiOf(refused[1])],
    ['info', 'malformed', undefined],
  ]);
  for (const e of refusals) {
    expect(typeof e.requestId).toBe('string');
    expect(e.iss).toBe(e.jti ? api.config.jwtIssuer : undefined);
  }

  const values = (await api.sql<{ v: string | null }>(SEEDED_VALUES)).map((r) => r.v).filter((v): v is string => !!v && v.trim().length >= 3);
  values.push('Mijn geheime notitie 9f3c', 'not-an-email 9f3c', 'Nog een notitie 9f3c', bsn);
  expect(values.length).toBeGreaterThan(50);
  const leaves = new Set<string>();
  const collect = (v: unknown) => {
    if (typeof v === 'string') leaves.add(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  entries.forEach(collect);
  // Long values anywhere in the output; short ones (lab values, codes) as a whole logged value.
  const leaked = values.filter((v) => (v.length >= 6 ? output.includes(v) : leaves.has(v)));
  expect(leaked).toEqual([]);
  for (const token of tokens) {
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.split('.')[2]);
  }
}, 120_000);
