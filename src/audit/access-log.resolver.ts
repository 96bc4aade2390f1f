import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Field, ID, Info, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { Role } from '../record/enums';
import { PageInfo, decodeCursor, pageSize, toPage } from '../record/pagination';
import { Patient } from '../record/patient/patient.entity';
import { admittedPatient, releaseListed } from '../policy/door';
import { AccessEvent } from './access-event.entity';
import { verifyAccessLog } from './access-log';

@ObjectType('AccessEventConnection')
class AccessEventConnection {
  @Field(() => [AccessEvent], { nullable: false }) nodes: AccessEvent[];
  @Field(() => PageInfo, { nullable: false }) pageInfo: PageInfo;
}

@ObjectType('AccessLogVerification')
class AccessLogVerification {
  @Field({ nullable: false }) ok: boolean;
  @Field(() => Int, { nullable: false }) checked: number;
  @Field(() => ID) firstBrokenEventId: string | null;
  @Field(() => String, { description: 'What is wrong first: CHECKPOINT_SIGNATURE, PUBLISHED_LEAVES, EVENT_EDITED, EVENT_MISSING or TREE_REWRITTEN.' }) problem: string | null;
  @Field(() => Int, { description: 'The tree position of the first problem.' }) firstBrokenLeafIndex: number | null;
  @Field(() => ID, { description: 'The first removed event, as its signed checkpoint names it.' }) missingEventId: string | null;
  @Field(() => Int, { nullable: false, description: 'The size of the newest published checkpoint: what was verified.' }) treeSize: number;
  @Field(() => Int, { nullable: false, description: 'Events written since that checkpoint, not yet covered by one.' }) pending: number;
}

/** Keyset-paged on the insertion order: newest first for readers, oldest first for a feed that is tailed. */
export function eventPage(
  ctx: RequestContext, first: number, after: string | null | undefined, filter: (qb: ReturnType<typeof query>) => void,
  order: 'newest' | 'oldest' = 'newest', fallback = 50,
) {
  const size = pageSize(first, fallback);
  const from = decodeCursor(after, /^[0-9]+$/);
  const qb = query(ctx);
  filter(qb);
  if (from) qb.andWhere(order === 'newest' ? 'e.seq < :from' : 'e.seq > :from', { from });
  return qb.orderBy('e.seq', order === 'newest' ? 'DESC' : 'ASC').limit(size + 1).getMany().then((rows) => toPage(rows, size, (e) => String(e.seq)));
}
const query = (ctx: RequestContext) => ctx.db.getRepository(AccessEvent).createQueryBuilder('e');

/** Patients and representatives are private persons: another one appears in a patient's log by role only. */
const PRIVATE_ROLES = new Set<Role>([Role.PATIENT, Role.LEGAL_REPRESENTATIVE]);

/** True when this viewer may see the event's actor by role only (another private person). */
export function actorMaskedFor(ctx: RequestContext, event: AccessEvent): boolean {
  const viewer = ctx.principal;
  return PRIVATE_ROLES.has(viewer.role) && PRIVATE_ROLES.has(event.actorRole) && event.actorSubject !== viewer.subject;
}

/** The event as this viewer may see it: a patient or representative sees other private persons by role only. */
export function asSeenBy(ctx: RequestContext, event: AccessEvent): AccessEvent {
  if (!actorMaskedFor(ctx, event)) return event;
  return Object.assign(new AccessEvent(), event, { actorSubject: event.actorRole, actorOrganisation: null, onBehalfOf: null });
}

/** Reading a list of events is itself an access to each listed patient's log: one event per patient. */
export async function releaseLogsListed(ctx: RequestContext, info: GraphQLResolveInfo, events: AccessEvent[]): Promise<void> {
  const ids = [...new Set(events.map((e) => e.patientId).filter((id): id is string => !!id))];
  const patients = ids.length ? await ctx.db.getRepository(Patient).findBy(ids.map((id) => ({ id }))) : [];
  await releaseListed(ctx, info, patients);
}

/** The access log as its readers see it: the patient's own view, and the privacy officer's. */
@Resolver()
export class AccessLogResolver {
  // The door admits the patient and the ACCESS_LOG category (policy/operations.ts).
  @Query(() => AccessEventConnection, { nullable: false, description: 'Who accessed this patient\'s record, newest first.' })
  async accessLog(
    @Arg('patientId', () => ID, { nullable: false }) _patientId: string,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AccessEventConnection> {
    const patient = admittedPatient(info);
    const page = await eventPage(ctx, first, after, (qb) => qb.where('e.patient_id = :id', { id: patient.id }));
    return { ...page, nodes: page.nodes.map((e) => asSeenBy(ctx, e)) };
  }

  @Query(() => AccessEventConnection, { nullable: false, description: 'Break-the-glass openings and the accesses made under them.' })
  async breakGlassReviewQueue(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AccessEventConnection> {
    const gate = ctx.access.gate().buildNamed('gate');
    const page = await eventPage(ctx, first, after, (qb) => {
      qb.where('e.break_glass_reason IS NOT NULL');
      qb.andWhere(`e.patient_id IN (SELECT p.id FROM patient p WHERE ${gate.text})`, gate.params);
    });
    await releaseLogsListed(ctx, info, page.nodes);
    return page;
  }

  @Query(() => AccessLogVerification, { nullable: false, description: 'Checks every event against the signed, published checkpoints and reports the first that is not as signed.' })
  verifyAccessLog(@Ctx() ctx: RequestContext): Promise<AccessLogVerification> {
    return verifyAccessLog(ctx.pool, ctx.config);
  }
}
