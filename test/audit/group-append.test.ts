/**
 * The access-log plugin's grouped, single-statement append, against other writers: a second API
 * process (another data source on the same database) and mutations appending in their own
 * transactions. Whoever appends in whatever order, the chain stays gap-free and verifiable.
 */
import { DataSource } from 'typeorm';
import { appendAccessEvents, AccessEventInput, verifyAccessLog } from '../../src/audit/access-log';
import { appendAccessEventsGrouped } from '../../src/audit/group-append';
import type { Principal } from '../../src/auth/principal';
import { createDataSource } from '../../src/db/data-source';
import { AccessAction, AccessOutcome, DataCategory, Purpose, Role } from '../../src/record/enums';
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let other: DataSource;
beforeAll(async () => {
  api = await startTestApi();
  other = createDataSource({ url: api.database.url, schema: api.config.databaseSchema });
  await other.initialize();
});
afterAll(async () => {
  await other?.destroy();
  await api?.close();
});

const principal = { subject: 'dpo-01', role: Role.PRIVACY_OFFICER, purpose: Purpose.ACCOUNTABILITY, column: 'PRIVACY', organisation: 'LUMC' } as Principal;
const events = (n: number): AccessEventInput[] => Array.from({ length: n }, () => ({
  patientId: null, action: AccessAction.READ, categoriesGranted: [DataCategory.ACCESS_LOG], categoriesDenied: [], outcome: AccessOutcome.GRANTED, basis: 'accountability',
}));
const meta = (requestId: string) => ({ requestId, client: 'append-alone.test' });

test('two processes and a transactional writer, interleaved, extend one chain', async () => {
  const mine = api.database.dataSource;
  const a1 = await appendAccessEventsGrouped(mine, principal, meta('a1'), events(3));
  const b1 = await appendAccessEventsGrouped(other, principal, meta('b1'), events(2));
  // `mine` still believes a1 is the tail: its next append must notice and link after b1.
  const a2 = await appendAccessEventsGrouped(mine, principal, meta('a2'), events(1));
  await mine.transaction((m) => appendAccessEvents(m, principal, meta('tx'), events(2)));
  const b2 = await appendAccessEventsGrouped(other, principal, meta('b2'), events(1));
  const seqs = [...a1, ...b1, ...a2].map((e) => BigInt(e.seq));
  expect(seqs).toEqual(seqs.map((_, k) => seqs[0] + BigInt(k)));
  expect(BigInt(b2[0].seq)).toBe(BigInt(a2[0].seq) + 3n);
  expect(await verifyAccessLog(mine, api.config)).toMatchObject({ ok: true, firstBrokenEventId: null });
});

test('many concurrent appends from two processes stay gap-free', async () => {
  const before = Number((await api.sql('SELECT count(*) AS n FROM access_event'))[0].n);
  const written = await Promise.all(Array.from({ length: 40 }, (_, k) =>
    appendAccessEventsGrouped(k % 2 ? other : api.database.dataSource, principal, meta(`c${k}`), events(1 + (k % 3)))));
  const [{ n, max }] = await api.sql('SELECT count(*)::int AS n, max(seq)::int AS max FROM access_event');
  expect(n).toBe(before + written.flat().length);
  expect(written.flat().length).toBe(79);
  expect(max).toBe(n);
  expect(await verifyAccessLog(api.database.dataSource, api.config)).toMatchObject({ ok: true });
});
