/**
 * Where token keys come from: the identity provider's keys in production (JWKS_URL or
 * JWT_PUBLIC_KEY_FILE), a locally generated DEVELOPMENT key pair everywhere else.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  importSPKI,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { Config } from '../config';
import { readPublicKeyFile } from './key-files';
import { remoteKeySet } from './jwks';

/** What `jwtVerify` accepts as its key: one public key, or a resolver over the IdP's key set. */
export type VerificationKey = CryptoKey | ReturnType<typeof remoteKeySet>;

/** The signing algorithm of the development keys. */
export const DEV_ALGORITHM = 'ES256';

/** A private development key ready for SignJWT, with the `kid` to put in the header. */
export interface DevSigningKey {
  key: CryptoKey;
  kid: string;
  alg: typeof DEV_ALGORITHM;
}

/** The key tokens are verified with; production never falls back to development keys. */
export async function loadVerificationKey(config: Config): Promise<VerificationKey> {
  if (config.jwksUrl) return remoteKeySet(config);
  if (config.jwtPublicKeyFile) return importPublicKeyFile(config.jwtPublicKeyFile);
  if (config.production) {
    throw new Error('In production set JWKS_URL or JWT_PUBLIC_KEY_FILE; development keys are refused');
  }
  const pair = await loadDevKeyPair(config);
  return importJWK(pair.publicJwk, DEV_ALGORITHM) as Promise<CryptoKey>;
}

/** The private DEVELOPMENT key for minting tokens; refused in production. */
export async function loadDevSigningKey(config: Config): Promise<DevSigningKey> {
  if (config.production) {
    throw new Error('Development signing keys are refused in production (NODE_ENV=production); tokens must come from the identity provider');
  }
  const pair = await loadDevKeyPair(config);
  const key = (await importJWK(pair.privateJwk, DEV_ALGORITHM)) as CryptoKey;
  return { key, kid: pair.kid, alg: DEV_ALGORITHM };
}

/** Paths of the DEVELOPMENT key files under the data directory. */
export function devKeyPaths(config: Config): { dir: string; privateFile: string; publicFile: string } {
  const dir = path.join(config.dataDir, 'keys');
  return {
    dir,
    privateFile: path.join(dir, 'dev-signing-key.DEVELOPMENT-ONLY.private.jwk.json'),
    publicFile: path.join(dir, 'dev-signing-key.DEVELOPMENT-ONLY.public.jwk.json'),
  };
}

/** A PEM SPKI public key; its type decides the algorithm (EC P-256 → ES256, RSA → RS256). */
async function importPublicKeyFile(file: string): Promise<CryptoKey> {
  const read = readPublicKeyFile(file);
  if ('problem' in read) throw new Error(`JWT_PUBLIC_KEY_FILE ${JSON.stringify(file)} ${read.problem}`);
  return importSPKI(read.pem, read.alg);
}

interface DevKeyPair {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

// One load per data directory per process; the files are the source of truth across processes.
const devKeyPairs = new Map<string, Promise<DevKeyPair>>();

function loadDevKeyPair(config: Config): Promise<DevKeyPair> {
  const { privateFile } = devKeyPaths(config);
  let pending = devKeyPairs.get(privateFile);
  if (!pending) {
    pending = readOrCreateDevKeyPair(config);
    devKeyPairs.set(privateFile, pending);
    pending.catch(() => devKeyPairs.delete(privateFile));
  }
  return pending;
}

/**
 * DEVELOPMENT keys only. Generated on first use and reused afterwards. The private file is
 * published with link(), which never replaces an existing file, so when two processes start at
 * once exactly one key wins and the loser reads it (a plain rename would let the second
 * overwrite the first and leave tokens minted in between unverifiable).
 */
/**
 * Creates a private (0700) directory for key files. Only the last level is private: a `mode`
 * on a recursive mkdir would also close the data directory above it, which the embedded
 * PostgreSQL (running as its own OS user) must be able to traverse.
 */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

async function readOrCreateDevKeyPair(config: Config): Promise<DevKeyPair> {
  const { dir, privateFile, publicFile } = devKeyPaths(config);
  let privateJwk = readJwk(privateFile);
  if (!privateJwk) {
    makePrivateDir(dir);
    const generated = await generateDevJwk();
    const tmp = `${privateFile}.${process.pid}.${randomUUID()}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(generated, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(tmp, privateFile);
      privateJwk = generated;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      privateJwk = readJwk(privateFile);
      if (!privateJwk) throw new Error(`Development key ${privateFile} exists but cannot be read`);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  const publicJwk = publicPart(privateJwk);
  const kid = privateJwk.kid;
  if (!kid || !privateJwk.d) throw new Error(`Development key ${privateFile} is not a private JWK with a kid`);
  writePublicFile(publicFile, publicJwk);
  return { kid, privateJwk, publicJwk };
}

async function generateDevJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = 'dev-' + (await calculateJwkThumbprint(publicPart(jwk)));
  return { ...jwk, kid, alg: DEV_ALGORITHM, use: 'sig' };
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, ...rest } = jwk;
  return rest;
}

function readJwk(file: string): JWK | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as JWK;
}

// The public file is derived from the private one, so concurrent writers write the same bytes.
function writePublicFile(file: string, jwk: JWK): void {
  const text = JSON.stringify(jwk, null, 2) + '\n';
  try {
    if (fs.readFileSync(file, 'utf8') === text) return;
  } catch {
    // missing: write it below
  }
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o644 });
  fs.renameSync(tmp, file);
}
