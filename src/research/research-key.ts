/**
 * The secret behind research pseudonyms: RESEARCH_PSEUDONYM_KEY in production, a locally generated
 * DEVELOPMENT key everywhere else (mirrors the token keys of auth/keys.ts). Whoever holds the key
 * can re-identify a cohort, so it never leaves the server and is never logged.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../auth/keys';
import type { Config } from '../config';

/** Path of the DEVELOPMENT research key under the data directory. */
export function devResearchKeyPath(config: Config): string {
  return path.join(config.dataDir, 'keys', 'research-pseudonym-key.DEVELOPMENT-ONLY.hex');
}

// One load per key file per process; the file is the source of truth across processes.
const devKeys = new Map<string, Promise<Buffer>>();

/** The pseudonym key; production never falls back to a development key. */
export function loadResearchKey(config: Config): Promise<Buffer> {
  if (config.researchPseudonymKey) return Promise.resolve(Buffer.from(config.researchPseudonymKey, 'utf8'));
  if (config.production) {
    return Promise.reject(new Error('In production set RESEARCH_PSEUDONYM_KEY; the development research key is refused'));
  }
  const file = devResearchKeyPath(config);
  let pending = devKeys.get(file);
  if (!pending) {
    pending = Promise.resolve().then(() => readOrCreateDevKey(file));
    devKeys.set(file, pending);
    pending.catch(() => devKeys.delete(file));
  }
  return pending;
}

/**
 * DEVELOPMENT key only: 32 random bytes, generated on first use. Published with link(), which
 * never replaces an existing file, so two processes starting at once agree on one key.
 */
function readOrCreateDevKey(file: string): Buffer {
  const existing = readKey(file);
  if (existing) return existing;
  makePrivateDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  fs.writeFileSync(tmp, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const key = readKey(file);
  if (!key) throw new Error(`Development research key ${file} exists but cannot be read`);
  return key;
}

function readKey(file: string): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`Development research key ${file} is not 32 bytes of hex`);
  return Buffer.from(text, 'hex');
}
