/**
 * The access log as FHIR: a searchset Bundle of AuditEvents (audit-event-fhir.ts). The patient
 * and the representative read their own log under exactly the rules of `accessLog` (same door,
 * same masking); the privacy officer reads the whole log as a feed for a SIEM, oldest first, and
 * follows `next` for what comes after. Reading the log is itself logged, as for `accessLog`.
 */
import { GraphQLResolveInfo } from 'graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { admittedPatient } from '../policy/door';
import { actorMaskedFor, eventPage, releaseLogsListed } from './access-log.resolver';
import { auditEventBundle, toAuditEvent } from './audit-event-fhir';

/** The URL of a page: the GraphQL field and its arguments, so a client can follow it. */
function pageUrl(field: string, args: Record<string, string | number | null | undefined>): string {
  const query = Object.entries(args).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
  return `${field}?${query}`;
}

@Resolver()
export class AuditEventResolver {
  // The door admits the patient and the ACCESS_LOG category, exactly as for accessLog (policy/operations.ts).
  @Query(() => GraphQLJSONObject, { nullable: false, description: 'This patient\'s access log as a FHIR R4 searchset Bundle of AuditEvents (IHE BALP), newest first.' })
  async accessLogAuditEvents(
    @Arg('patientId', () => ID, { nullable: false }) patientId: string,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<object> {
    const patient = admittedPatient(info);
    const page = await eventPage(ctx, first, after, (qb) => qb.where('e.patient_id = :id', { id: patient.id }));
    const events = page.nodes.map((e) => toAuditEvent(e, { actorMasked: actorMaskedFor(ctx, e), origin: ctx.config.accessLogOrigin }));
    return auditEventBundle(events, {
      self: pageUrl('accessLogAuditEvents', { patientId, first, after }),
      next: page.pageInfo.hasNextPage ? pageUrl('accessLogAuditEvents', { patientId, first, after: page.pageInfo.endCursor }) : undefined,
    }, new Date());
  }

  @Query(() => GraphQLJSONObject, {
    nullable: false,
    description: 'The whole access log as a FHIR R4 searchset Bundle of AuditEvents (IHE BALP), oldest first, for a SIEM: follow link next; '
      + 'a page with events always has next (later events appear there), an empty page has none (ask the same page again later).',
  })
  async auditEvents(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<object> {
    const gate = ctx.access.gate().buildNamed('gate');
    // Events of patients inside the gate (and the token's binding), and — for an unbound token —
    // the events about no patient. Patient rows outside are invisible under row security, so the
    // filter names the patients that are in, never those that are out.
    const unbound = ctx.principal.boundPatientNumber === undefined;
    const page = await eventPage(ctx, first, after, (qb) => {
      qb.where(`(${unbound ? 'e.patient_id IS NULL OR ' : ''}e.patient_id IN (SELECT p.id FROM patient p WHERE ${gate.text}))`, gate.params);
    }, 'oldest', 100);
    await releaseLogsListed(ctx, info, page.nodes);
    const events = page.nodes.map((e) => toAuditEvent(e, { actorMasked: false, origin: ctx.config.accessLogOrigin }));
    return auditEventBundle(events, {
      self: pageUrl('auditEvents', { first, after }),
      next: page.pageInfo.endCursor ? pageUrl('auditEvents', { first, after: page.pageInfo.endCursor }) : undefined,
    }, new Date());
  }
}
