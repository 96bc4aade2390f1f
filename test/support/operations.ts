/**
 * Random VALID GraphQL operations generated from the executable schema (fast-check), for the
 * property-based leak test: one to three root queries, random non-empty selections down the
 * object types, arguments as literals or variables, aliases, the same field twice with different
 * arguments, named and inline fragments, @include/@skip and __typename. Mutations are not
 * generated: they change the record the oracle compares with.
 */
import fc from 'fast-check';
import {
  GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLObjectType, getNamedType, isEnumType, isInputObjectType, isLeafType,
  isListType, isNonNullType, isObjectType, isScalarType,
} from 'graphql';
import { FIELD_POLICY } from '../../src/policy/fields';
import type { Column } from '../../src/policy/vocabulary';
import { policedSchema } from './probes';
import { selectableFields } from './schema-walk';

export interface Operation {
  query: string;
  variables: Record<string, unknown>;
}

/** Values the generator may use as arguments: the patients of the database, and some that are not. */
export interface ArgumentPool {
  patientIds: string[];
  patientNumbers: string[];
  bsns: string[];
  /** Patients to name more often (those inside the principal's gate), so that many cases carry data. */
  preferred?: { patientIds: string[]; patientNumbers: string[]; bsns: string[] };
  /** The principal's matrix column: roots open to it are drawn more often (the others still are). */
  column?: Column;
}

const NO_SUCH_PATIENT = '00000000-0000-4000-8000-00000000dead';

type G = fc.GeneratorValue;
const int = (g: G, min: number, max: number) => g(fc.integer, { min, max });
const chance = (g: G, percent: number) => int(g, 0, 99) < percent;
const pick = <T>(g: G, items: readonly T[]): T => items[int(g, 0, items.length - 1)];

