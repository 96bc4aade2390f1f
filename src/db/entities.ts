/** Every table of the record, for the data source and the migrations. */
import { AccessEvent } from '../audit/access-event.entity';
import { CareRelationship } from '../record/care/care-relationship.entity';
import { GpRegistration } from '../record/care/gp-registration.entity';
import { RelatedPerson } from '../record/care/related-person.entity';
import { Representation } from '../record/care/representation.entity';
import { Allergy } from '../record/clinical/allergy.entity';
import { Diagnosis } from '../record/clinical/diagnosis.entity';
import { Encounter } from '../record/clinical/encounter.entity';
import { FamilyHistoryEntry } from '../record/clinical/family-history-entry.entity';
import { Medication } from '../record/clinical/medication.entity';
import { SpecialCategoryData } from '../record/clinical/special-category-data.entity';
import { TransfusionRecord } from '../record/clinical/transfusion-record.entity';
import { Consent } from '../record/consent/consent.entity';
import { Objection } from '../record/consent/objection.entity';
import { ClinicalDocument } from '../record/documents/clinical-document.entity';
import { DestructionRequest } from '../record/destruction/destruction-request.entity';
import { BreakGlassSession } from '../record/emergency/break-glass-session.entity';
import { FinancialCode } from '../record/financial/financial-code.entity';
import { Insurance } from '../record/financial/insurance.entity';
import { Patient } from '../record/patient/patient.entity';
import { MedicalPhoto } from '../record/photos/medical-photo.entity';
import { PortalNote } from '../record/portal/portal-note.entity';
import { Practitioner } from '../record/practitioner/practitioner.entity';
import { IssuedToken } from '../portal/issued-token.entity';
import { Ecg } from '../record/results/ecg.entity';
import { ImagingReport } from '../record/results/imaging-report.entity';
import { LabResult } from '../record/results/lab-result.entity';
import { ResearchStudy, ResearchStudyApproval } from '../research/research-study.entity';

export const ENTITIES = [
  Patient, Practitioner, CareRelationship, GpRegistration, RelatedPerson, Representation,
  Insurance, FinancialCode, ClinicalDocument, LabResult, Ecg, ImagingReport, Diagnosis, Allergy,
  Medication, Encounter, FamilyHistoryEntry, SpecialCategoryData, TransfusionRecord, MedicalPhoto,
  PortalNote, Consent, Objection, BreakGlassSession, DestructionRequest, AccessEvent, IssuedToken,
  ResearchStudy, ResearchStudyApproval,
];
