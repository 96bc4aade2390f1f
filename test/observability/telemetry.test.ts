/**
 * Health and telemetry: /healthz, /readyz (database and migrations), Prometheus
 * /metrics (requests, latency, denied fields by role and category, access-log write failures,
 * pool), and OpenTelemetry spans around requests and gate evaluation once a provider is registered.
 */
import { trace, type Span, type SpanOptions, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { createDataSource } from '../../src/db/data-source';
import { startServer } from '../../src/server';
import { startTestApi, TestApi } from '../support/harness';

interface Recorded {
  name: string;
  attributes: Record<string, unknown>;
  ended: boolean;
}
const spans: Recorded[] = [];

/** The smallest tracer provider that records spans (what an operator's SDK would do). */
function recordingProvider(): TracerProvider {
  const makeSpan = (name: string, options: SpanOptions = {}): Span => {
    const rec: Recorded = { name, attributes: { ...(options.attributes ?? {}) }, ended: false };
    spans.push(rec);
    const span = {
      spanContext: () => ({ traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceFlags: 1 }),
      setAttribute: (k: string, v: unknown) => ((rec.attributes[k] = v), span),
      setAttributes: (a: Record<string, unknown>) => (Object.assign(rec.attributes, a), span),
      addEvent: () => span,
      addLink: () => span,
      addLinks: () => span,
      setStatus: () => span,
      updateName: () => span,
      end: () => { rec.ended = true; },
      isRecording: () => true,
      recordException: () => undefined,
    };
    return span as unknown as Span;
  };
  const tracer = {
    startSpan: makeSpan,
    startActiveSpan: (name: string, ...args: unknown[]) => {
      const fn = args[args.length - 1] as (span: Span) => unknown;
      return fn(makeSpan(name, (args.length > 1 ? args[0] : {}) as SpanOptions));
    },
  } as unknown as Tracer;
  return { getTracer: () => tracer };
}

let api: TestApi;
let origin: string;
let p1: string;

beforeAll(async () => {
  trace.setGlobalTracerProvider(recordingProvider());
  api = await startTestApi();
  origin = new URL(api.server.url).origin;
  p1 = await api.patientId('P-0001');
});
afterAll(() => api?.close());

async function metrics(): Promise<string> {
  const res = await fetch(`${origin}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one sample line, e.g. metric('policy_denied_fields_total{role="GP",category="DIAGNOSES"}'). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('health', () => {
  test('/healthz: the process serves', async () => {
    const res = await fetch(`${origin}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('/readyz: database reachable and every migration applied', async () => {
    const res = await fetch(`${origin}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  test('/readyz is 503 while a migration of this build is missing from the database', async () => {
    const [last] = await api.sql<{ id: number; timestamp: string; name: string }>('SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1');
    await api.sql('DELETE FROM migrations WHERE id = $1', [last.id]);
    try {
      const res = await fetch(`${origin}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'migrations pending', pending: [last.name] });
    } finally {
      await api.sql('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [last.id, last.timestamp, last.name]);
    }
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
  });

  test('/readyz is 503 when the database cannot be reached; /healthz stays 200', async () => {
    const unreachable = createDataSource({ url: 'postgres://postgres@127.0.0.1:1/none' });
    const server = await startServer({ ...api.config, port: 0 }, unreachable);
    try {
      const base = new URL(server.url).origin;
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'database unavailable' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('metrics', () => {
  test('requests are counted and timed by route, method and status', async () => {
    const before = await metrics();
    const series = 'http_requests_total{route="/graphql",method="POST",status="200"}';
    await api.gql('gp-jansen', '{ me { subject } }');
    await api.gql('gp-jansen', '{ me { subject } }');
    const after = await metrics();
    expect(sample(after, series) - sample(before, series)).toBe(2);
    expect(sample(after, 'http_request_duration_seconds_count{route="/graphql",method="POST",status="200"}')).toBeGreaterThanOrEqual(2);
    expect(after).toMatch(/http_request_duration_seconds_bucket\{le="0\.1",route="\/graphql",method="POST",status="200"\} \d+/);
    expect(sample(after, 'http_requests_total{route="/healthz",method="GET",status="200"}')).toBeGreaterThanOrEqual(1);
  });

  test('denied fields are counted by role and category, exactly as the policy withheld them', async () => {
    const before = await metrics();
    // The GP may not read diagnoses, allergies (both DIAGNOSES) or medication: three fields withheld.
    const res = await api.gql('gp-jansen', `query($id: ID!) { patient(id: $id) { labResults { value } diagnoses { code } allergies { substance } medications { name } } }`, { id: p1 });
    expect(res.body.errors!.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    const after = await metrics();
    const delta = (category: string) =>
      sample(after, `policy_denied_fields_total{role="GP",category="${category}"}`) - sample(before, `policy_denied_fields_total{role="GP",category="${category}"}`);
    expect(delta('DIAGNOSES')).toBe(2);
    expect(delta('MEDICATION')).toBe(1);
    expect(delta('LAB')).toBe(0);
  });

  test('a failed access-log write is counted', async () => {
    const before = sample(await metrics(), 'access_log_write_failures_total');
    await api.sql(`CREATE OR REPLACE FUNCTION test_metrics_outage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outage'; END $$`);
    await api.sql('CREATE TRIGGER test_metrics_outage BEFORE INSERT ON access_event FOR EACH ROW EXECUTE FUNCTION test_metrics_outage()');
    try {
      const res = await api.gql('gp-jansen', `query($id: ID!) { patient(id: $id) { labResults { value } } }`, { id: p1 });
      expect(res.status).toBe(503);
    } finally {
      await api.sql('DROP TRIGGER test_metrics_outage ON access_event');
      await api.sql('DROP FUNCTION test_metrics_outage()');
    }
    expect(sample(await metrics(), 'access_log_write_failures_total') - before).toBe(1);
  });

  test('the database pool is reported', async () => {
    const text = await metrics();
    expect(sample(text, 'db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^db_pool_connections\{state="idle"\} \d+$/m);
    expect(text).toMatch(/^db_pool_connections\{state="waiting"\} \d+$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  test('metrics carry no patient, subject or value', async () => {
    const text = await metrics();
    const values = await api.sql<{ v: string }>(`SELECT patient_number AS v FROM patient UNION ALL SELECT bsn FROM patient UNION ALL SELECT family_name FROM patient UNION ALL SELECT value FROM lab_result WHERE length(value) >= 4 AND value !~ '^[0-9.]+$'`);
    expect(values.length).toBeGreaterThan(4);
    for (const { v } of values) expect(text).not.toContain(v);
    for (const subject of ['gp-jansen', 'clin-dekker', p1]) expect(text).not.toContain(subject);
    // A numeric lab value may equal a sample's digits by chance (CPU seconds, bucket bounds): in the
    // names, labels and help texts it may not appear; samples are measurements, not record values.
    const described = text.split('\n').map((line) => (line.startsWith('#') ? line : line.replace(/ [^ ]+$/, ''))).join('\n');
    const numeric = await api.sql<{ v: string }>(`SELECT DISTINCT value AS v FROM lab_result WHERE length(value) >= 3`);
    for (const { v } of numeric) expect(described).not.toContain(`"${v}"`);
  });
});

describe('tracing hooks', () => {
  test('a request span and a gate span, with operational attributes only', async () => {
    spans.length = 0;
    await api.gql('clin-dekker', `query($id: ID!) { patient(id: $id) { labResults { value } } }`, { id: p1 });
    const request = spans.find((s) => s.name === 'POST /graphql');
    const gate = spans.find((s) => s.name === 'policy.gate');
    expect(request).toMatchObject({ ended: true, attributes: { 'http.request.method': 'POST', 'http.route': '/graphql', 'http.response.status_code': 200 } });
    expect(gate).toMatchObject({ ended: true, attributes: { 'policy.column': 'CLIN_TREATMENT', 'policy.patients': 1, 'policy.admitted': 1 } });
    const all = JSON.stringify(spans);
    expect(all).not.toContain(p1);
    expect(all).not.toContain('clin-dekker');
  });
});
