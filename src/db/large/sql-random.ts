/**
 * Deterministic "random" values for set-based SQL. Every value is a hash of (seed, patient index,
 * row index, stream) through PostgreSQL's hashint8extended — the function hash partitioning relies
 * on, so it is stable across versions and platforms. Same seed, same data; no RNG state, so any
 * batch of patients can be generated (or regenerated) on its own.
 */

/** Names of independent value streams. Append only: a stream's number is its position. */
const STREAMS = [
  'unused', 'gender', 'given', 'family', 'age', 'birthday', 'street', 'house', 'city', 'postal', 'letters', 'phone', 'created',
  'bsn.check', 'gp.pick', 'gp.since', 'gp.previous', 'gp.previous.pick', 'care.count', 'care.dekker', 'care.pick', 'care.since',
  'care.ended', 'care.length', 'insurer', 'policy', 'consent.has', 'consent.refused', 'consent.withdrawn', 'consent.when',
  'objection.has', 'objection.withdrawn', 'objection.when', 'contact.count', 'contact.relationship', 'contact.given', 'contact.phone',
  'rep.agrees', 'encounter.count', 'encounter.kind', 'encounter.department', 'encounter.start', 'encounter.length', 'encounter.open',
  'diagnosis.count', 'diagnosis.pick', 'diagnosis.when', 'allergy.count', 'allergy.pick', 'medication.count', 'medication.pick',
  'medication.start', 'medication.ended', 'medication.length', 'lab.count', 'lab.test', 'lab.value', 'lab.when', 'ecg.count',
  'ecg.rhythm', 'ecg.interpretation', 'ecg.when', 'imaging.count', 'imaging.pick', 'imaging.when', 'imaging.ref', 'document.count',
  'document.type', 'document.when', 'document.author', 'document.opening', 'document.finding', 'document.plan', 'document.third-party',
  'document.third-party.pick', 'family.count', 'family.pick', 'family.named', 'special.has', 'special.pick', 'transfusion.has',
  'transfusion.group', 'transfusion.antibodies', 'transfusion.when', 'financial.count', 'financial.code', 'financial.when',
  'financial.length', 'financial.tariff', 'financial.open', 'photo.has', 'photo.count', 'photo.when', 'photo.identifiable',
  'note.has', 'note.count', 'note.when', 'heavy.extra', 'document.department',
] as const;
export type Stream = (typeof STREAMS)[number];

if (STREAMS.length > 256) throw new Error('at most 256 value streams fit the hash key');

/** The fixed "today" of the generated data, so the same seed gives the same dates on any day. */
export const ANCHOR_ISO = '2025-12-31T00:00:00Z';
export const ANCHOR = `timestamptz '${ANCHOR_ISO}'`;
export const ANCHOR_DATE = `date '${ANCHOR_ISO.slice(0, 10)}'`;

/** SQL generators bound to one seed. `patient` and `row` are SQL expressions (default `i` and 0). */
export class SqlDraw {
  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error('the seed must be an integer');
  }

  /** A uniform value in [0, 1). */
  u(stream: Stream, row = '0', patient = 'i'): string {
    const n = STREAMS.indexOf(stream);
    return `((hashint8extended((${patient})::bigint * 4294967296 + (${row})::bigint * 256 + ${n}, ${this.seed}::bigint) & 2147483647)::float8 / 2147483648.0)`;
  }

  /** An integer in [0, n). */
  int(stream: Stream, n: number, row = '0', patient = 'i'): string {
    return `floor(${this.u(stream, row, patient)} * ${n})::int`;
  }

  /**
   * A count with the given mean: exponentially distributed (many small records, a long tail of
   * large ones), capped.
   */
  count(stream: Stream, mean: number, cap: number, patient = 'i'): string {
    return `least(${cap}, floor(-${mean} * ln(1.0 - ${this.u(stream, '0', patient)}) + 0.5))::int`;
  }

  /** A weighted choice: the index (0-based) of the share the draw falls into. */
  weighted(stream: Stream, shares: number[], row = '0', patient = 'i'): string {
    const total = shares.reduce((a, b) => a + b, 0);
    let cumulative = 0;
    const u = this.u(stream, row, patient);
    const whens = shares.slice(0, -1).map((share, k) => {
      cumulative += share / total;
      return `WHEN ${u} < ${cumulative.toFixed(6)} THEN ${k}`;
    });
    return `(CASE ${whens.join(' ')} ELSE ${shares.length - 1} END)`;
  }

  /** One of a list of constant strings. */
  pick(stream: Stream, values: readonly string[], row = '0', patient = 'i'): string {
    return `(${literalArray(values)})[1 + ${this.int(stream, values.length, row, patient)}]`;
  }
}

/** A SQL string literal for a constant of ours (never for input). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A SQL text[] literal. */
export function literalArray(values: readonly string[]): string {
  return `ARRAY[${values.map(literal).join(', ')}]::text[]`;
}

/** Table tags inside generated ids: the first four hex digits say which table a row belongs to. */
export const ID_TAG = {
  patient: 0x1a01, practitioner: 0x1a02, careRelationship: 0x1a03, gpRegistration: 0x1a04, insurance: 0x1a05, consent: 0x1a06,
  objection: 0x1a07, relatedPerson: 0x1a08, representation: 0x1a09, encounter: 0x1a0a, diagnosis: 0x1a0b, allergy: 0x1a0c,
  medication: 0x1a0d, labResult: 0x1a0e, ecg: 0x1a0f, imagingReport: 0x1a10, clinicalDocument: 0x1a11, familyHistory: 0x1a12,
  specialCategory: 0x1a13, transfusion: 0x1a14, financialCode: 0x1a15, photo: 0x1a16, portalNote: 0x1a17, accessEvent: 0x1a18,
} as const;

/**
 * A deterministic id: table tag, patient index and row index as hex. Ordered by patient, so each
 * batch appends to the right edge of the primary-key index instead of scattering across it.
 */
export function sqlId(tag: number, patient = 'i', row = '0'): string {
  return `(lpad(to_hex(${tag}), 4, '0') || lpad(to_hex((${patient})::bigint), 12, '0') || lpad(to_hex((${row})::bigint), 16, '0'))::uuid`;
}

/** The same id computed in JavaScript. */
export function largeId(tag: number, patient: number, row = 0): string {
  const hex = tag.toString(16).padStart(4, '0') + patient.toString(16).padStart(12, '0') + row.toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
