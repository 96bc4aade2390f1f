/**
 * The hash chain over the access log: each entry's hash covers its own content and its
 * predecessor's hash, so changing, inserting or removing an entry breaks every later link.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The content of an entry that the chain protects, in a fixed order. */
export interface ChainedContent {
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
}

/** sha256 over the predecessor's hash and a canonical serialisation of the content. */
export function chainHash(prevHash: string, e: ChainedContent): string {
  const canonical = JSON.stringify([
    String(e.seq), e.at.toISOString(), e.actorSubject, e.actorRole, e.actorOrganisation, e.onBehalfOf,
    e.purpose, e.action, e.patientId, [...e.categoriesGranted], [...e.categoriesDenied], e.outcome, e.basis,
    e.breakGlassReason, e.requestId, e.client, e.detail,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
