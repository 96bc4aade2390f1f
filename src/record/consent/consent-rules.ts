/**
 * Who may decide a patient's consent ([001]): under 12 a parent or guardian; 12–15 the parent or
 * guardian AND the child, and the consent counts only once both have confirmed; 16 and over the
 * patient alone. Administration may record a signed paper form. A withdrawal by either party of
 * a two-party consent takes effect at once: the consent needs both, so it ends when one stops.
 */
import type { Principal } from '../../auth/principal';
import { badUserInput, forbidden } from '../../errors';
import { Role } from '../enums';

export type ConsentAuthority =
  /** The decision takes effect on its own. */
  | { kind: 'sole' }
  /** One half of a two-party decision; it waits for the other party's confirmation. */
  | { kind: 'party'; party: 'CHILD' | 'PARENT' };

/** Age in whole years on a date. */
export function ageOn(birthDate: string, today = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number);
  let age = today.getUTCFullYear() - y;
  const beforeBirthday = today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  return age;
}

/** What the principal's decision counts as, for a patient of this age; refuses what the rules do not allow. */
export function consentAuthority(principal: Principal, age: number, granted: boolean, coDecidedBy?: string | null): ConsentAuthority {
  const twoParty = age >= 12 && age < 16;
  switch (principal.role) {
    case Role.ADMIN_STAFF:
      // A paper form of a 12–15 year old carries both signatures; coDecidedBy names the second.
      if (twoParty && granted && !coDecidedBy?.trim()) {
        throw badUserInput('a consent for a child of 12–15 needs both signatures: give coDecidedBy');
      }
      return { kind: 'sole' };
    case Role.PATIENT:
      if (coDecidedBy) throw badUserInput('coDecidedBy is only for paper forms recorded by administration');
      if (age < 12) throw forbidden();
      return twoParty && granted ? { kind: 'party', party: 'CHILD' } : { kind: 'sole' };
    case Role.LEGAL_REPRESENTATIVE:
      if (coDecidedBy) throw badUserInput('coDecidedBy is only for paper forms recorded by administration');
      return twoParty && granted ? { kind: 'party', party: 'PARENT' } : { kind: 'sole' };
    default:
      throw forbidden();
  }
}

/** The role of the other party of a two-party decision. */
export function otherPartyRole(party: 'CHILD' | 'PARENT'): Role {
  return party === 'CHILD' ? Role.LEGAL_REPRESENTATIVE : Role.PATIENT;
}
