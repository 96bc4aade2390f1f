/**
 * The gates of SPEC §4, as data: for each matrix column, the condition that must hold for the
 * patient in question, written as one SQL predicate over the patient row `p`. The same predicate
 * decides a single patient and filters lists (`patients`), so there is one definition of "inside
 * the gate" and row filtering happens in PostgreSQL.
 */
import type { Principal } from '../auth/principal';
import type { GpAccessModel } from '../config';
import { Sql, joinSql, sql } from '../db/sql';
import { Column } from './vocabulary';

export interface GateInput {
  principal: Principal;
  gpAccessModel: GpAccessModel;
}

export interface Gate {
  /** Recorded as the access event's basis (NEN 7513 authorisation protocol). */
  basis: string;
  /** One line for schema/permissions.md. */
  description: string;
  /** SQL predicate over patient `p`. */
  condition(input: GateInput): Sql;
}

/** Longest lifetime of a duty doctor's token (SPEC §4). */
export const DUTY_TOKEN_MAX_HOURS = 12;

const active = (alias: string) => new Sql([`${alias}.valid_from <= now() AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > now())`], []);

const noActiveObjection = (kind: string) =>
  sql`NOT EXISTS (SELECT 1 FROM objection o WHERE o.patient_id = p.id AND o.kind = ${kind} AND o.withdrawn_at IS NULL)`;

const activeConsent = (channel: string) =>
  sql`EXISTS (SELECT 1 FROM consent c WHERE c.patient_id = p.id AND c.channel = ${channel} AND c.granted AND c.confirmed_at IS NOT NULL AND c.withdrawn_at IS NULL)`;

/** GP access permission: a block always wins; opt-in additionally needs an active GP_VIEW consent. */
const gpAccessPermitted = (model: GpAccessModel) =>
  model === 'opt-in'
    ? joinSql([noActiveObjection('GP_PORTAL_BLOCK'), activeConsent('GP_VIEW')], ' AND ')
    : noActiveObjection('GP_PORTAL_BLOCK');

const ageInYears = new Sql(['extract(year from age(current_date, p.birth_date))'], []);

export const GATES: Record<Column, Gate> = {
  CLIN_TREATMENT: {
    basis: 'care-relationship',
    description: 'an active care relationship between the clinician and the patient (its period covers now)',
    condition: ({ principal }) => sql`EXISTS (SELECT 1 FROM care_relationship cr JOIN practitioner pr ON pr.id = cr.practitioner_id
      WHERE cr.patient_id = p.id AND pr.subject = ${principal.subject} AND ${active('cr')})`,
  },
  CLIN_EMERGENCY: {
    basis: 'break-the-glass',
    description: 'an open break-the-glass session of this clinician for this patient (written reason, default 60 minutes); every access is flagged for review',
    condition: ({ principal }) => sql`EXISTS (SELECT 1 FROM break_glass_session bg
      WHERE bg.patient_id = p.id AND bg.clinician_subject = ${principal.subject} AND bg.opened_at <= now() AND bg.expires_at > now())`,
  },
  ADMIN: {
    basis: 'hospital-patient',
    description: 'the patient is a patient of the staff member\'s hospital',
    condition: ({ principal }) => sql`p.managing_organisation = ${principal.organisation ?? ''}`,
  },
  GP: {
    basis: 'registered-gp',
    description: 'the GP is the patient\'s currently registered GP, no active GP_PORTAL_BLOCK objection, and (model opt-in) an active GP_VIEW consent',
    condition: ({ principal, gpAccessModel }) => joinSql([
      sql`EXISTS (SELECT 1 FROM gp_registration g JOIN practitioner pr ON pr.id = g.practitioner_id
        WHERE g.patient_id = p.id AND pr.subject = ${principal.subject} AND ${active('g')})`,
      gpAccessPermitted(gpAccessModel),
    ], ' AND '),
  },
  DUTY: {
    basis: 'duty-doctor-bound-token',
    description: `the token is bound to this patient and lives at most ${DUTY_TOKEN_MAX_HOURS} h, and GP access is permitted as for the GP`,
    condition: ({ principal, gpAccessModel }) => {
      const lifetimeHours = (principal.expiresAt.getTime() - principal.issuedAt.getTime()) / 3_600_000;
      if (!principal.boundPatientNumber || lifetimeHours > DUTY_TOKEN_MAX_HOURS) return sql`FALSE`;
      return joinSql([sql`p.patient_number = ${principal.boundPatientNumber}`, gpAccessPermitted(gpAccessModel)], ' AND ');
    },
  },
  LAB: {
    basis: 'transfusion-record',
    description: 'the patient has a transfusion record and no TRIX objection',
    condition: () => joinSql([
      sql`EXISTS (SELECT 1 FROM transfusion_record t WHERE t.patient_id = p.id)`,
      noActiveObjection('TRIX'),
    ], ' AND '),
  },
  INSURER: {
    basis: 'insurer-of-patient',
    description: 'the patient is insured with the insurer\'s organisation',
    condition: ({ principal }) => sql`EXISTS (SELECT 1 FROM insurance i WHERE i.patient_id = p.id AND i.insurer_id = ${principal.organisation ?? ''})`,
  },
  PATIENT: {
    basis: 'self',
    description: 'the token\'s subject is this patient',
    condition: ({ principal }) => sql`p.patient_number = ${principal.subject}`,
  },
  REP: {
    basis: 'representation',
    description: 'an active representation: parent or guardian of a child under 12; of a child of 12–15 only while the child agrees; from 16 only a representative the patient or a court appointed (authorised representative, guardian, trustee, mentor)',
    condition: ({ principal }) => sql`EXISTS (SELECT 1 FROM representation r
      WHERE r.patient_id = p.id AND r.representative_subject = ${principal.subject} AND ${active('r')}
        AND CASE WHEN ${ageInYears} < 12 THEN r.kind IN ('PARENT', 'GUARDIAN')
                 WHEN ${ageInYears} < 16 THEN r.kind IN ('PARENT', 'GUARDIAN') AND r.agreed_by_child
                 ELSE r.kind IN ('AUTHORISED', 'GUARDIAN', 'TRUSTEE', 'MENTOR') END)`,
  },
  RESEARCHER: {
    basis: 'research-consent',
    description: 'RESEARCH consent granted and no RESEARCH objection (pseudonymised cohort only)',
    condition: () => joinSql([activeConsent('RESEARCH'), noActiveObjection('RESEARCH')], ' AND '),
  },
  PRIVACY: {
    basis: 'accountability',
    description: 'none: the privacy officer oversees every record (only the categories of the matrix)',
    condition: () => sql`TRUE`,
  },
  GP_PORTAL: {
    basis: 'gp-portal-service',
    description: 'none holds: the GP portal service reaches no patient record; it only issues patient-bound tokens for a GP or duty doctor (whose own gate then applies)',
    condition: () => sql`FALSE`,
  },
};

/** The token's patient binding alone (TRUE for an unbound token). */
export function bindingCondition(principal: Principal): Sql {
  return principal.boundPatientNumber ? sql`p.patient_number = ${principal.boundPatientNumber}` : sql`TRUE`;
}

/** The full gate predicate for a principal, including the token's patient binding. */
export function gateCondition(input: GateInput): Sql {
  return joinSql([GATES[input.principal.column].condition(input), bindingCondition(input.principal)], ' AND ');
}
