/**
 * The generated hospital staff and GP practices. Their number is fixed (not scaled with the
 * patients), so patient i is linked to the same practitioners whatever the size of the run.
 * Demo principals take part too: clin-dekker has care relationships with about 1% of the
 * patients, gp-jansen and gp-peters are each the registered GP of about 3%.
 */
import { Role } from '../../record/enums';
import { DEPARTMENTS, FAMILY_NAMES } from './catalogue';
import { ID_TAG, largeId } from './sql-random';

export const GENERATED_CLINICIANS = 300;
export const GENERATED_GPS = 120;

export interface GeneratedPractitioner {
  id: string;
  subject: string;
  name: string;
  role: Role;
  organisation: string;
  /** Clinicians only: the department their care relationships are recorded under. */
  department?: string;
}

const INITIALS = 'ABCDEFGHIJKLMNPRSTW';

function doctorName(k: number): string {
  return `Dr. ${INITIALS[k % INITIALS.length]}. ${FAMILY_NAMES[(k * 7) % FAMILY_NAMES.length]}`;
}

/** Hospital clinicians clin-0001 … clin-0300 (LUMC), each in one department. */
export function generatedClinicians(): GeneratedPractitioner[] {
  return Array.from({ length: GENERATED_CLINICIANS }, (_, n) => {
    const k = n + 1;
    return {
      id: largeId(ID_TAG.practitioner, 1, k), subject: `clin-${String(k).padStart(4, '0')}`, name: doctorName(k),
      role: Role.TREATING_CLINICIAN, organisation: 'LUMC', department: DEPARTMENTS[k % DEPARTMENTS.length],
    };
  });
}

/** GPs gp-0001 … gp-0120, one practice each. */
export function generatedGps(): GeneratedPractitioner[] {
  return Array.from({ length: GENERATED_GPS }, (_, n) => {
    const k = n + 1;
    const code = String(k).padStart(4, '0');
    return { id: largeId(ID_TAG.practitioner, 2, k), subject: `gp-${code}`, name: doctorName(k + 3), role: Role.GP, organisation: `HUISARTS-${code}` };
  });
}
