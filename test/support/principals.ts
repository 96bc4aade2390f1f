/**
 * Random principals for the property-based leak test and the soak: any column of the matrix, any
 * of its subjects (every patient for PATIENT), with or without a random scope, bound to a patient
 * or not, expired or not — and the Viewer the leak oracle judges their responses for.
 */
import fc from 'fast-check';
import { DEMO_PRINCIPALS } from '../../src/db/demo/directory';
import { MATRIX_COLUMNS } from '../../src/policy/matrix';
import { ALL_CATEGORIES, COLUMNS, Column, DataCategory } from '../../src/policy/vocabulary';
import type { Viewer } from './leak-oracle';

export interface DrawnPrincipal {
  column: Column;
  subject: string;
  bound?: string;
  scope?: DataCategory[];
  expired: boolean;
  ttlSeconds: number;
}

/** The subjects that act in a column (every patient for PATIENT; both clinicians for EMERGENCY). */
export function subjectsOf(column: Column, patientNumbers: readonly string[]): string[] {
  if (column === 'PATIENT') return [...patientNumbers];
  if (column === 'CLIN_EMERGENCY') return ['clin-visser', 'clin-dekker'];
  return DEMO_PRINCIPALS.filter((p) => p.role === COLUMNS[column].role).map((p) => p.subject);
}

/** The viewer the oracle judges a principal's responses for. */
export function viewerOf(column: Column, subject: string, drawn: Partial<DrawnPrincipal> = {}): Viewer {
  return {
    column,
    subject,
    organisation: DEMO_PRINCIPALS.find((p) => p.subject === subject)?.organisation,
    boundPatientNumber: column === 'PATIENT' ? subject : drawn.bound,
    scope: drawn.scope ? new Set(drawn.scope) : undefined,
    lifetimeSeconds: drawn.ttlSeconds ?? 900,
  };
}

/** Draws a principal; `expiredOneIn` = 10 makes one token in ten an expired one. */
export function drawPrincipal(g: fc.GeneratorValue, patientNumbers: readonly string[], expiredOneIn = 10): DrawnPrincipal {
  const column = g(fc.constantFrom, ...MATRIX_COLUMNS);
  const subject = g(fc.constantFrom, ...subjectsOf(column, patientNumbers));
  const bound = column === 'DUTY' ? g(fc.constantFrom, ...patientNumbers)
    : column !== 'PATIENT' && g(fc.integer, { min: 0, max: 3 }) === 0 ? g(fc.constantFrom, ...patientNumbers) : undefined;
  const scope = g(fc.boolean) ? g(fc.subarray, [...ALL_CATEGORIES], { minLength: 1 }) : undefined;
  const expired = expiredOneIn > 0 && g(fc.integer, { min: 0, max: expiredOneIn - 1 }) === 0;
  const ttlSeconds = column === 'DUTY' ? g(fc.constantFrom, 3600, 12 * 3600) : 900;
  return { column, subject, bound, scope, expired, ttlSeconds };
}
