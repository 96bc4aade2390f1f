/**
 * The schema documents its own permissions: every policed field's description says which
 * category it belongs to and who may read it, every operation's which roles may call it and what
 * it reads and writes — generated from the policy (fields.ts, operations.ts, matrix.ts), so
 * GraphiQL's documentation is the permission table. Applied when the schema is built.
 */
import { GraphQLEnumType, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { FIELD_POLICY } from './fields';
import { columnsReading, columnsWriting } from './matrix';
import { OPERATIONS, declaredCategories } from './operations';
import { COLUMNS, Column, DOCUMENT_CATEGORY, DataCategory } from './vocabulary';

const who = (columns: readonly Column[]) => (columns.length ? columns.map((c) => `${COLUMNS[c].role}/${COLUMNS[c].purpose}`).join(', ') : 'nobody');

function categoryLine(category: DataCategory): string {
  const writers = columnsWriting(category);
  return `Policy: category ${category}; readable by ${who(columnsReading(category))}${writers.length ? `; written by ${who(writers)}` : ''} — each within its gate and the token's scope.`;
}

function operationLine(name: string): string {
  const op = OPERATIONS[name];
  const categories = (label: string, c: typeof op.reads) => (declaredCategories(c).length ? ` ${label} ${declaredCategories(c).join(', ')}.` : '');
  return `Policy: open to ${who(op.columns)}.${categories('Reads', op.reads)}${categories('Writes', op.writes)} ${op.description[0].toUpperCase()}${op.description.slice(1)}.`;
}

const join = (existing: string | null | undefined, line: string) => (existing ? `${existing}\n\n${line}` : line);

/** Writes the policy into the descriptions of the schema's fields (and the DataCategory enum's values). */
export function describePolicy(schema: GraphQLSchema): GraphQLSchema {
  for (const [typeName, fields] of Object.entries(FIELD_POLICY)) {
    const type = schema.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) continue;
    const schemaFields = type.getFields();
    for (const [fieldName, policy] of Object.entries(fields)) {
      const field = schemaFields[fieldName];
      if (!field) continue;
      if (policy.kind === 'category') field.description = join(field.description, categoryLine(policy.category));
      else if (policy.kind === 'operation') field.description = join(field.description, operationLine(fieldName));
      else if (policy.kind === 'documents') field.description = join(field.description, 'Policy: each document in the category of its type (' + [...new Set(Object.values(DOCUMENT_CATEGORY))].join(', ') + '); documents of types the caller may not read are left out.');
      else if (policy.kind === 'patientHandle') field.description = join(field.description, 'Policy: present on every patient the caller\'s gate admits.');
    }
  }
  const categories = schema.getType('DataCategory');
  if (categories instanceof GraphQLEnumType) {
    for (const value of categories.getValues()) value.description = join(value.description, `Readable by ${who(columnsReading(value.value as DataCategory))}.`);
  }
  return schema;
}
