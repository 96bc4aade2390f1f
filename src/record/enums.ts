/** GraphQL enums of CONTRACT.md, registered once for the whole schema. */
import { registerEnumType } from 'type-graphql';
import { DataCategory, DocumentType, Purpose, Role } from '../policy/vocabulary';

export enum Gender { FEMALE = 'FEMALE', MALE = 'MALE', OTHER = 'OTHER', UNKNOWN = 'UNKNOWN' }
export enum LabSpecimen { BLOOD = 'BLOOD', URINE = 'URINE' }
export enum EncounterKind { ADMISSION = 'ADMISSION', OUTPATIENT = 'OUTPATIENT', EMERGENCY = 'EMERGENCY' }
export enum ConsentChannel {
  LSP = 'LSP', ZORGPLATFORM = 'ZORGPLATFORM', XDS = 'XDS', GP_VIEW = 'GP_VIEW',
  OTHER_EXCHANGE = 'OTHER_EXCHANGE', RESEARCH = 'RESEARCH', PHOTOGRAPHY = 'PHOTOGRAPHY',
}
export enum ObjectionKind { GP_PORTAL_BLOCK = 'GP_PORTAL_BLOCK', TRIX = 'TRIX', CANCER_REGISTRY = 'CANCER_REGISTRY', RESEARCH = 'RESEARCH', TRAINEES = 'TRAINEES' }
export enum AccessAction { READ = 'READ', CREATE = 'CREATE', UPDATE = 'UPDATE', DELETE = 'DELETE', EXPORT = 'EXPORT', BREAK_GLASS = 'BREAK_GLASS' }
export enum AccessOutcome { GRANTED = 'GRANTED', PARTIAL = 'PARTIAL', DENIED = 'DENIED' }
/** How a legal representative is related to the patient; decides the age rules of the gate. */
export enum RepresentationKind { PARENT = 'PARENT', GUARDIAN = 'GUARDIAN', TRUSTEE = 'TRUSTEE', MENTOR = 'MENTOR', AUTHORISED = 'AUTHORISED' }

export { DataCategory, DocumentType, Purpose, Role };

registerEnumType(Role, { name: 'Role' });
registerEnumType(Purpose, { name: 'Purpose' });
registerEnumType(DataCategory, { name: 'DataCategory' });
registerEnumType(DocumentType, { name: 'DocumentType' });
registerEnumType(Gender, { name: 'Gender' });
registerEnumType(LabSpecimen, { name: 'LabSpecimen' });
registerEnumType(EncounterKind, { name: 'EncounterKind' });
registerEnumType(ConsentChannel, { name: 'ConsentChannel' });
registerEnumType(ObjectionKind, { name: 'ObjectionKind' });
registerEnumType(AccessAction, { name: 'AccessAction' });
registerEnumType(AccessOutcome, { name: 'AccessOutcome' });
