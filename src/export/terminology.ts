/**
 * The code systems the export names, and the check that a stored code may be claimed under one.
 * A lab code is sent as LOINC only when it is a well-formed LOINC code (its mod-10 check digit
 * holds) and a diagnosis as ICD-10 only when it has the shape of an ICD-10 category or subcategory;
 * anything else goes out under the hospital's local code system, so a receiver never takes a
 * made-up code for a real one (docs/fhir.md lists what the seed holds).
 */
import type { Coding } from 'fhir/r4';

export const LOINC = 'http://loinc.org';
/** ICD-10 (WHO), as HL7 names it; the Netherlands uses the WHO edition. */
export const ICD_10 = 'http://hl7.org/fhir/sid/icd-10';
/** The hospital's own code systems, for codes that are not (or not provably) from a standard one. */
export const LOCAL_LAB_CODE = 'urn:patient-record-api:code-system:lab';
export const LOCAL_DIAGNOSIS_CODE = 'urn:patient-record-api:code-system:diagnosis';

/** True when `code` is a LOINC code whose check digit is right (LOINC Users' Guide, mod 10). */
export function isLoincCode(code: string): boolean {
  const m = /^([0-9]{1,7})-([0-9])$/.exec(code);
  if (!m) return false;
  const digits = m[1].split('').reverse().map(Number);
  // Luhn: double every second digit from the right, starting with the rightmost.
  const sum = digits.reduce((s, d, i) => s + (i % 2 === 0 ? ((2 * d) % 10) + Math.floor((2 * d) / 10) : d), 0);
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

/** True when `code` has the form of an ICD-10 category (A00) or subcategory (A00.0, M10.07). */
export function isIcd10Code(code: string): boolean {
  return /^[A-Z][0-9]{2}(\.[0-9]{1,2})?$/.test(code);
}

const coding = (system: string, code: string, display: string): Coding => ({ system, code, display });

/** A lab test's coding: LOINC when the code is one, else the local lab code system. */
export function labCoding(code: string, display: string): Coding {
  return coding(isLoincCode(code) ? LOINC : LOCAL_LAB_CODE, code, display);
}

/** A diagnosis' coding: ICD-10 when the code has its form, else the local diagnosis code system. */
export function diagnosisCoding(code: string, display: string): Coding {
  return coding(isIcd10Code(code) ? ICD_10 : LOCAL_DIAGNOSIS_CODE, code, display);
}
