/**
 * The standalone verifier; it trusts neither the API nor the database, only the verifier key:
 *
 *   npm run verify-log -- --events <export.jsonl> --checkpoints <dir> --key <verifier key or file>
 *   npm run verify-log -- --proof <proof.json> --key <verifier key or file> [--event <event.json>]
 *
 * The first checks every event of an export (npm run export-log) against the published
 * checkpoints; the second an inclusion proof a patient was given (accessLog's `proof`). Prints
 * the result as JSON; exits 0 when it holds, 1 when it does not, 2 on wrong usage.
 */
import fs from 'node:fs';
import { parseVerifierKey } from '../audit/tlog/checkpoint';
import { readExport } from '../audit/tlog/export';
import { AccessEventContent } from '../audit/tlog/leaf';
import { verifyInclusionDocument, verifyPublishedLog } from '../audit/tlog/verify';

const USAGE = 'usage: verify-log --events <export.jsonl> --checkpoints <dir> --key <key>  |  verify-log --proof <proof.json> --key <key> [--event <event.json>]';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const keyArg = option(args, 'key');
  if (!keyArg) throw new UsageError();
  const key = parseVerifierKey(fs.existsSync(keyArg) ? fs.readFileSync(keyArg, 'utf8') : keyArg);
  const proofFile = option(args, 'proof');
  if (proofFile) {
    const eventFile = option(args, 'event');
    const event = eventFile ? (JSON.parse(fs.readFileSync(eventFile, 'utf8')) as AccessEventContent) : undefined;
    if (event) event.at = new Date(event.at);
    const result = verifyInclusionDocument(JSON.parse(fs.readFileSync(proofFile, 'utf8')), key, event);
    process.stdout.write(JSON.stringify(result) + '\n');
    return result.ok ? 0 : 1;
  }
  const eventsFile = option(args, 'events');
  const dir = option(args, 'checkpoints');
  if (!eventsFile || !dir) throw new UsageError();
  const events = readExport(eventsFile);
  const result = await verifyPublishedLog(dir, key, {
    events: async (leaves) => new Map(leaves.flatMap((l) => (events.has(l.eventId) ? [[l.eventId, events.get(l.eventId)!] as const] : []))),
  });
  process.stdout.write(JSON.stringify({ ...result, exported: events.size, pending: Math.max(0, events.size - result.treeSize) }) + '\n');
  return result.ok ? 0 : 1;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
  process.stderr.write(error instanceof UsageError ? USAGE + '\n' : `verify-log: ${(error as Error).message}\n`);
  process.exit(2);
});
