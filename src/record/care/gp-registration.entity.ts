import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Patient } from '../patient/patient.entity';
import { Practitioner } from '../practitioner/practitioner.entity';

/**
 * A patient's registration with a GP practice over a period. Kept as history, so that a change of
 * GP is a new row and objections (which belong to the patient) survive it.
 */
@Entity()
export class GpRegistration {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid') patientId: string;
  @ManyToOne(() => Patient, { onDelete: 'CASCADE' }) @JoinColumn() patient?: Patient;
  @Index() @Column('uuid') practitionerId: string;
  @ManyToOne(() => Practitioner) @JoinColumn() practitioner?: Practitioner;
  @Column('timestamptz') validFrom: Date;
  @Column({ type: 'timestamptz', nullable: true }) validTo: Date | null;
}
