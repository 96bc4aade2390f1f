/**
 * Liveness and readiness for orchestrators and load balancers. /healthz says the process serves
 * HTTP; /readyz says it can serve requests correctly: the database answers and every migration
 * this build knows has been applied, and the token keys can be used (a replica of an older or newer build must not take traffic
 * on a schema it was not written for).
 */
import { DataSource } from 'typeorm';

export interface Readiness {
  ready: boolean;
  status: 'ready' | 'database unavailable' | 'migrations pending' | 'signing keys unavailable' | 'draining';
  /** Names of migrations of this build that the database lacks. */
  pending?: string[];
}

/**
 * Checks the database, the applied migrations against this build's list, and (when given) that the
 * token verification keys can be used: without them every request would be refused with 503.
 */
export async function readiness(db: DataSource, keysReady: () => Promise<void> = async () => undefined): Promise<Readiness> {
  let applied: Set<string>;
  try {
    const table = db.options.migrationsTableName ?? 'migrations';
    const rows: Array<{ name: string }> = await db.query(`SELECT name FROM "${table}"`);
    applied = new Set(rows.map((r) => r.name));
  } catch {
    return { ready: false, status: 'database unavailable' };
  }
  const pending = db.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.has(name));
  if (pending.length > 0) return { ready: false, status: 'migrations pending', pending };
  try {
    await keysReady();
  } catch {
    return { ready: false, status: 'signing keys unavailable' };
  }
  return { ready: true, status: 'ready' };
}
