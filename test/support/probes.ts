/**
 * Probes for the permission-matrix test, derived from the policy data and the executable schema:
 * for each data category, one GraphQL query that selects exactly that category's fields (with full
 * leaf selections built from the schema), and the expected answer for a principal who may read a
 * given set of categories. Nothing here hard-codes which column may read what: that comes from
 * `accessOf` / `readableCategories` (src/policy/matrix.ts) and FIELD_POLICY (src/policy/fields.ts).
 */
import 'reflect-metadata';
import { GraphQLObjectType, GraphQLSchema, getNamedType, isLeafType, isNonNullType, isObjectType } from 'graphql';
import { FIELD_POLICY, FieldPolicy } from '../../src/policy/fields';
import { buildPolicedSchema } from '../../src/schema';
import { ALL_CATEGORIES, COLUMNS, Column, DOCUMENT_CATEGORY, DataCategory, DocumentType, Role } from '../../src/policy/vocabulary';
import type { GqlResponse } from './harness';

let schema: GraphQLSchema | undefined;
/** The schema the server executes (type-graphql + shield), built once. */
export function policedSchema(): GraphQLSchema {
  return (schema ??= buildPolicedSchema(() => undefined));
}

function objectType(name: string): GraphQLObjectType {
  const t = policedSchema().getType(name);
  if (!isObjectType(t)) throw new Error(`schema has no object type ${name}`);
  return t;
}

const categoryOf = (p: FieldPolicy | undefined): DataCategory | undefined => (p?.kind === 'category' ? p.category : undefined);

/**
 * The full leaf selection of an object type as seen under `category`: every reachable field that
 * is contained or of that category; fields of another category are left out (they have their own
 * probe), as are fields without a policy (unreachable) and fields with required arguments.
 */
export function selectionOf(type: GraphQLObjectType, category: DataCategory, path: string[] = []): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    const policy = FIELD_POLICY[type.name]?.[field.name];
    if (!policy || policy.kind === 'operation') continue;
    if (policy.kind === 'category' && policy.category !== category) continue;
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && !path.includes(named.name)) parts.push(`${field.name} ${selectionOf(named, category, [...path, type.name])}`);
  }
  if (parts.length === 0) throw new Error(`no selectable field in ${type.name} for ${category}`);
  return `{ ${parts.join(' ')} }`;
}

/** One top-level Patient field of a probe. */
export interface ProbePart {
  /** The Patient field (= response key). */
  field: string;
  /** The policy of that Patient field (decides whether the field itself resolves). */
  parent: FieldPolicy;
  /** The document types requested (documents only; undefined = all types). */
  documentTypes?: DocumentType[];
  /** Fields of the probe's category nested in rows of an otherwise differently policed field (THIRD_PARTY). */
  nested?: string[];
  /** The selection text. */
  text: string;
}

export interface Probe {
  category: DataCategory;
  /** The root field the probe goes through. */
  entry: 'patient' | 'accessLog';
  parts: ProbePart[];
  query: string;
}

export const ALL_DOCUMENT_TYPES = Object.keys(DOCUMENT_CATEGORY) as DocumentType[];

