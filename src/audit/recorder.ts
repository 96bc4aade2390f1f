/**
 * Collects, during one request, what was done with each patient's record: the gate's basis,
 * the categories released and withheld. The access-log plugin writes one event per patient from
 * it before the response leaves (fail closed); mutations write theirs in their own transaction.
 */
import { AccessAction, AccessOutcome, DataCategory } from '../record/enums';
import type { AccessEventInput } from './access-log';

interface PendingRead {
  patientId: string | null;
  basis: string | null;
  breakGlassReason: string | null;
  admitted: boolean;
  action: AccessAction;
  detail: string | null;
  granted: Set<DataCategory>;
  denied: Set<DataCategory>;
}

export class AccessRecorder {
  private readonly reads = new Map<string, PendingRead>();
  private readonly refusedLookups: PendingRead[] = [];
  private readonly writtenInTransaction = new Set<string>();

  /** A patient passed the gate and may now release data. */
  admitted(patientId: string, basis: string, breakGlassReason: string | null): void {
    if (!this.reads.has(patientId)) {
      this.reads.set(patientId, { patientId, basis, breakGlassReason, admitted: true, action: AccessAction.READ, detail: null, granted: new Set(), denied: new Set() });
    }
  }

  /** A lookup was refused: the patient is outside the gate, or does not exist (patientId null). */
  refused(patientId: string | null, detail: string): void {
    const entry: PendingRead = { patientId, basis: null, breakGlassReason: null, admitted: false, action: AccessAction.READ, detail, granted: new Set(), denied: new Set() };
    if (patientId === null) this.refusedLookups.push(entry);
    else if (!this.reads.has(patientId)) this.reads.set(patientId, entry);
  }

  /** A category of an admitted patient was released (granted) or withheld. */
  category(patientId: string, category: DataCategory, granted: boolean): void {
    const entry = this.reads.get(patientId);
    if (!entry) return;
    (granted ? entry.granted : entry.denied).add(category);
  }

  /** Records the access of an admitted patient as another action than READ (e.g. EXPORT), with a note. */
  describe(patientId: string, action: AccessAction, detail: string): void {
    const entry = this.reads.get(patientId);
    if (entry) {
      entry.action = action;
      entry.detail = detail;
    }
  }

  /** A mutation wrote its own event for this patient inside its transaction. */
  writtenWith(patientId: string): void {
    this.writtenInTransaction.add(patientId);
  }

  /** The READ events still to be written: one per patient touched and not already logged by a write. */
  pendingEvents(): AccessEventInput[] {
    const events: AccessEventInput[] = [];
    for (const r of [...this.reads.values(), ...this.refusedLookups]) {
      if (r.patientId && this.writtenInTransaction.has(r.patientId) && r.granted.size === 0 && r.denied.size === 0) continue;
      const granted = [...r.granted];
      const denied = [...r.denied].filter((c) => !r.granted.has(c));
      events.push({
        patientId: r.patientId,
        action: r.action,
        categoriesGranted: granted,
        categoriesDenied: denied,
        outcome: !r.admitted ? AccessOutcome.DENIED : denied.length > 0 ? AccessOutcome.PARTIAL : AccessOutcome.GRANTED,
        basis: r.basis,
        breakGlassReason: r.breakGlassReason,
        detail: r.detail,
      });
    }
    return events;
  }

  /** Whether any patient data may be in the response (an admitted patient was touched). */
  touchedPatientData(): boolean {
    return [...this.reads.values()].some((r) => r.admitted);
  }
}
