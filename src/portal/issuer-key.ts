/**
 * The key that signs tokens this API issues for the GP portal. Production: the PEM private key at
 * TOKEN_ISSUER_PRIVATE_KEY_FILE (EC P-256 → ES256, RSA → RS256), required as soon as a token is
 * issued or presented. Development: the same DEVELOPMENT key `npm run token` uses.
 */
import { createPublicKey, KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type CryptoKey } from 'jose';
import { readPrivateKeyFile } from '../auth/key-files';
import { loadDevSigningKey } from '../auth/keys';
import type { Config } from '../config';

export interface IssuerKey {
  privateKey: CryptoKey | KeyObject;
  publicKey: KeyObject;
  alg: 'ES256' | 'RS256';
  kid: string;
}

/** Thrown when production has no TOKEN_ISSUER_PRIVATE_KEY_FILE: issuing is refused, issued tokens are refused. */
export class IssuerKeyMissing extends Error {}

const cache = new Map<string, Promise<IssuerKey>>();

/** The issuer key for this configuration, loaded once per process. */
export function loadIssuerKey(config: Config): Promise<IssuerKey> {
  const id = config.tokenIssuerPrivateKeyFile ?? `dev:${config.dataDir}:${config.production}`;
  let pending = cache.get(id);
  if (!pending) {
    pending = readIssuerKey(config);
    cache.set(id, pending);
    pending.catch(() => cache.delete(id));
  }
  return pending;
}

async function readIssuerKey(config: Config): Promise<IssuerKey> {
  if (config.tokenIssuerPrivateKeyFile) {
    const read = readPrivateKeyFile(config.tokenIssuerPrivateKeyFile);
    if ('problem' in read) throw new Error(`TOKEN_ISSUER_PRIVATE_KEY_FILE ${JSON.stringify(config.tokenIssuerPrivateKeyFile)} ${read.problem}`);
    const publicKey = createPublicKey(read.key);
    return { privateKey: read.key, publicKey, alg: read.alg, kid: 'portal-' + (await calculateJwkThumbprint(await exportJWK(publicKey))) };
  }
  if (config.production) {
    throw new IssuerKeyMissing('TOKEN_ISSUER_PRIVATE_KEY_FILE is not set: GP-portal tokens cannot be issued or verified in production');
  }
  const dev = await loadDevSigningKey(config);
  return { privateKey: dev.key, publicKey: createPublicKey(KeyObject.from(dev.key)), alg: dev.alg, kid: dev.kid };
}
