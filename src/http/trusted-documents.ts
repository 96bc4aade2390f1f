/**
 * Trusted documents (a persisted-operations allow-list) in front of Apollo Server. Each client's
 * manifest (`<client>.json` in TRUSTED_DOCUMENTS_DIR) maps the SHA-256 of a document to the
 * document, in the persisted-documents format of GraphQL Code Generator's client preset. A request
 * names a document by id — `documentId` (GraphQL over HTTP, `sha256:<hex>` or bare hex) or Apollo's
 * `extensions.persistedQuery.sha256Hash` — or sends its full text. Principals held to trusted
 * documents (policy/trusted-clients.ts) run only documents of their client's manifest: anything
 * else is refused here, before it is parsed, so nothing runs and nothing is logged as an access.
 * Nothing is ever registered at run time: automatic persisted queries are off (server.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Principal } from '../auth/principal';
import type { Config } from '../config';
import { mustSendTrustedDocuments } from '../policy/trusted-clients';

/** The SHA-256 of a document's source text, lower-case hex (the id the manifests and clients use). */
export const documentHash = (document: string): string => createHash('sha256').update(document, 'utf8').digest('hex');

const SHA256_HEX = /^[0-9a-f]{64}$/;
const CLIENT_FILE = /^([A-Za-z0-9._:-]{1,128})\.json$/;

/** Reads and checks every manifest of a folder: each key must be the SHA-256 of its document. */
export function loadManifests(dir: string): Map<string, ReadonlyMap<string, string>> {
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    throw new Error(`TRUSTED_DOCUMENTS_DIR ${JSON.stringify(dir)} cannot be read`);
  }
  const manifests = new Map<string, ReadonlyMap<string, string>>();
  for (const file of files.sort()) {
    const client = CLIENT_FILE.exec(file)?.[1];
    if (!client) continue;
    const where = path.join(dir, file);
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(where, 'utf8'));
    } catch {
      throw new Error(`trusted documents ${where} is not valid JSON`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`trusted documents ${where} must map SHA-256 hashes to documents`);
    const manifest = new Map<string, string>();
    for (const [hash, document] of Object.entries(doc)) {
      if (!SHA256_HEX.test(hash) || typeof document !== 'string' || documentHash(document) !== hash) {
        throw new Error(`trusted documents ${where}: "${hash.slice(0, 80)}" is not the SHA-256 of its document`);
      }
      manifest.set(hash, document);
    }
    manifests.set(client, manifest);
  }
  return manifests;
}

/** A request Apollo may go on with (the document resolved, the id taken out) or why not. */
export type DocumentAdmission =
  | { admitted: true; body: unknown; search: string }
  | { admitted: false; status: 400 | 404; code: string; message: string };

const refuse = (status: 400 | 404, code: string, message: string): DocumentAdmission => ({ admitted: false, status, code, message });

// 400 like every other refusal before execution (GraphQL over HTTP: a request error); 404 for an id this client has not.
const NOT_ALLOWED = refuse(400, 'PERSISTED_QUERY_NOT_ALLOWED', 'This client may run only its trusted documents; send the id of one in its manifest');
const NOT_FOUND = refuse(404, 'PERSISTED_QUERY_NOT_FOUND', 'No trusted document of this client has that id');
const NOT_REGISTERED = refuse(400, 'PERSISTED_QUERY_NOT_SUPPORTED', 'Documents are not registered at run time; send the document without an id');

interface DocumentParameters {
  query: unknown;
  documentId: unknown;
  sha256Hash: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `sha256:<hex>` or bare hex as lower-case hex; undefined when absent; null when not such an id. */
function idOf(value: unknown): string | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return null;
  const hex = value.startsWith('sha256:') ? value.slice('sha256:'.length) : value;
  return SHA256_HEX.test(hex) ? hex : null;
}

