import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A study registered for research use of the record (its id is the cohort's `studyId`). */
@Entity('research_study')
export class ResearchStudy {
  @PrimaryColumn('text') id: string;
  @Column('text') title: string;
}

/** A researcher (token subject) approved to query one study's cohort. */
@Entity('research_study_approval')
export class ResearchStudyApproval {
  @PrimaryColumn('text') researcherSubject: string;
  @PrimaryColumn('text') studyId: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) approvedAt: Date;
}
