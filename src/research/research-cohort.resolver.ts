/**
 * The pseudonymised research cohort (SPEC §6): patients inside the RESEARCHER gate (RESEARCH
 * consent granted, no RESEARCH objection), one page at a time in the study's pseudonym order,
 * for a researcher the study registry approves for the study. Paging by pseudonym means neither
 * the order nor a cursor reveals a patient number or id, and two studies list the same patients
 * in unrelated orders; dates are shifted per patient and study, and birth year and gender are
 * withheld for groups smaller than k (RESEARCH_MIN_GROUP_SIZE).
 */
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { EntityTarget, In } from 'typeorm';
import type { RequestContext } from '../context';
import { sql } from '../db/sql';
import { Diagnosis } from '../record/clinical/diagnosis.entity';
import { Medication } from '../record/clinical/medication.entity';
import { AccessAction } from '../record/enums';
import { decodeCursor, pageSize, toPage } from '../record/pagination';
import { Patient } from '../record/patient/patient.entity';
import { LabResult } from '../record/results/lab-result.entity';
import { withShiftedDates } from './date-shift';
import { withheldQuasiIdentifiers } from './k-anonymity';
import { PSEUDONYM, StudyPseudonyms } from './pseudonym';
import { ResearchRecord, ResearchRecordConnection } from './research-record.type';
import { loadResearchKey } from './research-key';

type Owned = { id: string; patientId: string; patient?: unknown };
type Released<T> = Omit<T, 'patientId' | 'patient'> & { id: string };

/** A released date or timestamp as text that sorts in time order. */
const sortable = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));

/**
 * Rows of the record as a study sees them: the database id replaced, the patient reference
 * dropped, the dates shifted; newest first by `newestFirstBy`, rows of one day in the order of
 * their study ids, so neither the time of day nor the database order shows through.
 */
function released<T extends Owned, K extends keyof Released<T>>(
  ctx: RequestContext, record: ResearchRecord, entity: EntityTarget<T>, table: string, newestFirstBy: K, rows: T[],
): Array<Released<T>> {
  return withShiftedDates(ctx.db, entity, rows, record.dateShiftDays)
    .map(({ patientId: _patientId, patient: _patient, ...row }): Released<T> => ({ ...row, id: record.study.row(table, row.id) }))
    .sort((a, b) => {
      const [x, y] = [sortable(a[newestFirstBy]), sortable(b[newestFirstBy])];
      if (x !== y) return x > y ? -1 : 1;
      return a.id < b.id ? -1 : 1;
    });
}

@Resolver(() => ResearchRecord)
export class ResearchCohortResolver {
  @Query(() => ResearchRecordConnection, { nullable: false, description: 'Consenting patients, pseudonymised per study (RESEARCHER only).' })
  async researchCohort(
    @Arg('studyId', { nullable: false }) studyId: string,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ResearchRecordConnection> {
    // The door (policy/operations.ts) validated studyId and checked the study registry.
    const size = pageSize(first, 100);
    const afterPseudonym = decodeCursor(after, PSEUDONYM);
    const study = new StudyPseudonyms(await loadResearchKey(ctx.config), studyId);

    // Membership is decided by the gate in SQL; the order needs the key, so it is computed here.
    // Group sizes for k-anonymity are over the whole cohort, so birth year and gender come along.
    const { text, params } = sql`SELECT p.id, extract(year FROM p.birth_date)::int AS birth_year, p.gender
      FROM patient p WHERE (${ctx.access.gate()})`.build();
    const cohort = (await ctx.db.query(text, params) as Array<{ id: string; birth_year: number; gender: string }>)
      .map((r) => ({ id: r.id, birthYear: r.birth_year, gender: r.gender, pseudonym: study.patient(r.id) }));
    const withheld = withheldQuasiIdentifiers(cohort, ctx.config.researchMinGroupSize);
    const members = cohort
      .filter((m) => afterPseudonym === undefined || m.pseudonym > afterPseudonym)
      .sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1))
      .slice(0, size + 1);
    const page = toPage(members, size, (m) => m.pseudonym);

    const ids = page.nodes.map((m) => m.id);
    const patients = ids.length
      ? await ctx.db.getRepository(Patient).find({ select: { id: true, birthDate: true, gender: true }, where: { id: In(ids) } })
      : [];
    ctx.access.admitSelected(patients);
    const byId = new Map(patients.map((p) => [p.id, p]));
    const nodes = page.nodes.flatMap((m) => {
      const patient = byId.get(m.id);
      if (!patient) return [];
      ctx.recorder.describe(patient.id, AccessAction.READ, `research cohort ${studyId}`);
      const suppressed = withheld.has(patient.id);
      return [Object.assign(new ResearchRecord(), {
        pseudonym: m.pseudonym,
        birthYear: suppressed ? null : Number(patient.birthDate.slice(0, 4)),
        gender: suppressed ? null : patient.gender,
        patientId: patient.id,
        study,
        dateShiftDays: study.dateShiftDays(patient.id),
      })];
    });
    return { nodes, pageInfo: page.pageInfo };
  }

  @FieldResolver(() => [Diagnosis], { nullable: false })
  async diagnoses(@Root() record: ResearchRecord, @Ctx() ctx: RequestContext) {
    return released(ctx, record, Diagnosis, 'diagnosis', 'recordedAt', await ctx.loaders.rowsOf(Diagnosis, { recordedAt: 'DESC' }, record.patientId));
  }

  @FieldResolver(() => [Medication], { nullable: false })
  async medications(@Root() record: ResearchRecord, @Ctx() ctx: RequestContext) {
    return released(ctx, record, Medication, 'medication', 'start', await ctx.loaders.rowsOf(Medication, { start: 'DESC' }, record.patientId));
  }

  @FieldResolver(() => [LabResult], { nullable: false })
  async labResults(@Root() record: ResearchRecord, @Ctx() ctx: RequestContext) {
    return released(ctx, record, LabResult, 'lab_result', 'observedAt', await ctx.loaders.rowsOf(LabResult, { observedAt: 'DESC', id: 'ASC' }, record.patientId));
  }
}
