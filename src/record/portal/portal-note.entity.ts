import { Column, CreateDateColumn, Entity } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { PatientOwned } from '../patient-owned';
import { DateTimeScalar } from '../scalars';

/** The patient's own note in the portal (PORTAL_NOTES): nobody else reads it. */
@Entity()
@ObjectType('PortalNote')
export class PortalNote extends PatientOwned {
  @Field({ nullable: false }) @Column('text') text: string;
  @Field(() => DateTimeScalar, { nullable: false }) @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