/** The probe of one category. */
export function probeFor(category: DataCategory): Probe {
  const patient = objectType('Patient');
  const parts: ProbePart[] = [];
  for (const field of Object.values(patient.getFields())) {
    const policy = FIELD_POLICY.Patient[field.name];
    if (!policy) continue;
    const named = getNamedType(field.type);
    const sub = (c: DataCategory) => (isObjectType(named) ? ` ${selectionOf(named, c, ['Patient'])}` : '');
    if (categoryOf(policy) === category) {
      parts.push({ field: field.name, parent: policy, text: `${field.name}${sub(category)}` });
      continue;
    }
    if (policy.kind === 'documents') {
      const types = ALL_DOCUMENT_TYPES.filter((t) => DOCUMENT_CATEGORY[t] === category);
      if (types.length > 0) {
        parts.push({ field: field.name, parent: policy, documentTypes: types, text: `${field.name}(types: [${types.join(', ')}])${sub(category)}` });
        continue;
      }
    }
    if (isObjectType(named)) {
      const rowFields = named.getFields();
      const nested = Object.keys(rowFields).filter((f) => categoryOf(FIELD_POLICY[named.name]?.[f]) === category);
      if (nested.length > 0) {
        if (!rowFields.id) throw new Error(`${named.name} has ${category} fields but no id to tell its rows apart`);
        parts.push({ field: field.name, parent: policy, nested, text: `${field.name} { id ${nested.join(' ')} }` });
      }
    }
  }
  if (parts.length > 0) {
    return { category, entry: 'patient', parts, query: `query MatrixProbe($id: ID!) { patient(id: $id) { id ${parts.map((p) => p.text).join(' ')} } }` };
  }
  if (category === DataCategory.ACCESS_LOG) {
    // The access log is not a Patient field: it has its own entry point, decided in its resolver.
    const selection = selectionOf(objectType('AccessEventConnection'), category);
    return { category, entry: 'accessLog', parts: [], query: `query MatrixProbe($id: ID!) { accessLog(patientId: $id) ${selection} }` };
  }
  throw new Error(`no field of the schema belongs to ${category}: the matrix test cannot probe it`);
}

export const PROBES: ReadonlyMap<DataCategory, Probe> = new Map(ALL_CATEGORIES.map((c) => [c, probeFor(c)]));

/** The columns that may call a root field, from FIELD_POLICY. */
export function entryOpenTo(entry: Probe['entry'], column: Column): boolean {
  const p = FIELD_POLICY.Query[entry];
  return p?.kind === 'operation' && p.columns.includes(column);
}

// ---------------------------------------------------------------------------------------------
// Truth and expectations

/** The truth of one patient: per category, the probe's root value (patient object or access log connection). */
export type Truth = Map<DataCategory, any>;

export interface Viewer {
  column: Column;
  /** What the principal may read (matrix column, narrowed by the token's scope). */
  readable: ReadonlySet<DataCategory>;
}

export interface PatientFacts {
  id: string;
  truth: Truth;
  /** Active PHOTOGRAPHY consent: without it identifiable photos are shown to the patient only. */
  photographyConsent: boolean;
  /** Document id → type, from the truth of the document categories. */
  documentTypes: Map<string, DocumentType>;
}

/** What a viewer may see of a category value (identifiable photos need consent unless the viewer is the patient). */
function visibleValue(viewer: Viewer, facts: PatientFacts, category: DataCategory, value: any): any {
  if (category === DataCategory.PHOTOS && Array.isArray(value) && COLUMNS[viewer.column].role !== Role.PATIENT && !facts.photographyConsent) {
    return value.filter((ph: { identifiable: boolean }) => !ph.identifiable);
  }
  return value;
}

function parentAllowed(part: ProbePart, readable: ReadonlySet<DataCategory>): boolean {
  switch (part.parent.kind) {
    case 'category':
      return readable.has(part.parent.category);
    case 'documents':
      return (part.documentTypes ?? ALL_DOCUMENT_TYPES).some((t) => readable.has(DOCUMENT_CATEGORY[t]));
    default:
      return true;
  }
}

export interface Expectation {
  /** Whether the cell (category for this viewer) is released at all. */
  allowed: boolean;
  /** The expected root value (`patient` object / null); undefined = not compared (access log). */
  data: any;
  /** Expected errors, path → code; exactly these and no others. */
  errors: Record<string, string>;
  /** Strings that must not occur anywhere in the raw response. */
  mustNotContain: string[];
}

/** String values (≥ 6 characters) and long integers anywhere in a value. */
export function stringsOf(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (value.length >= 6) out.add(value);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && String(value).length >= 6) out.add(String(value));
  } else if (Array.isArray(value)) {
    for (const v of value) stringsOf(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) stringsOf(v, out);
  }
  return out;
}

