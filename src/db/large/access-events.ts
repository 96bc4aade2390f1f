/**
 * The generated access history: who looked at each generated patient's record, as NEN 7513
 * events appended after the existing ones. Content is drawn in Node (seeded per patient), `seq`
 * is taken from the log's sequence, and the rows are streamed with COPY inside the batch's
 * transaction; the next checkpoint puts them in the tree like any other event.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AccessEventContent } from '../../audit/tlog/leaf';
import { readableCategories } from '../../policy/matrix';
import type { Column } from '../../policy/vocabulary';
import { CLIENTS, CONSENT_CHANNELS } from './catalogue';
import { MEAN_ACCESS_EVENTS, PATIENT_NUMBER_OFFSET, SCENARIO_PATIENTS } from './large-patients';
import { ANCHOR_ISO, ID_TAG, largeId } from './sql-random';

/** What the events of one patient need to know about the patient's relations. */
export interface PatientRelations {
  index: number;
  id: string;
  patientNumber: string;
  gp: { subject: string; organisation: string } | null;
  clinicians: string[];
  insurer: string | null;
  transfusion: boolean;
  minor: boolean;
}

/** Reads the relations of the batch's patients (inside the batch's transaction). */
export async function relationsOf(client: Client, lo: number, hi: number): Promise<PatientRelations[]> {
  const { rows } = await client.query(
    `SELECT p.id, p.patient_number, p.birth_date > (timestamptz '${ANCHOR_ISO}' - interval '16 years')::date AS minor,
        (SELECT pr.subject || '|' || coalesce(pr.organisation, '') FROM gp_registration g JOIN practitioner pr ON pr.id = g.practitioner_id
          WHERE g.patient_id = p.id AND g.valid_to IS NULL LIMIT 1) AS gp,
        ARRAY(SELECT pr.subject FROM care_relationship c JOIN practitioner pr ON pr.id = c.practitioner_id WHERE c.patient_id = p.id ORDER BY c.id) AS clinicians,
        (SELECT insurer_id FROM insurance i WHERE i.patient_id = p.id) AS insurer,
        EXISTS (SELECT 1 FROM transfusion_record t WHERE t.patient_id = p.id) AS transfusion
       FROM patient p WHERE p.patient_number BETWEEN $1 AND $2 ORDER BY p.patient_number`,
    [`P-${PATIENT_NUMBER_OFFSET + lo}`, `P-${PATIENT_NUMBER_OFFSET + hi}`],
  );
  return rows.map((r) => {
    const [subject, organisation] = r.gp ? String(r.gp).split('|') : [];
    return {
      index: Number(String(r.patient_number).slice(2)) - PATIENT_NUMBER_OFFSET,
      id: r.id, patientNumber: r.patient_number, minor: r.minor,
      gp: subject ? { subject, organisation } : null, clinicians: r.clinicians, insurer: r.insurer, transfusion: r.transfusion,
    };
  });
}

