/**
 * Renders schema/permissions.md from the policy: the matrix a privacy officer reads, the gates,
 * which fields belong to which category, and which roles may call each operation.
 */
import { FHIR_RESOURCES, FhirResource, PURPOSE_OF_USE, PURPOSE_OF_USE_SYSTEM, SMART_CONTEXT_SCOPES } from './fhir-resources';
import { FIELD_POLICY } from './fields';
import { Categories, OPERATIONS, PatientSource, declaredCategories } from './operations';
import { GATES } from './gates';
import { MATRIX_COLUMNS, MATRIX_NOTES, accessOf } from './matrix';
import { DEFAULT_CLIENT, EXTERNAL_ROLES, GP_PORTAL_CLIENT } from './trusted-clients';
import { ALL_CATEGORIES, COLUMNS, DOCUMENT_CATEGORY, DataCategory, Role } from './vocabulary';

const CELL = { R: '✔', RW: '✔ write', __: '✗' } as const;

/** The Markdown text of schema/permissions.md. */
export function renderPermissionsDoc(gpAccessModelNote = 'GP_ACCESS_MODEL=opt-in (default) or opt-out'): string {
  const out: string[] = [];
  out.push('# Permissions — generated from src/policy, do not edit', '');
  out.push('Deny by default: a field is released only when its category is ✔ for the caller\'s role and purpose,');
  out.push('the gate of that column holds for the patient, and the token\'s `scope` (if any) names the category.', '');
  out.push('## Matrix', '');
  out.push(`| category | ${MATRIX_COLUMNS.map((c) => `${COLUMNS[c].role} / ${COLUMNS[c].purpose}`).join(' | ')} |`);
  out.push(`|---|${MATRIX_COLUMNS.map(() => '---').join('|')}|`);
  for (const category of ALL_CATEGORIES) {
    out.push(`| ${category} | ${MATRIX_COLUMNS.map((c) => CELL[accessOf(c, category)]).join(' | ')} |`);
  }
  out.push('', ...MATRIX_NOTES.map((n) => `- ${n}`), '');
  out.push('## Gates', '', `GP access model: ${gpAccessModelNote}.`, '', '| role / purpose | gate | basis recorded in the access log |', '|---|---|---|');
  for (const c of MATRIX_COLUMNS) out.push(`| ${COLUMNS[c].role} / ${COLUMNS[c].purpose} | ${GATES[c].description} | \`${GATES[c].basis}\` |`);
  out.push('', 'A token bound to a patient (`patient` claim) reaches that patient only, whatever the role.', '');
  out.push('## Fields by category', '', '| category | fields |', '|---|---|');
  const byCategory = new Map<DataCategory, string[]>();
  for (const [type, fields] of Object.entries(FIELD_POLICY)) {
    for (const [field, policy] of Object.entries(fields)) {
      if (policy.kind === 'category') byCategory.set(policy.category, [...(byCategory.get(policy.category) ?? []), `${type}.${field}`]);
    }
  }
  for (const [type, category] of Object.entries(DOCUMENT_CATEGORY)) {
    byCategory.set(category, [...(byCategory.get(category) ?? []), `documents of type ${type}`]);
  }
  for (const category of ALL_CATEGORIES) out.push(`| ${category} | ${(byCategory.get(category) ?? ['(operations below)']).join(', ')} |`);
  out.push('', '## FHIR resources by category', '');
  out.push('The FHIR R4 resources that carry each category (src/policy/fhir-resources.ts): the record export emits only these, and a SMART', 'scope for one of them releases the category (see SMART on FHIR scopes below).', '');
  out.push('| category | FHIR resources | where |', '|---|---|---|');
  for (const category of ALL_CATEGORIES) {
    const { resources, where } = FHIR_RESOURCES[category];
    out.push(`| ${category} | ${resources.length ? resources.map(shownResource).join(', ') : '— (never as FHIR; no SMART scope reaches it)'} | ${where} |`);
  }
  out.push('', `Purpose of use in the FHIR access log (AuditEvent.agent.purposeOfUse, ${PURPOSE_OF_USE_SYSTEM}):`, '', '| purpose | code | display |', '|---|---|---|');
  for (const [purpose, { code, display }] of Object.entries(PURPOSE_OF_USE)) out.push(`| ${purpose} | ${code} | ${display} |`);
  out.push('', '## Operations', '');
  out.push('Every query and mutation passes one door (src/policy/door.ts) that applies this table before the resolver runs:');
  out.push('the column must be listed, every category read or written must survive the token\'s `scope` (and be writable),');
  out.push('the patient is found and the gate (or, for break-the-glass, the token\'s patient binding) decided in one statement —');
  out.push('a missing patient and one outside the gate both answer NOT_FOUND at the same cost — and one access event is');
  out.push('recorded per patient touched.', '');
  out.push('| operation | open to | patient | reads | writes | |', '|---|---|---|---|---|---|');
  for (const [name, op] of Object.entries(OPERATIONS)) {
    const columns = op.columns.map((c) => `${COLUMNS[c].role} / ${COLUMNS[c].purpose}`).join(', ');
    const patient = describeSource(op.patient) + (op.admission === 'binding' ? ' (token binding only)' : '') + (op.study ? `; approved for the study \`${op.study}\`` : '');
    out.push(`| ${op.type}.${name} | ${columns} | ${patient} | ${describeCategories(op.reads)} | ${describeCategories(op.writes)} | ${op.description} |`);
  }
  out.push('', 'Every other type\'s fields are reachable only through the policed field that returns them.', '');
  out.push(...smartScopes(), ...trustedClients());
  return out.join('\n');
}

