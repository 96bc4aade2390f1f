/**
 * The access log as FHIR R4 AuditEvent resources, after the patterns of IHE Basic Audit Log
 * Patterns (BALP): the user as the requesting agent with role and purpose of use, the API as
 * the server agent, the client, the patient as an entity in the patient role (BALP's
 * patient-as-subject pattern), and the record data as a second entity whose details carry what
 * NEN 7513 asks beyond BALP — the categories released and withheld, the basis and the
 * break-the-glass reason (docs/fhir.md explains the choices). A pure mapping of stored events.
 */
import type { AuditEvent, AuditEventAgent, AuditEventEntity, AuditEventEntityDetail, Bundle, Coding } from 'fhir/r4';
import { PURPOSE_OF_USE, PURPOSE_OF_USE_SYSTEM } from '../policy/fhir-resources';
import { AccessAction, AccessOutcome } from '../record/enums';
import type { AccessEvent } from './access-event.entity';

const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const DICOM = 'http://dicom.nema.org/resources/ontology/DCM';
const PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
/** The API's own code systems: the roles of SPEC §1 and the subjects of the tokens it accepts. */
export const ROLE_SYSTEM = 'urn:patient-record-api:role';
export const SUBJECT_SYSTEM = 'urn:patient-record-api:subject';
/** The names of the entity details that carry NEN 7513's fields (docs/fhir.md). */
export const DETAIL = {
  granted: 'categoriesGranted', withheld: 'categoriesWithheld', basis: 'basis', breakGlassReason: 'breakGlassReason',
  requestId: 'requestId', what: 'detail',
} as const;

const coding = (system: string, code: string, display: string): Coding => ({ system, code, display });

/** BALP's event type and subtype for each action of the log. */
const EVENT_TYPE: Record<AccessAction, { type: Coding; subtype: Coding; action: NonNullable<AuditEvent['action']> }> = {
  [AccessAction.READ]: { type: coding(AUDIT_EVENT_TYPE, 'rest', 'Restful Operation'), subtype: coding(RESTFUL_INTERACTION, 'read', 'read'), action: 'R' },
  [AccessAction.CREATE]: { type: coding(AUDIT_EVENT_TYPE, 'rest', 'Restful Operation'), subtype: coding(RESTFUL_INTERACTION, 'create', 'create'), action: 'C' },
  [AccessAction.UPDATE]: { type: coding(AUDIT_EVENT_TYPE, 'rest', 'Restful Operation'), subtype: coding(RESTFUL_INTERACTION, 'update', 'update'), action: 'U' },
  [AccessAction.DELETE]: { type: coding(AUDIT_EVENT_TYPE, 'rest', 'Restful Operation'), subtype: coding(RESTFUL_INTERACTION, 'delete', 'delete'), action: 'D' },
  [AccessAction.EXPORT]: { type: coding(DICOM, '110106', 'Export'), subtype: coding(RESTFUL_INTERACTION, 'read', 'read'), action: 'R' },
  [AccessAction.BREAK_GLASS]: { type: coding(DICOM, '110113', 'Security Alert'), subtype: coding(DICOM, '110127', 'Emergency Override Started'), action: 'E' },
};

/** 0 success; a refusal is the client's failure (4, as BALP maps an HTTP 4xx); 8 is never written, a failed request logs nothing. */
const OUTCOME: Record<AccessOutcome, NonNullable<AuditEvent['outcome']>> = {
  [AccessOutcome.GRANTED]: '0', [AccessOutcome.PARTIAL]: '0', [AccessOutcome.DENIED]: '4',
};

export interface AuditEventOptions {
  /** The actor is another private person: shown by role only (access-log.resolver.ts decides). */
  actorMasked: boolean;
  /** The log's name (ACCESS_LOG_ORIGIN): the source site and the server agent. */
  origin: string;
}

const detail = (type: string, value: string | null | undefined): AuditEventEntityDetail[] => (value ? [{ type, valueString: value }] : []);

