import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { RepresentationKind } from '../enums';
import { Patient } from '../patient/patient.entity';
import { RelatedPerson } from './related-person.entity';

/**
 * A legal representation of a patient by a portal user. Whether it opens the record depends on
 * the patient's age and, for 12–15, on the child's agreement (the LEGAL_REPRESENTATIVE gate).
 */
@Entity()
export class Representation {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid') patientId: string;
  @ManyToOne(() => Patient, { onDelete: 'CASCADE' }) @JoinColumn() patient?: Patient;
  /** The representative's subject in the identity provider. */
  @Index() @Column('text') representativeSubject: string;
  @Column({ type: 'uuid', nullable: true }) relatedPersonId: string | null;
  @ManyToOne(() => RelatedPerson, { onDelete: 'SET NULL' }) @JoinColumn() relatedPerson?: RelatedPerson;
  @Column('text') kind: RepresentationKind;
  /** For a child of 12–15: the child agrees to the representative's access. */
  @Column('boolean', { default: false }) agreedByChild: boolean;
  @Column('timestamptz') validFrom: Date;
  @Column({ type: 'timestamptz', nullable: true }) validTo: Date | null;
}
