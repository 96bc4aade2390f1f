import { Field, InputType, Int } from 'type-graphql';
import { DataCategory, Role } from '../record/enums';

@InputType('IssuePortalTokenInput')
export class IssuePortalTokenInput {
  /** The practitioner the portal authenticated; becomes the token's `sub` (their gate is checked on use). */
  @Field({ nullable: false }) practitionerSubject: string;
  /** GP or DUTY_DOCTOR. */
  @Field(() => Role, { nullable: false }) role: Role;
  /** The practitioner's organisation (GP practice, out-of-hours service); becomes `org`. */
  @Field(() => String, { nullable: true }) organisation?: string | null;
  /** The one patient the token is bound to. */
  @Field({ nullable: false }) patientNumber: string;
  /** The categories the token may read: a non-empty subset of what the role may read. */
  @Field(() => [DataCategory], { nullable: false }) scope: DataCategory[];
  /** Lifetime in seconds: default 900; at most 900 for a GP and 43200 for a duty doctor. */
  @Field(() => Int, { nullable: true }) ttlSeconds?: number | null;
}
