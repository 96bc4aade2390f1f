/** Shared by the research tests: the cohort query and the registration of test studies. */
import type { TestApi } from '../support/harness';

/** The whole cohort record: every field a researcher can ask for. */
export const COHORT = `query($study: String!, $first: Int, $after: String) {
  researchCohort(studyId: $study, first: $first, after: $after) {
    nodes {
      pseudonym birthYear gender
      diagnoses { id code display recordedAt }
      medications { id name dose start end }
      labResults { id specimen code display value unit referenceRange observedAt }
    }
    pageInfo { endCursor hasNextPage }
  }
}`;

/** Registers `studies` and approves `researcher` for each (the registry is data, like consent). */
export async function approveStudies(api: TestApi, researcher: string, studies: readonly string[]): Promise<void> {
  for (const study of studies) {
    await api.sql('INSERT INTO research_study (id, title) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [study, `Test study ${study}`]);
    await api.sql('INSERT INTO research_study_approval (researcher_subject, study_id) VALUES ($1, $2)', [researcher, study]);
  }
}
