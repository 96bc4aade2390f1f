/**
 * The one-pass verification reads the events with COPY and parses them itself. An event streamed
 * must have exactly the leaf of the same event queried (otherwise every verification would take
 * the slow path, or worse, agree with a wrong parse): awkward text, NULLs, arrays that need
 * quoting and timestamps with microseconds included. And the one pass must say "holds" only when
 * everything does.
 */
import { randomUUID } from 'node:crypto';
import { verifyAccessLog } from '../../src/audit/access-log';
import { checkpointNow, checkpointSigner } from '../../src/audit/tlog/checkpointer';
import { streamEventsBySeq, withEventsBySeq } from '../../src/audit/tlog/event-stream';
import { AccessEventContent, EVENT_COLUMNS, eventLeafHash } from '../../src/audit/tlog/leaf';
import { verifyInOnePass } from '../../src/audit/tlog/verify-in-one-pass';
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
}, 180_000);
afterAll(async () => {
  await api?.close();
});

const AWKWARD = ['tab\there', 'new\nline', 'back\\slash \\N', 'carriage\rreturn', 'quote " and \'', 'ünïcødé 𝄞 ✓', '\u0001\u000b\u000c\b', '{a,b}', ' ', ''];

const insert = (e: { detail: string | null; granted: string[]; at: string; client: string | null; basis: string | null }) => api.sql(
  `INSERT INTO access_event (id, at, actor_subject, actor_role, actor_organisation, on_behalf_of, purpose, action, patient_id,
     categories_granted, categories_denied, outcome, basis, break_glass_reason, request_id, client, detail)
   VALUES ($1, $2, 'clin-dekker', 'TREATING_CLINICIAN', NULL, NULL, 'TREATMENT', 'READ', NULL, $3, '{}', 'GRANTED', $4, NULL, $5, $6, $7)`,
  [randomUUID(), e.at, e.granted, e.basis, `stream-${randomUUID()}`, e.client, e.detail]);

const oneLeafPerEvent = async () => {
  const streamed = new Map<string, AccessEventContent>();
  await withEventsBySeq(api.database.url, api.config.databaseSchema, async (events) => {
    for (let next = await events.next(); !next.done; next = await events.next()) for (const e of next.value) streamed.set(e.id, e);
  });
  return streamed;
};

test('an event read with COPY has the leaf of the same event queried', async () => {
  for (const [k, text] of AWKWARD.entries()) {
    await insert({ detail: text, granted: ['LAB', text, 'with,comma', 'NULL'], at: `2026-12-03 12:00:0${k % 10}.${String(123456 + k * 111111).slice(0, 6)}+00`, client: k % 2 ? null : text, basis: k % 3 ? text : null });
  }
  const queried: AccessEventContent[] = await api.sql(`SELECT ${EVENT_COLUMNS} FROM access_event e ORDER BY e.seq`);
  const streamed = await oneLeafPerEvent();
  expect(streamed.size).toBe(queried.length);
  const differing = queried.filter((q) => !eventLeafHash(q).equals(eventLeafHash(streamed.get(q.id)!)));
  expect(differing).toEqual([]);
  // In seq order, as the one pass expects.
  const order: string[] = [];
  const client = await (api.database.dataSource.driver as unknown as { master: { connect(): Promise<any> } }).master.connect();
  try {
    for await (const batch of streamEventsBySeq(client)) order.push(...batch.map((e) => e.id));
  } finally {
    client.release();
  }
  expect(order).toEqual(queried.map((q) => q.id));
});

test('the one pass holds for an intact log and declines (for the slow path to name it) when an event was edited', async () => {
  await checkpointNow(api.database.dataSource, api.config);
  const key = checkpointSigner(api.config).verifierKey;
  const onePass = () => withEventsBySeq(api.database.url, api.config.databaseSchema, (events) => verifyInOnePass(api.config.accessLogCheckpointDir, key, events));
  const [{ n }] = await api.sql('SELECT count(*)::int AS n FROM access_event');
  expect(await onePass()).toMatchObject({ ok: true, checked: n, treeSize: n });

  const [target] = await api.sql('SELECT id, detail FROM access_event ORDER BY seq OFFSET 2 LIMIT 1');
  await api.sql('BEGIN');
  await api.sql('SET LOCAL session_replication_role = replica');
  await api.sql('UPDATE access_event SET detail = $1 WHERE id = $2', ['edited', target.id]);
  await api.sql('COMMIT');
  try {
    expect(await onePass()).toBeUndefined();
    expect(await verifyAccessLog(api.database.dataSource, api.config)).toMatchObject({ ok: false, problem: 'EVENT_EDITED', firstBrokenEventId: target.id });
  } finally {
    await api.sql('BEGIN');
    await api.sql('SET LOCAL session_replication_role = replica');
    await api.sql('UPDATE access_event SET detail = $1 WHERE id = $2', [target.detail, target.id]);
    await api.sql('COMMIT');
  }
  expect((await verifyAccessLog(api.database.dataSource, api.config)).ok).toBe(true);
});
