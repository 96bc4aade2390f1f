/**
 * The demo directory of CONTRACT.md: who may ask for a development token, with which role and
 * organisation. The token command and the demo seed both read it.
 */
import { Role } from '../../policy/vocabulary';

export interface DemoPrincipal {
  subject: string;
  role: Role;
  organisation?: string;
  name: string;
  note: string;
}

export const DEMO_PRINCIPALS: readonly DemoPrincipal[] = [
  { subject: 'clin-dekker', role: Role.TREATING_CLINICIAN, organisation: 'LUMC', name: 'Dr. E. Dekker', note: 'care relationship with P-0001 and P-0003' },
  { subject: 'clin-visser', role: Role.TREATING_CLINICIAN, organisation: 'LUMC', name: 'Dr. M. Visser', note: 'no care relationships (break-the-glass)' },
  { subject: 'admin-mulder', role: Role.ADMIN_STAFF, organisation: 'LUMC', name: 'J. Mulder', note: 'care administration' },
  { subject: 'gp-jansen', role: Role.GP, organisation: 'HUISARTS-JANSEN', name: 'Dr. H. Jansen', note: 'registered GP of P-0001, P-0002, P-0004' },
  { subject: 'gp-peters', role: Role.GP, organisation: 'HUISARTS-PETERS', name: 'Dr. S. Peters', note: 'registered GP of P-0003' },
  { subject: 'duty-hap-01', role: Role.DUTY_DOCTOR, organisation: 'HAP-LEIDEN', name: 'Dr. K. de Wit', note: 'bind to a patient with --patient' },
  { subject: 'lab-trix-01', role: Role.AFFILIATED_LAB, organisation: 'BLOEDTRANSFUSIE-LAB', name: 'Bloedtransfusielab Leiden', note: 'transfusion safety (TRIX)' },
  { subject: 'ins-alpha', role: Role.INSURER, organisation: 'INS-ALPHA', name: 'Alpha Zorgverzekeraar', note: 'insurer of P-0001, P-0003, P-0004' },
  { subject: 'ins-beta', role: Role.INSURER, organisation: 'INS-BETA', name: 'Beta Zorgverzekeraar', note: 'insurer of P-0002' },
  { subject: 'res-study-01', role: Role.RESEARCHER, organisation: 'LUMC-RESEARCH', name: 'Study 01 research team', note: 'pseudonymised cohort only' },
  { subject: 'dpo-01', role: Role.PRIVACY_OFFICER, organisation: 'LUMC', name: 'Functionaris Gegevensbescherming', note: 'privacy officer' },
  { subject: 'P-0001', role: Role.PATIENT, name: 'Anna de Vries', note: 'patient' },
  { subject: 'P-0002', role: Role.PATIENT, name: 'Bram Bakker', note: 'patient' },
  { subject: 'P-0003', role: Role.PATIENT, name: 'Chris Smit', note: 'patient, 13 years old' },
  { subject: 'P-0004', role: Role.PATIENT, name: 'Dirk Janssen', note: 'patient' },
  { subject: 'rep-smit', role: Role.LEGAL_REPRESENTATIVE, name: 'Petra Smit', note: 'parent of P-0003 (the child agrees)' },
  { subject: 'gp-portal-svc', role: Role.GP_PORTAL_SERVICE, organisation: 'GP-PORTAL', name: 'Huisartsenportaal (service)', note: 'issues patient-bound tokens for GPs and duty doctors; reads nothing itself' },
];

/** The demo study registry: res-study-01 is approved for STUDY-01 only; STUDY-02 is registered to nobody here. */
export const DEMO_STUDIES: readonly { id: string; title: string; approvedResearchers: readonly string[]; approvedAt: string }[] = [
  { id: 'STUDY-01', title: 'Cardiometabolic outcomes after hospital admission', approvedResearchers: ['res-study-01'], approvedAt: '2024-01-15T10:00:00+01:00' },
  { id: 'STUDY-02', title: 'Long-term follow-up of transfusion recipients', approvedResearchers: [], approvedAt: '2024-03-04T10:00:00+01:00' },
];

/** The demo principal with this subject, or undefined. */
export function findDemoPrincipal(subject: string): DemoPrincipal | undefined {
  return DEMO_PRINCIPALS.find((p) => p.subject === subject);
}
