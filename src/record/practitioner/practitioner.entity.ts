import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../enums';

/** A care professional known to the hospital: clinicians, GPs, duty doctors. */
@Entity()
@ObjectType('Practitioner')
export class Practitioner {
  @Field(() => ID, { nullable: false }) @PrimaryGeneratedColumn('uuid') id: string;
  /** The identity provider's subject of this person. */
  @Field({ nullable: false }) @Index({ unique: true }) @Column('text') subject: string;
  @Field({ nullable: false }) @Column('text') name: string;
  @Field(() => Role, { nullable: false }) @Column('text') role: Role;
  @Field(() => String) @Column({ type: 'text', nullable: true }) organisation: string | null;
}