/** The admission step for one server's configuration and manifests (read once, at start). */
export function trustedDocuments(config: Pick<Config, 'trustedDocuments' | 'trustedDocumentsDir'>) {
  const manifests = loadManifests(config.trustedDocumentsDir);
  const empty: ReadonlyMap<string, string> = new Map();

  return {
    /** Resolves a request's document for its principal, or refuses it before anything is parsed. */
    admit(principal: Principal, method: string, search: string, body: unknown): DocumentAdmission {
      const params = new URLSearchParams(search);
      let given: DocumentParameters;
      let extensions: unknown;
      if (method === 'GET') {
        try {
          extensions = params.has('extensions') ? JSON.parse(params.get('extensions')!) : undefined;
        } catch {
          return refuse(400, 'BAD_REQUEST', 'The extensions parameter is not valid JSON');
        }
        given = { query: params.get('query') ?? undefined, documentId: params.get('documentId') ?? undefined, sha256Hash: undefined };
      } else {
        // Not an object (a batch, nothing): Apollo refuses it without running anything.
        if (!isObject(body)) return { admitted: true, body, search };
        extensions = body.extensions;
        given = { query: body.query, documentId: body.documentId, sha256Hash: undefined };
      }
      if (isObject(extensions) && isObject(extensions.persistedQuery)) given.sha256Hash = extensions.persistedQuery.sha256Hash;

      const byDocumentId = idOf(given.documentId);
      const byHash = idOf(given.sha256Hash);
      if (byDocumentId === null || byHash === null) return refuse(400, 'BAD_REQUEST', 'A document id is "sha256:" and 64 lower-case hexadecimal digits');
      if (byDocumentId && byHash && byDocumentId !== byHash) return refuse(400, 'BAD_REQUEST', 'documentId and the persistedQuery hash name different documents');
      const id = byDocumentId ?? byHash;
      const held = mustSendTrustedDocuments(principal.role, config.trustedDocuments);
      const manifest = manifests.get(principal.client ?? '') ?? empty;

      let document: string;
      if (typeof given.query === 'string' && given.query !== '') {
        const own = documentHash(given.query);
        if (id && id !== own) return refuse(400, 'BAD_REQUEST', 'The document id is not the SHA-256 of the document sent');
        if (!manifest.has(own)) {
          if (held) return NOT_ALLOWED;
          // An id beside a document not in the manifest asks the server to remember it (APQ): never.
          if (id) return NOT_REGISTERED;
        }
        document = given.query;
      } else if (id) {
        const found = manifest.get(id);
        if (found === undefined) return NOT_FOUND;
        document = found;
      } else {
        // No document at all: Apollo answers 400 without running anything.
        return { admitted: true, body, search };
      }
      return rewritten(method, search, params, body, extensions, document);
    },
  };
}

/** The request as Apollo sees it: the document as `query`, without the id (APQ is off there). */
function rewritten(method: string, search: string, params: URLSearchParams, body: unknown, extensions: unknown, document: string): DocumentAdmission {
  let rest: Record<string, unknown> | undefined;
  if (isObject(extensions)) {
    const { persistedQuery: _ignored, ...others } = extensions;
    rest = Object.keys(others).length > 0 ? others : undefined;
  }
  if (method === 'GET') {
    params.set('query', document);
    params.delete('documentId');
    if (rest) params.set('extensions', JSON.stringify(rest));
    else params.delete('extensions');
    return { admitted: true, body, search: `?${params.toString()}` };
  }
  const { documentId: _id, extensions: _extensions, ...others } = body as Record<string, unknown>;
  return { admitted: true, body: { ...others, query: document, ...(rest ? { extensions: rest } : {}) }, search };
}

/**
 * The manifests generated from a folder of sources (`<client>/<name>.graphql`, one document per
 * file, its text trimmed): file name (`<client>.json`) → JSON text, hashes sorted.
 */
export function manifestsFromSources(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const client of fs.readdirSync(dir).sort()) {
    const folder = path.join(dir, client);
    if (!fs.statSync(folder).isDirectory()) continue;
    const documents = fs.readdirSync(folder).filter((f) => f.endsWith('.graphql')).sort().map((f) => fs.readFileSync(path.join(folder, f), 'utf8').trim());
    const entries = documents.map((d) => [documentHash(d), d] as const).sort(([a], [b]) => a.localeCompare(b));
    out[`${client}.json`] = JSON.stringify(Object.fromEntries(entries), null, 2) + '\n';
  }
  return out;
}
