import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { LabSpecimen } from '../enums';
import { Patient } from '../patient/patient.entity';
import { Ecg } from './ecg.entity';
import { ImagingReport } from './imaging-report.entity';
import { LabResult } from './lab-result.entity';

/** Diagnostic results: lab, ECG, imaging. */
@Resolver(() => Patient)
export class ResultsResolver {
  @FieldResolver(() => [LabResult], { nullable: true })
  labResults(
    @Root() p: Patient,
    @Ctx() ctx: RequestContext,
    @Arg('specimen', () => LabSpecimen, { nullable: true }) specimen?: LabSpecimen | null,
  ): Promise<LabResult[]> {
    return ctx.loaders.rowsOf(LabResult, { observedAt: 'DESC', id: 'ASC' }, p.id, specimen ? { specimen } : {});
  }

  @FieldResolver(() => [Ecg], { nullable: true })
  ecgs(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<Ecg[]> {
    return ctx.loaders.rowsOf(Ecg, { recordedAt: 'DESC' }, p.id);
  }

  @FieldResolver(() => [ImagingReport], { nullable: true })
  imagingReports(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<ImagingReport[]> {
    return ctx.loaders.rowsOf(ImagingReport, { performedAt: 'DESC' }, p.id);
  }
}
