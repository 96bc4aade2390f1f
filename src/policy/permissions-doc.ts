/**
 * Renders schema/permissions.md from the policy: the matrix a privacy officer reads, the gates,
 * which fields belong to which category, and which roles may call each operation.
 */
import { FIELD_POLICY } from './fields';
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
  out.push('', '## Operations', '', '| operation | open to (the gate then applies per patient) |', '|---|---|');
  for (const type of ['Query', 'Mutation']) {
    for (const [field, policy] of Object.entries(FIELD_POLICY[type])) {
      if (policy.kind === 'operation') out.push(`| ${type}.${field} | ${policy.columns.map((c) => `${COLUMNS[c].role} / ${COLUMNS[c].purpose}`).join(', ')} |`);
    }
  }
  out.push('', 'Every other type\'s fields are reachable only through the policed field that returns them.', '');
  return out.join('\n');
}
