/**
 * A researcher reaches a cohort only for a study the registry approves them for. An unknown
 * study and a study of someone else answer alike (one statement, the same FORBIDDEN), so the
 * API tells no one which studies exist.
 */
import type { EntityManager } from 'typeorm';
import { forbidden } from '../errors';

/** Throws FORBIDDEN unless `researcherSubject` is approved for `studyId`; reads no patient data. */
export async function requireStudyApproval(db: EntityManager, researcherSubject: string, studyId: string): Promise<void> {
  const rows = await db.query('SELECT 1 FROM research_study_approval WHERE study_id = $1 AND researcher_subject = $2', [studyId, researcherSubject]) as unknown[];
  if (rows.length !== 1) throw forbidden();
}
