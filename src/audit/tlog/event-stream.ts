/**
 * Every access event in seq order, read with one `COPY … TO STDOUT` and parsed here: the cheapest
 * way to have a million rows out of PostgreSQL (no statement per page, no row objects built by the
 * driver). The fields come out exactly as the driver's own parsers give them (AccessEventContent),
 * so an event streamed has the same leaf as one queried.
 */
import { StringDecoder } from 'node:string_decoder';
import { Client, ClientBase, types } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { AccessEventContent } from './leaf';

/** The columns in the order the parser below reads them. */
const COPY_SQL = `COPY (SELECT id, seq, at, actor_subject, actor_role, actor_organisation, on_behalf_of, purpose, action, patient_id,
  categories_granted, categories_denied, outcome, basis, break_glass_reason, request_id, client, detail, prev_hash, hash
  FROM access_event ORDER BY seq) TO STDOUT`;

// The driver's parsers for timestamptz and text[] (what a query returns for these columns).
const parseTimestamp = types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date;
// text[] has no name in the driver's list of built-in types; 1009 is its OID (pg_type).
const parseTextArray = types.getTypeParser(1009 as typeof types.builtins.TEXT, 'text') as (text: string) => string[];

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** A field of COPY's text format: \N is NULL, backslash escapes as in the PostgreSQL manual (COPY, "Text Format"). */
function field(raw: string): string | null {
  if (raw === '\\N') return null;
  if (raw.indexOf('\\') < 0) return raw;
  // Escapes may stand for single bytes (octal, hex), so the field is decoded as bytes.
  const parts: Buffer[] = [];
  let i = 0;
  while (i < raw.length) {
    const at = raw.indexOf('\\', i);
    if (at < 0 || at === raw.length - 1) {
      parts.push(Buffer.from(raw.slice(i), 'utf8'));
      break;
    }
    if (at > i) parts.push(Buffer.from(raw.slice(i, at), 'utf8'));
    const d = raw[at + 1];
    i = at + 2;
    if (d >= '0' && d <= '7') {
      let octal = d;
      while (octal.length < 3 && raw[i] >= '0' && raw[i] <= '7') octal += raw[i++];
      parts.push(Buffer.of(parseInt(octal, 8) & 0xff));
    } else if (d === 'x' && /[0-9a-fA-F]/.test(raw[i] ?? '')) {
      let hex = raw[i++];
      if (/[0-9a-fA-F]/.test(raw[i] ?? '')) hex += raw[i++];
      parts.push(Buffer.of(parseInt(hex, 16)));
    } else {
      parts.push(Buffer.from(ESCAPES[d] ?? d, 'utf8'));
    }
  }
  return Buffer.concat(parts).toString('utf8');
}

function parseRow(line: string): AccessEventContent {
  const f = line.split('\t');
  if (f.length !== 20) throw new Error(`access_event COPY row with ${f.length} fields`);
  const v = f.map(field);
  return {
    id: v[0]!, seq: v[1]!, at: parseTimestamp(v[2]!), actorSubject: v[3]!, actorRole: v[4]!, actorOrganisation: v[5], onBehalfOf: v[6],
    purpose: v[7]!, action: v[8]!, patientId: v[9], categoriesGranted: parseTextArray(v[10]!), categoriesDenied: parseTextArray(v[11]!),
    outcome: v[12]!, basis: v[13], breakGlassReason: v[14], requestId: v[15]!, client: v[16], detail: v[17], prevHash: v[18], hash: v[19],
  };
}

/**
 * The events in seq order, a batch at a time. The caller reads to the end (or the connection is
 * released with the statement still running, which the driver reports as an error).
 */
export async function* streamEventsBySeq(client: ClientBase): AsyncGenerator<AccessEventContent[]> {
  const stream = client.query(copyTo(COPY_SQL));
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + decoder.write(chunk);
    const lines = text.split('\n');
    rest = lines.pop()!;
    if (lines.length) yield lines.map(parseRow);
  }
  const tail = rest + decoder.end();
  if (tail) throw new Error('access_event COPY ended inside a row');
}

/**
 * Runs `use` over the events of the database at `url` (schema `schema`), on a connection of its
 * own: one that may be closed mid-statement when `use` stops reading early.
 */
export async function withEventsBySeq<T>(url: string, schema: string | undefined, use: (events: AsyncIterator<AccessEventContent[]>) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'access-log-verify' });
  client.on('error', () => undefined); // closing it while COPY still sends is expected
  await client.connect();
  let finished = false;
  try {
    if (schema) await client.query(`SET search_path TO ${schema}`);
    const events = streamEventsBySeq(client);
    const result = await use({
      next: async () => {
        const next = await events.next();
        if (next.done) finished = true;
        return next;
      },
    });
    return result;
  } finally {
    // Read to the end: end() ends the connection politely; otherwise close it under the statement.
    if (finished) await client.end();
    else (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }
}
