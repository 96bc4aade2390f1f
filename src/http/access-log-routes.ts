/**
 * The access log's public face for witnesses and auditors (docs/access-log.md), no token needed
 * and no patient data: the signed checkpoints, the verifier key, and RFC 9162 proofs by position.
 *
 *   GET /access-log/checkpoint                         newest checkpoint (C2SP signed note)
 *   GET /access-log/checkpoints/<size>                 the checkpoint of that size
 *   GET /access-log/verifier-key                       <origin>+<key hash>+<key>
 *   GET /access-log/proof/consistency?from=<m>&to=<n>  { from, to, proof: [base64] }
 *   GET /access-log/proof/inclusion?index=<i>&size=<n> { index, size, leafHash, auditPath: [base64] }
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataSource } from 'typeorm';
import { checkpointSigner } from '../audit/tlog/checkpointer';
import { storedConsistencyProof, storedInclusionProof } from '../audit/tlog/proofs';
import { fetchNodes, latestStoredCheckpoint, storedCheckpoint } from '../audit/tlog/tree-store';
import type { Config } from '../config';

const NO_STORE = { 'cache-control': 'no-store' };

function send(res: ServerResponse, status: number, body: string | object): true {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...NO_STORE });
  res.end(text);
  return true;
}

/** A whole number parameter, or undefined. */
function count(url: URL, name: string): number | undefined {
  const text = url.searchParams.get(name);
  return text !== null && /^(0|[1-9][0-9]{0,15})$/.test(text) ? Number(text) : undefined;
}

/** Serves /access-log/…; false for any other path. */
export function accessLogRoutes(config: Config, db: DataSource) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.startsWith('/access-log/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'GET only' });
    const path = url.pathname.slice('/access-log/'.length);
    if (path === 'verifier-key') return send(res, 200, checkpointSigner(config).verifierKeyText + '\n');
    if (path === 'checkpoint') {
      const latest = await latestStoredCheckpoint(db);
      return latest ? send(res, 200, latest.note) : send(res, 404, { error: 'no checkpoint yet' });
    }
    const bySize = /^checkpoints\/([1-9][0-9]{0,15})$/.exec(path);
    if (bySize) {
      const c = await storedCheckpoint(db, Number(bySize[1]));
      return c ? send(res, 200, c.note) : send(res, 404, { error: 'no checkpoint of that size' });
    }
    if (path === 'proof/consistency') {
      const from = count(url, 'from');
      const to = count(url, 'to');
      if (from === undefined || to === undefined || from > to) return send(res, 400, { error: 'from and to are tree sizes, from <= to' });
      if ((from > 0 && !(await storedCheckpoint(db, from))) || !(await storedCheckpoint(db, to))) return send(res, 404, { error: 'both sizes must be checkpoints' });
      const proof = await storedConsistencyProof(db, from, to);
      return send(res, 200, { from, to, proof: proof.map((h) => h.toString('base64')) });
    }
    if (path === 'proof/inclusion') {
      const index = count(url, 'index');
      const size = count(url, 'size');
      if (index === undefined || size === undefined || index >= size) return send(res, 400, { error: 'index and size are whole numbers, index < size' });
      if (!(await storedCheckpoint(db, size))) return send(res, 404, { error: 'size must be a checkpoint' });
      const [leaf] = [...(await fetchNodes(db, [{ level: 0, index }])).values()];
      const auditPath = await storedInclusionProof(db, index, size);
      return send(res, 200, { index, size, leafHash: leaf.toString('base64'), auditPath: auditPath.map((h) => h.toString('base64')) });
    }
    return send(res, 404, { error: 'not found' });
  };
}
