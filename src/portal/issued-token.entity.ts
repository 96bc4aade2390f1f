import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { DataCategory, Role } from '../record/enums';
import { DateTimeScalar } from '../record/scalars';

/**
 * A token this API issued, through the GP portal service, to a GP or duty doctor the portal
 * authenticated: bound to one patient and a category scope, short-lived. The row is what makes
 * such a token valid: a token whose jti has no row, or a revoked one, is refused on the next
 * request. patientId has no foreign key on purpose (the issuance record outlives the data).
 */
@Entity()
@Index(['expiresAt'])
@ObjectType('IssuedToken', { description: 'A patient-bound, scoped token issued for the GP portal (never the token itself after issuance).' })
export class IssuedToken {
  @Field(() => ID, { nullable: false }) @PrimaryColumn('uuid') jti: string;
  /** The practitioner the token is for (`sub`). */
  @Field({ nullable: false }) @Column('text') subject: string;
  @Field(() => Role, { nullable: false }) @Column('text') role: Role;
  @Field(() => String) @Column({ type: 'text', nullable: true }) organisation: string | null;
  @Field({ nullable: false }) @Column('text') patientNumber: string;
  @Column({ type: 'uuid', nullable: true }) patientId: string | null;
  @Field(() => [DataCategory], { nullable: false }) @Column('text', { array: true }) scope: DataCategory[];
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') issuedAt: Date;
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') expiresAt: Date;
  /** The portal service principal that asked for it. */
  @Column('text') issuedBy: string;
  @Column({ type: 'text', nullable: true }) issuedByOrganisation: string | null;
  @Column('text') requestId: string;
  @Field(() => DateTimeScalar) @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ type: 'text', nullable: true }) revokedBy: string | null;
  /** The signed JWT: returned once, by issuePortalToken; never stored. */
  @Field(() => String, { description: 'The signed token, present only in the answer to issuePortalToken.' })
  token?: string | null;
}