/** A small, fast PRNG (mulberry32) seeded per patient from sha256(seed, patient). */
function prng(seed: number, index: number): () => number {
  let state = createHash('sha256').update(`large-seed:${seed}:events:${index}`).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Draft = Omit<AccessEventContent, 'seq' | 'prevHash' | 'hash'>;

const CATEGORY_CACHE = new Map<Column, string[]>();
function readable(column: Column): string[] {
  let list = CATEGORY_CACHE.get(column);
  if (!list) CATEGORY_CACHE.set(column, (list = [...readableCategories(column)]));
  return list;
}

const INSURER_SUBJECTS: Record<string, string> = { 'INS-ALPHA': 'ins-alpha', 'INS-BETA': 'ins-beta' };
const THREE_YEARS_MS = 3 * 365 * 24 * 3600 * 1000;
const ANCHOR_MS = Date.parse(ANCHOR_ISO);

/** The events of one patient, in no particular order. */
export function draftEvents(seed: number, p: PatientRelations): Draft[] {
  const r = prng(seed, p.index);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)];
  const count = p.index === SCENARIO_PATIENTS.accessLog.index
    ? SCENARIO_PATIENTS.accessLog.accessEvents
    : Math.min(120, Math.floor(-MEAN_ACCESS_EVENTS * Math.log(1 - r()) + 0.5));
  const drafts: Draft[] = [];
  for (let k = 1; k <= count; k++) {
    const at = new Date(ANCHOR_MS - Math.floor(r() * THREE_YEARS_MS));
    const requestId = [r(), r(), r(), r()].map((x) => Math.floor(x * 0x100000000).toString(16).padStart(8, '0')).join('');
    const base = {
      id: largeId(ID_TAG.accessEvent, p.index, k), at, onBehalfOf: null, patientId: p.id, breakGlassReason: null,
      requestId: `${requestId.slice(0, 8)}-${requestId.slice(8, 12)}-4${requestId.slice(13, 16)}-a${requestId.slice(17, 20)}-${requestId.slice(20)}`,
      detail: null as string | null,
    };
    const granted = (column: Column, max = 6): string[] => {
      const pool = readable(column);
      const n = 1 + Math.floor(r() * Math.min(max, pool.length));
      const chosen = new Set<string>();
      while (chosen.size < n) chosen.add(pick(pool));
      return [...chosen].sort();
    };
    const roll = r();
    if (roll < 0.4 && p.clinicians.length > 0) {
      const denied = r() < 0.1 ? ['FINANCIAL', 'INSURANCE'].slice(0, 1 + Math.floor(r() * 2)) : [];
      drafts.push({ ...base, actorSubject: pick(p.clinicians), actorRole: 'TREATING_CLINICIAN', actorOrganisation: 'LUMC', purpose: 'TREATMENT', action: 'READ',
        categoriesGranted: granted('CLIN_TREATMENT'), categoriesDenied: denied, outcome: denied.length ? 'PARTIAL' : 'GRANTED', basis: 'care-relationship', client: CLIENTS[0] });
    } else if (roll < 0.55 && p.gp) {
      const denied = r() < 0.1 ? ['DIAGNOSES'] : [];
      drafts.push({ ...base, actorSubject: p.gp.subject, actorRole: 'GP', actorOrganisation: p.gp.organisation, purpose: 'CARE_EXCHANGE', action: 'READ',
        categoriesGranted: granted('GP', 4), categoriesDenied: denied, outcome: denied.length ? 'PARTIAL' : 'GRANTED', basis: 'registered-gp', client: CLIENTS[2] });
    } else if (roll < 0.63 && p.insurer) {
      drafts.push({ ...base, actorSubject: INSURER_SUBJECTS[p.insurer] ?? p.insurer.toLowerCase(), actorRole: 'INSURER', actorOrganisation: p.insurer, purpose: 'BILLING',
        action: 'READ', categoriesGranted: granted('INSURER', 2), categoriesDenied: [], outcome: 'GRANTED', basis: 'insurer-of-patient', client: CLIENTS[4] });
    } else if (roll < 0.75) {
      const self = !p.minor;
      const consent = r() < 0.2;
      drafts.push({ ...base, actorSubject: self ? p.patientNumber : `rep-${p.patientNumber}`, actorRole: self ? 'PATIENT' : 'LEGAL_REPRESENTATIVE',
        actorOrganisation: null, purpose: 'PERSONAL_ACCESS', action: consent ? 'CREATE' : 'READ',
        categoriesGranted: consent ? ['CONSENTS'] : granted(self ? 'PATIENT' : 'REP'), categoriesDenied: [], outcome: 'GRANTED',
        basis: self ? 'self' : 'representation', client: CLIENTS[1], detail: consent ? `consent ${pick(CONSENT_CHANNELS)[0]} granted` : null });
    } else if (roll < 0.78 && p.transfusion) {
      drafts.push({ ...base, actorSubject: 'lab-trix-01', actorRole: 'AFFILIATED_LAB', actorOrganisation: 'BLOEDTRANSFUSIE-LAB', purpose: 'TRANSFUSION_SAFETY',
        action: 'READ', categoriesGranted: ['IDENTITY', 'TRANSFUSION'], categoriesDenied: [], outcome: 'GRANTED', basis: 'transfusion-record', client: null });
    } else if (roll < 0.79) {
      drafts.push({ ...base, actorSubject: 'clin-visser', actorRole: 'TREATING_CLINICIAN', actorOrganisation: 'LUMC', purpose: 'EMERGENCY', action: 'READ',
        categoriesGranted: granted('CLIN_EMERGENCY'), categoriesDenied: [], outcome: 'GRANTED', basis: 'break-the-glass', client: CLIENTS[0],
        breakGlassReason: 'Brought in unconscious at the emergency department; no care relationship yet' });
    } else if (roll < 0.8) {
      drafts.push({ ...base, actorSubject: 'dpo-01', actorRole: 'PRIVACY_OFFICER', actorOrganisation: 'LUMC', purpose: 'ACCOUNTABILITY', action: 'READ',
        categoriesGranted: ['ACCESS_LOG'], categoriesDenied: [], outcome: 'GRANTED', basis: 'accountability', client: CLIENTS[0] });
    } else if (roll < 0.83) {
      drafts.push({ ...base, actorSubject: `clin-${String(1 + Math.floor(r() * 300)).padStart(4, '0')}`, actorRole: 'TREATING_CLINICIAN', actorOrganisation: 'LUMC',
        purpose: 'TREATMENT', action: 'READ', categoriesGranted: [], categoriesDenied: [], outcome: 'DENIED', basis: null, client: CLIENTS[0],
        detail: 'patient outside the gate' });
    } else {
      drafts.push({ ...base, actorSubject: 'admin-mulder', actorRole: 'ADMIN_STAFF', actorOrganisation: 'LUMC', purpose: 'BILLING', action: 'READ',
        categoriesGranted: granted('ADMIN', 4), categoriesDenied: [], outcome: 'GRANTED', basis: 'hospital-patient', client: CLIENTS[0] });
    }
  }
  return drafts;
}

