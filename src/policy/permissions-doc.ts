/**
 * Renders schema/permissions.md from the policy: the matrix a privacy officer reads, the gates,
 * which fields belong to which category, and which roles may call each operation.
 */
import { FHIR_RESOURCES, PURPOSE_OF_USE, PURPOSE_OF_USE_SYSTEM } from './fhir-resources';
import { FIELD_POLICY } from './fields';
import { Categories, OPERATIONS, PatientSource, declaredCategories } from './operations';
import { GATES } from './gates';
import { MATRIX_COLUMNS, MATRIX_NOTES, accessOf } from './matrix';
import { ALL_CATEGORIES, COLUMNS, DOCUMENT_CATEGORY, DataCategory } from './vocabulary';

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
  out.push('The FHIR R4 resources that carry each category (the record export and the FHIR access log; src/policy/fhir-resources.ts).', '');
  out.push('| category | FHIR resources | where |', '|---|---|---|');
  for (const category of ALL_CATEGORIES) {
    const { resources, where } = FHIR_RESOURCES[category];
    out.push(`| ${category} | ${resources.length ? resources.join(', ') : '—'} | ${where} |`);
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
