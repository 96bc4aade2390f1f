/**
 * The key that signs checkpoints. It is never in the database: ACCESS_LOG_SIGNING_KEY_FILE in
 * production, a DEVELOPMENT key generated under dataDir/keys everywhere else (refused in production).
 * Whoever holds it can sign a rewritten log, so it stays with the checkpointer; auditors get the
 * verifier key (`<origin>+<hash>+<key>`), published beside the checkpoints.
 */
import { KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makePrivateDir } from '../../auth/keys';
import type { Config } from '../../config';
import { VerifierKey, parseVerifierKey, verifierKeyString } from './checkpoint';
import { createOnce } from './write-once';

export interface CheckpointSigner {
  name: string;
  privateKey: KeyObject;
  verifierKey: VerifierKey;
  /** The verifier key as text, for auditors. */
  verifierKeyText: string;
}

/** Path of the DEVELOPMENT checkpoint key under the data directory. */
export function devCheckpointKeyPath(config: Config): string {
  return path.join(config.dataDir, 'keys', 'access-log-checkpoint.DEVELOPMENT-ONLY.pem');
}

/** The checkpoint signer; production never falls back to a development key. */
export function loadCheckpointSigner(config: Config): CheckpointSigner {
  let file = config.accessLogSigningKeyFile;
  if (!file) {
    if (config.production) throw new Error('In production set ACCESS_LOG_SIGNING_KEY_FILE; the development checkpoint key is refused');
    file = devCheckpointKeyPath(config);
    if (!fs.existsSync(file)) createDevKey(file);
  }
  const privateKey = createPrivateKey(fs.readFileSync(file));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
  const verifierKeyText = verifierKeyString(config.accessLogOrigin, createPublicKey(privateKey));
  return { name: config.accessLogOrigin, privateKey, verifierKey: parseVerifierKey(verifierKeyText), verifierKeyText };
}

/** DEVELOPMENT key only; created once, so processes starting at once agree on one key. */
function createDevKey(file: string): void {
  makePrivateDir(path.dirname(file));
  const { privateKey } = generateKeyPairSync('ed25519');
  createOnce(file, [privateKey.export({ type: 'pkcs8', format: 'pem' }) as string], 0o600);
}
