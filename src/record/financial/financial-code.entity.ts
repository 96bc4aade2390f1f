import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Patient } from '../patient/patient.entity';
import { DateScalar } from '../scalars';

/** A DBC care product: what the insurer receives for settlement (FINANCIAL). */
@Entity()
@ObjectType('FinancialCode')
export class FinancialCode {
  @Field(() => ID, { nullable: false }) @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid') patientId: string;
  @ManyToOne(() => Patient, { onDelete: 'CASCADE' }) @JoinColumn() patient?: Patient;
  @Field({ nullable: false }) @Column('text') dbcCode: string;
  @Field(() => DateScalar, { nullable: false }) @Column('date') openedOn: string;
  @Field(() => DateScalar) @Column({ type: 'date', nullable: true }) closedOn: string | null;
  @Field(() => Int) @Column({ type: 'integer', nullable: true }) tariffCents: number | null;
}
