/**
 * SMART on FHIR scopes (v2 `patient/Observation.rs`, v1 `patient/Observation.read`) as data
 * categories, through the one table of policy/fhir-resources.ts. Like the category `scope`, they
 * only narrow the role; a scope that is unknown or maps to no category is refused with its
 * reason, never ignored: ignoring it would leave the token wider than its issuer meant.
 */
import { AuthenticationError } from '../errors';
import { categoriesForResource, SMART_CONTEXT_SCOPES, SMART_RESOURCE_TYPES } from '../policy/fhir-resources';
import type { DataCategory } from '../policy/vocabulary';

/** What a SMART scope string releases: categories to read, and those that may also be written. */
export interface SmartGrant {
  read: ReadonlySet<DataCategory>;
  write: ReadonlySet<DataCategory>;
}

// context/Type.permissions[?param=value]; v2 permissions are c r u d s in this order, v1 read/write/*.
const RESOURCE_SCOPE = /^(patient|user|system)\/([A-Za-z]+|\*)\.(read|write|\*|c?r?u?d?s?)(?:\?(.*))?$/;
const V1_PERMISSIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };

/** True when a scope string speaks SMART (a `context/…` or a known launch scope) rather than category names. */
export function isSmartScope(text: string): boolean {
  return text.trim().split(/\s+/).some((s) => s.includes('/') || SMART_CONTEXT_SCOPES.includes(s));
}

const refuse = (reason: string) => new AuthenticationError(`scope ${reason}`);

/**
 * The categories a SMART scope string grants. `patient/` scopes and `launch/patient` need the
 * token's `patient` context (boundToPatient); reads need `r` or `s`, writes `c` or `u`.
 */
export function parseSmartScopes(text: string, boundToPatient: boolean): SmartGrant {
  const read = new Set<DataCategory>();
  const write = new Set<DataCategory>();
  for (const scope of text.trim().split(/\s+/)) {
    if (SMART_CONTEXT_SCOPES.includes(scope)) {
      if (scope === 'launch/patient' && !boundToPatient) throw refuse('"launch/patient" needs a "patient" claim');
      continue;
    }
    const match = RESOURCE_SCOPE.exec(scope);
    if (!match) throw refuse(`"${scope}" is not a SMART scope this API knows (nor a data category)`);
    const [, context, resourceType, given, query] = match;
    const permissions = V1_PERMISSIONS[given] ?? given;
    if (permissions === '') throw refuse(`"${scope}" names no permission`);
    if (context === 'patient' && !boundToPatient) throw refuse(`"${scope}" is patient-level but the token has no "patient" claim`);
    const categories = categoriesOf(scope, resourceType, query);
    const reads = /[rs]/.test(permissions);
    const writes = /[cu]/.test(permissions);
    for (const c of categories) {
      if (reads) read.add(c);
      if (writes) write.add(c);
    }
  }
  if (read.size === 0 && write.size === 0) throw refuse('grants no data category');
  return { read, write };
}

function categoriesOf(scope: string, resourceType: string, query: string | undefined): DataCategory[] {
  if (resourceType === '*') {
    if (query !== undefined) throw refuse(`"${scope}": a wildcard scope cannot carry parameters`);
    return SMART_RESOURCE_TYPES.flatMap((t) => categoriesForResource(t));
  }
  let filter: { system: string; code: string } | undefined;
  if (query !== undefined) {
    // Only `category=system|code` narrows to categories; any other search parameter has no category meaning here.
    const params = new URLSearchParams(query);
    const names = [...params.keys()];
    const value = params.get('category') ?? '';
    const bar = value.indexOf('|');
    if (names.length !== 1 || names[0] !== 'category' || bar <= 0 || bar === value.length - 1) {
      throw refuse(`"${scope}": only one ?category=system|code parameter is understood`);
    }
    filter = { system: value.slice(0, bar), code: value.slice(bar + 1) };
  }
  const categories = categoriesForResource(resourceType, filter);
  if (categories.length === 0) throw refuse(`"${scope}" maps to no data category`);
  return categories;
}
