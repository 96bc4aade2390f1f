/**
 * The one door every Query and Mutation passes through. Before a root resolver runs, its
 * declaration (operations.ts) is applied: the matrix column, the token's scope (every category
 * the operation reads must be readable, every category it writes writable), the token's patient
 * binding and the gate — lookup and gate in one statement, so a missing patient and one outside
 * the gate cost the same. The admitted patient is handed to the resolver; resolvers never look a
 * patient up or check authority themselves. A root field without a declaration makes the schema
 * refuse to build.
 */
import { GraphQLFieldResolver, GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, defaultFieldResolver } from 'graphql';
import type { RequestContext } from '../context';
import { badUserInput, forbidden, internalError } from '../errors';
import { isValidBsn } from '../record/patient/bsn';
import type { Patient } from '../record/patient/patient.entity';
import { parseScope } from '../record/destruction/erasable';
import { studyIdArg } from '../research/pseudonym';
import { requireStudyApproval } from '../research/study-approval';
import { Categories, OPERATIONS, OperationPolicy } from './operations';
import { DOCUMENT_CATEGORY, DataCategory, DocumentType } from './vocabulary';

/** What the door let through for one root field of one request. */
export interface Admission {
  name: string;
  policy: OperationPolicy;
  /** The admitted patient, for operations that name one (argument, self, row). */
  patient: Patient | null;
  /** The categories this call reads, resolved from the declaration and the arguments. */
  reads: DataCategory[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PATIENT_NUMBER = /^P-[0-9]{4,}$/;

function argumentAt(args: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), args);
}

/** The categories a declaration names for these arguments. */
export function resolveCategories(categories: Categories, args: Record<string, unknown>): DataCategory[] {
  if (Array.isArray(categories)) return [...categories];
  const c = categories as Exclude<Categories, readonly DataCategory[]>;
  const value = argumentAt(args, c.path);
  const named: DataCategory[] = [...(c.also ?? [])];
  switch (c.via) {
    case 'documentType':
      if (typeof value === 'string' && value in DOCUMENT_CATEGORY) named.push(DOCUMENT_CATEGORY[value as DocumentType]);
      break;
    case 'thirdPartySection':
      if (value !== undefined && value !== null) named.push(DataCategory.THIRD_PARTY);
      break;
    case 'destructionScope': {
      const items = parseScope(String(value ?? ''));
      if (typeof items === 'string') throw badUserInput(items);
      named.push(...items.map((i) => i.category));
      break;
    }
  }
  return [...new Set(named)];
}

/** Validates a key argument before it reaches SQL. */
function keyValue(key: 'id' | 'patientNumber' | 'bsn', value: unknown, path: string): string {
  const text = typeof value === 'string' ? value : '';
  if (key === 'id' && !UUID.test(text)) throw badUserInput(`${path} is not a valid patient id`);
  if (key === 'patientNumber' && !PATIENT_NUMBER.test(text)) throw badUserInput(`${path} must look like P-0001`);
  if (key === 'bsn' && !isValidBsn(text)) throw badUserInput(`${path} is not a valid BSN (9 digits passing the 11-test)`);
  return key === 'id' ? text.toLowerCase() : text;
}

/** Applies one declaration to one call; throws FORBIDDEN, NOT_FOUND or BAD_USER_INPUT, or admits. */
export async function enter(ctx: RequestContext, name: string, policy: OperationPolicy, args: Record<string, unknown>): Promise<Admission> {
  const { access, principal } = ctx;
  if (!policy.columns.includes(principal.column)) throw forbidden();
  // Categories first: they depend on the token alone, so a refusal says nothing about the patient.
  const reads = resolveCategories(policy.reads, args);
  const writes = resolveCategories(policy.writes, args);
  if (reads.some((c) => !access.readable.has(c)) || writes.some((c) => !access.writable.has(c))) throw forbidden();
  if (policy.study) await requireStudyApproval(ctx.db, principal.subject, studyIdArg(String(argumentAt(args, policy.study) ?? '')));
  let patient: Patient | null = null;
  const source = policy.patient;
  switch (source.from) {
    case 'argument':
      patient = await access.admitByKey(source.key, keyValue(source.key, argumentAt(args, source.path), source.path), policy.admission ?? 'gate');
      break;
    case 'self':
      patient = await access.admitByKey('patientNumber', principal.subject);
      break;
    case 'row': {
      const id = argumentAt(args, source.path);
      if (typeof id !== 'string' || !UUID.test(id)) throw badUserInput(`${source.path} is not a valid id`);
      patient = await access.admitByRow(source.table, id.toLowerCase(), rowName(source.table));
      break;
    }
    case 'gate':
    case 'none':
      break;
  }
  if (patient) for (const c of reads) access.allows(patient.id, c);
  return { name, policy, patient, reads };
}

function rowName(table: string): string {
  const words = table.split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const admissions = new WeakMap<object, Admission>();

/** The door's admission for the root field being resolved (fails closed when the door did not run). */
export function admissionOf(info: GraphQLResolveInfo): Admission {
  const admission = admissions.get(info.path);
  if (!admission) throw internalError();
  return admission;
}

/** The patient the door admitted for this root field. */
export function admittedPatient(info: GraphQLResolveInfo): Patient {
  const patient = admissionOf(info).patient;
  if (!patient) throw internalError();
  return patient;
}

/**
 * For operations over the gate (lists): admits the patients the resolver selected through the
 * gate and records the declared categories as released for each, one access event per patient.
 */
export async function releaseListed(ctx: RequestContext, info: GraphQLResolveInfo, patients: Patient[]): Promise<void> {
  const { reads } = admissionOf(info);
  await ctx.access.admitSelected(patients);
  for (const p of patients) for (const c of reads) ctx.access.allows(p.id, c);
}

/** Puts every root field of the schema behind the door. Undeclared root fields refuse the build. */
export function applyDoor(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    const rootType = type as GraphQLObjectType;
    for (const [name, field] of Object.entries(rootType.getFields())) {
      const policy = OPERATIONS[name];
      if (!policy || policy.type !== rootType.name) throw new Error(`${rootType.name}.${name} has no declaration in src/policy/operations.ts`);
      const resolve: GraphQLFieldResolver<unknown, RequestContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = async (source, args, ctx, info) => {
        admissions.set(info.path, await enter(ctx, name, policy, args));
        return resolve(source, args, ctx, info);
      };
    }
  }
  return schema;
}
