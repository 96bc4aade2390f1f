/**
 * The key that signs tokens this API issues for the GP portal. Production: the PEM private key at
 * TOKEN_ISSUER_PRIVATE_KEY_FILE (EC P-256 → ES256, RSA → RS256), required as soon as a token is
 * issued or presented. Development: the same DEVELOPMENT key `npm run token` uses.
 */
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { calculateJwkThumbprint, exportJWK, type CryptoKey } from 'jose';
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
    const privateKey = createPrivateKey(fs.readFileSync(config.tokenIssuerPrivateKeyFile, 'utf8'));
    const alg = algorithmOf(privateKey, config.tokenIssuerPrivateKeyFile);
    const publicKey = createPublicKey(privateKey);
    return { privateKey, publicKey, alg, kid: 'portal-' + (await calculateJwkThumbprint(await exportJWK(publicKey))) };
  }
  if (config.production) {
    throw new IssuerKeyMissing('TOKEN_ISSUER_PRIVATE_KEY_FILE is not set: GP-portal tokens cannot be issued or verified in production');
  }
  const dev = await loadDevSigningKey(config);
  return { privateKey: dev.key, publicKey: createPublicKey(KeyObject.from(dev.key)), alg: dev.alg, kid: dev.kid };
}

function algorithmOf(key: KeyObject, file: string): 'ES256' | 'RS256' {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return 'RS256';
  throw new Error(`TOKEN_ISSUER_PRIVATE_KEY_FILE ${file}: use an EC P-256 or an RSA (≥ 2048 bit) private key`);
}
