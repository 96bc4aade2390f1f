/**
 * Trusted documents over HTTP with real tokens: the external viewers (GP portal, patient portal)
 * run only the documents of their client's manifest — by id (`documentId`, Apollo's
 * `persistedQuery` hash) or by full text — and anything else is refused before it runs: no data,
 * no access event, no write. Internal front-ends are free under `external` and held too under
 * `all`. Automatic persisted queries are off: a document sent with its hash is never registered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { generatedArtefacts, TRUSTED_DOCUMENTS_SOURCES } from '../../src/artefacts';
import { loadConfig, projectRoot } from '../../src/config';
import { documentHash, loadManifests } from '../../src/http/trusted-documents';
import { startTestApi, TestApi } from '../support/harness';
import { ProductionApi, startProductionApi } from '../support/production';

const SHIPPED = path.join(projectRoot(), TRUSTED_DOCUMENTS_SOURCES);
const manifest = (client: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(SHIPPED, `${client}.json`), 'utf8'));
const source = (file: string) => fs.readFileSync(path.join(SHIPPED, file), 'utf8').trim();

const GP_VIEW = source('gp-portal/gp-view.graphql');
const README_GP = source('gp-portal/lab-results-of-p-0001.graphql');
/** Not in any manifest: what a stolen GP token or a tampered front-end might send. */
const ARBITRARY = '{ patientByNumber(patientNumber: "P-0001") { bsn name { given family } labResults { value } } }';

let api: TestApi;
let bsn: string;
beforeAll(async () => {
  api = await startTestApi({ TRUSTED_DOCUMENTS: 'external' });
  [{ bsn }] = await api.sql<{ bsn: string }>(`SELECT bsn FROM patient WHERE patient_number = 'P-0001'`);
});
afterAll(() => api?.close());

async function post(url: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

const accessEvents = async () => Number((await api.sql<{ n: string }>('SELECT count(*) AS n FROM access_event'))[0].n);

describe('the shipped manifests', () => {
  test.each(['gp-portal', 'patient-portal', 'clinical-workstation'])('%s: every id is the SHA-256 of its document, and every document is valid against the schema', (client) => {
    const schema = buildSchema(fs.readFileSync(path.join(projectRoot(), 'schema/schema.graphql'), 'utf8'));
    const entries = Object.entries(manifest(client));
    expect(entries.length).toBeGreaterThan(2);
    for (const [hash, document] of entries) {
      expect(documentHash(document)).toBe(hash);
      expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
    }
  });

  test('they are generated from the .graphql sources (npm run schema:emit)', () => {
    const artefacts = generatedArtefacts();
    for (const client of ['gp-portal', 'patient-portal', 'clinical-workstation']) {
      expect(fs.readFileSync(path.join(SHIPPED, `${client}.json`), 'utf8')).toBe(artefacts[`${TRUSTED_DOCUMENTS_SOURCES}/${client}.json`]);
    }
    // The README's GP example and the GP-portal view are in the GP portal's manifest.
    expect(Object.values(manifest('gp-portal'))).toEqual(expect.arrayContaining([README_GP, GP_VIEW]));
  });

  test('a manifest whose id is not the hash of its document stops the server from starting', () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'bad-manifest-'));
    try {
      fs.writeFileSync(path.join(dir, 'gp-portal.json'), JSON.stringify({ [documentHash('{ me { subject } }')]: '{ me { subject role } }' }));
      expect(() => loadManifests(dir)).toThrow(/not the SHA-256 of its document/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('TRUSTED_DOCUMENTS=off is refused in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@db/r', JWKS_URL: 'https://idp.example/jwks', RESEARCH_PSEUDONYM_KEY: 'k'.repeat(40), TRUSTED_DOCUMENTS: 'off' }))
      .toThrow(/TRUSTED_DOCUMENTS=off is refused in production/);
  });
});

