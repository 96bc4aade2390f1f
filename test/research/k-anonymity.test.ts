/** k-anonymity of the cohort and its setting, without a server. */
import { ConfigError, loadConfig } from '../../src/config';
import { shiftedDate, shiftedTimestamp } from '../../src/research/date-shift';
import { QuasiIdentifiers, withheldQuasiIdentifiers } from '../../src/research/k-anonymity';
import { MAX_DATE_SHIFT_DAYS, StudyPseudonyms } from '../../src/research/pseudonym';

/** `n` members born in `birthYear` with `gender`, ids prefixed by the group. */
const group = (birthYear: number, gender: string, n: number): QuasiIdentifiers[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${birthYear}-${gender}-${i}`, birthYear, gender }));
const sorted = (s: Set<string>) => [...s].sort();

describe('withheldQuasiIdentifiers', () => {
  test('groups of at least k keep birth year and gender; members of smaller groups lose them', () => {
    const members = [...group(1980, 'F', 3), ...group(1975, 'M', 3), ...group(1950, 'M', 2), ...group(2013, 'F', 1)];
    expect(sorted(withheldQuasiIdentifiers(members, 3))).toEqual(sorted(new Set([...group(1950, 'M', 2), ...group(2013, 'F', 1)].map((m) => m.id))));
  });

  test('a withheld group smaller than k takes the next smallest group with it, so no lone member stands out', () => {
    const members = [...group(1980, 'F', 4), ...group(1975, 'M', 3), ...group(1950, 'M', 1)];
    // Withholding only 1950-M would leave one record without year and gender: whoever is missing from the others.
    expect(sorted(withheldQuasiIdentifiers(members, 3))).toEqual(sorted(new Set([...group(1975, 'M', 3), ...group(1950, 'M', 1)].map((m) => m.id))));
  });

  test('a cohort smaller than k is withheld entirely; k = 2 over distinct members withholds all', () => {
    expect(withheldQuasiIdentifiers(group(1980, 'F', 4), 5).size).toBe(4);
    expect(withheldQuasiIdentifiers([...group(1980, 'F', 1), ...group(1981, 'F', 1)], 2).size).toBe(2);
  });

  test('nothing is withheld when every group reaches k, and the answer ignores member order', () => {
    const members = [...group(1980, 'F', 5), ...group(1975, 'M', 5)];
    expect(withheldQuasiIdentifiers(members, 5).size).toBe(0);
    const mixed = [...group(1980, 'F', 2), ...group(1981, 'F', 2), ...group(1982, 'M', 6)];
    expect(sorted(withheldQuasiIdentifiers([...mixed].reverse(), 3))).toEqual(sorted(withheldQuasiIdentifiers(mixed, 3)));
  });
});

describe('RESEARCH_MIN_GROUP_SIZE', () => {
  test('defaults to 5 and is read as an integer', () => {
    expect(loadConfig({}).researchMinGroupSize).toBe(5);
    expect(loadConfig({ RESEARCH_MIN_GROUP_SIZE: '11' }).researchMinGroupSize).toBe(11);
  });

  test('cannot switch suppression off: below 2, or not an integer, is refused', () => {
    for (const v of ['1', '0', '-5', '2.5', 'five']) expect(() => loadConfig({ RESEARCH_MIN_GROUP_SIZE: v })).toThrow(ConfigError);
  });
});

describe('date shifting', () => {
  const key = Buffer.from('TEST-ONLY research pseudonym key, not a secret');

  test('a shift is whole days within ±MAX_DATE_SHIFT_DAYS, never 0, stable per study and patient', () => {
    const shifts = Array.from({ length: 2000 }, (_, i) => new StudyPseudonyms(key, 'study-A').dateShiftDays(`patient-${i}`));
    for (const d of shifts) {
      expect(Number.isInteger(d)).toBe(true);
      expect(d).not.toBe(0);
      expect(Math.abs(d)).toBeLessThanOrEqual(MAX_DATE_SHIFT_DAYS);
    }
    expect(Math.min(...shifts)).toBeLessThan(-MAX_DATE_SHIFT_DAYS * 0.9);
    expect(Math.max(...shifts)).toBeGreaterThan(MAX_DATE_SHIFT_DAYS * 0.9);
    expect(new StudyPseudonyms(key, 'study-A').dateShiftDays('patient-1')).toBe(shifts[1]);
    const other = Array.from({ length: 50 }, (_, i) => new StudyPseudonyms(key, 'study-B').dateShiftDays(`patient-${i}`));
    expect(other).not.toEqual(shifts.slice(0, 50));
  });

  test('timestamps lose their time of day, dates move by calendar days', () => {
    expect(shiftedTimestamp(new Date('2024-03-01T13:45:12.345Z'), -2).toISOString()).toBe('2024-02-28T00:00:00.000Z');
    expect(shiftedTimestamp(new Date('2024-12-31T23:59:59.999Z'), 1).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(shiftedDate('2024-02-28', 1)).toBe('2024-02-29');
    expect(shiftedDate('2023-01-10', -180)).toBe('2022-07-14');
  });
});
