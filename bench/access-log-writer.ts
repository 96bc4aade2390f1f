/**
 * One appending process of `npm run bench:access-log`: from `--start` (epoch ms) for `--seconds`,
 * keeps `--concurrency` appends of one event each in flight, with the tree log's append (`new`)
 * or the chain's (`old`, bench/baseline/chain-log.ts), as the API's access-log plugin makes them.
 * Prints {"events": n}.
 */
import 'reflect-metadata';
import { AccessEventInput } from '../src/audit/access-log';
import { appendAccessEventsGrouped } from '../src/audit/group-append';
import type { Principal } from '../src/auth/principal';
import { createDataSource } from '../src/db/data-source';
import { AccessAction, AccessOutcome, DataCategory, Purpose, Role } from '../src/record/enums';
import { appendChained } from './baseline/chain-log';

const arg = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1];

async function main(): Promise<void> {
  const mode = arg('mode');
  const db = createDataSource({ url: arg('url'), schema: arg('schema') });
  await db.initialize();
  const principal = { subject: 'gp-jansen', role: Role.GP, purpose: Purpose.CARE_EXCHANGE, column: 'GP', organisation: 'HUISARTS-JANSEN' } as Principal;
  const input: AccessEventInput = {
    patientId: null, action: AccessAction.READ, categoriesGranted: [DataCategory.LAB], categoriesDenied: [], outcome: AccessOutcome.GRANTED, basis: 'registered-gp',
  };
  const append = mode === 'old' ? appendChained : appendAccessEventsGrouped;
  const start = Number(arg('start'));
  const end = start + Number(arg('seconds')) * 1000;
  await new Promise((r) => setTimeout(r, Math.max(0, start - Date.now())));
  let events = 0;
  let k = 0;
  await Promise.all(Array.from({ length: Number(arg('concurrency')) }, async () => {
    while (Date.now() < end) {
      await append(db, principal, { requestId: `bench-${process.pid}-${k++}`, client: 'bench' }, [input]);
      events += 1;
    }
  }));
  await db.destroy();
  process.stdout.write(JSON.stringify({ events }) + '\n');
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error) + '\n');
  process.exit(1);
});
