import { Column, DataCategory, Purpose, Role } from '../policy/vocabulary';

/** Who is asking and why: the verified claims of one request's bearer token (SPEC §1). */
export interface Principal {
  subject: string;
  role: Role;
  purpose: Purpose;
  /** The policy-matrix column of the role/purpose pair. */
  column: Column;
  organisation?: string;
  /** patientNumber the token is bound to (`patient` claim), if any. */
  boundPatientNumber?: string;
  /** Categories the token narrows the role to (`scope` claim); undefined means no narrowing. */
  scope?: ReadonlySet<DataCategory>;
  /** `jti` of the token. */
  tokenId: string;
  issuedAt: Date;
  expiresAt: Date;
}
