/**
 * "The record exactly as the caller may see it": the export reads the whole record through the
 * policed schema, with the request's own context, so the same shield rules, gate and access
 * recorder decide every field as for any other query. Third-party content (document sections
 * about someone else, a relative's name and details) is not even selected: an export is handed
 * over, and what it carries about another person is not the patient's to take along.
 */
import { execute, GraphQLSchema, parse, validate } from 'graphql';
import type { RequestContext } from '../context';
import { notFound } from '../errors';
import type { VisibleRecord } from './export.types';

const PRACTITIONER = 'id name role organisation';
const ADDRESS = 'street houseNumber postalCode city country';

/** The full-record query; every field the caller is refused comes back null and is dropped. */
export const RECORD_QUERY = parse(/* GraphQL */ `
  query RecordExport($id: ID!) {
    patient(id: $id) {
      id patientNumber name { given family } birthDate gender bsn
      address { ${ADDRESS} } nursingAddress { ${ADDRESS} } phone email
      insurance { insurerId insurerName policyNumber }
      contacts { id name relationship phone email isLegalRepresentative }
      generalPractitioner { ${PRACTITIONER} }
      careTeam { ${PRACTITIONER} }
      encounters { id kind department start end }
      diagnoses { id code display recordedAt }
      allergies { id substance reaction severity }
      medications { id name dose start end }
      labResults { id specimen code display value unit referenceRange observedAt }
      ecgs { id recordedAt rhythm interpretation }
      imagingReports { id modality bodySite performedAt conclusion imageRef }
      documents { id type title authoredAt author { ${PRACTITIONER} } body }
      familyHistory { id relationship condition }
      specialCategories { ethnicity religion sexualBehaviour geneticFindings }
      transfusion { aboRh irregularAntibodies lastTestedAt }
      financialCodes { id dbcCode openedOn closedOn tariffCents }
      photographs { id takenAt identifiable uri }
      portalNotes { id text createdAt }
      consents { id channel granted decidedAt decidedBy coDecidedBy confirmedAt withdrawnAt }
      objections { id kind lodgedAt lodgedBy lodgedByRelation withdrawnAt }
    }
  }
`);

const checked = new WeakSet<GraphQLSchema>();

/** Fails loudly (once per schema) when the query no longer matches the schema, e.g. after a rename. */
function assertValid(schema: GraphQLSchema): void {
  if (checked.has(schema)) return;
  const errors = validate(schema, RECORD_QUERY);
  if (errors.length > 0) throw new Error(`the record export query does not match the schema: ${errors.map((e) => e.message).join('; ')}`);
  checked.add(schema);
}

/**
 * Null means withheld (or empty): such fields are left out of the export. Scalars come back as
 * graphql-js serialised them, where DateTime is still a Date: it becomes its ISO text, as on the wire.
 */
function withoutNulls(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

/**
 * Reads an admitted patient's record as the caller may see it. FORBIDDEN fields are dropped;
 * any other error fails the export, so it is never silently incomplete.
 */
export async function readVisibleRecord(ctx: RequestContext, patientId: string): Promise<VisibleRecord> {
  assertValid(ctx.schema);
  const result = await execute({ schema: ctx.schema, document: RECORD_QUERY, variableValues: { id: patientId }, contextValue: ctx });
  const failure = (result.errors ?? []).find((e) => e.extensions?.code !== 'FORBIDDEN');
  if (failure) throw failure.originalError ?? failure;
  const patient = (result.data as { patient?: unknown } | null | undefined)?.patient;
  if (!patient) throw notFound();
  return withoutNulls(patient) as VisibleRecord;
}
