import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context';
import { recordedWrite } from '../../audit/recorded-write';
import { badUserInput, notFound } from '../../errors';
import { GATES } from '../../policy/gates';
import { AccessAction } from '../enums';
import { admittedPatient, patientIdArg } from '../patient/patient-lookup';
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
 * without content) or refuses with a reason (everything stays).
 */
@Resolver()
export class DestructionResolver {
  @Mutation(() => DestructionRequest, { nullable: false })
  async requestDestruction(@Arg('input', { nullable: false }) input: DestructionRequestInput, @Ctx() ctx: RequestContext): Promise<DestructionRequest> {
    const items = parseScope(input.scope);
    if (typeof items === 'string') throw badUserInput(items);
    const reason = reasonArg(input.reason);
    const patient = await admittedPatient(ctx, { id: patientIdArg(input.patientId) });
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
  destructionRequests(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => String, { nullable: true }) status?: string | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
  ): Promise<DestructionRequest[]> {
    if (status && !(status in DestructionStatus)) throw badUserInput(`status must be one of ${Object.keys(DestructionStatus).join(', ')}`);
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badUserInput('first must be between 1 and 100');
    return ctx.db.getRepository(DestructionRequest).find({ where: status ? { status: status as DestructionStatus } : {}, order: { requestedAt: 'ASC' }, take: first });
  }

  @Mutation(() => DestructionRequest, { nullable: false })
  async decideDestruction(
    @Arg('id', () => ID, { nullable: false }) id: string,
    @Arg('approve', { nullable: false }) approve: boolean,
    @Arg('reason', { nullable: false }) reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<DestructionRequest> {
    const why = reasonArg(reason);
    const requestId = patientIdArg(id);
    return recordedWrite(ctx, async (manager) => {
      const request = await manager.findOne(DestructionRequest, { where: { id: requestId }, lock: { mode: 'pessimistic_write' } });
      if (!request) throw notFound('Destruction request');
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
