import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The study registry: which studies exist and which researcher may query which study's cohort.
 * A researcher reaches `researchCohort(studyId)` only with a row in research_study_approval.
 */
export class ResearchStudyRegistry1795373112406 implements MigrationInterface {
  name = 'ResearchStudyRegistry1795373112406';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE research_study (
      id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300)
    )`);
    await q.query(`CREATE TABLE research_study_approval (
      researcher_subject text NOT NULL CHECK (length(researcher_subject) BETWEEN 1 AND 200),
      study_id text NOT NULL REFERENCES research_study (id) ON DELETE CASCADE,
      approved_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (researcher_subject, study_id)
    )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE research_study_approval');
    await q.query('DROP TABLE research_study');
  }
}
