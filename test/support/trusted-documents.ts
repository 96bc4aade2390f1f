/**
 * Client manifests for servers that run in production (where every external viewer is held to
 * trusted documents) but are tested with documents of their own: a folder with `<client>.json`
 * holding exactly the given documents, to pass as TRUSTED_DOCUMENTS_DIR.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { documentHash } from '../../src/http/trusted-documents';

/** Writes the manifests into a new temporary folder and returns it (remove it after the test). */
export function manifestFolder(documentsByClient: Record<string, readonly string[]>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-documents-'));
  for (const [client, documents] of Object.entries(documentsByClient)) {
    fs.writeFileSync(path.join(dir, `${client}.json`), JSON.stringify(Object.fromEntries(documents.map((d) => [documentHash(d), d]))));
  }
  return dir;
}
