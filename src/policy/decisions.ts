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
import { sql } from '../db/sql';
import { deniedFields } from '../observability/metrics';
import { inSpan } from '../observability/tracing';
import type { Patient } from '../record/patient/patient.entity';
import { GATES, gateCondition } from './gates';
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
  ) {
    this.readable = effectiveCategories(principal);
    const writable = writableCategories(principal.column);
    this.writable = new Set([...writable].filter((c) => this.readable.has(c)));
  }

  /** The gate predicate of this principal, for set-based queries (e.g. the `patients` list). */
  gate() {
    return gateCondition({ principal: this.principal, gpAccessModel: this.gpAccessModel });
  }

  /**
   * Evaluates the gate for these patients in one statement. Patients inside it are admitted (and
   * returned); the others are recorded as refused. The caller answers NOT_FOUND for those.
   */
  async admit(patients: Patient[], detail = 'patient outside the gate'): Promise<Patient[]> {
    const unknown = patients.filter((p) => !this.decisions.has(p.id));
    if (unknown.length > 0) {
      const { text, params } = sql`SELECT p.id FROM patient p WHERE p.id = ANY(${unknown.map((p) => p.id)}::uuid[]) AND (${this.gate()})`.build();
      const inside = await inSpan('policy.gate', { 'policy.column': this.principal.column, 'policy.patients': unknown.length }, async (span) => {
        const admitted = new Set<string>((await this.db.query(text, params)).map((r: { id: string }) => r.id));
        span.setAttribute('policy.admitted', admitted.size);
        return admitted;
      });
      const reasons = this.principal.column === 'CLIN_EMERGENCY' ? await this.breakGlassReasons([...inside]) : new Map<string, string>();
      for (const p of unknown) {
        if (inside.has(p.id)) this.record({ patientId: p.id, basis: GATES[this.principal.column].basis, breakGlassReason: reasons.get(p.id) ?? null });
        else this.recorder.refused(p.id, detail);
      }
    }
    return patients.filter((p) => this.decisions.has(p.id));
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

  /** Whether this principal may write a category of an admitted patient. */
  mayWrite(patientId: string, category: DataCategory): boolean {
    return this.decisions.has(patientId) && this.writable.has(category);
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
