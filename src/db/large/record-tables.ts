/**
 * The set-based statements that create one batch of generated patients and their record: one
 * INSERT … SELECT over generate_series per table, parameterised by the batch's first and last
 * patient index ($1, $2). Values are hash-derived (sql-random.ts); lists of values come from the
 * session's catalogue tables (catalogue-tables.ts).
 */
import {
  ABO_RH, ALLERGIES, CITIES, DEPARTMENTS, DIAGNOSES, DOCUMENT_FINDINGS, DOCUMENT_OPENINGS, DOCUMENT_PLANS, DOCUMENT_TYPES, ECG_INTERPRETATIONS,
  ECG_RHYTHMS, FAMILY_HISTORY, FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE, IMAGING, INSURERS, LAB_TESTS, MEDICATIONS, RELATIONSHIPS, STREETS,
  THIRD_PARTY_SECTIONS,
} from './catalogue';
import { GENERATED_CLINICIANS, GENERATED_GPS } from './practitioners';
import { PATIENT_NUMBER_OFFSET, SCENARIO_PATIENTS as S, VERY_LARGE_EVERY } from './large-patients';
import { ANCHOR, ANCHOR_DATE, ID_TAG, SqlDraw, literalArray, sqlId } from './sql-random';

export interface TableStatement {
  table: string;
  text: string;
}

const SERIES = 'generate_series($1::int, $2::int) AS i';
const PATIENT_ID = sqlId(ID_TAG.patient);
const PATIENT_NUMBER = `('P-' || (${PATIENT_NUMBER_OFFSET} + i))`;

/** A scenario patient's fixed value, else the drawn one. */
function fixed(by: Array<[index: number, value: number | undefined]>, otherwise: string): string {
  const whens = by.filter(([, v]) => v !== undefined).map(([index, v]) => `WHEN ${index} THEN ${v}`);
  return whens.length ? `(CASE i ${whens.join(' ')} ELSE ${otherwise} END)` : otherwise;
}

/** Per-patient values that several tables need; each is the same expression wherever it is used. */
export function patientTraits(d: SqlDraw) {
  const age = fixed(Object.values(S).map((p) => [p.index, p.age]), `floor(97 * power(${d.u('age')}, 0.85))::int`);
  const birthDate = `(${ANCHOR_DATE} - ((${age}) * 365.25)::int - ${d.int('birthday', 365)})`;
  const gender = `(ARRAY['FEMALE', 'MALE', 'OTHER', 'UNKNOWN'])[1 + ${d.weighted('gender', [0.505, 0.485, 0.005, 0.005])}]`;
  const family = d.pick('family', FAMILY_NAMES);
  const minor = `((${age}) < 16)`;
  return { age, birthDate, gender, family, minor };
}

/** The first digits of the BSN: a bijection of i (4,999,999 is coprime with 7,000,000), shifted by the seed. */
function bsnPrefix(seed: number): string {
  const offset = Number((BigInt(seed) * 104729n) % 7000000n + 7000000n) % 7000000;
  return `(3000000 + ((i::bigint * 4999999 + ${offset}) % 7000000))`;
}

/** Lab results of patient i: 50 on average; scenario and very large records fixed. */
export function labCount(d: SqlDraw): string {
  const drawn = `(CASE WHEN i % ${VERY_LARGE_EVERY} = 0 THEN 5000 + ${d.int('heavy.extra', 3000)} ELSE ${d.count('lab.count', 50, 400)} END)`;
  return fixed([[S.gpPortal.index, S.gpPortal.labResults], [S.fullRecord.index, S.fullRecord.labResults], [S.veryLarge.index, S.veryLarge.labResults]], drawn);
}

