/**
 * Per-request DataLoaders: every list of a patient's record is loaded with one statement per
 * table for all patients of the request, so statement counts do not grow with list sizes.
 */
import DataLoader from 'dataloader';
import { EntityManager, EntityTarget, FindOptionsOrder, In, ObjectLiteral } from 'typeorm';
import { readRows, RowOrder } from '../db/entity-rows';

export class RecordLoaders {
  private readonly loaders = new Map<string, DataLoader<string, unknown[]>>();

  constructor(private readonly db: EntityManager) {}

  /**
   * The rows of a table for a patient. `where` adds a fixed filter (e.g. document types); it is
   * part of the loader's identity, so differently filtered lists never share a batch.
   */
  rowsOf<T extends ObjectLiteral & { patientId: string }>(
    entity: EntityTarget<T>,
    order: FindOptionsOrder<T>,
    patientId: string,
    where: Record<string, unknown> = {},
  ): Promise<T[]> {
    const key = `${this.db.getRepository(entity).metadata.name}:${JSON.stringify(where)}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, unknown[]>(async (ids) => {
        const rows = await readRows(this.db, entity, { ...where, patientId: In([...ids]) }, order as RowOrder);
        const byPatient = new Map<string, T[]>(ids.map((id) => [id, []]));
        for (const row of rows) byPatient.get(row.patientId)!.push(row);
        return ids.map((id) => byPatient.get(id)!);
      });
      this.loaders.set(key, loader);
    }
    return loader.load(patientId) as Promise<T[]>;
  }

  /**
   * A named loader for anything else keyed by id (authors, current GP, care team, …): `batch` gets
   * all keys of the request's tick and returns the value per key (missing keys give `fallback`).
   */
  keyed<V>(name: string, batch: (keys: string[]) => Promise<Map<string, V>>, fallback: V, key: string): Promise<V> {
    let loader = this.loaders.get(`keyed:${name}`) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(async (keys) => {
        const found = await batch([...keys]);
        return keys.map((k) => (found.has(k) ? found.get(k)! : fallback));
      });
      this.loaders.set(`keyed:${name}`, loader as unknown as DataLoader<string, unknown[]>);
    }
    return loader.load(key);
  }

  /** The single row of a one-per-patient table (insurance, transfusion record, …), or null. */
  async oneOf<T extends ObjectLiteral & { patientId: string }>(entity: EntityTarget<T>, patientId: string): Promise<T | null> {
    const rows = await this.rowsOf(entity, {} as FindOptionsOrder<T>, patientId);
    return rows[0] ?? null;
  }
}
