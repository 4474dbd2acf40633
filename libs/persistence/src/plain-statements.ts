import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The statements every scan makes (read the host's current state, extend it or add one, add
 * the scan row), written without TypeORM's query builder: building a statement there cost
 * more CPU than sqlite took to run it (about 0.3 ms per statement, most of a scan's storage
 * cost). Table and column names come from the entities' metadata and every value goes
 * through the driver's own conversions, as the builder would do.
 */

/**
 * `alias.id IN (…)` for the newest row of `table` per host of the `:...hostIds` parameter: one
 * index seek per host (on `(host_id, id)`), where `MAX(id) … GROUP BY host_id` reads every
 * index entry of those hosts, a year of scans for each.
 */
export function newestRowPerHost(table: string, alias: string): string {
  return `${alias}.id IN (SELECT (SELECT l.id FROM ${table} l WHERE l.host_id = h.id ORDER BY l.id DESC LIMIT 1) FROM hosts h WHERE h.id IN (:...hostIds))`;
}

/** Inserts one row and returns its generated id. */
export async function insertRow<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, values: Partial<T>): Promise<number> {
  const metadata = manager.connection.getMetadata(target);
  const { driver } = manager.connection;
  const { columns, params } = given(manager, metadata, values);
  const id = primaryColumn(metadata);
  const returning = driver.isReturningSqlSupported('insert') ? ` RETURNING ${driver.escape(id)}` : '';
  const sql =
    `INSERT INTO ${driver.escape(metadata.tablePath)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) ` +
    `VALUES (${columns.map((_, i) => driver.createParameter(`p${i}`, i)).join(', ')})${returning}`;
  const result: unknown = await manager.query(sql, params);
  // sqlite answers an INSERT with the new rowid; RETURNING answers with rows.
  return Number(returning ? (result as Record<string, unknown>[])[0][id] : result);
}

/** Sets `values` on the row with this id. */
export async function updateRow<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, id: number, values: Partial<T>): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  const { driver } = manager.connection;
  const { columns, params } = given(manager, metadata, values);
  const sql =
    `UPDATE ${driver.escape(metadata.tablePath)} SET ${columns.map((c, i) => `${driver.escape(c.databaseName)} = ${driver.createParameter(`p${i}`, i)}`).join(', ')} ` +
    `WHERE ${driver.escape(primaryColumn(metadata))} = ${driver.createParameter('id', columns.length)}`;
  await manager.query(sql, [...params, id]);
}

/** The properties `select` of the row with the highest id whose `column` equals `value`, or null. */
export async function lastRowWhere<T extends ObjectLiteral, K extends keyof T>(
  manager: EntityManager,
  target: EntityTarget<T>,
  column: keyof T,
  value: unknown,
  select: readonly K[],
): Promise<Pick<T, K> | null> {
  const metadata = manager.connection.getMetadata(target);
  const { driver } = manager.connection;
  const columns = select.map((property) => columnOf(metadata, property as string));
  const where = columnOf(metadata, column as string);
  const sql =
    `SELECT ${columns.map((c) => driver.escape(c.databaseName)).join(', ')} FROM ${driver.escape(metadata.tablePath)} ` +
    `WHERE ${driver.escape(where.databaseName)} = ${driver.createParameter('p0', 0)} ORDER BY ${driver.escape(primaryColumn(metadata))} DESC LIMIT 1`;
  const [row] = (await manager.query(sql, [driver.preparePersistentValue(value, where)])) as Record<string, unknown>[];
  if (!row) return null;
  return Object.fromEntries(columns.map((c) => [c.propertyName, driver.prepareHydratedValue(row[c.databaseName], c)])) as Pick<T, K>;
}

/** The columns `values` sets, and their values as the driver stores them. */
function given<T extends ObjectLiteral>(manager: EntityManager, metadata: EntityMetadata, values: Partial<T>) {
  const columns = metadata.columns.filter((c) => values[c.propertyName as keyof T] !== undefined);
  const params: unknown[] = columns.map((c) => manager.connection.driver.preparePersistentValue(values[c.propertyName as keyof T], c));
  return { columns, params };
}

function primaryColumn(metadata: EntityMetadata): string {
  return metadata.primaryColumns[0].databaseName;
}

function columnOf(metadata: EntityMetadata, property: string) {
  const column = metadata.findColumnWithPropertyName(property);
  if (!column) throw new Error(`${metadata.name} has no column ${property}`);
  return column;
}
