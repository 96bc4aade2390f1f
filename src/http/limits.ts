/**
 * Request-size limits of the HTTP layer (SPEC §7): a body larger than MAX_BODY_BYTES is refused
 * with 413 before it is parsed — at once when Content-Length already says so, otherwise as soon
 * as the streamed body passes the limit. Batched requests (a JSON array body) are refused by
 * Apollo Server (`allowBatchedHttpRequests: false`, HTTP 400): one operation per request keeps
 * every per-request limit (cost, rate, the access log's one event per patient) meaningful.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 100 * 1024;

/** How much of an oversized body is still read (and discarded) so the 413 reaches the client before the socket closes. */
const DRAIN_BYTES = 1024 * 1024;

export class PayloadTooLarge extends Error {
  constructor() {
    super(`The body exceeds ${MAX_BODY_BYTES} bytes`);
  }
}

/** The body did not arrive within the body timeout (a client sending a byte now and then). */
export class BodyTimeout extends Error {
  constructor() {
    super('The body did not arrive in time');
  }
}

/** The request body as text; rejects with PayloadTooLarge past `limit` bytes, BodyTimeout when not complete within `timeoutMs`. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES, timeoutMs = 10_000): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    drain(req);
    return Promise.reject(new PayloadTooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      reject(new BodyTimeout());
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        clearTimeout(timer);
        req.off('data', onData);
        req.off('end', onEnd);
        chunks.length = 0;
        drain(req);
        reject(new PayloadTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Discards the rest of a refused body, up to DRAIN_BYTES, then cuts the connection: closing a
 * socket with unread data makes the kernel reset it, and the client would never see the 413.
 */
function drain(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DRAIN_BYTES) req.destroy();
  });
  req.resume();
}

/** The 413 answer; the connection is not reused after an oversized body. */
export function sendPayloadTooLarge(res: ServerResponse): void {
  res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message: `The body exceeds ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_REQUEST' } }] }));
}

/** The 408 for a body that came too slowly; the connection is closed, the rest of the body never read. */
export function sendBodyTimeout(res: ServerResponse): void {
  res.writeHead(408, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message: 'The request body did not arrive in time', extensions: { code: 'BAD_REQUEST' } }] }));
  res.once('finish', () => res.socket?.destroy());
}
