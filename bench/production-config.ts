/**
 * The production configuration the bench runs its servers with (NODE_ENV=production, as a
 * hospital runs the API), with keys generated for the bench only under .data/bench-production/
 * (never committed). Production refuses every development key, so:
 * - JWT_PUBLIC_KEY_FILE is the development public key exported as PEM (as an operator would hand
 *   over the identity provider's key); tokens are still minted with the development private key;
 * - RESEARCH_PSEUDONYM_KEY is random for each run;
 * - ACCESS_LOG_SIGNING_KEY_FILE is an Ed25519 key generated once and kept, so the checkpoints of
 *   a bench database stay signed by one key from run to run;
 * - ACCESS_LOG_CHECKPOINT_DIR is one directory per bench database (emptied with a fresh database).
 */
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { devKeyPaths, loadDevSigningKey } from '../src/auth/keys';
import type { Config } from '../src/config';
import { projectRoot } from '../src/config';
import { documentHash } from '../src/http/trusted-documents';
import { DEFAULT_CLIENT } from '../src/policy/trusted-clients';

export type ProductionEnv = Record<string, string>;

export const BENCH_KEYS_DIR = path.join(projectRoot(), '.data', 'bench-production');

/** The checkpoint key of the bench, created once. */
export function benchCheckpointKeyFile(): string {
  const file = path.join(BENCH_KEYS_DIR, 'access-log-checkpoint.pem');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(BENCH_KEYS_DIR, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  }
  return file;
}

/** Where the checkpoints of one bench database are published; emptied when the database is fresh. */
export function benchCheckpointDir(database: string, fresh: boolean): string {
  const dir = path.join(BENCH_KEYS_DIR, 'checkpoints', database);
  if (fresh) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The trusted documents of the bench's clients: the shipped manifests, each with the bench's own
 * documents added (production holds the GP's and the patient's tokens to their client's manifest,
 * as a hospital's front-ends would ship them). Written under .data, never committed.
 */
export function benchTrustedDocumentsDir(documents: string[]): string {
  const shipped = path.join(projectRoot(), 'src', 'policy', 'trusted-documents');
  const dir = path.join(BENCH_KEYS_DIR, 'trusted-documents');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const clients = new Set([...fs.readdirSync(shipped).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')), ...Object.values(DEFAULT_CLIENT)]);
  for (const client of clients) {
    const file = path.join(shipped, `${client}.json`);
    const manifest: Record<string, string> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    for (const document of documents) manifest[documentHash(document)] = document;
    fs.writeFileSync(path.join(dir, `${client}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  return dir;
}

/** The production variables of the bench's servers, for `database` (its name keys the checkpoint directory). */
export async function productionEnv(devConfig: Config, database: string, fresh: boolean, documents: string[]): Promise<ProductionEnv> {
  await loadDevSigningKey(devConfig);
  const jwk = JSON.parse(fs.readFileSync(devKeyPaths(devConfig).publicFile, 'utf8'));
  fs.mkdirSync(BENCH_KEYS_DIR, { recursive: true, mode: 0o700 });
  const pemFile = path.join(BENCH_KEYS_DIR, 'idp-public.pem');
  fs.writeFileSync(pemFile, createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }));
  return {
    NODE_ENV: 'production',
    JWT_PUBLIC_KEY_FILE: pemFile,
    RESEARCH_PSEUDONYM_KEY: randomBytes(32).toString('hex'),
    ACCESS_LOG_SIGNING_KEY_FILE: benchCheckpointKeyFile(),
    ACCESS_LOG_CHECKPOINT_DIR: benchCheckpointDir(database, fresh),
    TRUSTED_DOCUMENTS_DIR: benchTrustedDocumentsDir(documents),
  };
}
