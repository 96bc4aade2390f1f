/**
 * Per-study pseudonyms (SPEC §6). A patient's pseudonym is HMAC-SHA256(key, study + patient id):
 * stable within a study, unlinkable across studies without the key. Row ids of the record are
 * replaced the same way, so no database id reaches a researcher and two studies share none, and
 * the patient's dates are shifted by a number of days taken from the same kind of HMAC.
 */
import { createHmac } from 'node:crypto';
import { badUserInput } from '../errors';

/** What a study id may look like: short, no spaces or separators that could be ambiguous. */
export const STUDY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A pseudonym as it appears in the API (and in cursors): 64 lowercase hex characters. */
export const PSEUDONYM = /^[0-9a-f]{64}$/;

/** The largest date shift, in days, either way. */
export const MAX_DATE_SHIFT_DAYS = 180;

/** Validates a study id argument (BAD_USER_INPUT otherwise). */
export function studyIdArg(studyId: string): string {
  if (!STUDY_ID.test(studyId)) throw badUserInput('studyId must be 1 to 64 letters, digits, dots, dashes or underscores');
  return studyId;
}

/** The pseudonyms of one study. Domain labels keep patient pseudonyms and row ids apart. */
export class StudyPseudonyms {
  constructor(private readonly key: Buffer, readonly studyId: string) {
    studyIdArg(studyId);
  }

  /** The patient's pseudonym in this study. */
  patient(patientId: string): string {
    return this.mac(`patient\n${this.studyId}\n${patientId}`);
  }

  /** A row of the record (diagnosis, medication, lab result) as this study sees it. */
  row(table: string, rowId: string): string {
    return this.mac(`row\n${this.studyId}\n${table}\n${rowId}`);
  }

  /**
   * The patient's date shift in this study: a whole number of days in ±MAX_DATE_SHIFT_DAYS, never 0.
   * Stable within the study (intervals between the patient's dates survive), unrelated across studies.
   */
  dateShiftDays(patientId: string): number {
    const n = Buffer.from(this.mac(`date-shift\n${this.studyId}\n${patientId}`), 'hex').readUInt32BE(0) % (2 * MAX_DATE_SHIFT_DAYS);
    return n < MAX_DATE_SHIFT_DAYS ? n - MAX_DATE_SHIFT_DAYS : n - MAX_DATE_SHIFT_DAYS + 1;
  }

  private mac(message: string): string {
    return createHmac('sha256', this.key).update(message, 'utf8').digest('hex');
  }
}
