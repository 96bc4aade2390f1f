/**
 * Deterministic ids for the demo seed: the same key always yields the same UUID, so a reseeded
 * database (and every test that reads it) sees the same ids.
 */
import { createHash } from 'node:crypto';

const NAMESPACE = 'patient-record-demo:';

/**
 * A deterministic UUID for a key: sha256 of `patient-record-demo:` + key, shaped as 8-4-4-4-12 with
 * the version nibble 5 and the RFC 4122 variant bits (name-based, like a v5 UUID).
 */
export function demoId(key: string): string {
  const hex = createHash('sha256').update(NAMESPACE + key, 'utf8').digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The id of a demo patient by patient number, e.g. demoPatientId('P-0001'). */
export function demoPatientId(patientNumber: string): string {
  return demoId(`patient:${patientNumber}`);
}

/** The id of a demo practitioner by subject, e.g. demoPractitionerId('clin-dekker'). */
export function demoPractitionerId(subject: string): string {
  return demoId(`practitioner:${subject}`);
}
