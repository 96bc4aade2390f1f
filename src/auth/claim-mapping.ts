/**
 * How an identity provider's claims become ours (role, purpose, org, patient, scope). Hospitals'
 * IdPs do not speak our vocabulary: Keycloak puts roles in `realm_access.roles` as e.g.
 * "epd-clinician", Entra ID in `roles`, and purpose of use is often a custom claim or absent.
 * CLAIM_MAPPING (JSON) or CLAIM_MAPPING_FILE says where to look and how to translate; the result
 * is then checked exactly like a native token (tokens.ts), so a mapping can never produce a
 * role/purpose pair SPEC §1 does not allow.
 *
 * ```json
 * {
 *   "role":    { "claim": "realm_access.roles", "values": { "epd-clinician": "TREATING_CLINICIAN", "gp": "GP" } },
 *   "purpose": { "claim": "purpose_of_use", "values": { "treatment": "TREATMENT" }, "default": "ROLE_DEFAULT" },
 *   "organisation": { "claim": "organisation_id" }
 * }
 * ```
 */
import type { JWTPayload } from 'jose';
import { DataCategory, Purpose, Role, purposesOf } from '../policy/vocabulary';
import { AuthenticationError } from '../errors';

/** Where one of our claims comes from in the IdP's token. */
export interface ClaimRule {
  /** Dotted path (`realm_access.roles`), or the path's segments when a name contains a dot. */
  claim: string | string[];
  /** IdP value → our value. Without it the IdP's value is used as it is. */
  values?: Record<string, string>;
  /** Used when the claim is absent; for purpose, `ROLE_DEFAULT` means the role's first purpose. */
  default?: string;
}

export interface ClaimMapping {
  role: ClaimRule;
  purpose: ClaimRule;
  organisation?: ClaimRule;
  patient?: ClaimRule;
  scope?: ClaimRule;
}

/** The mapping that reads our own claim names: what tokens minted for this API carry. */
export const NATIVE_CLAIMS: ClaimMapping = {
  role: { claim: 'role' },
  purpose: { claim: 'purpose' },
  organisation: { claim: 'org' },
  patient: { claim: 'patient' },
  scope: { claim: 'scope' },
};

export const ROLE_DEFAULT = 'ROLE_DEFAULT';

const FIELDS = ['role', 'purpose', 'organisation', 'patient', 'scope'] as const;
const RULE_KEYS = new Set(['claim', 'values', 'default']);

/** Parses and validates a CLAIM_MAPPING document; throws an Error naming the first problem. */
export function parseClaimMapping(text: string): ClaimMapping {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('CLAIM_MAPPING is not valid JSON');
  }
  if (!isObject(doc)) throw new Error('CLAIM_MAPPING must be a JSON object');
  for (const key of Object.keys(doc)) {
    if (!(FIELDS as readonly string[]).includes(key)) throw new Error(`CLAIM_MAPPING: unknown key "${key}" (known: ${FIELDS.join(', ')})`);
  }
  const mapping: Partial<ClaimMapping> = {};
  for (const field of FIELDS) {
    const raw = doc[field];
    if (raw === undefined) continue;
    mapping[field] = parseRule(field, raw);
  }
  // Fields left out read our native claim names, so a mapping only has to say what differs.
  const complete: ClaimMapping = { ...NATIVE_CLAIMS, ...mapping } as ClaimMapping;
  checkTargets('role', complete.role, new Set(Object.values(Role)));
  checkTargets('purpose', complete.purpose, new Set([...Object.values(Purpose), ROLE_DEFAULT]));
  if (complete.scope?.values) {
    const categories = new Set<string>(Object.values(DataCategory));
    for (const [from, to] of Object.entries(complete.scope.values)) {
      for (const c of to.split(/\s+/).filter(Boolean)) {
        if (!categories.has(c)) throw new Error(`CLAIM_MAPPING.scope.values["${from}"]: "${c}" is not a DataCategory`);
      }
    }
  }
  return complete;
}

function parseRule(field: string, raw: unknown): ClaimRule {
  if (!isObject(raw)) throw new Error(`CLAIM_MAPPING.${field} must be an object with "claim"`);
  for (const key of Object.keys(raw)) {
    if (!RULE_KEYS.has(key)) throw new Error(`CLAIM_MAPPING.${field}: unknown key "${key}" (known: claim, values, default)`);
  }
  const { claim, values } = raw;
  const validPath = (typeof claim === 'string' && claim.length > 0) ||
    (Array.isArray(claim) && claim.length > 0 && claim.every((s) => typeof s === 'string' && s.length > 0));
  if (!validPath) throw new Error(`CLAIM_MAPPING.${field}.claim must be a claim name, a dotted path or an array of path segments`);
  if (values !== undefined && (!isObject(values) || !Object.values(values).every((v) => typeof v === 'string'))) {
    throw new Error(`CLAIM_MAPPING.${field}.values must map IdP values to strings`);
  }
  if (raw.default !== undefined && typeof raw.default !== 'string') throw new Error(`CLAIM_MAPPING.${field}.default must be a string`);
  return { claim: claim as string | string[], values: values as Record<string, string> | undefined, default: raw.default as string | undefined };
}