function describeSource(source: PatientSource): string {
  switch (source.from) {
    case 'none': return '—';
    case 'argument': return `\`${source.path}\` (by ${source.key}), gate`;
    case 'self': return 'the caller\'s own, gate';
    case 'row': return `owner of the \`${source.table}\` row \`${source.path}\`, gate`;
    case 'gate': return 'each patient inside the gate';
  }
}

function describeCategories(categories: Categories): string {
  if (Array.isArray(categories)) return categories.length ? categories.join(', ') : '—';
  const named = declaredCategories(categories);
  return `as named by \`${(categories as { path: string }).path}\`: any of ${named.join(', ')}`;
}

const shownResource = (r: FhirResource) => (r.category ? `${r.resourceType}?category=${r.category.system}\\|${r.category.code}` : r.resourceType);

/** The SMART on FHIR scopes a token may carry instead of category names, and what each releases. */
function smartScopes(): string[] {
  const out = ['## SMART on FHIR scopes', ''];
  out.push('A token\'s `scope` may be SMART on FHIR scopes instead of category names (never a mixture): `patient/`, `user/` or');
  out.push('`system/`, a resource type (or `*`) and v2 permissions `cruds` (v1 `read`, `write`, `*`). A resource scope releases the');
  out.push('categories below — reading with `r` or `s`, writing with `c` or `u` — and, like category names, only narrows the role.');
  out.push('`?category=system|code` narrows a shared resource type to one category. `patient/` scopes and `launch/patient` need the');
  out.push(`token's \`patient\` claim. Known scopes that grant no data: ${SMART_CONTEXT_SCOPES.map((s) => `\`${s}\``).join(', ')}. Any other scope, or one`);
  out.push('that maps to no category, is refused with the token (HTTP 401).', '');
  out.push('The resource types each category maps to are those of the table "FHIR resources by category" above.');
  return [...out, ''];
}

/** Who may send only trusted documents, and which client each role's tokens count as. */
function trustedClients(): string[] {
  const out = ['## Trusted documents', ''];
  out.push('Tokens of the roles marked external may run only the documents of their client\'s manifest');
  out.push('(`src/policy/trusted-documents/<client>.json`, or TRUSTED_DOCUMENTS_DIR); others too with TRUSTED_DOCUMENTS=all.');
  out.push(`The client is the token's \`azp\` or \`client_id\` claim; tokens issued for the GP portal are \`${GP_PORTAL_CLIENT}\`; otherwise the role's usual client below.`, '');
  out.push('| role | external | usual client |', '|---|---|---|');
  for (const role of Object.values(Role)) out.push(`| ${role} | ${EXTERNAL_ROLES.has(role) ? '✔ trusted documents only' : 'TRUSTED_DOCUMENTS=all only'} | \`${DEFAULT_CLIENT[role]}\` |`);
  return [...out, ''];
}
