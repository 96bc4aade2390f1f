import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { AccessAction, AccessOutcome, DataCategory, Purpose, Role } from '../record/enums';
import { DateTimeScalar } from '../record/scalars';

/**
 * One entry of the NEN 7513 access log. Append-only (a trigger refuses UPDATE and DELETE) and a
 * leaf of the Merkle tree that signed checkpoints commit to (tlog/, docs/access-log.md).
 * patientId has no foreign key on purpose: the log outlives the data it describes.
 */
@Entity()
@ObjectType('AccessEvent')
export class AccessEvent {
  @Field(() => ID, { nullable: false }) @PrimaryGeneratedColumn('uuid') id: string;
  /** Insertion order, from a sequence; the tree position is given at the next checkpoint. */
  @Index({ unique: true }) @Column('bigint') seq: string;
  @Field(() => DateTimeScalar, { nullable: false }) @Index() @Column('timestamptz') at: Date;
  @Field({ nullable: false }) @Column('text') actorSubject: string;
  @Field(() => Role, { nullable: false }) @Column('text') actorRole: Role;
  @Field(() => String) @Column({ type: 'text', nullable: true }) actorOrganisation: string | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) onBehalfOf: string | null;
  @Field(() => Purpose, { nullable: false }) @Column('text') purpose: Purpose;
  @Field(() => AccessAction, { nullable: false }) @Column('text') action: AccessAction;
  @Field(() => ID) @Index() @Column({ type: 'uuid', nullable: true }) patientId: string | null;
  @Field(() => [DataCategory], { nullable: false }) @Column('text', { array: true }) categoriesGranted: DataCategory[];
  @Field(() => [DataCategory], { nullable: false }) @Column('text', { array: true }) categoriesDenied: DataCategory[];
  @Field(() => AccessOutcome, { nullable: false }) @Column('text') outcome: AccessOutcome;
  @Field(() => String) @Column({ type: 'text', nullable: true }) basis: string | null;
  @Field(() => String) @Column({ type: 'text', nullable: true }) breakGlassReason: string | null;
  @Field({ nullable: false }) @Column('text') requestId: string;
  @Column({ type: 'text', nullable: true }) client: string | null;
  /** What was done beyond reading, e.g. "consent GP_VIEW granted"; never record content. */
  @Column({ type: 'text', nullable: true }) detail: string | null;
  /** The hash chain of the events written before the tree (kept for history; null since). */
  @Column({ type: 'text', nullable: true }) prevHash: string | null;
  @Column({ type: 'text', nullable: true }) hash: string | null;
}
