/**
 * A write and its access event in one transaction: either both are stored or neither is.
 */
import { EntityManager } from 'typeorm';
import type { RequestContext } from '../context';
import { AccessAction, AccessOutcome, DataCategory } from '../record/enums';
import { appendAccessEvents } from './access-log';

export interface WriteEvent {
  patientId: string;
  action: AccessAction;
  categories: DataCategory[];
  /** What was done, without content (e.g. "consent GP_VIEW withdrawn"). */
  detail: string;
  breakGlassReason?: string;
  basis?: string;
}

/** Runs `work` in a transaction and appends the event it describes before committing. */
export async function recordedWrite<T>(
  ctx: RequestContext,
  work: (manager: EntityManager) => Promise<{ result: T; event: WriteEvent }>,
): Promise<T> {
  const result = await ctx.db.transaction(async (manager) => {
    const { result, event } = await work(manager);
    const basis = event.basis ?? ctx.access.decisionFor(event.patientId)?.basis ?? null;
    await appendAccessEvents(manager, ctx.principal, ctx.meta, [{
      patientId: event.patientId,
      action: event.action,
      categoriesGranted: event.categories,
      categoriesDenied: [],
      outcome: AccessOutcome.GRANTED,
      basis,
      breakGlassReason: event.breakGlassReason ?? ctx.access.decisionFor(event.patientId)?.breakGlassReason ?? null,
      detail: event.detail,
    }]);
    ctx.recorder.writtenWith(event.patientId);
    return result;
  });
  return result;
}
