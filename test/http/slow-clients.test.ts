/**
 * Slow clients: sockets that send their headers or their body one byte every 2 s are cut once
 * the header or body timeout has passed (Node's defaults would keep them open for minutes), and
 * the server keeps answering everybody else meanwhile.
 */
import net from 'node:net';
import { startTestApi, TestApi } from '../support/harness';

const HEADERS_TIMEOUT_MS = 2000;
const BODY_TIMEOUT_MS = 3000;
const REQUEST_TIMEOUT_MS = 5000;
const SOCKETS = 25;
let api: TestApi;
let port: number;

beforeAll(async () => {
  api = await startTestApi({
    HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), HTTP_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
  port = Number(new URL(api.server.url).port);
}, 60_000);
afterAll(() => api?.close());

interface Trickle { closedAfterMs: Promise<number>; received: () => string; stop(): void }

/** Opens a socket, sends `head` at once, then `rest` one byte every 2 s. */
function trickle(head: string, rest: string): Trickle {
  const socket = net.connect(port, '127.0.0.1');
  const started = Date.now();
  let received = '';
  let i = 0;
  socket.on('data', (chunk) => { received += chunk.toString('utf8'); });
  socket.on('error', () => undefined);
  socket.write(head);
  const timer = setInterval(() => {
    if (i < rest.length && !socket.destroyed) socket.write(rest[i++]);
  }, 2000);
  const closedAfterMs = new Promise<number>((resolve) => socket.on('close', () => {
    clearInterval(timer);
    resolve(Date.now() - started);
  }));
  return { closedAfterMs, received: () => received, stop: () => { clearInterval(timer); socket.destroy(); } };
}

test('bodies sent one byte every 2 s are cut after the body timeout (408); others are answered meanwhile', async () => {
  const token = await api.token('clin-dekker');
  const body = JSON.stringify({ query: '{ me { subject } }' }).padEnd(400, ' ');
  const head = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\n\r\n`;
  const slow = Array.from({ length: SOCKETS }, () => trickle(head, body));
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const meanwhile = await api.gql('clin-dekker', '{ me { subject } }');
    expect(meanwhile.body.data.me.subject).toBe('clin-dekker');
    const closed = await Promise.all(slow.map((s) => s.closedAfterMs));
    process.stderr.write(`\nslow bodies: ${SOCKETS} sockets cut after ${Math.min(...closed)}–${Math.max(...closed)} ms\n`);
    for (const ms of closed) {
      expect(ms).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 200);
      expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 2000);
    }
    for (const s of slow) {
      expect(s.received()).toMatch(/^HTTP\/1\.1 408/);
      expect(s.received()).not.toContain('clin-dekker');
    }
  } finally {
    for (const s of slow) s.stop();
  }
}, 30_000);

test('headers sent one byte every 2 s are cut after the header timeout', async () => {
  const slow = Array.from({ length: SOCKETS }, () => trickle('POST /graphql HTTP/1.1\r\n', 'Host: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n\r\n'));
  try {
    const closed = await Promise.all(slow.map((s) => s.closedAfterMs));
    process.stderr.write(`\nslow headers: ${SOCKETS} sockets cut after ${Math.min(...closed)}–${Math.max(...closed)} ms\n`);
    for (const ms of closed) {
      expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 200);
      expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + 2500);
    }
    const after = await api.gql('clin-dekker', '{ me { subject } }');
    expect(after.body.data.me.subject).toBe('clin-dekker');
  } finally {
    for (const s of slow) s.stop();
  }
}, 30_000);
