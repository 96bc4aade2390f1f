/**
 * Scoped tokens for external viewers: only the GP portal's service principal may issue
 * them; each is bound to one patient, narrowed to a subset of the target role's categories, lives
 * at most 15 min (GP) or 12 h (duty doctor), is logged on issuance, and is refused from the next
 * request on once revoked. The practitioner's own gate still decides on every request.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base64url, decodeJwt, SignJWT } from 'jose';
import { loadDevSigningKey } from '../../src/auth/keys';
import { errorCodes, startTestApi, TestApi } from '../support/harness';
import { checkpointKeyFile, devPublicKeyFile } from '../support/processes';
import { manifestFolder } from '../support/trusted-documents';

let api: TestApi;
let service: string;
let p1: string;

const ISSUE = `mutation($input: IssuePortalTokenInput!) { issuePortalToken(input: $input) { jti token subject role patientNumber scope issuedAt expiresAt revokedAt } }`;
const REVOKE = `mutation($jti: ID!) { revokeIssuedToken(jti: $jti) { jti revokedAt token } }`;
const READ = `query($n: String!) { patientByNumber(patientNumber: $n) { patientNumber labResults { value } ecgs { rhythm } imagingReports { conclusion } diagnoses { code } } }`;
const ME = `{ me { subject role purpose boundPatientNumber categories } }`;

const gpGrant = (extra: Record<string, unknown> = {}) => ({ practitionerSubject: 'gp-jansen', role: 'GP', organisation: 'HUISARTS-JANSEN', patientNumber: 'P-0001', scope: ['LAB', 'ECG'], ...extra });

async function issue(input: Record<string, unknown>, as = service) {
  return api.gql({ token: as }, ISSUE, { input });
}

beforeAll(async () => {
  api = await startTestApi();
  service = await api.token('gp-portal-svc');
  p1 = await api.patientId('P-0001');
});
afterAll(() => api?.close());

describe('issuing', () => {
  test('the service gets a 15-minute token bound to the patient and the scope, signed for the portal issuer', async () => {
    const res = await issue(gpGrant());
    expect(res.body.errors).toBeUndefined();
    const issued = res.body.data.issuePortalToken;
    expect(issued).toMatchObject({ subject: 'gp-jansen', role: 'GP', patientNumber: 'P-0001', revokedAt: null });
    expect([...issued.scope].sort()).toEqual(['ECG', 'LAB']);
    const claims = decodeJwt(issued.token);
    expect(claims).toMatchObject({ iss: api.config.portalTokenIssuer, aud: api.config.jwtAudience, sub: 'gp-jansen', role: 'GP', purpose: 'CARE_EXCHANGE', patient: 'P-0001', org: 'HUISARTS-JANSEN', jti: issued.jti, act: { sub: 'gp-portal-svc' } });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    expect(String(claims.scope).split(' ').sort()).toEqual(['ECG', 'LAB']);
  });

  test('the GP reads exactly the scope: labs and ECGs; imaging (role may, scope does not) and diagnoses (role may not) are FORBIDDEN', async () => {
    const { token } = (await issue(gpGrant())).body.data.issuePortalToken;
    const me = await api.gql({ token }, ME);
    expect(me.body.data.me).toMatchObject({ subject: 'gp-jansen', role: 'GP', purpose: 'CARE_EXCHANGE', boundPatientNumber: 'P-0001' });
    expect([...me.body.data.me.categories].sort()).toEqual(['ECG', 'LAB']);
    const res = await api.gql({ token }, READ, { n: 'P-0001' });
    expect(res.status).toBe(200);
    expect(res.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
    expect(res.body.data.patientByNumber.ecgs.length).toBeGreaterThan(0);
    expect(errorCodes(res)).toEqual({ 'patientByNumber.patientNumber': 'FORBIDDEN', 'patientByNumber.imagingReports': 'FORBIDDEN', 'patientByNumber.diagnoses': 'FORBIDDEN' });
    const conclusions = await api.sql<{ conclusion: string }>('SELECT conclusion FROM imaging_report WHERE patient_id = $1', [p1]);
    for (const c of conclusions) expect(res.text).not.toContain(c.conclusion);
  });

  test('bound to one patient: another patient of the same GP is NOT_FOUND', async () => {
    const { token } = (await issue(gpGrant())).body.data.issuePortalToken;
    const other = await api.gql({ token }, READ, { n: 'P-0004' });
    expect(other.body.data.patientByNumber).toBeNull();
    expect(errorCodes(other)).toEqual({ patientByNumber: 'NOT_FOUND' });
  });

  test('the GP\'s own gate still holds: a token for a patient without GP_VIEW consent reaches nothing', async () => {
    const { token } = (await issue(gpGrant({ patientNumber: 'P-0002' }))).body.data.issuePortalToken;
    const res = await api.gql({ token }, READ, { n: 'P-0002' });
    expect(errorCodes(res)).toEqual({ patientByNumber: 'NOT_FOUND' });
  });

  test('a duty doctor gets up to 12 hours', async () => {
    const res = await issue({ practitionerSubject: 'duty-hap-01', role: 'DUTY_DOCTOR', organisation: 'HAP-LEIDEN', patientNumber: 'P-0001', scope: ['LAB'], ttlSeconds: 12 * 3600 });
    expect(res.body.errors).toBeUndefined();
    const { token } = res.body.data.issuePortalToken;
    expect(decodeJwt(token).exp! - decodeJwt(token).iat!).toBe(12 * 3600);
    const read = await api.gql({ token }, `query($n: String!) { patientByNumber(patientNumber: $n) { labResults { value } } }`, { n: 'P-0001' });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
  });

  test.each([
    ['a scope wider than the role (GP and DIAGNOSES)', gpGrant({ scope: ['LAB', 'DIAGNOSES'] })],
    ['an empty scope', gpGrant({ scope: [] })],
    ['a GP token longer than 15 minutes', gpGrant({ ttlSeconds: 15 * 60 + 1 })],
    ['a duty doctor token longer than 12 hours', { ...gpGrant({ role: 'DUTY_DOCTOR', practitionerSubject: 'duty-hap-01', ttlSeconds: 12 * 3600 + 1 }) }],
    ['a role other than GP or DUTY_DOCTOR', gpGrant({ role: 'TREATING_CLINICIAN', practitionerSubject: 'clin-dekker' })],
    ['a malformed patient number', gpGrant({ patientNumber: '123456782' })],
  ])('refused with BAD_USER_INPUT, nothing stored: %s', async (_name, input) => {
    const before = (await api.sql('SELECT count(*)::int AS n FROM issued_token'))[0].n;
    const res = await issue(input);
    expect(errorCodes(res)).toEqual({ issuePortalToken: 'BAD_USER_INPUT' });
    expect(res.body.data).toBeNull();
    expect((await api.sql('SELECT count(*)::int AS n FROM issued_token'))[0].n).toBe(before);
  });

  test.each(['gp-jansen', 'clin-dekker', 'dpo-01', 'P-0001'])('only the portal service may issue or revoke: %s is FORBIDDEN', async (subject) => {
    const token = await api.token(subject);
    expect(errorCodes(await issue(gpGrant(), token))).toEqual({ issuePortalToken: 'FORBIDDEN' });
    expect(errorCodes(await api.gql({ token }, REVOKE, { jti: '00000000-0000-4000-8000-000000000000' }))).toEqual({ revokeIssuedToken: 'FORBIDDEN' });
  });

  test('the portal service itself reads no record', async () => {
    const res = await api.gql({ token: service }, `query($id: ID!) { patient(id: $id) { patientNumber } }`, { id: p1 });
    expect(errorCodes(res)).toEqual({ patient: 'FORBIDDEN' });
    const me = await api.gql({ token: service }, ME);
    expect(me.body.data.me).toMatchObject({ role: 'GP_PORTAL_SERVICE', purpose: 'CARE_EXCHANGE', categories: [] });
  });
});

describe('issuance is logged', () => {
  test('an issued_token row and an access event of the patient (actor: the service, on behalf of the GP)', async () => {
    const { jti } = (await issue(gpGrant())).body.data.issuePortalToken;
    const [row] = await api.sql('SELECT subject, role, patient_number, patient_id, scope, issued_by, revoked_at FROM issued_token WHERE jti = $1', [jti]);
    expect(row).toMatchObject({ subject: 'gp-jansen', role: 'GP', patient_number: 'P-0001', patient_id: p1, issued_by: 'gp-portal-svc', revoked_at: null });
    const [event] = await api.sql(`SELECT actor_subject, actor_role, on_behalf_of, action, outcome, patient_id, basis, detail FROM access_event WHERE detail LIKE $1`, [`%${jti}%`]);
    expect(event).toMatchObject({ actor_subject: 'gp-portal-svc', actor_role: 'GP_PORTAL_SERVICE', on_behalf_of: 'gp-jansen', action: 'CREATE', outcome: 'GRANTED', patient_id: p1, basis: 'gp-portal-service' });
    expect(event.detail).toContain('LAB');
    // The patient reads it in their own access log.
    const log = await api.gql('P-0001', `query($id: ID!) { accessLog(patientId: $id, first: 100) { nodes { actorSubject onBehalfOf action } } }`, { id: p1 });
    expect(log.body.errors).toBeUndefined();
    expect(log.body.data.accessLog.nodes).toContainEqual({ actorSubject: 'gp-portal-svc', onBehalfOf: 'gp-jansen', action: 'CREATE' });
  });

  test('a token for an unknown patient is issued (no oracle) and reaches nothing', async () => {
    const res = await issue(gpGrant({ patientNumber: 'P-9999' }));
    expect(res.body.errors).toBeUndefined();
    const { jti, token } = res.body.data.issuePortalToken;
    expect((await api.sql('SELECT patient_id FROM access_event WHERE detail LIKE $1', [`%${jti}%`]))[0].patient_id).toBeNull();
    expect(errorCodes(await api.gql({ token }, READ, { n: 'P-9999' }))).toEqual({ patientByNumber: 'NOT_FOUND' });
  });
});

describe('revocation and forgery', () => {
  test('a revoked token is refused on the next request; the revocation is logged; revoking twice keeps the first', async () => {
    const { jti, token } = (await issue(gpGrant())).body.data.issuePortalToken;
    expect((await api.gql({ token }, ME)).status).toBe(200);
    const revoked = await api.gql({ token: service }, REVOKE, { jti });
    expect(revoked.body.errors).toBeUndefined();
    expect(revoked.body.data.revokeIssuedToken).toMatchObject({ jti, token: null });
    const first = revoked.body.data.revokeIssuedToken.revokedAt;
    expect(first).toBeTruthy();
    const refused = await api.gql({ token }, ME);
    expect(refused.status).toBe(401);
    expect(refused.body.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
    const again = await api.gql({ token: service }, REVOKE, { jti });
    expect(again.body.data.revokeIssuedToken.revokedAt).toBe(first);
    const events = await api.sql(`SELECT action FROM access_event WHERE detail = $1`, [`portal token ${jti} revoked`]);
    expect(events).toEqual([{ action: 'UPDATE' }]);
    expect(await api.sql('SELECT jti FROM revoked_token WHERE jti = $1', [jti])).toEqual([{ jti }]);
  });

  test('another portal organisation cannot revoke it (NOT_FOUND)', async () => {
    const { jti } = (await issue(gpGrant())).body.data.issuePortalToken;
    const other = await api.token('gp-portal-svc', { claims: { org: 'OTHER-PORTAL' } });
    expect(errorCodes(await api.gql({ token: other }, REVOKE, { jti }))).toEqual({ revokeIssuedToken: 'NOT_FOUND' });
  });

  test('a token with the portal issuer that was never issued (no row) is refused', async () => {
    const signing = await loadDevSigningKey(api.config);
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ role: 'GP', purpose: 'CARE_EXCHANGE', patient: 'P-0001', scope: 'LAB' })
      .setProtectedHeader({ alg: signing.alg, kid: signing.kid }).setIssuer(api.config.portalTokenIssuer).setAudience(api.config.jwtAudience)
      .setSubject('gp-jansen').setJti('11111111-1111-4111-8111-111111111111').setIssuedAt(now).setExpirationTime(now + 600).sign(signing.key);
    expect((await api.gql({ token: forged }, ME)).status).toBe(401);
  });

  test('an issued token with a widened payload (scope, patient) is refused', async () => {
    const { token } = (await issue(gpGrant())).body.data.issuePortalToken;
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    for (const change of [{ scope: 'LAB ECG IMAGING' }, { patient: 'P-0004' }]) {
      const tampered = `${header}.${base64url.encode(JSON.stringify({ ...claims, ...change }))}.${signature}`;
      expect((await api.gql({ token: tampered }, ME)).status).toBe(401);
    }
  });
});

describe('production: the issuer key comes from TOKEN_ISSUER_PRIVATE_KEY_FILE', () => {
  const READ = `query($n: String!) { patientByNumber(patientNumber: $n) { labResults { value } } }`;
  let dir: string;
  let manifests: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-keys-'));
    // In production the portal and its tokens run only trusted documents: these are its documents here.
    manifests = manifestFolder({ 'gp-portal': [ISSUE, READ, ME] });
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(manifests, { recursive: true, force: true });
  });

  const production = async (extra: Record<string, string>) => ({
    NODE_ENV: 'production', HOST: '127.0.0.1', JWT_PUBLIC_KEY_FILE: await devPublicKeyFile(api.config, dir),
    RESEARCH_PSEUDONYM_KEY: 'x'.repeat(64), ACCESS_LOG_SIGNING_KEY_FILE: checkpointKeyFile(dir), TRUSTED_DOCUMENTS_DIR: manifests, ...extra,
  });

  test('without it, issuing is refused (and says why only in the log)', async () => {
    const server = await api.startAnother(await production({}));
    const res = await server.gql({ token: service }, ISSUE, { input: gpGrant() });
    expect(errorCodes(res)).toEqual({ issuePortalToken: 'INTERNAL_SERVER_ERROR' });
    expect(res.text).not.toMatch(/TOKEN_ISSUER_PRIVATE_KEY_FILE/);
  });

  test('with an EC P-256 key, tokens are signed by it and accepted; development-signed portal tokens are not', async () => {
    const file = path.join(dir, 'issuer.pem');
    fs.writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const server = await api.startAnother(await production({ TOKEN_ISSUER_PRIVATE_KEY_FILE: file }));
    const res = await server.gql({ token: service }, ISSUE, { input: gpGrant() });
    expect(res.body.errors).toBeUndefined();
    const { token } = res.body.data.issuePortalToken;
    const read = await server.gql({ token }, READ, { n: 'P-0001' });
    expect(read.body.errors).toBeUndefined();
    // A portal token signed with the development key (valid in development) is refused here.
    const devIssued = (await issue(gpGrant())).body.data.issuePortalToken.token;
    expect((await server.gql({ token: devIssued }, ME)).status).toBe(401);
  });
});
