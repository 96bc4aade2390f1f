import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { recordedWrite } from '../../audit/recorded-write';
import { badUserInput } from '../../errors';
import { admittedPatient, releaseListed } from '../../policy/door';
import { GATES } from '../../policy/gates';
import { AccessAction } from '../enums';
import { Patient } from '../patient/patient.entity';
import { DestructionRequest, DestructionStatus } from './destruction-request.entity';
import { DestructionRequestInput } from './destruction.inputs';
import { countScopeItem, eraseScopeItem, parseScope } from './erasable';

const MIN_REASON = 5;
const MAX_TEXT = 2000;

function reasonArg(reason: string): string {
  const text = reason.trim();
  if (text.length < MIN_REASON || text.length > MAX_TEXT) throw badUserInput(`reason must be ${MIN_REASON} to ${MAX_TEXT} characters`);
  return text;
}

/**
 * The right to destruction ([000], [002]): the patient or a representative names what to destroy,
 * the privacy officer approves (the data is erased in one transaction, the log keeps a tombstone
 * without content) or refuses with a reason (everything stays). The door (policy/operations.ts)
 * admits the patient and checks that every category named in the scope is the caller's to read.
 */
@Resolver()
export class DestructionResolver {
  @Mutation(() => DestructionRequest, { nullable: false })
  async requestDestruction(
    @Arg('input', { nullable: false }) input: DestructionRequestInput,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DestructionRequest> {
    const items = parseScope(input.scope);
    if (typeof items === 'string') throw badUserInput(items);
    const reason = reasonArg(input.reason);
    const patient = admittedPatient(info);
    return recordedWrite(ctx, async (manager) => {
      for (const item of items) {
        if (item.rowId && (await countScopeItem(manager, patient.id, item)) === 0) throw badUserInput(`scope row ${item.rowId} is not a ${item.category} row of this record`);
      }
      const request = await manager.save(manager.create(DestructionRequest, {
        patientId: patient.id, scope: items.map((i) => (i.rowId ? `${i.category}:${i.rowId}` : i.category)).join(' '),
        reason, status: DestructionStatus.REQUESTED, requestedAt: new Date(), requestedBy: ctx.principal.subject,
        decidedBy: null, decidedAt: null, decisionReason: null,
      }));
      const categories = [...new Set(items.map((i) => i.category))];
      return { result: request, event: { patientId: patient.id, action: AccessAction.CREATE, categories: [], detail: `destruction requested: ${categories.join(', ')} (request ${request.id})` } };
    });
  }

  @Query(() => [DestructionRequest], { nullable: false, description: 'Destruction requests awaiting (or with) a decision, oldest first.' })
  async destructionRequests(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('status', () => String, { nullable: true }) status?: string | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
  ): Promise<DestructionRequest[]> {
    if (status && !(status in DestructionStatus)) throw badUserInput(`status must be one of ${Object.keys(DestructionStatus).join(', ')}`);
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badUserInput('first must be between 1 and 100');
    const gate = ctx.access.gate().buildNamed('gate');
    const qb = ctx.db.getRepository(DestructionRequest).createQueryBuilder('d')
      .where(`d.patient_id IN (SELECT p.id FROM patient p WHERE ${gate.text})`, gate.params);
    if (status) qb.andWhere('d.status = :status', { status });
    const requests = await qb.orderBy('d.requested_at', 'ASC').addOrderBy('d.id', 'ASC').take(first).getMany();
    // Each listed request is a read of that patient's CONSENTS: one access event per patient.
    const ids = [...new Set(requests.map((r) => r.patientId))];
    await releaseListed(ctx, info, ids.length ? await ctx.db.getRepository(Patient).findBy(ids.map((id) => ({ id }))) : []);
    return requests;
  }

  @Mutation(() => DestructionRequest, { nullable: false })
  async decideDestruction(
    @Arg('id', () => ID, { nullable: false }) id: string,
    @Arg('approve', { nullable: false }) approve: boolean,
    @Arg('reason', { nullable: false }) reason: string,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DestructionRequest> {
    const why = reasonArg(reason);
    const patient = admittedPatient(info);
    return recordedWrite(ctx, async (manager) => {
      const request = await manager.findOne(DestructionRequest, { where: { id: id.toLowerCase(), patientId: patient.id }, lock: { mode: 'pessimistic_write' } });
      if (!request) throw badUserInput('the destruction request is no longer on file');
      if (request.status !== DestructionStatus.REQUESTED) throw badUserInput('the request has already been decided');
      request.status = approve ? DestructionStatus.APPROVED : DestructionStatus.REFUSED;
      request.decidedBy = ctx.principal.subject;
      request.decidedAt = new Date();
      request.decisionReason = why;
      const items = parseScope(request.scope);
      if (typeof items === 'string') throw new Error('stored destruction scope no longer parses');
      const erased: string[] = [];
      if (approve) {
        for (const item of items) erased.push(`${item.category}${item.rowId ? ' (1 item)' : ''}: ${await eraseScopeItem(manager, request.patientId, item)} rows`);
      }
      await manager.save(request);
      // The tombstone: what kind of data, when, on whose decision — never the content.
      return {
        result: request,
        event: {
          patientId: request.patientId,
          action: approve ? AccessAction.DELETE : AccessAction.UPDATE,
          categories: approve ? [...new Set(items.map((i) => i.category))] : [],
          detail: approve ? `destroyed on request ${request.id}, decided by ${ctx.principal.subject}: ${erased.join('; ')}` : `destruction request ${request.id} refused by ${ctx.principal.subject}`,
          basis: GATES.PRIVACY.basis,
        },
      };
    });
  }
}
