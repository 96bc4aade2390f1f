/**
 * Counts the SQL statements each request sends, through TypeORM's logger hook and an
 * AsyncLocalStorage scope per request. The count never leaves the process in a response (it would
 * tell a client how much work its request caused); in-process listeners receive it — the N+1
 * tests, and the benchmark's probe (bench/statement-probe.ts). It never logs the statements or
 * their parameters.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'typeorm';

const scope = new AsyncLocalStorage<{ statements: number }>();

/** Runs `work` with a fresh statement counter; `onDone` receives the count. */
export function countStatements<T>(work: () => Promise<T>): { result: Promise<T>; count: () => number } {
  const counter = { statements: 0 };
  return { result: scope.run(counter, work), count: () => counter.statements };
}

/** Counts one statement in the current scope (for statements sent past TypeORM, straight to the pool). */
export function countStatement(): void {
  const counter = scope.getStore();
  if (counter) counter.statements += 1;
}

type StatementListener = (statements: number, requestId: string) => void;
const listeners = new Set<StatementListener>();

/** Receives the statement count of every request served in this process; returns the unsubscribe. */
export function onRequestStatements(listener: StatementListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Hands a finished request's count to the listeners (none in a production process). */
export function reportRequestStatements(statements: number, requestId: string): void {
  for (const listener of listeners) listener(statements, requestId);
}

/** A TypeORM logger that only counts statements of the current scope. */
export class StatementCountingLogger implements Logger {
  logQuery(): void {
    countStatement();
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
