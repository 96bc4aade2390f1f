/**
 * The oracle of the property-based leak test (and the soak): which values of the record exist, whose
 * and of which category they are, and which of them a given principal may see.
 *
 * - The truth is read through the API as the treating clinician clin-oracle (care relationship
 *   with every patient) and, for the categories a clinician may not read, as the patient: every
 *   category probe of test/support/probes.ts for every patient. Each distinctive value (a string of
 *   ≥ 6 characters, a long integer, the patient's id) gets its owners: (patient, category) pairs.
 * - Who is inside which gate is decided here again, independently of src/policy/gates.ts, from
 *   facts read with plain SQL (care relationships, registrations, consents, …) and SPEC §4 written
 *   out in TypeScript. The leak test cross-checks the two implementations.
 * - A value may appear in a response only if one of its owners is visible to the principal: the
 *   patient is inside the principal's gate and the category is readable (matrix column ∩ scope).
 */
import { readableCategories } from '../../src/policy/matrix';
import { ALL_CATEGORIES, Column, DataCategory } from '../../src/policy/vocabulary';
import { isEnumType } from 'graphql';
import { PROBES, entryOpenTo, policedSchema, stringsOf } from './probes';

/** A category of the matrix, or: the patient's id; an identifiable photo (needs PHOTOGRAPHY consent unless the viewer is the patient). */
export type OwnedCategory = DataCategory | 'HANDLE' | 'PHOTOS_IDENTIFIABLE';

export interface Owner {
  patientId: string;
  category: OwnedCategory;
}

/** What the gates of SPEC §4 depend on, for one patient, read with plain SQL. */
export interface GateFacts {
  id: string;
  patientNumber: string;
  age: number;
  managingOrganisation: string;
  careClinicians: Set<string>;
  breakGlassClinicians: Set<string>;
  registeredGps: Set<string>;
  gpViewConsent: boolean;
  gpPortalBlock: boolean;
  transfusionRecord: boolean;
  trixObjection: boolean;
  insurers: Set<string>;
  representations: Array<{ subject: string; kind: string; agreedByChild: boolean }>;
  researchConsent: boolean;
  researchObjection: boolean;
  photographyConsent: boolean;
}

/** The principal a response is judged for. */
export interface Viewer {
  column: Column;
  subject: string;
  organisation?: string;
  boundPatientNumber?: string;
  scope?: ReadonlySet<DataCategory>;
  /** exp − iat of the token. */
  lifetimeSeconds: number;
}

type Sql = <R = any>(text: string, params?: unknown[]) => Promise<R[]>;

/** The gate facts of every patient. */
export async function loadGateFacts(sql: Sql): Promise<Map<string, GateFacts>> {
  const active = (a: string) => `${a}.valid_from <= now() AND (${a}.valid_to IS NULL OR ${a}.valid_to > now())`;
  const rows = await sql(`
    SELECT p.id, p.patient_number, p.managing_organisation,
      extract(year from age(current_date, p.birth_date))::int AS age,
      ARRAY(SELECT pr.subject FROM care_relationship c JOIN practitioner pr ON pr.id = c.practitioner_id WHERE c.patient_id = p.id AND ${active('c')}) AS care,
      ARRAY(SELECT b.clinician_subject FROM break_glass_session b WHERE b.patient_id = p.id AND b.opened_at <= now() AND b.expires_at > now()) AS break_glass,
      ARRAY(SELECT pr.subject FROM gp_registration g JOIN practitioner pr ON pr.id = g.practitioner_id WHERE g.patient_id = p.id AND ${active('g')}) AS gps,
      ARRAY(SELECT c.channel FROM consent c WHERE c.patient_id = p.id AND c.granted AND c.confirmed_at IS NOT NULL AND c.withdrawn_at IS NULL) AS consents,
      ARRAY(SELECT o.kind FROM objection o WHERE o.patient_id = p.id AND o.withdrawn_at IS NULL) AS objections,
      EXISTS (SELECT 1 FROM transfusion_record t WHERE t.patient_id = p.id) AS transfusion,
      ARRAY(SELECT i.insurer_id FROM insurance i WHERE i.patient_id = p.id) AS insurers,
      coalesce((SELECT json_agg(json_build_object('subject', r.representative_subject, 'kind', r.kind, 'agreedByChild', r.agreed_by_child))
         FROM representation r WHERE r.patient_id = p.id AND ${active('r')}), '[]') AS reps
    FROM patient p`);
  return new Map(rows.map((r: any) => [r.id, {
    id: r.id,
    patientNumber: r.patient_number,
    age: r.age,
    managingOrganisation: r.managing_organisation,
    careClinicians: new Set(r.care),
    breakGlassClinicians: new Set(r.break_glass),
    registeredGps: new Set(r.gps),
    gpViewConsent: r.consents.includes('GP_VIEW'),
    gpPortalBlock: r.objections.includes('GP_PORTAL_BLOCK'),
    transfusionRecord: r.transfusion,
    trixObjection: r.objections.includes('TRIX'),
    insurers: new Set(r.insurers),
    representations: r.reps,
    researchConsent: r.consents.includes('RESEARCH'),
    researchObjection: r.objections.includes('RESEARCH'),
    photographyConsent: r.consents.includes('PHOTOGRAPHY'),
  }]));
}

