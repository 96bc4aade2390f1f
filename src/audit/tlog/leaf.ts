/**
 * What a leaf of the tree is: one access event, serialised canonically. The leaf covers every
 * stored field, its id and insertion number included, so no part of an entry can change unseen.
 */
import { leafHash } from './merkle';

/** The stored content of one access event. */
export interface AccessEventContent {
  id: string;
  seq: string;
  at: Date;
  actorSubject: string;
  actorRole: string;
  actorOrganisation: string | null;
  onBehalfOf: string | null;
  purpose: string;
  action: string;
  patientId: string | null;
  categoriesGranted: string[];
  categoriesDenied: string[];
  outcome: string;
  basis: string | null;
  breakGlassReason: string | null;
  requestId: string;
  client: string | null;
  detail: string | null;
  /** The hash chain of events written before the tree (null since). */
  prevHash: string | null;
  hash: string | null;
}

/** The leaf: a JSON array in a fixed order (the order is part of the format), as UTF-8. */
export function eventLeaf(e: AccessEventContent): string {
  return JSON.stringify([
    'access-event/v1', e.id, String(e.seq), e.at.toISOString(), e.actorSubject, e.actorRole, e.actorOrganisation, e.onBehalfOf,
    e.purpose, e.action, e.patientId, e.categoriesGranted, e.categoriesDenied, e.outcome, e.basis,
    e.breakGlassReason, e.requestId, e.client, e.detail, e.prevHash ?? null, e.hash ?? null,
  ]);
}

/** The RFC 9162 leaf hash of an event. */
export const eventLeafHash = (e: AccessEventContent): Buffer => leafHash(eventLeaf(e));

/** The columns of access_event as AccessEventContent (for raw SQL). */
export const EVENT_COLUMNS = `e.id, e.seq::text AS seq, e.at, e.actor_subject AS "actorSubject", e.actor_role AS "actorRole",
  e.actor_organisation AS "actorOrganisation", e.on_behalf_of AS "onBehalfOf", e.purpose, e.action, e.patient_id AS "patientId",
  e.categories_granted AS "categoriesGranted", e.categories_denied AS "categoriesDenied", e.outcome, e.basis,
  e.break_glass_reason AS "breakGlassReason", e.request_id AS "requestId", e.client, e.detail,
  e.prev_hash AS "prevHash", e.hash`;
