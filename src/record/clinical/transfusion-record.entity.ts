import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ObjectType } from 'type-graphql';
import { Patient } from '../patient/patient.entity';
import { DateTimeScalar } from '../scalars';

/** Blood group and irregular antibodies (TRANSFUSION), shared with TRIX unless the patient objects. */
@Entity()
@ObjectType('TransfusionRecord')
export class TransfusionRecord {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column('uuid') patientId: string;
  @OneToOne(() => Patient, { onDelete: 'CASCADE' }) @JoinColumn() patient?: Patient;
  @Field({ nullable: false }) @Column('text') aboRh: string;
  @Field(() => [String], { nullable: false }) @Column('text', { array: true, default: () => "'{}'" }) irregularAntibodies: string[];
  @Field(() => DateTimeScalar, { nullable: false }) @Column('timestamptz') lastTestedAt: Date;
}
