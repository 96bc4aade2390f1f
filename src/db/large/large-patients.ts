/**
 * Who the generated patients are: numbering, ids, and the few patients with a fixed shape that
 * the benchmark scenarios read. Patient `i` (1-based) depends only on the seed and `i`, never on
 * how many patients are generated, so 1,000 patients are exactly the first 1,000 of 100,000.
 */
import { ID_TAG, largeId } from './sql-random';

/** Generated patient i has number P-(100000 + i): six digits, sorted after the demo's P-0001…P-0004. */
export const PATIENT_NUMBER_OFFSET = 100000;
export const MAX_LARGE_PATIENTS = 899999;

/** The patient number of generated patient i. */
export function largePatientNumber(i: number): string {
  return `P-${PATIENT_NUMBER_OFFSET + i}`;
}

/** The id of generated patient i. */
export function largePatientId(i: number): string {
  return largeId(ID_TAG.patient, i);
}

/** Patients with a fixed shape, present in every large seed (the first five). */
export const SCENARIO_PATIENTS = {
  /** S1: gp-jansen's registered patient with GP_VIEW consent: 200 lab results, ECGs, imaging, letters and summaries. */
  gpPortal: { index: 1, age: 47, labResults: 200, ecgs: 4, imagingReports: 6, documents: 40 },
  /** S2: clin-dekker's patient (active care relationship) with 1,000 lab results and 100 documents. */
  fullRecord: { index: 2, age: 63, labResults: 1000, ecgs: 6, imagingReports: 8, documents: 100 },
  /** S4: an adult patient whose access log holds 10,000 events. */
  accessLog: { index: 3, age: 38, accessEvents: 10000 },
  /** A very large record. */
  veryLarge: { index: 4, age: 71, labResults: 6000 },
  /** S5: an adult patient who records her own consent decisions. */
  consentWriter: { index: 5, age: 29 },
} as const;

/** Besides the scenario patients, every 20,000th patient has a very large record (5,000–8,000 lab results). */
export const VERY_LARGE_EVERY = 20000;

/** Average access events per generated patient (≥ 1M events at 100k patients). */
export const MEAN_ACCESS_EVENTS = 10.5;
