/**
 * Reads the rows of one entity with a statement prepared once per shape, hydrated by TypeORM's
 * own column metadata (types, embedded addresses), without TypeORM building the query afresh for
 * every request: for the record's lists, `find` cost more than the rows it returned. Only
 * equality and `In(…)` on columns, and an ORDER BY on columns, are needed and supported.
 */
import { EntityManager, EntityMetadata, EntityTarget, FindOperator, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

export type RowFilter = Record<string, unknown>;
export type RowOrder = Record<string, 'ASC' | 'DESC'>;

interface Shape {
  text: string;
  columns: ColumnMetadata[];
  /** Property names of the filter, in parameter order. */
  filter: string[];
}

const shapes = new WeakMap<EntityMetadata, Map<string, Shape>>();
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function columnOf(metadata: EntityMetadata, property: string): ColumnMetadata {
  const column = metadata.findColumnWithPropertyPath(property);
  if (!column) throw new Error(`${metadata.name} has no column ${property}`);
  return column;
}

const isIn = (value: unknown): value is FindOperator<unknown[]> => value instanceof FindOperator && value.type === 'in';

function shapeOf(metadata: EntityMetadata, filter: RowFilter, order: RowOrder): Shape {
  const key = JSON.stringify([Object.entries(filter).map(([k, v]) => [k, isIn(v)]), order]);
  let byKey = shapes.get(metadata);
  if (!byKey) shapes.set(metadata, (byKey = new Map()));
  let shape = byKey.get(key);
  if (!shape) {
    const columns = metadata.columns.filter((c) => c.isSelect && !c.isVirtual);
    const properties = Object.keys(filter);
    const where = properties.map((p, i) => `${quote(columnOf(metadata, p).databaseName)} ${isIn(filter[p]) ? '= ANY' : '='}($${i + 1})`);
    const orderBy = Object.entries(order).map(([p, direction]) => `${quote(columnOf(metadata, p).databaseName)} ${direction === 'DESC' ? 'DESC' : 'ASC'}`);
    const text = `SELECT ${columns.map((c, i) => `${quote(c.databaseName)} AS c${i}`).join(', ')} FROM ${metadata.tablePath.split('.').map(quote).join('.')}`
      + (where.length ? ` WHERE ${where.join(' AND ')}` : '') + (orderBy.length ? ` ORDER BY ${orderBy.join(', ')}` : '');
    byKey.set(key, (shape = { text, columns, filter: properties }));
  }
  return shape;
}

/** The rows of `entity` matching `filter` (equality, or `In(values)`), in `order`, as entities. */
export async function readRows<T extends ObjectLiteral>(db: EntityManager, entity: EntityTarget<T>, filter: RowFilter, order: RowOrder = {}): Promise<T[]> {
  const metadata = db.connection.getMetadata(entity);
  const shape = shapeOf(metadata, filter, order);
  const params = shape.filter.map((p) => {
    const value = filter[p];
    return isIn(value) ? [...value.value] : value;
  });
  const raw: Array<Record<string, unknown>> = await db.query(shape.text, params);
  const driver = db.connection.driver;
  return raw.map((row) => {
    const result = metadata.create(undefined, { fromDeserializer: true }) as T;
    shape.columns.forEach((column, i) => column.setEntityValue(result, driver.prepareHydratedValue(row[`c${i}`], column)));
    return result;
  });
}
