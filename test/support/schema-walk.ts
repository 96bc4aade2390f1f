/**
 * Selections built from the executable schema and FIELD_POLICY, for tests that need "every field"
 * (the query-limit tests' full record) or random valid operations (the property-based leak test).
 */
import { GraphQLField, GraphQLObjectType, getNamedType, isLeafType, isNonNullType, isObjectType } from 'graphql';
import { FIELD_POLICY } from '../../src/policy/fields';
import { policedSchema } from './probes';

/** An object type of the policed schema. */
export function objectType(name: string): GraphQLObjectType {
  const t = policedSchema().getType(name);
  if (!isObjectType(t)) throw new Error(`schema has no object type ${name}`);
  return t;
}

/** Fields of a type that a selection may name: policed (not an entry point) and without required arguments. */
export function selectableFields(type: GraphQLObjectType): GraphQLField<unknown, unknown>[] {
  return Object.values(type.getFields()).filter((field) => {
    const policy = FIELD_POLICY[type.name]?.[field.name];
    if (!policy || policy.kind === 'operation') return false;
    return !field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  });
}

/** Every selectable field of a type, recursively (each object type once per path). */
export function fullSelection(type: GraphQLObjectType, path: string[] = []): string {
  const parts: string[] = [];
  for (const field of selectableFields(type)) {
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && !path.includes(named.name)) parts.push(`${field.name} ${fullSelection(named, [...path, type.name])}`);
  }
  return `{ ${parts.join(' ')} }`;
}