function userAgent(e: AccessEvent, masked: boolean): AuditEventAgent {
  const purpose = PURPOSE_OF_USE[e.purpose];
  return {
    type: { coding: [coding(PARTICIPATION_TYPE, 'IRCP', 'information recipient')] },
    role: [{ coding: [coding(ROLE_SYSTEM, e.actorRole, e.actorRole)] }],
    // A private person seen by another is named by role only: no identifier, no organisation.
    who: masked
      ? { display: e.actorRole }
      : { identifier: { system: SUBJECT_SYSTEM, value: e.actorSubject, ...(e.actorOrganisation ? { assigner: { display: e.actorOrganisation } } : {}) }, display: e.actorSubject },
    requestor: true,
    purposeOfUse: [{ coding: [coding(PURPOSE_OF_USE_SYSTEM, purpose.code, purpose.display)], text: e.purpose }],
  };
}

/** One access event as a FHIR R4 AuditEvent. */
export function toAuditEvent(e: AccessEvent, options: AuditEventOptions): AuditEvent & { id: string } {
  const kind = EVENT_TYPE[e.action];
  const agents: AuditEventAgent[] = [userAgent(e, options.actorMasked)];
  if (e.onBehalfOf && !options.actorMasked) {
    agents.push({ type: { coding: [coding(PARTICIPATION_TYPE, 'RESP', 'responsible party')] }, who: { display: e.onBehalfOf }, requestor: false });
  }
  agents.push({ type: { coding: [coding(DICOM, '110152', 'Destination Role ID')] }, who: { display: options.origin }, requestor: false });
  if (e.client && !options.actorMasked) {
    agents.push({ type: { coding: [coding(DICOM, '110153', 'Source Role ID')] }, who: { display: e.client }, requestor: false });
  }
  const entities: AuditEventEntity[] = [];
  if (e.patientId) {
    entities.push({ what: { reference: `Patient/${e.patientId}` }, type: coding(ENTITY_TYPE, '1', 'Person'), role: coding(OBJECT_ROLE, '1', 'Patient') });
  }
  const details = [
    ...detail(DETAIL.granted, e.categoriesGranted.join(' ')),
    ...detail(DETAIL.withheld, e.categoriesDenied.join(' ')),
    ...detail(DETAIL.basis, e.basis),
    ...detail(DETAIL.breakGlassReason, e.breakGlassReason),
    ...detail(DETAIL.requestId, e.requestId),
    ...detail(DETAIL.what, e.detail),
  ];
  entities.push({
    type: coding(ENTITY_TYPE, '2', 'System Object'), role: coding(OBJECT_ROLE, '4', 'Domain Resource'),
    description: 'the patient record, by data category', detail: details,
  });
  const outcomeDesc = e.outcome === AccessOutcome.PARTIAL ? `partially released; withheld: ${e.categoriesDenied.join(', ')}`
    : e.outcome === AccessOutcome.DENIED ? 'refused' : undefined;
  return {
    resourceType: 'AuditEvent',
    id: e.id,
    type: kind.type,
    subtype: [kind.subtype],
    action: kind.action,
    recorded: e.at.toISOString(),
    outcome: OUTCOME[e.outcome],
    ...(outcomeDesc ? { outcomeDesc } : {}),
    agent: agents,
    source: { site: options.origin, observer: { display: options.origin }, type: [coding(SOURCE_TYPE, '4', 'Application Server')] },
    entity: entities,
  };
}

/** A page of AuditEvents as a FHIR searchset Bundle; `next` carries the cursor of the following page. */
export function auditEventBundle(events: Array<AuditEvent & { id: string }>, links: { self: string; next?: string }, at: Date): Bundle<AuditEvent> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: at.toISOString(),
    link: [{ relation: 'self', url: links.self }, ...(links.next ? [{ relation: 'next', url: links.next }] : [])],
    // FHIR allows no empty arrays: an empty page has no entry at all.
    ...(events.length ? { entry: events.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource, search: { mode: 'match' as const } })) } : {}),
  };
}
