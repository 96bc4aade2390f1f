/**
 * Apollo plugin that writes the request's access events before the response leaves. If they
 * cannot be written, the response is replaced by an error and carries no patient data (fail
 * closed, SPEC §5).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context';
import { describeError, log } from '../log';
import { accessLogWriteFailures } from '../observability/metrics';
import { appendAccessEventsGrouped } from './group-append';

export function accessLogPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue: ctx, response }) {
          const events = ctx.recorder.pendingEvents();
          try {
            // The request's own connection goes back first (no request holds two); then its reads are logged.
            await ctx.finish();
            if (events.length === 0) return;
            await appendAccessEventsGrouped(ctx.pool, ctx.principal, ctx.meta, events);
          } catch (error) {
            accessLogWriteFailures.inc();
            log.error('access log write failed; response withheld', { requestId: ctx.meta.requestId, ...describeError(error) });
            response.http.status = 503;
            response.body = {
              kind: 'single',
              singleResult: {
                data: null,
                errors: [{ message: 'The access could not be recorded; no data was released', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
              },
            };
          }
        },
      };
    },
  };
}
