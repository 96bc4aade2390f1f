/**
 * k-anonymity of the research cohort over its quasi-identifiers, birth year and gender (SPEC §6).
 * Members of a birth-year/gender group smaller than k keep their record but lose both values.
 * The withheld members form a group of their own ("unknown year, unknown gender"); while it is
 * smaller than k, the next smallest groups are withheld too, so a lone withheld member cannot be
 * singled out by elimination. Group sizes are over the whole cohort, never one page.
 */

/** The quasi-identifiers of one cohort member. */
export interface QuasiIdentifiers {
  id: string;
  birthYear: number;
  gender: string;
}

/** The ids of the members whose birth year and gender are withheld for k. */
export function withheldQuasiIdentifiers(members: readonly QuasiIdentifiers[], k: number): Set<string> {
  const groups = new Map<string, string[]>();
  for (const m of members) {
    const key = `${m.birthYear}\n${m.gender}`;
    groups.set(key, [...(groups.get(key) ?? []), m.id]);
  }
  // Smallest first; ties in a fixed order so every page of a cohort agrees.
  const ordered = [...groups.entries()].sort(([ka, a], [kb, b]) => a.length - b.length || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const withheld = new Set<string>();
  for (const [, ids] of ordered) {
    if (ids.length >= k && (withheld.size === 0 || withheld.size >= k)) break;
    for (const id of ids) withheld.add(id);
  }
  return withheld;
}