describe('an external viewer (GP, through the GP portal)', () => {
  test('an arbitrary document is refused before it runs: 400, no data, no access event', async () => {
    const before = await accessEvents();
    const res = await post(api.server.url, await api.token('gp-jansen'), { query: ARBITRARY });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(res.body.data).toBeUndefined();
    expect(res.text).not.toContain(bsn);
    expect(res.text).not.toContain('Vries');
    expect(await accessEvents()).toBe(before);
  });

  test('a mutation outside the manifest is refused and writes nothing', async () => {
    const revoke = 'mutation { revokeToken(jti: "00000000-0000-4000-8000-000000000000", reason: "trying") { jti } }';
    const res = await post(api.server.url, await api.token('gp-jansen'), { query: revoke });
    expect(res.status).toBe(400);
    expect(await api.sql(`SELECT * FROM revoked_token WHERE reason = 'trying'`)).toEqual([]);
  });

  test('the same token runs a manifest document sent as full text', async () => {
    const res = await post(api.server.url, await api.token('gp-jansen'), { query: GP_VIEW, variables: { n: 'P-0001' } });
    expect(res.status).toBe(200);
    expect(res.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
    expect(res.body.data.patientByNumber.diagnoses).toBeNull();
  });

  test('by documentId (GraphQL over HTTP) and by Apollo\'s persistedQuery hash', async () => {
    const token = await api.token('gp-jansen');
    const hash = documentHash(GP_VIEW);
    for (const body of [
      { documentId: `sha256:${hash}`, variables: { n: 'P-0001' } },
      { documentId: hash, variables: { n: 'P-0001' } },
      { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { n: 'P-0001' } },
    ]) {
      const res = await post(api.server.url, token, body);
      expect(res.status).toBe(200);
      expect(res.body.data.patientByNumber.patientNumber).toBe('P-0001');
      expect(res.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
    }
  });

  test('by documentId over GET', async () => {
    const url = `${api.server.url}?documentId=sha256:${documentHash(GP_VIEW)}&variables=${encodeURIComponent(JSON.stringify({ n: 'P-0001' }))}`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${await api.token('gp-jansen')}`, 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.patientByNumber.labResults.length).toBeGreaterThan(0);
  });

  test('an arbitrary document over GET is refused too', async () => {
    const res = await fetch(`${api.server.url}?query=${encodeURIComponent(ARBITRARY)}`, { headers: { authorization: `Bearer ${await api.token('gp-jansen')}`, 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain(bsn);
  });

  test('an unknown id is 404; an id that is not the hash of the document sent is 400', async () => {
    const token = await api.token('gp-jansen');
    const unknown = await post(api.server.url, token, { documentId: `sha256:${documentHash(ARBITRARY)}` });
    expect([unknown.status, unknown.body.errors[0].extensions.code]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND']);
    const mismatch = await post(api.server.url, token, { query: ARBITRARY, documentId: `sha256:${documentHash(GP_VIEW)}`, variables: { n: 'P-0001' } });
    expect([mismatch.status, mismatch.body.errors[0].extensions.code]).toEqual([400, 'BAD_REQUEST']);
    expect(mismatch.text).not.toContain(bsn);
    const malformed = await post(api.server.url, token, { documentId: 'md5:abc' });
    expect(malformed.status).toBe(400);
  });

  test('the client comes from the token: a GP token issued to the patient portal (azp) cannot run the GP portal\'s documents', async () => {
    const res = await post(api.server.url, await api.token('gp-jansen', { claims: { azp: 'patient-portal' } }), { query: GP_VIEW, variables: { n: 'P-0001' } });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    const unknownClient = await post(api.server.url, await api.token('gp-jansen', { claims: { client_id: 'some-other-app' } }), { query: GP_VIEW, variables: { n: 'P-0001' } });
    expect(unknownClient.status).toBe(400);
  });

  test('a token issued by the GP portal service runs the GP portal\'s documents only', async () => {
    const service = await api.token('gp-portal-svc');
    const issued = await post(api.server.url, service, {
      documentId: `sha256:${documentHash(source('gp-portal/issue-portal-token.graphql'))}`,
      variables: { input: { practitionerSubject: 'gp-jansen', role: 'GP', organisation: 'HUISARTS-JANSEN', patientNumber: 'P-0001', scope: ['LAB'] } },
    });
    expect(issued.status).toBe(200);
    const token = issued.body.data.issuePortalToken.token as string;
    expect((await post(api.server.url, token, { query: GP_VIEW, variables: { n: 'P-0001' } })).status).toBe(200);
    const refused = await post(api.server.url, token, { query: ARBITRARY });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain(bsn);
  });
});

describe('the patient portal', () => {
  test('the patient runs their portal\'s documents, not the GP portal\'s, nor their own text', async () => {
    const token = await api.token('P-0001');
    const record = await post(api.server.url, token, { documentId: `sha256:${documentHash(source('patient-portal/my-record.graphql'))}` });
    expect(record.status).toBe(200);
    expect(record.body.data.myRecord.patientNumber).toBe('P-0001');
    const other = await post(api.server.url, token, { documentId: `sha256:${documentHash(GP_VIEW)}`, variables: { n: 'P-0001' } });
    expect(other.status).toBe(404);
    const free = await post(api.server.url, token, { query: '{ myRecord { bsn } }' });
    expect(free.status).toBe(400);
    expect(free.text).not.toContain(bsn);
  });

  test('a representative is held to the patient portal too', async () => {
    const res = await post(api.server.url, await api.token('rep-smit'), { query: '{ patientByNumber(patientNumber: "P-0003") { name { family } } }' });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('Smit');
  });
});

describe('internal front-ends', () => {
  test('with TRUSTED_DOCUMENTS=external a clinician sends any document', async () => {
    const res = await post(api.server.url, await api.token('clin-dekker'), { query: ARBITRARY });
    expect(res.status).toBe(200);
    expect(res.body.data.patientByNumber.bsn).toBe(bsn);
  });

  test('with TRUSTED_DOCUMENTS=all the clinician is held to the workstation\'s manifest', async () => {
    const all = await api.startAnother({ TRUSTED_DOCUMENTS: 'all' });
    const token = await api.token('clin-dekker');
    const refused = await post(all.url, token, { query: ARBITRARY });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain(bsn);
    const summary = await post(all.url, token, { documentId: `sha256:${documentHash(source('clinical-workstation/patient-summary.graphql'))}`, variables: { patientNumber: 'P-0001' } });
    expect(summary.status).toBe(200);
    expect(summary.body.data.patientByNumber.patientNumber).toBe('P-0001');
  });
});

describe('production', () => {
  let prod: ProductionApi;
  beforeAll(async () => {
    prod = await startProductionApi();
  });
  afterAll(() => prod?.close());

  test('the README\'s GP example runs; the arbitrary document does not', async () => {
    const token = await prod.productionToken('gp-jansen');
    const readme = await post(prod.server.url, token, { query: README_GP });
    expect(readme.status).toBe(200);
    expect(readme.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
    const refused = await post(prod.server.url, token, { query: ARBITRARY });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain(bsn);
  });

  test('automatic persisted queries: a registration is refused, and nothing is remembered', async () => {
    const clinician = await prod.productionToken('clin-dekker');
    const document = '{ patientByNumber(patientNumber: "P-0001") { bsn } }';
    const apq = { version: 1, sha256Hash: documentHash(document) };
    const register = await post(prod.server.url, clinician, { query: document, extensions: { persistedQuery: apq } });
    expect([register.status, register.body.errors[0].extensions.code]).toEqual([400, 'PERSISTED_QUERY_NOT_SUPPORTED']);
    expect(register.text).not.toContain(bsn);
    const byHash = await post(prod.server.url, clinician, { extensions: { persistedQuery: apq } });
    expect([byHash.status, byHash.body.errors[0].extensions.code]).toEqual([404, 'PERSISTED_QUERY_NOT_FOUND']);
    // An external viewer's attempt is refused as not allowed, and its hash is unknown afterwards too.
    const gp = await prod.productionToken('gp-jansen');
    const gpRegister = await post(prod.server.url, gp, { query: document, extensions: { persistedQuery: apq } });
    expect(gpRegister.status).toBe(400);
    expect((await post(prod.server.url, gp, { extensions: { persistedQuery: apq } })).status).toBe(404);
    // The clinician's own documents still run without a hash.
    expect((await post(prod.server.url, clinician, { query: document })).body.data.patientByNumber.bsn).toBe(bsn);
  });
});