function checkTargets(field: string, rule: ClaimRule, allowed: Set<string>): void {
  const targets = [...Object.entries(rule.values ?? {})];
  if (rule.default !== undefined) targets.push(['default', rule.default]);
  for (const [from, to] of targets) {
    if (!allowed.has(to)) throw new Error(`CLAIM_MAPPING.${field}: "${from}" maps to "${to}", which is not one of ${[...allowed].join(', ')}`);
  }
}

/**
 * The IdP's claims rewritten into ours (the registered claims iss, sub, exp, … are kept). Refuses
 * a token whose role claim maps to no role or to more than one: guessing would widen access.
 */
export function applyClaimMapping(claims: JWTPayload, mapping: ClaimMapping): JWTPayload {
  const out: Record<string, unknown> = {};
  // The client claims pass as they are: they choose the trusted-document manifest (policy/trusted-clients.ts).
  for (const name of ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'azp', 'client_id']) {
    if (claims[name] !== undefined) out[name] = claims[name];
  }
  const role = resolve(claims, 'role', mapping.role);
  if (role !== undefined) out.role = role;

  let purpose = resolve(claims, 'purpose', mapping.purpose);
  if (purpose === ROLE_DEFAULT) {
    const known = typeof role === 'string' && (Object.values(Role) as string[]).includes(role);
    purpose = known ? purposesOf(role as Role)[0] : undefined;
  }
  if (purpose !== undefined) out.purpose = purpose;

  for (const [field, target] of [['organisation', 'org'], ['patient', 'patient']] as const) {
    const rule = mapping[field];
    const value = rule ? resolve(claims, field, rule) : undefined;
    if (value !== undefined) out[target] = value;
  }
  if (mapping.scope) {
    const values = mapValues(read(claims, mapping.scope), mapping.scope, true);
    const scope = values && values.length > 0 ? values.join(' ') : mapping.scope.default;
    if (scope !== undefined) out.scope = scope;
  }
  return out as JWTPayload;
}

/** One mapped value of a claim, or the rule's default when the token has none that maps. */
function resolve(claims: JWTPayload, field: string, rule: ClaimRule): string | undefined {
  return single(field, mapValues(read(claims, rule), rule)) ?? rule.default;
}

/** The raw value at a rule's path; undefined when the token has no such claim. */
function read(claims: JWTPayload, rule: ClaimRule): unknown {
  const path = Array.isArray(rule.claim) ? rule.claim : rule.claim.split('.');
  let value: unknown = claims;
  for (const segment of path) {
    value = isObject(value) ? value[segment] : undefined;
  }
  return value;
}

/**
 * The mapped values of a claim. Strings and arrays of strings (space-separated for scope) are
 * accepted. With a value map, IdP values it does not name are dropped from arrays (Keycloak adds
 * `offline_access` and the like) and refused as single strings (except scopes).
 */
function mapValues(raw: unknown, rule: ClaimRule, splitSpaces = false): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  let items: string[];
  if (typeof raw === 'string') items = splitSpaces ? raw.split(/\s+/).filter(Boolean) : [raw];
  else if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) items = raw as string[];
  else throw new AuthenticationError('claim of an unexpected type');
  if (!rule.values) return items;
  const mapped = items.flatMap((v) => {
    const to = Object.prototype.hasOwnProperty.call(rule.values, v) ? rule.values![v] : undefined;
    return to === undefined ? [] : splitSpaces ? to.split(/\s+/).filter(Boolean) : [to];
  });
  // A single role or purpose the mapping does not know is refused; OAuth scopes carry unrelated
  // names (openid, profile), so those are dropped and an empty result falls back to the default.
  if (mapped.length === 0 && typeof raw === 'string' && !splitSpaces) throw new AuthenticationError('claim value not in the mapping');
  return mapped;
}

function single(field: string, values: string[] | undefined): string | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const distinct = [...new Set(values)];
  if (distinct.length > 1) throw new AuthenticationError(`ambiguous ${field}: the token maps to more than one`);
  return distinct[0];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
