/**
 * Dates as a study sees them (SPEC §6): every date and timestamp of a released row moves by the
 * patient's per-study shift, and timestamps are coarsened to their (UTC) day first, so neither
 * the exact time of an event nor its calendar date links one study's record to another's.
 * Which properties are dates comes from the entity's column types, so a date column added later
 * is shifted too.
 */
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

const DAY_MS = 86_400_000;
const TIMESTAMP_TYPES = new Set<unknown>(['timestamptz', 'timestamp', 'timestamp with time zone', 'timestamp without time zone', Date]);
const DATE_TYPES = new Set<unknown>(['date']);

/** A timestamp coarsened to the start of its UTC day, then moved by `days`. */
export function shiftedTimestamp(at: Date, days: number): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS + days * DAY_MS);
}

/** A calendar date (YYYY-MM-DD, or a Date) moved by `days`, as YYYY-MM-DD. */
export function shiftedDate(date: string | Date, days: number): string {
  const day = typeof date === 'string' ? Date.parse(`${date.slice(0, 10)}T00:00:00Z`) : date.getTime();
  if (Number.isNaN(day)) throw new Error('shiftedDate: not a date');
  return shiftedTimestamp(new Date(day), days).toISOString().slice(0, 10);
}

/** The rows with every date and timestamp column of `entity` moved by `days` (null stays null). */
export function withShiftedDates<T extends ObjectLiteral>(db: EntityManager, entity: EntityTarget<T>, rows: T[], days: number): T[] {
  const columns = db.connection.getMetadata(entity).columns;
  const timestamps = columns.filter((c) => TIMESTAMP_TYPES.has(c.type)).map((c) => c.propertyName);
  const dates = columns.filter((c) => DATE_TYPES.has(c.type)).map((c) => c.propertyName);
  return rows.map((row) => {
    const out: ObjectLiteral = { ...row };
    for (const [name, value] of Object.entries(out)) {
      if (value === null || value === undefined) continue;
      // Any Date value counts as a timestamp, declared as one or not: nothing exact slips through.
      if (value instanceof Date || timestamps.includes(name)) out[name] = shiftedTimestamp(value instanceof Date ? value : new Date(String(value)), days);
      else if (dates.includes(name)) out[name] = shiftedDate(value as string, days);
    }
    return out as T;
  });
}
