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
  /** Categories a SMART scope lets the token write (`c`/`u`); undefined means the same as `scope`. */
  writeScope?: ReadonlySet<DataCategory>;
  /** The client the token was issued to (`azp`, `client_id`, the GP portal's issuer, or the role's usual one); unset for in-process principals (maintenance commands). */
  client?: string;
  /** `jti` of the token. */
  tokenId: string;
  issuedAt: Date;
  expiresAt: Date;
}