/** SPEC §4 (GP access model opt-in), plus the token's patient binding. */
export function inGate(viewer: Viewer, f: GateFacts): boolean {
  if (viewer.boundPatientNumber !== undefined && viewer.boundPatientNumber !== f.patientNumber) return false;
  const gpAccess = f.gpViewConsent && !f.gpPortalBlock;
  switch (viewer.column) {
    case 'CLIN_TREATMENT': return f.careClinicians.has(viewer.subject);
    case 'CLIN_EMERGENCY': return f.breakGlassClinicians.has(viewer.subject);
    case 'ADMIN': return f.managingOrganisation === viewer.organisation;
    case 'GP': return f.registeredGps.has(viewer.subject) && gpAccess;
    case 'DUTY': return viewer.boundPatientNumber === f.patientNumber && viewer.lifetimeSeconds <= 12 * 3600 && gpAccess;
    case 'LAB': return f.transfusionRecord && !f.trixObjection;
    case 'INSURER': return viewer.organisation !== undefined && f.insurers.has(viewer.organisation);
    case 'PATIENT': return f.patientNumber === viewer.subject;
    case 'REP': return f.representations.some((r) => r.subject === viewer.subject && (
      f.age < 12 ? ['PARENT', 'GUARDIAN'].includes(r.kind)
        : f.age < 16 ? ['PARENT', 'GUARDIAN'].includes(r.kind) && r.agreedByChild
          : ['AUTHORISED', 'GUARDIAN', 'TRUSTEE', 'MENTOR'].includes(r.kind)));
    case 'RESEARCHER': return f.researchConsent && !f.researchObjection;
    case 'PRIVACY': return true;
    case 'GP_PORTAL': return false;
    default: throw new Error(`the leak oracle has no gate for column ${viewer.column as string}`);
  }
}

/** The categories a viewer may read (matrix column ∩ token scope). */
export function readableBy(viewer: Viewer): Set<DataCategory> {
  const column = readableCategories(viewer.column);
  return viewer.scope ? new Set([...column].filter((c) => viewer.scope!.has(c))) : column;
}

/** Whether the viewer may see a value of this owner. */
export function mayView(viewer: Viewer, readable: ReadonlySet<DataCategory>, owner: Owner, facts: GateFacts): boolean {
  if (!inGate(viewer, facts)) return false;
  if (owner.category === 'HANDLE') return entryOpenTo('patient', viewer.column);
  if (owner.category === 'PHOTOS_IDENTIFIABLE') {
    return readable.has(DataCategory.PHOTOS) && (viewer.column === 'PATIENT' || facts.photographyConsent);
  }
  return readable.has(owner.category);
}