/** Strings of the categories (other than `except`) the viewer may see of this patient. */
function visibleStrings(viewer: Viewer, facts: PatientFacts, except: DataCategory): Set<string> {
  const out = new Set<string>([facts.id]);
  for (const c of viewer.readable) {
    if (c === except || !entryOpenTo(PROBES.get(c)!.entry, viewer.column)) continue;
    const probe = PROBES.get(c)!;
    const value = facts.truth.get(c);
    if (probe.entry === 'accessLog') stringsOf(value, out);
    else for (const part of probe.parts) {
      if (parentAllowed(part, viewer.readable)) stringsOf(visibleValue(viewer, facts, c, value?.[part.field]), out);
    }
  }
  return out;
}

/** The expected answer of a probe for a viewer on a patient inside the viewer's gate. */
export function expectationFor(probe: Probe, viewer: Viewer, facts: PatientFacts, allTruths: Truth): Expectation {
  const category = probe.category;
  const truth = facts.truth.get(category);
  if (!entryOpenTo(probe.entry, viewer.column)) {
    // The entry point itself is closed (researchers never reach a patient): nothing of the patient at all.
    const everything = new Set<string>([facts.id]);
    for (const v of allTruths.values()) stringsOf(v, everything);
    return { allowed: false, data: null, errors: { [probe.entry]: 'FORBIDDEN' }, mustNotContain: [...everything] };
  }
  const visible = visibleStrings(viewer, facts, category);
  const leaks = (shown: unknown) => {
    const shownStrings = stringsOf(shown);
    return [...stringsOf(truth)].filter((s) => !shownStrings.has(s) && !visible.has(s));
  };
  if (probe.entry === 'accessLog') {
    const allowed = viewer.readable.has(category);
    return allowed
      ? { allowed, data: undefined, errors: {}, mustNotContain: [] }
      : { allowed, data: null, errors: { accessLog: 'FORBIDDEN' }, mustNotContain: leaks(null) };
  }

  const data: Record<string, unknown> = { id: facts.id };
  const errors: Record<string, string> = {};
  let allowed = true;
  for (const part of probe.parts) {
    const path = `patient.${part.field}`;
    const value = truth?.[part.field];
    if (!parentAllowed(part, viewer.readable)) {
      data[part.field] = null;
      errors[path] = 'FORBIDDEN';
      allowed = false;
      continue;
    }
    if (!part.nested) {
      data[part.field] = visibleValue(viewer, facts, category, value);
      continue;
    }
    // Rows of a field policed on its own, carrying fields of this category.
    let rows: Array<Record<string, unknown>> = value ?? [];
    if (part.parent.kind === 'documents') {
      rows = rows.filter((r) => {
        const type = facts.documentTypes.get(String(r.id));
        if (!type) throw new Error(`document ${String(r.id)} is missing from the truth of the document categories`);
        return viewer.readable.has(DOCUMENT_CATEGORY[type]);
      });
    }
    if (viewer.readable.has(category)) {
      data[part.field] = rows;
    } else {
      allowed = false;
      data[part.field] = rows.map((r, i) => {
        const masked: Record<string, unknown> = { ...r };
        for (const f of part.nested!) {
          masked[f] = null;
          errors[`${path}.${i}.${f}`] = 'FORBIDDEN';
        }
        return masked;
      });
    }
  }
  return { allowed, data, errors, mustNotContain: leaks(data) };
}

/** Errors of a response by path; fails on two errors at one path. */
export function errorsByPath(res: GqlResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of res.body.errors ?? []) {
    const path = (e.path ?? []).join('.');
    if (path in out) throw new Error(`two errors at ${path}: ${JSON.stringify(res.body.errors)}`);
    out[path] = String(e.extensions?.code);
  }
  return out;
}

/** Order-insensitive form for comparing lists (rows ordered by id; the policy says nothing about order). */
export function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalise);
    if (items.every((v) => v && typeof v === 'object' && 'id' in (v as object))) {
      return [...items].sort((a, b) => String((a as { id: unknown }).id).localeCompare(String((b as { id: unknown }).id)));
    }
    return items;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}
