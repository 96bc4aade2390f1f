/**
 * Copy and portability (SPEC §6): the whole record as the caller may see it, as JSON or as a FHIR
 * R4 Bundle. Open to the patient, the legal representative and the treating clinician (transfer
 * of care), each within their gate. The access is logged as one EXPORT event for the patient,
 * with the categories the export released and withheld.
 */
import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { AccessAction } from '../record/enums';
import { admittedPatient } from '../policy/door';
import { CONTENT_TYPE, ExportFormat, RecordExport } from './export.types';
import { toFhirBundle } from './fhir';
import { readVisibleRecord } from './record-query';

@Resolver()
export class RecordExportResolver {
  @Query(() => RecordExport, { nullable: false, description: 'The record as the caller may see it, without third-party content (PATIENT, LEGAL_REPRESENTATIVE, TREATING_CLINICIAN/TREATMENT).' })
  async recordExport(
    @Arg('patientId', () => ID, { nullable: false }) _patientId: string,
    @Arg('format', () => ExportFormat, { nullable: false }) format: ExportFormat,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<RecordExport> {
    const patient = admittedPatient(info);
    ctx.recorder.describe(patient.id, AccessAction.EXPORT, `record export ${format}`);
    const record = await readVisibleRecord(ctx, patient.id);
    const generatedAt = new Date();
    const document = format === ExportFormat.FHIR_R4
      ? toFhirBundle(record, generatedAt)
      : { generatedAt: generatedAt.toISOString(), patient: record };
    return { format, generatedAt, contentType: CONTENT_TYPE[format], data: JSON.stringify(document) };
  }
}