/** Leaves of a response: strings and numbers, also inside JSON text (the export's `data`). */
export function leavesOf(value: unknown, out: string[] = [], key?: string): string[] {
  // The access log names its actors by subject; for a patient that is their patient number. That
  // the log shows who looked is its purpose (NEN 7513), so actor subjects are not judged as record data.
  if (key === 'actorSubject') return out;
  if (typeof value === 'string') {
    const t = value.trimStart();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        // JSON text (an export): its values are the leaves.
        leavesOf(JSON.parse(value), out);
        return out;
      } catch {
        // not JSON: the string itself is the leaf
      }
    }
    out.push(value);
  } else if (typeof value === 'number') {
    out.push(String(value));
  } else if (Array.isArray(value)) {
    for (const v of value) leavesOf(v, out);
  } else if (value && typeof value === 'object') {
    // The same log as FHIR AuditEvents names its actors in agent.who.
    const auditEvent = (value as { resourceType?: unknown }).resourceType === 'AuditEvent';
    for (const [k, v] of Object.entries(value)) {
      if (auditEvent && k === 'agent' && Array.isArray(v)) leavesOf(v.map(({ who: _who, ...agent }) => agent), out, k);
      else leavesOf(v, out, k);
    }
  }
  return out;
}

export interface Judgement {
  /** Values the viewer may not see, found in the response (with their owners). */
  leaks: Array<{ value: string; owners: Owner[] }>;
  /** Patients whose data is in the response (a value owned by that patient alone). */
  touched: Set<string>;
}

/**
 * Values also searched for inside other text (an export's narrative), not only as whole values:
 * at least 8 characters, and not a date, time or number — those recur in other formats and
 * other fields (a date inside a timestamp) and are matched as whole values only.
 */
function isSearchedInText(value: string): boolean {
  return value.length >= 8 && !/^[\d\s.:+-]+(T[\d:.]+Z?)?$/.test(value) && !/^\d{4}-\d{2}-\d{2}/.test(value);
}

export class LeakOracle {
  private readonly forbiddenCache = new Map<string, string[]>();

  constructor(
    readonly facts: Map<string, GateFacts>,
    /** Distinctive value → its owners. */
    readonly owners: Map<string, Owner[]>,
    /** Values that are not record data (practitioners, organisations, enum values). */
    readonly ambient: ReadonlySet<string>,
  ) {}

  /** The patient ids inside the viewer's gate. */
  gateOf(viewer: Viewer): Set<string> {
    return new Set([...this.facts.values()].filter((f) => inGate(viewer, f)).map((f) => f.id));
  }

  private visible(viewer: Viewer, readable: ReadonlySet<DataCategory>, owners: Owner[]): boolean {
    return owners.some((o) => mayView(viewer, readable, o, this.facts.get(o.patientId)!));
  }

  private forbiddenFor(viewer: Viewer, readable: ReadonlySet<DataCategory>): string[] {
    const key = JSON.stringify([viewer.column, viewer.subject, viewer.organisation, viewer.boundPatientNumber, viewer.scope ? [...viewer.scope].sort() : null, viewer.lifetimeSeconds > 12 * 3600]);
    let list = this.forbiddenCache.get(key);
    if (!list) {
      list = [...this.owners].filter(([value, owners]) => isSearchedInText(value) && !this.visible(viewer, readable, owners)).map(([value]) => value);
      // Bounded: random scopes make almost every viewer new in a long run.
      if (this.forbiddenCache.size >= 200) this.forbiddenCache.delete(this.forbiddenCache.keys().next().value!);
      this.forbiddenCache.set(key, list);
    }
    return list;
  }

  /**
   * Whether a forbidden value found in text is there on its own, not only as part of a longer
   * value the viewer may see (a department "Cardiologie" inside "Cardiologie [g103]").
   */
  private unmasked(viewer: Viewer, readable: ReadonlySet<DataCategory>, text: string, value: string): boolean {
    const covering = [
      ...[...this.owners].filter(([other, owners]) => other.length > value.length && other.includes(value) && text.includes(other) && this.visible(viewer, readable, owners)).map(([other]) => other),
      ...[...this.ambient].filter((other) => other.length > value.length && other.includes(value)),
    ].sort((a, b) => b.length - a.length);
    let masked = text;
    for (const other of covering) masked = masked.split(other).join('\u0001');
    return masked.includes(value);
  }

