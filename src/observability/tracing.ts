/**
 * OpenTelemetry tracing hooks (@opentelemetry/api only). Without an SDK registered by the operator
 * (e.g. `node --require ./otel-setup.js dist/src/main.js` with @opentelemetry/sdk-node) every call
 * here is a no-op. Span attributes are operational (route, status, role, column, counts): never a
 * patient id, subject, value or error message.
 */
import { context, propagation, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

/** The tracer of this service; a proxy until (and unless) a tracer provider is registered. */
export const tracer = trace.getTracer('patient-record-api');

/** Runs `work` in an active span; errors mark the span failed with their class name only. */
export function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, parent?: Context): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The trace context an upstream (load balancer, portal) sent in `traceparent`, if a propagator is registered. */
export function incomingContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers);
}