/** Prints a JS value as a GraphQL literal of the given type. */
function literal(type: GraphQLInputType, value: unknown): string {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return `[${(value as unknown[]).map((v) => literal(inner.ofType, v)).join(', ')}]`;
  if (isEnumType(inner)) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

class Builder {
  private aliases = 0;
  private variables = 0;
  private fragments = 0;
  readonly declarations: string[] = [];
  readonly values: Record<string, unknown> = {};
  readonly fragmentDefinitions: string[] = [];

  constructor(private readonly g: G, private readonly pool: ArgumentPool) {}

  alias(): string {
    return `a${++this.aliases}`;
  }

  /** A patient value: one of the preferred patients more often than not. */
  private patientValue(kind: 'patientIds' | 'patientNumbers' | 'bsns'): string {
    const preferred = this.pool.preferred?.[kind] ?? [];
    return preferred.length > 0 && chance(this.g, 80) ? pick(this.g, preferred) : pick(this.g, this.pool[kind]);
  }

  /** A value for an argument, or undefined when the generator cannot make one (the field is then skipped). */
  private argValue(arg: GraphQLArgument, type: GraphQLInputType): unknown {
    const g = this.g;
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) {
      const item = getNamedType(inner.ofType);
      if (isEnumType(item)) return g(fc.subarray, item.getValues().map((v) => v.name), { minLength: 1 });
      return undefined;
    }
    if (isEnumType(inner)) return pick(g, inner.getValues().map((v) => v.name));
    if (isInputObjectType(inner) || !isScalarType(inner)) return undefined;
    switch (inner.name) {
      case 'ID':
        return chance(g, 90) ? this.patientValue('patientIds') : pick(g, [NO_SUCH_PATIENT, 'not-an-id']);
      case 'Int':
        return arg.name === 'first' ? int(g, 1, 25) : int(g, 1, 10);
      case 'Boolean':
        return g(fc.boolean);
      case 'String':
        if (arg.name === 'patientNumber') return chance(g, 90) ? this.patientValue('patientNumbers') : 'P-9999';
        if (arg.name === 'bsn') return chance(g, 90) ? this.patientValue('bsns') : '999999990';
        if (arg.name === 'studyId') return pick(g, ['STUDY-01', 'cardio.2025', 'x']);
        return undefined;
      default:
        return undefined;
    }
  }

  /** The argument list of a field, or undefined when a required argument cannot be made. */
  args(field: GraphQLField<unknown, unknown>): string | undefined {
    const parts: string[] = [];
    for (const arg of field.args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (arg.name === 'after') {
        if (required) return undefined;
        continue;
      }
      if (!required && !chance(this.g, 50)) continue;
      const value = this.argValue(arg, arg.type);
      if (value === undefined) {
        if (required) return undefined;
        continue;
      }
      if (chance(this.g, 40)) {
        const name = `v${++this.variables}`;
        this.declarations.push(`$${name}: ${String(arg.type)}`);
        this.values[name] = value;
        parts.push(`${arg.name}: $${name}`);
      } else {
        parts.push(`${arg.name}: ${literal(arg.type, value)}`);
      }
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  private directive(): string {
    const g = this.g;
    if (!chance(g, 4)) return '';
    if (chance(g, 50)) {
      const name = `b${++this.variables}`;
      this.declarations.push(`$${name}: Boolean!`);
      this.values[name] = g(fc.boolean);
      return ` @${pick(g, ['include', 'skip'])}(if: $${name})`;
    }
    return pick(g, [' @include(if: true)', ' @skip(if: false)']);
  }

  /** A random non-empty selection set of an object type. */
  selection(type: GraphQLObjectType, depth: number): string {
    const g = this.g;
    let fields = selectableFields(type);
    // Deep down only leaves, so every generated operation stays within the depth limit.
    if (depth >= 4) fields = fields.filter((f) => isLeafType(getNamedType(f.type)));
    if (fields.length === 0) return '{ __typename }';
    const chosen = g(fc.subarray, fields, { minLength: 1, maxLength: Math.min(fields.length, 12) });
    const parts: string[] = [];
    for (const field of chosen) {
      const copies = field.args.length > 0 && chance(g, 20) ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const args = this.args(field);
        if (args === undefined) continue;
        // A field with arguments always gets its own alias, so two copies never have to merge.
        // actorSubject keeps its name: the oracle recognises the access log's actors by it.
        const alias = args || (chance(g, 15) && field.name !== 'actorSubject') ? `${this.alias()}: ` : '';
        const named = getNamedType(field.type);
        const sub = isObjectType(named) ? ` ${this.selection(named, depth + 1)}` : '';
        parts.push(`${alias}${field.name}${args}${this.directive()}${sub}`);
      }
    }
    if (chance(g, 10)) parts.push('__typename');
    if (parts.length === 0) parts.push('__typename');
    // Some of it through a fragment: named (defined once, at the end) or inline.
    if (parts.length > 1 && chance(g, 30)) {
      const cut = int(g, 1, parts.length - 1);
      const moved = parts.splice(cut);
      if (chance(g, 50)) {
        const name = `F${++this.fragments}`;
        this.fragmentDefinitions.push(`fragment ${name} on ${type.name} { ${moved.join(' ')} }`);
        parts.push(`...${name}`);
      } else {
        parts.push(`... on ${type.name} { ${moved.join(' ')} }`);
      }
    }
    return `{ ${parts.join(' ')} }`;
  }
}

/**
 * The query roots the generator may use: every Query field of the policy. Those that reach
 * patient records (a patient argument, or patients or their records returned) are drawn three
 * times as often, and those open to the principal's column four times as often, so that most
 * cases carry data while refused roots still come up.
 */
function queryRoots(column: Column | undefined): GraphQLField<unknown, unknown>[] {
  const query = policedSchema().getQueryType()!;
  const roots = Object.values(query.getFields()).filter((f) => FIELD_POLICY.Query?.[f.name]?.kind === 'operation');
  const reachesRecords = (f: GraphQLField<unknown, unknown>) =>
    f.args.some((a) => /^(id|patientId|patientNumber|bsn)$/.test(a.name)) || /^(Patient|ResearchRecord)/.test(getNamedType(f.type).name);
  const openTo = (f: GraphQLField<unknown, unknown>) => {
    const policy = FIELD_POLICY.Query[f.name];
    return column !== undefined && policy.kind === 'operation' && policy.columns.includes(column);
  };
  return roots.flatMap((f) => Array.from({ length: (reachesRecords(f) ? 3 : 1) * (openTo(f) ? 4 : 1) }, () => f));
}

/** Builds one random valid operation. */
export function generateOperation(g: G, pool: ArgumentPool): Operation {
  const builder = new Builder(g, pool);
  const roots = queryRoots(pool.column);
  const count = int(g, 1, 3);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const root = pick(g, roots);
    const args = builder.args(root);
    if (args === undefined) continue;
    const named = getNamedType(root.type);
    const sub = isObjectType(named) ? ` ${builder.selection(named, 1)}` : '';
    parts.push(`${args || i > 0 ? `${builder.alias()}: ` : ''}${root.name}${args}${sub}`);
  }
  if (parts.length === 0) parts.push('me { subject }');
  const header = builder.declarations.length ? `query Generated(${builder.declarations.join(', ')})` : 'query Generated';
  return { query: [`${header} { ${parts.join(' ')} }`, ...builder.fragmentDefinitions].join('\n'), variables: builder.values };
}