  /** Judges a parsed response body for a viewer. */
  judge(viewer: Viewer, body: unknown): Judgement {
    const readable = readableBy(viewer);
    // The principal's own claims come back in `me` (a bound duty doctor's patient number even
    // outside its gate); other values of that patient still count.
    const own = new Set([viewer.subject, viewer.organisation, viewer.boundPatientNumber].filter((v): v is string => !!v));
    const leaks: Judgement['leaks'] = [];
    const touched = new Set<string>();
    const residual: string[] = [];
    for (const leaf of leavesOf(body)) {
      if (this.ambient.has(leaf) || own.has(leaf)) continue;
      const owners = this.owners.get(leaf);
      if (!owners) {
        residual.push(leaf);
        continue;
      }
      if (!this.visible(viewer, readable, owners)) leaks.push({ value: leaf, owners });
      const patients = new Set(owners.map((o) => o.patientId));
      if (patients.size === 1) touched.add([...patients][0]);
    }
    if (residual.length > 0) {
      // Values embedded in other text (e.g. an export's narrative): searched for as substrings.
      const text = residual.join('\u0000');
      for (const value of this.forbiddenFor(viewer, readable)) {
        if (text.includes(value) && this.unmasked(viewer, readable, text, value)) leaks.push({ value, owners: this.owners.get(value)! });
      }
    }
    return { leaks, touched };
  }
}

/** How the truth of a category is read: as the oracle clinician, or as the patient (what a clinician may not read). */
export function truthReader(category: DataCategory): 'PATIENT' | 'CLIN_TREATMENT' {
  const patient = readableCategories('PATIENT');
  if (category === DataCategory.THIRD_PARTY || !patient.has(category)) return 'CLIN_TREATMENT';
  return 'PATIENT';
}

/** Columns whose category SPEC §2 fixes (text values only). */
const PINNED: Array<{ sql: string; category?: DataCategory }> = [
  { sql: 'SELECT patient_id, third_party_section AS v FROM clinical_document', category: DataCategory.THIRD_PARTY },
  { sql: 'SELECT patient_id, relative_name AS v FROM family_history_entry UNION ALL SELECT patient_id, relative_details FROM family_history_entry', category: DataCategory.THIRD_PARTY },
  { sql: 'SELECT patient_id, condition AS v FROM family_history_entry', category: DataCategory.FAMILY_HISTORY },
  { sql: 'SELECT patient_id, text AS v FROM portal_note', category: DataCategory.PORTAL_NOTES },
  { sql: 'SELECT id AS patient_id, bsn AS v FROM patient', category: DataCategory.BSN },
  { sql: 'SELECT id AS patient_id, email AS v FROM patient UNION ALL SELECT id, phone FROM patient', category: DataCategory.CONTACT },
  { sql: 'SELECT patient_id, name AS v FROM related_person', category: DataCategory.RELATIONS },
  { sql: 'SELECT patient_id, policy_number AS v FROM insurance', category: DataCategory.INSURANCE },
  { sql: 'SELECT patient_id, dbc_code AS v FROM financial_code', category: DataCategory.FINANCIAL },
  { sql: 'SELECT patient_id, religion AS v FROM special_category_data UNION ALL SELECT patient_id, ethnicity FROM special_category_data UNION ALL SELECT patient_id, sexual_behaviour FROM special_category_data', category: DataCategory.SPECIAL_CATEGORY },
  { sql: 'SELECT patient_id, unnest(irregular_antibodies) AS v FROM transfusion_record', category: DataCategory.TRANSFUSION },
  { sql: 'SELECT patient_id, display AS v FROM diagnosis UNION ALL SELECT patient_id, substance FROM allergy', category: DataCategory.DIAGNOSES },
  { sql: 'SELECT patient_id, name AS v FROM medication', category: DataCategory.MEDICATION },
  { sql: 'SELECT patient_id, display AS v FROM lab_result', category: DataCategory.LAB },
  { sql: 'SELECT patient_id, interpretation AS v FROM ecg', category: DataCategory.ECG },
  { sql: 'SELECT patient_id, conclusion AS v FROM imaging_report', category: DataCategory.IMAGING },
  { sql: `SELECT patient_id, body AS v, CASE WHEN type IN ('GP_LETTER', 'DISCHARGE_LETTER') THEN 'CORRESPONDENCE' WHEN type LIKE '%SUMMARY' THEN 'SUMMARIES' ELSE 'CLINICAL_NOTES' END AS c FROM clinical_document` },
  { sql: `SELECT patient_id, uri AS v, CASE WHEN identifiable THEN 'PHOTOS_IDENTIFIABLE' ELSE 'PHOTOS' END AS c FROM medical_photo` },
];

