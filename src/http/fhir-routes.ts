/**
 * FHIR's RESTful search for the access log, for a SIEM and other FHIR clients:
 *
 *   GET /fhir/AuditEvent?_count=<n>&_cursor=<c>                 the whole log (privacy officer), oldest first
 *   GET /fhir/AuditEvent?patient=<id>&_count=<n>&_cursor=<c>    one patient's log, newest first
 *
 * A thin translation, not a second door: the search becomes the GraphQL query `auditEvents` or
 * `accessLogAuditEvents` and runs through the same server pipeline (token, door, access log,
 * row security); the answer is the Bundle itself as `application/fhir+json`, its `next` link a
 * URL of this route, and a refusal is an OperationOutcome with the matching HTTP status.
 */
import type { OperationOutcome } from 'fhir/r4';

export const FHIR_JSON = 'application/fhir+json';
export const AUDIT_EVENT_PATH = '/fhir/AuditEvent';

/** A FHIR search translated to a GraphQL GET, or why it cannot be. */
export type FhirSearch = { field: string; search: string } | { status: 400 | 405; outcome: OperationOutcome };

type IssueCode = OperationOutcome['issue'][number]['code'];
const outcome = (code: IssueCode, diagnostics: string): OperationOutcome => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] });
const ALLOWED = new Set(['patient', '_count', '_cursor']);

/** The GraphQL request for a search of /fhir/AuditEvent. */
export function auditEventSearch(method: string | undefined, url: URL): FhirSearch {
  if (method !== 'GET') return { status: 405, outcome: outcome('not-supported', 'GET only') };
  const unknown = [...url.searchParams.keys()].filter((k) => !ALLOWED.has(k));
  if (unknown.length) return { status: 400, outcome: outcome('not-supported', `unsupported search parameters: ${unknown.join(', ')}`) };
  const count = url.searchParams.get('_count');
  if (count !== null && !/^[1-9][0-9]{0,2}$/.test(count)) return { status: 400, outcome: outcome('invalid', '_count must be a whole number from 1 to 100') };
  const patient = url.searchParams.get('patient')?.replace(/^Patient\//, '');
  const variables = { first: count === null ? undefined : Number(count), after: url.searchParams.get('_cursor') ?? undefined, ...(patient !== undefined ? { patientId: patient } : {}) };
  const field = patient !== undefined ? 'accessLogAuditEvents' : 'auditEvents';
  const query = patient !== undefined
    ? 'query($patientId: ID!, $first: Int, $after: String) { accessLogAuditEvents(patientId: $patientId, first: $first, after: $after) }'
    : 'query($first: Int, $after: String) { auditEvents(first: $first, after: $after) }';
  return { field, search: `?${new URLSearchParams({ query, variables: JSON.stringify(variables) }).toString()}` };
}

const STATUS: Record<string, [number, IssueCode]> = {
  FORBIDDEN: [403, 'forbidden'], NOT_FOUND: [404, 'not-found'], BAD_USER_INPUT: [400, 'invalid'], QUERY_TOO_COMPLEX: [400, 'too-costly'],
};

/** Rewrites a page link of the GraphQL field (`auditEvents?first=…&after=…`) as a URL of this route. */
function restLink(link: string): string {
  const [, query = ''] = link.split('?');
  const params = new URLSearchParams(query);
  const out = new URLSearchParams();
  if (params.has('patientId')) out.set('patient', params.get('patientId')!);
  if (params.has('first')) out.set('_count', params.get('first')!);
  if (params.has('after')) out.set('_cursor', params.get('after')!);
  return `${AUDIT_EVENT_PATH}?${out.toString()}`;
}

/** The HTTP answer for the GraphQL result of a search: the Bundle, or an OperationOutcome. */
export function auditEventSearchAnswer(field: string, graphqlStatus: number, body: string): { status: number; body: object } {
  let parsed: { data?: Record<string, unknown> | null; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 500, body: outcome('exception', 'The request could not be completed') };
  }
  const bundle = parsed.data?.[field] as { link?: Array<{ relation: string; url: string }> } | undefined | null;
  if (bundle && !parsed.errors?.length) {
    return { status: 200, body: { ...bundle, link: (bundle.link ?? []).map((l) => ({ ...l, url: restLink(l.url) })) } };
  }
  const error = parsed.errors?.[0];
  const [status, code]: [number, IssueCode] = STATUS[String(error?.extensions?.code)] ?? [graphqlStatus >= 400 ? graphqlStatus : 500, 'exception'];
  return { status, body: outcome(code, error?.message ?? 'The request could not be completed') };
}
