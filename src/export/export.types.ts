/**
 * The record export (SPEC §6, copy and portability): its GraphQL types and the shape of the
 * visible record that record-query.ts reads through the policed schema.
 */
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../record/scalars';

export enum ExportFormat { JSON = 'JSON', FHIR_R4 = 'FHIR_R4' }
registerEnumType(ExportFormat, { name: 'ExportFormat', description: 'JSON: the visible record as the API shows it; FHIR_R4: a FHIR R4 Bundle of type collection.' });

/** Media type of each format's data. */
export const CONTENT_TYPE: Record<ExportFormat, string> = {
  JSON: 'application/json',
  FHIR_R4: 'application/fhir+json',
};

@ObjectType('RecordExport')
export class RecordExport {
  @Field(() => ExportFormat, { nullable: false }) format: ExportFormat;
  @Field(() => DateTimeScalar, { nullable: false }) generatedAt: Date;
  @Field({ nullable: false }) contentType: string;
  @Field({ nullable: false, description: 'The export itself, as text of contentType.' }) data: string;
}

// The visible record: what the policed schema released, with withheld (null) fields left out.
// Every field is optional because any of them may be withheld for the caller.

export interface VisibleAddress { street: string; houseNumber: string; postalCode: string; city: string; country: string }
export interface VisiblePractitioner { id?: string; name?: string; role?: string; organisation?: string }
export interface VisibleRow { id: string }

export interface VisibleRecord {
  id: string;
  patientNumber?: string;
  name?: { given: string; family: string };
  birthDate?: string;
  gender?: 'FEMALE' | 'MALE' | 'OTHER' | 'UNKNOWN';
  bsn?: string;
  address?: VisibleAddress;
  nursingAddress?: VisibleAddress;
  phone?: string;
  email?: string;
  insurance?: { insurerId: string; insurerName: string; policyNumber: string };
  contacts?: Array<VisibleRow & { name: string; relationship: string; phone?: string; email?: string; isLegalRepresentative: boolean }>;
  generalPractitioner?: VisiblePractitioner;
  careTeam?: VisiblePractitioner[];
  encounters?: Array<VisibleRow & { kind: 'ADMISSION' | 'OUTPATIENT' | 'EMERGENCY'; department: string; start: string; end?: string }>;
  diagnoses?: Array<VisibleRow & { code: string; display: string; recordedAt: string }>;
  allergies?: Array<VisibleRow & { substance: string; reaction?: string; severity?: string }>;
  medications?: Array<VisibleRow & { name: string; dose: string; start: string; end?: string }>;
  labResults?: Array<VisibleRow & { specimen: 'BLOOD' | 'URINE'; code: string; display: string; value: string; unit?: string; referenceRange?: string; observedAt: string }>;
  ecgs?: Array<VisibleRow & { recordedAt: string; rhythm: string; interpretation: string }>;
  imagingReports?: Array<VisibleRow & { modality: string; bodySite: string; performedAt: string; conclusion: string; imageRef?: string }>;
  documents?: Array<VisibleRow & { type: string; title: string; authoredAt: string; author?: VisiblePractitioner; body: string }>;
  familyHistory?: Array<VisibleRow & { relationship: string; condition: string }>;
  specialCategories?: { ethnicity?: string; religion?: string; sexualBehaviour?: string; geneticFindings?: string[] };
  transfusion?: { aboRh: string; irregularAntibodies: string[]; lastTestedAt: string };
  financialCodes?: Array<VisibleRow & { dbcCode: string; openedOn: string; closedOn?: string; tariffCents?: number }>;
  photographs?: Array<VisibleRow & { takenAt: string; identifiable: boolean; uri: string }>;
  portalNotes?: Array<VisibleRow & { text: string; createdAt: string }>;
  consents?: Array<VisibleRow & { channel: string; granted: boolean; decidedAt: string; decidedBy: string; coDecidedBy?: string; confirmedAt?: string; withdrawnAt?: string }>;
  objections?: Array<VisibleRow & { kind: string; lodgedAt: string; lodgedBy: string; lodgedByRelation: string; withdrawnAt?: string }>;
}
