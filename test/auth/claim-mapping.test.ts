/** CLAIM_MAPPING: parsed and validated with the configuration; applied before our own claim checks. */
import { applyClaimMapping, parseClaimMapping } from '../../src/auth/claim-mapping';
import { ConfigError, loadConfig } from '../../src/config';

const env = (extra: Record<string, string>) => ({ DATABASE_URL: 'postgres://x@127.0.0.1/x', ...extra });

describe('configuration', () => {
  test('a valid mapping is parsed; fields left out read our own claim names', () => {
    const config = loadConfig(env({ CLAIM_MAPPING: JSON.stringify({ role: { claim: 'realm_access.roles', values: { 'epd-gp': 'GP' } } }) }));
    expect(config.claimMapping?.role).toEqual({ claim: 'realm_access.roles', values: { 'epd-gp': 'GP' }, default: undefined });
    expect(config.claimMapping?.purpose).toEqual({ claim: 'purpose' });
    expect(config.claimMapping?.organisation).toEqual({ claim: 'org' });
  });

  test.each([
    ['not JSON', '{role:'],
    ['an array', '[]'],
    ['an unknown key', JSON.stringify({ roles: { claim: 'x' } })],
    ['a rule without claim', JSON.stringify({ role: { values: {} } })],
    ['an unknown rule key', JSON.stringify({ role: { claim: 'r', map: {} } })],
    ['a value mapped to no Role', JSON.stringify({ role: { claim: 'r', values: { admin: 'SUPERUSER' } } })],
    ['a default purpose that is no Purpose', JSON.stringify({ purpose: { claim: 'p', default: 'CURIOSITY' } })],
    ['a scope value that is no DataCategory', JSON.stringify({ scope: { claim: 'scope', values: { 'epd:lab': 'LAB BLOODWORK' } } })],
  ])('refused at start-up: %s', (_name, text) => {
    expect(() => loadConfig(env({ CLAIM_MAPPING: text }))).toThrow(ConfigError);
  });

  test('CLAIM_MAPPING and CLAIM_MAPPING_FILE together are refused; a missing file too', () => {
    expect(() => loadConfig(env({ CLAIM_MAPPING: '{}', CLAIM_MAPPING_FILE: '/nonexistent.json' }))).toThrow(/not both/);
    expect(() => loadConfig(env({ CLAIM_MAPPING_FILE: '/nonexistent.json' }))).toThrow(/cannot be read/);
  });

  test('JWKS and issuer settings are validated', () => {
    expect(() => loadConfig(env({ JWKS_COOLDOWN_SECONDS: '-1' }))).toThrow(ConfigError);
    expect(() => loadConfig(env({ PORTAL_TOKEN_ISSUER: 'same', JWT_ISSUER: 'same' }))).toThrow(/differ/);
    expect(() => loadConfig(env({ NODE_ENV: 'production', JWKS_URL: 'http://idp.example/certs', RESEARCH_PSEUDONYM_KEY: 'k'.repeat(40) }))).toThrow(/https/);
    expect(() => loadConfig(env({ TOKEN_ISSUER_PRIVATE_KEY_FILE: '/nonexistent.pem' }))).toThrow(/does not exist/);
  });
});

describe('applying', () => {
  const mapping = parseClaimMapping(JSON.stringify({
    role: { claim: 'realm_access.roles', values: { 'epd-gp': 'GP', 'epd-duty': 'DUTY_DOCTOR' } },
    purpose: { claim: 'pou', default: 'ROLE_DEFAULT' },
    organisation: { claim: ['resource_access', 'epd.api', 'org'] },
    patient: { claim: 'bound_patient' },
    scope: { claim: 'scope', values: { 'epd:lab': 'LAB', 'epd:letters': 'CORRESPONDENCE SUMMARIES' } },
  }));
  const base = { iss: 'i', sub: 's', aud: 'a', exp: 2, iat: 1, jti: 'j' };

  test('nested paths, array roles with foreign entries, dotted names, scopes and the role default', () => {
    const out = applyClaimMapping({
      ...base, realm_access: { roles: ['offline_access', 'epd-duty'] }, resource_access: { 'epd.api': { org: 'HAP-LEIDEN' } },
      bound_patient: 'P-0001', scope: 'openid profile epd:lab epd:letters', role: 'PRIVACY_OFFICER',
    }, mapping);
    expect(out).toEqual({ ...base, role: 'DUTY_DOCTOR', purpose: 'CARE_EXCHANGE', org: 'HAP-LEIDEN', patient: 'P-0001', scope: 'LAB CORRESPONDENCE SUMMARIES' });
  });

  test('a token that names our native role claim gains nothing from it', () => {
    expect(applyClaimMapping({ ...base, role: 'PRIVACY_OFFICER', purpose: 'ACCOUNTABILITY' }, mapping)).not.toHaveProperty('role');
  });

  test('scopes none of which map mean no narrowing', () => {
    expect(applyClaimMapping({ ...base, realm_access: { roles: ['epd-gp'] }, scope: 'openid profile' }, mapping)).not.toHaveProperty('scope');
  });

  test('ambiguous roles and claims of the wrong type are refused', () => {
    expect(() => applyClaimMapping({ ...base, realm_access: { roles: ['epd-gp', 'epd-duty'] } }, mapping)).toThrow(/ambiguous/);
    expect(() => applyClaimMapping({ ...base, realm_access: { roles: [1, 2] } }, mapping)).toThrow();
  });
});
