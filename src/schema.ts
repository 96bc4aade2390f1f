/**
 * The executable schema: type-graphql builds it from the resolvers, every root field is put behind
 * the door (policy/door.ts), then the policy shield wraps every field. There is no other way to obtain an executable schema in the server.
 */
import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchemaSync, NonEmptyArray } from 'type-graphql';
import { AccessEventProofResolver } from './audit/access-event-proof.resolver';
import { AccessLogResolver } from './audit/access-log.resolver';
import { AuditEventResolver } from './audit/audit-event.resolver';
import { PrincipalResolver } from './auth/principal.resolver';
import { RevocationResolver } from './auth/revocation.resolver';
import { describePolicy } from './policy/descriptions';
import { applyDoor } from './policy/door';
import { policyShield } from './policy/shield';
import { CareResolver } from './record/care/care.resolver';
import { ClinicalResolver } from './record/clinical/clinical.resolver';
import { ConsentResolver } from './record/consent/consent.resolver';
import { DestructionResolver } from './record/destruction/destruction.resolver';
import { DocumentWritesResolver } from './record/documents/document-writes.resolver';
import { RectificationResolver } from './record/patient/rectification.resolver';
import { ClinicalDocumentResolver, PatientDocumentsResolver } from './record/documents/documents.resolver';
import { BreakGlassResolver } from './record/emergency/break-glass.resolver';
import './record/enums';
import { FinancialResolver } from './record/financial/financial.resolver';
import { PatientResolver } from './record/patient/patient.resolver';
import { PhotosResolver } from './record/photos/photos.resolver';
import { PortalResolver } from './record/portal/portal.resolver';
import { ResultsResolver } from './record/results/results.resolver';
import { RecordExportResolver } from './export/record-export.resolver';
import { ResearchCohortResolver } from './research/research-cohort.resolver';
import { PortalTokenResolver } from './portal/portal-token.resolver';

/** Every resolver class of the API. Exported for the benchmark's baseline (bench/unauthorised-server.ts); the server only ever executes buildPolicedSchema(). */
export const RESOLVERS: NonEmptyArray<Function> = [
  PrincipalResolver, PatientResolver, CareResolver, ClinicalResolver, ResultsResolver, PatientDocumentsResolver,
  ClinicalDocumentResolver, FinancialResolver, PhotosResolver, PortalResolver, ConsentResolver, BreakGlassResolver,
  AccessLogResolver, AuditEventResolver, AccessEventProofResolver, RectificationResolver, DocumentWritesResolver, DestructionResolver,
  ResearchCohortResolver, RecordExportResolver, PortalTokenResolver, RevocationResolver,
];

/** The schema the server executes (and whose SDL is checked in): every field behind the policy shield. */
export function buildPolicedSchema(onInternalError: (error: unknown) => void): GraphQLSchema {
  const schema = buildSchemaSync({ resolvers: RESOLVERS, nullableByDefault: true, validate: false });
  return applyMiddleware(applyDoor(describePolicy(schema)), policyShield(onInternalError));
}