/** The generated patient rows of the batch $1…$2 (also used to check which seed made a database). */
export function patientSelect(seed: number): string {
  const d = new SqlDraw(seed);
  const t = patientTraits(d);
  const mod11 = (x: string) => `mod(mod(${x}, 11) + 11, 11)`;
  const cityIndex = d.int('city', CITIES.length);
  return `SELECT ${PATIENT_ID}, ${PATIENT_NUMBER}, x.given, x.family, x.birth_date, x.gender,
          lpad(b.p7::text, 7, '0') || ${mod11('6 * (c.d9 - b.s7)')} || c.d9 AS bsn,
          '+31 6 ' || lpad(${d.int('phone', 100000000)}::text, 8, '0'),
          lower(replace(x.given, ' ', '')) || '.' || lower(replace(x.family, ' ', '')) || (i % 997) || '@example.nl',
          'LUMC', greatest(x.birth_date::timestamptz, ${ANCHOR} - ${d.u('created')} * interval '3650 days'),
          ${d.pick('street', STREETS)}, (1 + ${d.int('house', 180)})::text,
          ((${literalArray(CITIES.map(([, base]) => String(base)))})[1 + ${cityIndex}]::int + ${d.int('postal', 30)}) || ' '
            || chr(65 + ${d.int('letters', 676)} / 26) || chr(65 + ${d.int('letters', 676)} % 26),
          (${literalArray(CITIES.map(([city]) => city))})[1 + ${cityIndex}], 'NL'
        FROM ${SERIES}
        CROSS JOIN LATERAL (SELECT g.gender, ${t.family} AS family, ${t.birthDate} AS birth_date,
            CASE WHEN g.gender = 'MALE' THEN ${d.pick('given', GIVEN_MALE)} ELSE ${d.pick('given', GIVEN_FEMALE)} END AS given
          FROM (SELECT ${t.gender} AS gender) g) x
        CROSS JOIN LATERAL (SELECT p7, 9 * (p7 / 1000000 % 10) + 8 * (p7 / 100000 % 10) + 7 * (p7 / 10000 % 10) + 6 * (p7 / 1000 % 10)
            + 5 * (p7 / 100 % 10) + 4 * (p7 / 10 % 10) + 3 * (p7 % 10) AS s7
          FROM (SELECT ${bsnPrefix(seed)} AS p7) q) b
        -- The 11-test: choose the last digit, then the eighth digit that makes the sum divisible by 11 (2 × 6 ≡ 1 mod 11).
        CROSS JOIN LATERAL (SELECT CASE WHEN ${mod11(`6 * (${d.int('bsn.check', 10)} - b.s7)`)} = 10
            THEN (${d.int('bsn.check', 10)} + 1) % 10 ELSE ${d.int('bsn.check', 10)} END AS d9) c`;
}

