/**
 * The per-request decision: for each patient this request touches, whether the gate holds and
 * which categories the principal may see (matrix column ∩ token scope). Gates are evaluated in
 * PostgreSQL once per request and patient; nothing outlives the request, so a withdrawn consent
 * counts from the very next request.
 */
import { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { AccessRecorder } from '../audit/recorder';
import type { GpAccessModel } from '../config';
import { readRows } from '../db/entity-rows';
import { locate, rowOwner } from '../db/row-security';
import { Sql, sql } from '../db/sql';
import { deniedFields } from '../observability/metrics';
import { inSpan } from '../observability/tracing';
import { notFound } from '../errors';
import { Patient } from '../record/patient/patient.entity';
import { GATES, bindingCondition, gateCondition } from './gates';
import type { OwnedTable } from './operations';
import { readableCategories, writableCategories } from './matrix';
import { DOCUMENT_CATEGORY, DataCategory, DocumentType } from './vocabulary';

export interface PatientDecision {
  patientId: string;
  basis: string;
  breakGlassReason: string | null;
}

/** The categories a principal may read, after the token's scope has narrowed the matrix column. */
export function effectiveCategories(principal: Principal): Set<DataCategory> {
  const categories = readableCategories(principal.column);
  if (!principal.scope) return categories;
  return new Set([...categories].filter((c) => principal.scope!.has(c)));
}

export class AccessDecisions {
  private readonly decisions = new Map<string, PatientDecision>();
  readonly readable: ReadonlySet<DataCategory>;
  readonly writable: ReadonlySet<DataCategory>;

  constructor(
    private readonly db: EntityManager,
    readonly principal: Principal,
    private readonly gpAccessModel: GpAccessModel,
    readonly recorder: AccessRecorder,
    /** Lets this request's transaction see the patient a break-the-glass lookup names (row-level security). */
    private readonly openForBreakGlass: () => Promise<void> = async () => undefined,
  ) {
    this.readable = effectiveCategories(principal);
    const writable = writableCategories(principal.column);
    // A SMART scope grants writes separately (`c`/`u`); a category scope narrows reads and writes alike.
    this.writable = new Set([...writable].filter((c) => this.readable.has(c) && (principal.writeScope?.has(c) ?? true)));
  }

  /** The gate predicate of this principal, for set-based queries (e.g. the `patients` list). */
  gate() {
    return gateCondition({ principal: this.principal, gpAccessModel: this.gpAccessModel });
  }

  /**
   * One page of the patients inside the gate, in patient-number order: decided in one statement by
   * the database's rendering of the same gate (row-security.ts), which remembers them as admitted
   * for the rest of the request, so their rows are then read without deciding again.
   */
  async gatePage(afterNumber: string, size: number): Promise<string[]> {
    const rows: Array<{ listed_id: string }> = await this.db.query(
      'SELECT listed_id FROM record_gate_page($1, $2) ORDER BY listed_position', [afterNumber, size]);
    return rows.map((r) => r.listed_id);
  }

  /**
   * Finds one patient by a key and decides the gate in the same statement, so a patient that does
   * not exist and one outside the gate cost the same (one statement, no oracle); only an admitted
   * patient's row is then loaded. `binding` applies only the token's patient binding (break-the-
   * glass opens the gate it then needs); such a lookup is recorded as a refused attempt until the
   * write that follows records its own event.
   */
  async admitByKey(key: 'id' | 'patientNumber' | 'bsn', value: string, admission: 'gate' | 'binding' = 'gate'): Promise<Patient> {
    if (admission === 'binding' && this.principal.column === 'CLIN_EMERGENCY') await this.openForBreakGlass();
    return this.admitWhere(locate(key, value), admission, 'Patient');
  }

  /** The patient owning a row (a portal note, an objection, a destruction request), decided like admitByKey. */
  async admitByRow(table: OwnedTable, rowId: string, what: string): Promise<Patient> {
    return this.admitWhere(rowOwner(table, rowId), 'gate', what);
  }

  /**
   * `owner` names the patient (record_locate / record_row_owner say which patient a key or row
   * belongs to, whatever the gate); the patient row itself is visible only inside the gate of
   * row-level security, and the gate is decided here too — all in one statement.
   */
  private async admitWhere(owner: Sql, admission: 'gate' | 'binding', what: string): Promise<Patient> {
    const condition = admission === 'gate' ? this.gate() : bindingCondition(this.principal);
    const reason = this.principal.column === 'CLIN_EMERGENCY' && admission === 'gate'
      ? sql`(SELECT bg.reason FROM break_glass_session bg WHERE bg.patient_id = p.id AND bg.clinician_subject = ${this.principal.subject}
          AND bg.expires_at > now() ORDER BY bg.opened_at DESC LIMIT 1)`
      : sql`NULL::text`;
    // record_gate on the decoy when the key names nobody: a missing patient costs one gate decision, like one outside the gate.
    const { text, params } = new Sql(['SELECT o.id, (p.id IS NOT NULL AND (', ')) AS inside, ', ' AS reason, record_gate(coalesce(o.id, record_decoy())) AS decided FROM (SELECT ', ' AS id) o LEFT JOIN patient p ON p.id = o.id'],
      [condition, reason, owner]).build();
    const [row] = await inSpan('policy.gate', { 'policy.column': this.principal.column, 'policy.patients': 1 }, async (span) => {
      const rows = await this.db.query(text, params) as Array<{ id: string; inside: boolean; reason: string | null }>;
      span.setAttribute('policy.admitted', rows[0]?.inside ? 1 : 0);
      return rows;
    });
    if (!row?.id) {
      this.recorder.refused(null, `no such ${what.toLowerCase()}`);
      throw notFound(what);
    }
    if (!row.inside) {
      this.recorder.refused(row.id, 'patient outside the gate');
      throw notFound(what);
    }
    if (admission === 'binding') this.recorder.refused(row.id, 'lookup for a write that did not complete');
    else if (!this.decisions.has(row.id)) this.record({ patientId: row.id, basis: GATES[this.principal.column].basis, breakGlassReason: row.reason });
    const [patient] = await readRows(this.db, Patient, { id: row.id });
    if (!patient) throw notFound(what);
    return patient;
  }

  /**
   * Admits patients already known to be inside the gate (selected through gate()). Under
   * EMERGENCY each access carries its break-the-glass reason (SPEC §4/§5), which needs a lookup:
   * await the result. For every other column the patients are admitted before this returns.
   */
  admitSelected(patients: Patient[]): Promise<void> {
    const fresh = patients.filter((p) => !this.decisions.has(p.id));
    const admit = (reasons: Map<string, string>) => {
      for (const p of fresh) {
        if (!this.decisions.has(p.id)) this.record({ patientId: p.id, basis: GATES[this.principal.column].basis, breakGlassReason: reasons.get(p.id) ?? null });
      }
    };
    if (this.principal.column !== 'CLIN_EMERGENCY' || fresh.length === 0) {
      admit(new Map());
      return Promise.resolve();
    }
    return this.breakGlassReasons(fresh.map((p) => p.id)).then(admit);
  }

  /** Whether the patient passed the gate in this request. */
  isAdmitted(patientId: string): boolean {
    return this.decisions.has(patientId);
  }

  /** The decision for an admitted patient. */
  decisionFor(patientId: string): PatientDecision | undefined {
    return this.decisions.get(patientId);
  }

  /** Whether a category of this patient may be released; records the outcome for the access log. */
  allows(patientId: string | undefined, category: DataCategory): boolean {
    if (!patientId || !this.decisions.has(patientId)) return false;
    const granted = this.readable.has(category);
    this.recorder.category(patientId, category, granted);
    if (!granted) deniedFields.inc({ role: this.principal.role, category });
    return granted;
  }

  /**
   * The document types whose rows may be released, out of those requested (all when none are
   * named). Records granted and withheld categories; an empty result means the field is denied.
   */
  documentTypes(patientId: string, requested?: DocumentType[] | null): DocumentType[] {
    const types = requested && requested.length > 0 ? [...new Set(requested)] : (Object.keys(DOCUMENT_CATEGORY) as DocumentType[]);
    if (!this.decisions.has(patientId)) return [];
    const categories = new Set(types.map((t) => DOCUMENT_CATEGORY[t]));
    for (const c of categories) {
      this.recorder.category(patientId, c, this.readable.has(c));
      if (!this.readable.has(c)) deniedFields.inc({ role: this.principal.role, category: c });
    }
    return types.filter((t) => this.readable.has(DOCUMENT_CATEGORY[t]));
  }

  private record(decision: PatientDecision): void {
    this.decisions.set(decision.patientId, decision);
    this.recorder.admitted(decision.patientId, decision.basis, decision.breakGlassReason);
  }

  private async breakGlassReasons(patientIds: string[]): Promise<Map<string, string>> {
    if (patientIds.length === 0) return new Map();
    const rows: Array<{ patient_id: string; reason: string }> = await this.db.query(
      `SELECT DISTINCT ON (patient_id) patient_id, reason FROM break_glass_session
        WHERE clinician_subject = $1 AND patient_id = ANY($2::uuid[]) AND expires_at > now()
        ORDER BY patient_id, opened_at DESC`,
      [this.principal.subject, patientIds],
    );
    return new Map(rows.map((r) => [r.patient_id, r.reason]));
  }
}