type Gql = (token: string, query: string, variables?: Record<string, unknown>) => Promise<{ status: number; body: any; text: string }>;

/**
 * Reads the truth of every patient through the API (the probe of every category except the
 * access log, which grows with every request) and builds the oracle.
 */
export async function buildLeakOracle(options: {
  sql: Sql;
  gql: Gql;
  /** A token of the patient itself, and of the oracle clinician. */
  patientToken(patientNumber: string): Promise<string>;
  clinicianToken(): Promise<string>;
}): Promise<LeakOracle> {
  const facts = await loadGateFacts(options.sql);
  const owners = new Map<string, Owner[]>();
  const own = (value: string, owner: Owner) => {
    const list = owners.get(value) ?? [];
    if (!list.some((o) => o.patientId === owner.patientId && o.category === owner.category)) list.push(owner);
    owners.set(value, list);
  };
  const clinician = await options.clinicianToken();
  for (const f of facts.values()) {
    own(f.id, { patientId: f.id, category: 'HANDLE' });
    const patient = await options.patientToken(f.patientNumber);
    for (const category of ALL_CATEGORIES) {
      if (category === DataCategory.ACCESS_LOG) continue;
      const probe = PROBES.get(category)!;
      const res = await options.gql(truthReader(category) === 'PATIENT' ? patient : clinician, probe.query, { id: f.id });
      const value = res.body?.data?.[probe.entry];
      if (res.status !== 200 || res.body.errors?.length || !value) {
        throw new Error(`truth of ${f.patientNumber} × ${category} failed: HTTP ${res.status} ${res.text.slice(0, 500)}`);
      }
      for (const part of probe.parts) {
        const partValue = value[part.field];
        if (category === DataCategory.PHOTOS && Array.isArray(partValue)) {
          for (const photo of partValue) {
            for (const s of stringsOf(photo)) own(s, { patientId: f.id, category: photo.identifiable ? 'PHOTOS_IDENTIFIABLE' : DataCategory.PHOTOS });
          }
          continue;
        }
        for (const s of stringsOf(partValue)) own(s, { patientId: f.id, category });
      }
    }
  }
  // Pinned values: their category comes from SPEC §2 written out here against the tables, not from
  // the API's view, so a field the policy files under the wrong category is caught as well.
  for (const pin of PINNED) {
    const pinned = new Map<string, Owner[]>();
    for (const row of await options.sql<{ patient_id: string; v: string | null; c?: string }>(pin.sql)) {
      if (row.v === null || row.v.length < 6) continue;
      const list = pinned.get(row.v) ?? [];
      list.push({ patientId: row.patient_id, category: (row.c ?? pin.category) as OwnedCategory });
      pinned.set(row.v, list);
    }
    for (const [value, list] of pinned) owners.set(value, list);
  }
  const ambient = new Set<string>();
  for (const row of await options.sql('SELECT id, subject, name, organisation FROM practitioner')) {
    for (const v of Object.values(row)) if (typeof v === 'string') ambient.add(v);
  }
  // Enum values (gender, document types, …) are vocabulary: they also appear outside the record (the research cohort's gender, `me`).
  for (const type of Object.values(policedSchema().getTypeMap())) {
    if (isEnumType(type)) for (const v of type.getValues()) ambient.add(v.name);
  }
  return new LeakOracle(facts, new Map([...owners].filter(([value]) => !ambient.has(value))), ambient);
}