/** Every statement for one batch, in dependency order (patients first). */
export function recordStatements(seed: number): TableStatement[] {
  const d = new SqlDraw(seed);
  const t = patientTraits(d);
  const gpPick = fixed([[S.gpPortal.index, 0]],
    `(CASE WHEN ${d.u('gp.pick')} < 0.03 THEN 0 WHEN ${d.u('gp.pick')} < 0.06 THEN 1 ELSE 2 + floor((${d.u('gp.pick')} - 0.06) / 0.94 * ${GENERATED_GPS})::int END)`);
  const gpSince = `greatest((${t.birthDate})::timestamptz, ${ANCHOR} - ${d.u('gp.since')} * interval '7300 days')`;
  const rows = (count: string) => `${SERIES} CROSS JOIN LATERAL generate_series(1, ${count}) AS j`;
  const when = (stream: Parameters<SqlDraw['u']>[0], days: number, row = 'j') => `date_trunc('minute', ${ANCHOR} - ${d.u(stream, row)} * interval '${days} days')`;

  return [
    {
      table: 'patient',
      text: `INSERT INTO patient (id, patient_number, given_name, family_name, birth_date, gender, bsn, phone, email, managing_organisation,
          created_at, address_street, address_house_number, address_postal_code, address_city, address_country)
        ${patientSelect(seed)}`,
    },
    {
      table: 'gp_registration',
      text: `INSERT INTO gp_registration (id, patient_id, practitioner_id, valid_from, valid_to)
        SELECT ${sqlId(ID_TAG.gpRegistration, 'i', '1')}, ${PATIENT_ID}, g.id, ${gpSince}, NULL
          FROM ${SERIES} JOIN large_gp g ON g.k = ${gpPick}
        UNION ALL
        SELECT ${sqlId(ID_TAG.gpRegistration, 'i', '2')}, ${PATIENT_ID}, g.id,
            ${gpSince} - (30 + ${d.int('gp.previous', 5000)}) * interval '1 day', ${gpSince}
          FROM ${SERIES} JOIN large_gp g ON g.k = 2 + ${d.int('gp.previous.pick', GENERATED_GPS)}
         WHERE ${d.u('gp.previous')} < 0.1 AND ${t.age} >= 18`,
    },
    {
      table: 'care_relationship',
      text: `INSERT INTO care_relationship (id, patient_id, practitioner_id, department, valid_from, valid_to)
        SELECT ${sqlId(ID_TAG.careRelationship, 'i', 'j')}, ${PATIENT_ID}, c.id, c.department, s.since,
            CASE WHEN ${d.u('care.ended', 'j')} < 0.35 AND NOT (i = ${S.fullRecord.index} AND j = 1)
              THEN s.since + (1 + ${d.int('care.length', 180, 'j')}) * interval '1 day' END
          FROM ${rows(fixed([[S.fullRecord.index, 1]], d.weighted('care.count', [0.3, 0.45, 0.2, 0.05])))}
          CROSS JOIN LATERAL (SELECT ${when('care.since', 1800)} AS since) s
          JOIN large_clinician c ON c.k = CASE WHEN i = ${S.fullRecord.index} AND j = 1 THEN 0
            WHEN ${d.u('care.dekker', 'j')} < 0.012 THEN 0 ELSE 1 + ${d.int('care.pick', GENERATED_CLINICIANS, 'j')} END`,
    },
    {
      table: 'insurance',
      text: `INSERT INTO insurance (id, patient_id, insurer_id, insurer_name, policy_number)
        SELECT ${sqlId(ID_TAG.insurance)}, ${PATIENT_ID}, ins.insurer_id, ins.name,
            ins.prefix || '-' || lpad(${d.int('policy', 10000)}::text, 4, '0') || '-' || lpad((i % 10000)::text, 4, '0') || '-' || lpad((i / 10000 % 100)::text, 2, '0')
          FROM ${SERIES} JOIN large_insurer ins ON ins.k = ${d.weighted('insurer', INSURERS.map(([, , , share]) => share))}`,
    },
    {
      table: 'consent',
      text: `INSERT INTO consent (id, patient_id, channel, granted, decided_at, decided_by, decided_by_role, co_decided_by, confirmed_at, withdrawn_at)
        SELECT ${sqlId(ID_TAG.consent, 'i', 'ch.k')}, ${PATIENT_ID}, ch.channel,
            NOT (${d.u('consent.refused', 'ch.k')} < 0.04 AND i <> ${S.gpPortal.index}),
            w.decided_at,
            CASE WHEN ${t.minor} THEN 'rep-' || ${PATIENT_NUMBER} ELSE ${PATIENT_NUMBER} END,
            CASE WHEN ${t.minor} THEN 'LEGAL_REPRESENTATIVE' ELSE 'PATIENT' END,
            CASE WHEN ${t.minor} AND ${t.age} >= 12 THEN ${PATIENT_NUMBER} END,
            w.decided_at,
            CASE WHEN ${d.u('consent.withdrawn', 'ch.k')} < 0.07 AND i <> ${S.gpPortal.index}
              THEN w.decided_at + (${ANCHOR} - w.decided_at) * ${d.u('consent.withdrawn', 'ch.k')} * 10 + interval '1 day' END
          FROM ${SERIES} CROSS JOIN large_consent_channel ch
          CROSS JOIN LATERAL (SELECT greatest((${t.birthDate})::timestamptz, ${when('consent.when', 1800, 'ch.k')}) AS decided_at) w
         WHERE ${d.u('consent.has', 'ch.k')} < ch.share OR (i = ${S.gpPortal.index} AND ch.channel = 'GP_VIEW')`,
    },
    {
      table: 'objection',
      text: `INSERT INTO objection (id, patient_id, kind, lodged_at, lodged_by, lodged_by_relation, evidence_ref, withdrawn_at, withdrawn_by)
        SELECT ${sqlId(ID_TAG.objection, 'i', 'o.k')}, ${PATIENT_ID}, o.kind, w.lodged_at, ${PATIENT_NUMBER}, 'SELF', NULL,
            CASE WHEN ${d.u('objection.withdrawn', 'o.k')} < 0.1 THEN w.lodged_at + interval '30 days' END,
            CASE WHEN ${d.u('objection.withdrawn', 'o.k')} < 0.1 THEN ${PATIENT_NUMBER} END
          FROM ${SERIES} CROSS JOIN large_objection_kind o
          CROSS JOIN LATERAL (SELECT greatest((${t.birthDate})::timestamptz, ${when('objection.when', 1800, 'o.k')}) AS lodged_at) w
         WHERE ${d.u('objection.has', 'o.k')} < o.share
           AND NOT (o.kind = 'GP_PORTAL_BLOCK' AND i = ${S.gpPortal.index})`,
    },
    {
      table: 'related_person',
      text: `INSERT INTO related_person (id, patient_id, name, relationship, phone, email, is_legal_representative)
        SELECT ${sqlId(ID_TAG.relatedPerson, 'i', 'j')}, ${PATIENT_ID},
            ${d.pick('contact.given', [...GIVEN_FEMALE, ...GIVEN_MALE], 'j')} || ' ' || ${t.family},
            CASE WHEN ${t.minor} AND j = 1 THEN (ARRAY['mother', 'father'])[1 + ${d.int('contact.relationship', 2, 'j')}]
              ELSE ${d.pick('contact.relationship', RELATIONSHIPS, 'j')} END,
            '+31 6 ' || lpad(${d.int('contact.phone', 100000000, 'j')}::text, 8, '0'), NULL, ${t.minor} AND j = 1
          FROM ${rows(`(CASE WHEN ${t.minor} THEN 1 + ${d.int('contact.count', 2)} ELSE ${d.weighted('contact.count', [0.35, 0.5, 0.15])} END)`)}`,
    },
    {
      table: 'representation',
      text: `INSERT INTO representation (id, patient_id, representative_subject, related_person_id, kind, agreed_by_child, valid_from, valid_to)
        SELECT ${sqlId(ID_TAG.representation)}, ${PATIENT_ID}, 'rep-' || ${PATIENT_NUMBER}, ${sqlId(ID_TAG.relatedPerson, 'i', '1')},
            'PARENT', ${t.age} >= 12 AND ${d.u('rep.agrees')} < 0.8, (${t.birthDate})::timestamptz, NULL
          FROM ${SERIES} WHERE ${t.minor}`,
    },
    {
      table: 'encounter',
      text: `INSERT INTO encounter (id, patient_id, kind, department, start, "end")
        SELECT ${sqlId(ID_TAG.encounter, 'i', 'j')}, ${PATIENT_ID}, k.kind, ${d.pick('encounter.department', DEPARTMENTS, 'j')}, s.start,
            CASE WHEN k.kind = 'ADMISSION' AND ${d.u('encounter.open', 'j')} < 0.02 THEN NULL
                 WHEN k.kind = 'ADMISSION' THEN s.start + (1 + ${d.u('encounter.length', 'j')} * 10) * interval '1 day'
                 WHEN k.kind = 'OUTPATIENT' THEN s.start + (15 + ${d.int('encounter.length', 30, 'j')}) * interval '1 minute'
                 ELSE s.start + (1 + ${d.u('encounter.length', 'j')} * 7) * interval '1 hour' END
          FROM ${rows(d.count('encounter.count', 2, 30))}
          CROSS JOIN LATERAL (SELECT (ARRAY['ADMISSION', 'OUTPATIENT', 'EMERGENCY'])[1 + ${d.weighted('encounter.kind', [0.2, 0.65, 0.15], 'j')}] AS kind) k
          CROSS JOIN LATERAL (SELECT ${when('encounter.start', 2920)} AS start) s`,
    },
    {
      table: 'diagnosis',
      text: `INSERT INTO diagnosis (id, patient_id, code, display, recorded_at)
        SELECT ${sqlId(ID_TAG.diagnosis, 'i', 'j')}, ${PATIENT_ID}, c.code, c.display, ${when('diagnosis.when', 3650)}
          FROM ${rows(d.count('diagnosis.count', 5, 40))}
          JOIN large_diagnosis c ON c.k = ${d.int('diagnosis.pick', DIAGNOSES.length, 'j')}`,
    },
    {
      table: 'allergy',
      text: `INSERT INTO allergy (id, patient_id, substance, reaction, severity)
        SELECT ${sqlId(ID_TAG.allergy, 'i', 'j')}, ${PATIENT_ID}, a.substance, a.reaction, a.severity
          FROM ${rows(d.count('allergy.count', 0.4, 5))}
          JOIN large_allergy a ON a.k = ${d.int('allergy.pick', ALLERGIES.length, 'j')}`,
    },
    {
      table: 'medication',
      text: `INSERT INTO medication (id, patient_id, name, dose, start, "end")
        SELECT ${sqlId(ID_TAG.medication, 'i', 'j')}, ${PATIENT_ID}, m.name, m.dose, s.start,
            CASE WHEN ${d.u('medication.ended', 'j')} < 0.5 THEN s.start + (5 + ${d.int('medication.length', 400, 'j')}) END
          FROM ${rows(d.count('medication.count', 3, 25))}
          CROSS JOIN LATERAL (SELECT ${ANCHOR_DATE} - ${d.int('medication.start', 3000, 'j')} AS start) s
          JOIN large_medication m ON m.k = ${d.int('medication.pick', MEDICATIONS.length, 'j')}`,
    },
    {
      table: 'lab_result',
      text: `INSERT INTO lab_result (id, patient_id, specimen, code, display, value, unit, reference_range, observed_at)
        SELECT ${sqlId(ID_TAG.labResult, 'i', 'j')}, ${PATIENT_ID}, l.specimen, l.code, l.display,
            round(greatest(0, l.mean + l.sd * (${d.u('lab.value', 'j')} * 2 - 1) * 1.6)::numeric, l.decimals)::text,
            l.unit, l.reference_range, ${when('lab.when', 3650)}
          FROM ${rows(labCount(d))}
          JOIN large_lab_test l ON l.k = ${d.int('lab.test', LAB_TESTS.length, 'j')}`,
    },
    {
      table: 'ecg',
      text: `INSERT INTO ecg (id, patient_id, recorded_at, rhythm, interpretation)
        SELECT ${sqlId(ID_TAG.ecg, 'i', 'j')}, ${PATIENT_ID}, ${when('ecg.when', 3650)},
            ${d.pick('ecg.rhythm', ECG_RHYTHMS, 'j')}, ${d.pick('ecg.interpretation', ECG_INTERPRETATIONS, 'j')}
          FROM ${rows(fixed([[S.gpPortal.index, S.gpPortal.ecgs], [S.fullRecord.index, S.fullRecord.ecgs]], d.count('ecg.count', 0.8, 12)))}`,
    },
    {
      table: 'imaging_report',
      text: `INSERT INTO imaging_report (id, patient_id, modality, body_site, performed_at, conclusion, image_ref)
        SELECT ${sqlId(ID_TAG.imagingReport, 'i', 'j')}, ${PATIENT_ID}, r.modality, r.body_site, ${when('imaging.when', 3650)}, r.conclusion,
            'pacs://lumc/1.2.840.113619.2.55.3.' || (600000000 + i) || '.' || j || '.' || ${d.int('imaging.ref', 1000000, 'j')}
          FROM ${rows(fixed([[S.gpPortal.index, S.gpPortal.imagingReports], [S.fullRecord.index, S.fullRecord.imagingReports]], d.count('imaging.count', 1, 15)))}
          JOIN large_imaging r ON r.k = ${d.int('imaging.pick', IMAGING.length, 'j')}`,
    },
    {
      table: 'clinical_document',
      text: `INSERT INTO clinical_document (id, patient_id, type, title, authored_at, author_id, body, third_party_section, submitted_by)
        SELECT ${sqlId(ID_TAG.clinicalDocument, 'i', 'j')}, ${PATIENT_ID}, dt.type,
            dt.title || ' ' || ${d.pick('document.department', DEPARTMENTS, 'j')} || ' ' || to_char(w.authored_at, 'DD-MM-YYYY'),
            w.authored_at,
            CASE WHEN dt.type IN ('PATIENT_STATEMENT', 'SECOND_OPINION') OR ${d.u('document.author', 'j')} < 0.05 THEN NULL ELSE c.id END,
            ${d.pick('document.opening', DOCUMENT_OPENINGS, 'j')} || ' ' || ${d.pick('document.finding', DOCUMENT_FINDINGS, 'j')} || ' '
              || ${d.pick('document.plan', DOCUMENT_PLANS, 'j')},
            CASE WHEN ${d.u('document.third-party', 'j')} < 0.03 THEN ${d.pick('document.third-party.pick', THIRD_PARTY_SECTIONS, 'j')} END,
            CASE WHEN dt.type IN ('PATIENT_STATEMENT', 'SECOND_OPINION') THEN ${PATIENT_NUMBER} END
          FROM ${rows(fixed([[S.gpPortal.index, S.gpPortal.documents], [S.fullRecord.index, S.fullRecord.documents]], d.count('document.count', 10, 80)))}
          CROSS JOIN LATERAL (SELECT ${when('document.when', 3650)} AS authored_at) w
          JOIN large_document_type dt ON dt.k = ${d.weighted('document.type', DOCUMENT_TYPES.map(([, share]) => share), 'j')}
          JOIN large_clinician c ON c.k = CASE WHEN i = ${S.fullRecord.index} AND j % 4 = 0 THEN 0 ELSE 1 + ${d.int('document.author', GENERATED_CLINICIANS, 'j')} END`,
    },
    {
      table: 'family_history_entry',
      text: `INSERT INTO family_history_entry (id, patient_id, relationship, condition, relative_name, relative_details)
        SELECT ${sqlId(ID_TAG.familyHistory, 'i', 'j')}, ${PATIENT_ID}, f.relationship, f.condition,
            CASE WHEN ${d.u('family.named', 'j')} < 0.5 THEN ${d.pick('contact.given', [...GIVEN_FEMALE, ...GIVEN_MALE], 'j')} || ' ' || ${t.family} END,
            CASE WHEN ${d.u('family.named', 'j')} < 0.5 THEN 'lives in ' || ${d.pick('city', CITIES.map(([city]) => city), 'j')} END
          FROM ${rows(d.count('family.count', 0.6, 6))}
          JOIN large_family_history f ON f.k = ${d.int('family.pick', FAMILY_HISTORY.length, 'j')}`,
    },
    {
      table: 'special_category_data',
      text: `INSERT INTO special_category_data (id, patient_id, ethnicity, religion, sexual_behaviour, genetic_findings)
        SELECT ${sqlId(ID_TAG.specialCategory)}, ${PATIENT_ID},
            ${d.pick('special.pick', ['Dutch', 'Moroccan', 'Turkish', 'Surinamese', 'Indonesian', 'Polish', 'Antillean'], '1')},
            ${d.pick('special.pick', ['Roman Catholic', 'Protestant', 'Muslim', 'Hindu', 'Jewish', 'None'], '2')},
            NULL,
            CASE WHEN ${d.u('special.pick', '3')} < 0.3 THEN ARRAY['BRCA2 c.5946del heterozygous'] ELSE '{}'::text[] END
          FROM ${SERIES} WHERE ${d.u('special.has')} < 0.08`,
    },
    {
      table: 'transfusion_record',
      text: `INSERT INTO transfusion_record (id, patient_id, abo_rh, irregular_antibodies, last_tested_at)
        SELECT ${sqlId(ID_TAG.transfusion)}, ${PATIENT_ID},
            (${literalArray(ABO_RH.map(([group]) => group))})[1 + ${d.weighted('transfusion.group', ABO_RH.map(([, share]) => share))}],
            CASE WHEN ${d.u('transfusion.antibodies')} < 0.05 THEN ARRAY['anti-K'] ELSE '{}'::text[] END,
            ${when('transfusion.when', 1800, '0')}
          FROM ${SERIES} WHERE ${d.u('transfusion.has')} < 0.15 OR i IN (${S.gpPortal.index}, ${S.fullRecord.index})`,
    },
    {
      table: 'financial_code',
      text: `INSERT INTO financial_code (id, patient_id, dbc_code, opened_on, closed_on, tariff_cents)
        SELECT ${sqlId(ID_TAG.financialCode, 'i', 'j')}, ${PATIENT_ID}, lpad(${d.int('financial.code', 1000000000, 'j')}::text, 9, '0'), s.opened_on,
            CASE WHEN ${d.u('financial.open', 'j')} < 0.85 THEN s.opened_on + (30 + ${d.int('financial.length', 335, 'j')}) END,
            50000 + ${d.int('financial.tariff', 2000000, 'j')}
          FROM ${rows(d.count('financial.count', 2, 20))}
          CROSS JOIN LATERAL (SELECT ${ANCHOR_DATE} - ${d.int('financial.when', 2000, 'j')} AS opened_on) s`,
    },
    {
      table: 'medical_photo',
      text: `INSERT INTO medical_photo (id, patient_id, taken_at, identifiable, uri)
        SELECT ${sqlId(ID_TAG.photo, 'i', 'j')}, ${PATIENT_ID}, ${when('photo.when', 1800)}, ${d.u('photo.identifiable', 'j')} < 0.3,
            'pacs://lumc/photo/' || (600000000 + i) || '/' || j || '.jpg'
          FROM ${rows(`(CASE WHEN ${d.u('photo.has')} < 0.02 THEN 1 + ${d.int('photo.count', 3)} ELSE 0 END)`)}`,
    },
    {
      table: 'portal_note',
      text: `INSERT INTO portal_note (id, patient_id, text, created_at)
        SELECT ${sqlId(ID_TAG.portalNote, 'i', 'j')}, ${PATIENT_ID},
            ${d.pick('note.count', ['Ask about the side effects of the new medication.', 'Bring the glucose diary to the next visit.', 'Questions for the surgeon: recovery time, driving, sports.'], 'j')},
            ${when('note.when', 700)}
          FROM ${rows(`(CASE WHEN ${d.u('note.has')} < 0.03 THEN 1 + ${d.int('note.count', 2)} ELSE 0 END)`)}`,
    },
  ];
}
