/**
 * A PostgreSQL client that never crashes the process. node-postgres emits 'error' on a client
 * whose backend goes away (terminated, restarted, network cut) while no query is running on it;
 * a pooled client handed out by pg-pool has no listener of the pool's any more, and an 'error'
 * without a listener is an uncaught exception: one `pg_terminate_backend` at the wrong moment
 * took the whole API down (test/faults/backend-terminated.test.ts). The pool and TypeORM still
 * see the error through their own listeners and throw the broken client away; this one only logs.
 */
import pg from 'pg';
import { log } from '../log';

export class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', (error: Error & { code?: string }) => log.warn('database connection lost', { errorName: error.name, code: error.code }));
  }
}
