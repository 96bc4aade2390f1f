/**
 * Which clients may send their own GraphQL documents. The external viewers (the GP portal for GPs,
 * out-of-hours doctors and its token service; the patient portal for patients and representatives)
 * may run only the trusted documents of their client's manifest (src/policy/trusted-documents/):
 * whatever a stolen token or a tampered front-end sends, only operations known in advance run.
 * The hospital's own front-ends follow TRUSTED_DOCUMENTS (`external`: free documents; `all`:
 * their manifest too).
 */
import { Role } from './vocabulary';

/** Roles whose tokens may run only their client's trusted documents, in every setting but development's `off`. */
export const EXTERNAL_ROLES: ReadonlySet<Role> = new Set([Role.GP, Role.DUTY_DOCTOR, Role.GP_PORTAL_SERVICE, Role.PATIENT, Role.LEGAL_REPRESENTATIVE]);

/** The client of the tokens this API issues for the GP portal (told apart by their issuer). */
export const GP_PORTAL_CLIENT = 'gp-portal';

/**
 * The client a token speaks for when it names none (`azp` of OpenID Connect, `client_id` of
 * RFC 9068 come first): the front-end each role uses in the hospital's set-up.
 */
export const DEFAULT_CLIENT: Readonly<Record<Role, string>> = {
  [Role.GP]: GP_PORTAL_CLIENT,
  [Role.DUTY_DOCTOR]: GP_PORTAL_CLIENT,
  [Role.GP_PORTAL_SERVICE]: GP_PORTAL_CLIENT,
  [Role.PATIENT]: 'patient-portal',
  [Role.LEGAL_REPRESENTATIVE]: 'patient-portal',
  [Role.TREATING_CLINICIAN]: 'clinical-workstation',
  [Role.ADMIN_STAFF]: 'clinical-workstation',
  [Role.PRIVACY_OFFICER]: 'clinical-workstation',
  [Role.AFFILIATED_LAB]: 'transfusion-lab',
  [Role.INSURER]: 'insurer-gateway',
  [Role.RESEARCHER]: 'research-workbench',
};

/** Whether a role's tokens are held to their client's manifest under a TRUSTED_DOCUMENTS setting. */
export function mustSendTrustedDocuments(role: Role, setting: 'external' | 'all' | 'off'): boolean {
  if (setting === 'off') return false;
  return setting === 'all' || EXTERNAL_ROLES.has(role);
}
