import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Patient } from '../patient/patient.entity';
import { Practitioner } from '../practitioner/practitioner.entity';

/** A clinician's treatment relation with a patient over a period (the TREATMENT gate). */
@Entity()
export class CareRelationship {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column('uuid') patientId: string;
  @ManyToOne(() => Patient, { onDelete: 'CASCADE' }) @JoinColumn() patient?: Patient;
  @Index() @Column('uuid') practitionerId: string;
  @ManyToOne(() => Practitioner) @JoinColumn() practitioner?: Practitioner;
  @Column('text') department: string;
  @Column('timestamptz') validFrom: Date;
  @Column({ type: 'timestamptz', nullable: true }) validTo: Date | null;
}