/** One COPY text-format field. */
function field(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

const COPY = `COPY access_event (id, seq, at, actor_subject, actor_role, actor_organisation, on_behalf_of, purpose, action, patient_id,
  categories_granted, categories_denied, outcome, basis, break_glass_reason, request_id, client, detail, prev_hash, hash) FROM STDIN`;

/** Appends the drafts after the existing events, oldest first. Runs inside the caller's transaction. */
export async function appendDrafts(client: Client, drafts: Draft[]): Promise<number> {
  if (drafts.length === 0) return 0;
  drafts.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
  const { rows: seqs } = await client.query<{ seq: string }>(
    `SELECT nextval('access_event_seq_seq')::text AS seq FROM generate_series(1, $1::int)`, [drafts.length]);
  const ordered = seqs.map((r) => BigInt(r.seq)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  function* lines(): Generator<string> {
    let chunk = '';
    for (let k = 0; k < drafts.length; k++) {
      const d = drafts[k];
      chunk += [
        d.id, ordered[k].toString(), d.at.toISOString(), field(d.actorSubject), d.actorRole, field(d.actorOrganisation), field(d.onBehalfOf), d.purpose,
        d.action, field(d.patientId), `{${d.categoriesGranted.join(',')}}`, `{${d.categoriesDenied.join(',')}}`, d.outcome, field(d.basis),
        field(d.breakGlassReason), field(d.requestId), field(d.client), field(d.detail), '\\N', '\\N',
      ].join('\t') + '\n';
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(COPY)));
  return drafts.length;
}
