/**
 * The benchmark's statement probe, preloaded into a server under test (`node --require`): counts
 * the SQL statements of every request in that process (src/db/statement-counter.ts) into a
 * histogram the bench reads, and resets, over the child's IPC channel. The server itself never
 * tells a client how many statements its request took.
 */
import { onRequestStatements } from '../src/db/statement-counter';

let histogram = new Map<number, number>();
onRequestStatements((statements) => histogram.set(statements, (histogram.get(statements) ?? 0) + 1));

process.on('message', (message) => {
  if (message !== 'statements') return;
  const counts = Object.fromEntries(histogram);
  histogram = new Map();
  process.send?.({ statements: counts });
});
// The IPC channel must not keep the server alive, nor stop it from draining on SIGTERM.
process.channel?.unref();
