import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { forbidden } from '../errors';
import { DataCategory } from '../record/enums';
import { PageInfo, decodeCursor, pageSize, toPage } from '../record/pagination';
import { admittedPatient, patientIdArg } from '../record/patient/patient-lookup';
import { Patient } from '../record/patient/patient.entity';
import { AccessEvent } from './access-event.entity';
import { verifyAccessLogChain } from './access-log';

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
}

/** Newest first, keyset-paged on the chain position. */
function eventPage(ctx: RequestContext, first: number, after: string | null | undefined, filter: (qb: ReturnType<typeof query>) => void) {
  const size = pageSize(first, 50);
  const before = decodeCursor(after, /^[0-9]+$/);
  const qb = query(ctx);
  filter(qb);
  if (before) qb.andWhere('e.seq < :before', { before });
  return qb.orderBy('e.seq', 'DESC').limit(size + 1).getMany().then((rows) => toPage(rows, size, (e) => String(e.seq)));
}
const query = (ctx: RequestContext) => ctx.db.getRepository(AccessEvent).createQueryBuilder('e');

/** The access log as its readers see it: the patient's own view, and the privacy officer's. */
@Resolver()
export class AccessLogResolver {
  @Query(() => AccessEventConnection, { nullable: false, description: 'Who accessed this patient\'s record, newest first.' })
  async accessLog(
    @Arg('patientId', () => ID, { nullable: false }) patientId: string,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AccessEventConnection> {
    const patient = await admittedPatient(ctx, { id: patientIdArg(patientId) });
    if (!ctx.access.allows(patient.id, DataCategory.ACCESS_LOG)) throw forbidden();
    return eventPage(ctx, first, after, (qb) => qb.where('e.patient_id = :id', { id: patient.id }));
  }

  @Query(() => AccessEventConnection, { nullable: false, description: 'Break-the-glass openings and the accesses made under them.' })
  async breakGlassReviewQueue(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AccessEventConnection> {
    const bound = ctx.principal.boundPatientNumber;
    const page = await eventPage(ctx, first, after, (qb) => {
      qb.where('e.break_glass_reason IS NOT NULL');
      // A token bound to one patient sees that patient's entries only (found by the leak property test).
      if (bound) qb.andWhere('e.patient_id IN (SELECT id FROM patient WHERE patient_number = :bound)', { bound });
    });
    // Reading the queue is itself an access to each listed patient's log.
    const patients = [...new Set(page.nodes.map((e) => e.patientId).filter((id): id is string => !!id))];
    if (patients.length) {
      const rows = await ctx.db.getRepository(Patient).findBy(patients.map((id) => ({ id })));
      ctx.access.admitSelected(rows);
      for (const p of rows) ctx.access.allows(p.id, DataCategory.ACCESS_LOG);
    }
    return page;
  }

  @Query(() => AccessLogVerification, { nullable: false, description: 'Walks the hash chain and reports the first broken link.' })
  verifyAccessLog(@Ctx() ctx: RequestContext): Promise<AccessLogVerification> {
    return verifyAccessLogChain(ctx.db);
  }
}
