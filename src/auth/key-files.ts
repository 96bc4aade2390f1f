/**
 * Reading the PEM key files an operator hands the API (JWT_PUBLIC_KEY_FILE, the IdP's public key;
 * TOKEN_ISSUER_PRIVATE_KEY_FILE, the GP-portal signing key). The configuration checks them at
 * start-up with these functions, and the key loaders use the same ones, so a file the start-up
 * accepted is a file requests can use.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';

export type KeyAlgorithm = 'ES256' | 'RS256';

/** A key read from a file, or the one sentence that says what is wrong with the file. */
export type KeyFileResult = { key: KeyObject; alg: KeyAlgorithm; pem: string } | { problem: string };

/** An EC P-256 or RSA public key in PEM (SPKI). A private key or a JWK is refused with the reason. */
export function readPublicKeyFile(file: string): KeyFileResult {
  const text = readText(file);
  if (typeof text !== 'string') return text;
  if (/PRIVATE KEY-----/.test(text)) return { problem: 'holds a private key: give the API the identity provider\'s public key only' };
  const shape = notPem(text, 'PUBLIC KEY');
  if (shape) return { problem: shape };
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    return { problem: 'is not a readable PEM public key' };
  }
  const alg = algorithmOf(key, 0);
  return alg ? { key, alg, pem: text } : { problem: `holds an unsupported ${describe(key)} key: use EC P-256 or RSA` };
}

/** An EC P-256 or RSA (≥ 2048 bit) private key in PEM. */
export function readPrivateKeyFile(file: string): KeyFileResult {
  const text = readText(file);
  if (typeof text !== 'string') return text;
  const shape = notPem(text, 'PRIVATE KEY');
  if (shape) return { problem: shape };
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    return { problem: 'is not a readable PEM private key' };
  }
  const alg = algorithmOf(key, 2048);
  return alg ? { key, alg, pem: text } : { problem: `holds an unsupported ${describe(key)} key: use EC P-256 or RSA (≥ 2048 bit)` };
}

function readText(file: string): string | { problem: string } {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: 'does not exist' };
    if (code === 'EACCES') return { problem: 'cannot be read by this process (permission denied)' };
    if (code === 'EISDIR') return { problem: 'is a directory, not a key file' };
    return { problem: `cannot be read (${code ?? 'unknown error'})` };
  }
}

/** Why the text is not a PEM block of this kind, in words an operator can act on. */
function notPem(text: string, kind: 'PUBLIC KEY' | 'PRIVATE KEY'): string | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    return `is a JSON Web Key (JWK), not a PEM file: convert it to PEM${kind === 'PUBLIC KEY' ? ' (SPKI), or serve the key set from JWKS_URL' : ''}`;
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(trimmed)) return `is not a PEM ${kind.toLowerCase()} (no "-----BEGIN ${kind}-----" block)`;
  return undefined;
}

function algorithmOf(key: KeyObject, minRsaBits: number): KeyAlgorithm | undefined {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= minRsaBits) return 'RS256';
  return undefined;
}

function describe(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  return `${key.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''}${bits ? ` ${bits}-bit` : ''}`;
}
