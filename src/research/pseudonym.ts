/**
 * Per-study pseudonyms (SPEC §6). A patient's pseudonym is HMAC-SHA256(key, study + patient id):
 * stable within a study, unlinkable across studies without the key. Row ids of the record are
 * replaced the same way, so no database id reaches a researcher and two studies share none.
 */
import { createHmac } from 'node:crypto';
import { badUserInput } from '../errors';

/** What a study id may look like: short, no spaces or separators that could be ambiguous. */
export const STUDY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A pseudonym as it appears in the API (and in cursors): 64 lowercase hex characters. */
export const PSEUDONYM = /^[0-9a-f]{64}$/;

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

  private mac(message: string): string {
    return createHmac('sha256', this.key).update(message, 'utf8').digest('hex');
  }
}
