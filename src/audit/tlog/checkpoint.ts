/**
 * Checkpoints as C2SP tlog-checkpoint bodies inside C2SP signed notes, signed with Ed25519.
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n[extension lines]\n
 *   \n
 *   — <key name> <base64(key hash[4] || signature[64])>\n
 *
 * The key hash is the first 4 bytes of SHA-256(key name || "\n" || 0x01 || public key); a
 * verifier key is written `<name>+<hex key hash>+<base64(0x01 || public key)>`.
 */
import { KeyObject, createHash, createPublicKey, sign, verify } from 'node:crypto';

const ED25519 = 0x01;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  /** When it was made (the `time` extension line), if present. */
  time?: Date;
}

export interface VerifierKey {
  name: string;
  keyHash: Buffer;
  publicKey: KeyObject;
}

export class CheckpointError extends Error {}

/** The raw 32 bytes of an Ed25519 public key. */
function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  if (!der.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)) throw new CheckpointError('not an Ed25519 key');
  return der.subarray(ED25519_SPKI_PREFIX.length);
}

function keyHash(name: string, raw: Buffer): Buffer {
  return createHash('sha256').update(name).update('\n').update(Buffer.of(ED25519)).update(raw).digest().subarray(0, 4);
}

/** The verifier key string for a signer (what auditors and witnesses are given). */
export function verifierKeyString(name: string, publicKey: KeyObject): string {
  const raw = rawPublicKey(publicKey);
  return `${name}+${keyHash(name, raw).toString('hex')}+${Buffer.concat([Buffer.of(ED25519), raw]).toString('base64')}`;
}

/** Parses `<name>+<hex key hash>+<base64 key>` and checks that the hash belongs to the key. */
export function parseVerifierKey(text: string): VerifierKey {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!match) throw new CheckpointError('a verifier key is <name>+<hex key hash>+<base64 key>');
  const [, name, hashHex, keyB64] = match;
  const key = Buffer.from(keyB64, 'base64');
  if (key.length !== 33 || key[0] !== ED25519) throw new CheckpointError('the verifier key is not an Ed25519 key');
  const raw = key.subarray(1);
  if (!keyHash(name, raw).equals(Buffer.from(hashHex, 'hex'))) throw new CheckpointError('the verifier key hash does not match its key');
  const publicKey = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return { name, keyHash: Buffer.from(hashHex, 'hex'), publicKey };
}

/** The checkpoint body (the signed text). */
export function checkpointBody(c: Checkpoint): string {
  if (!c.origin || /[\n]/.test(c.origin)) throw new CheckpointError('the origin is one non-empty line');
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n${c.time ? `time ${c.time.toISOString()}\n` : ''}`;
}

/** Signs a text (ending in a newline) as a signed note with the Ed25519 key named `name`. */
export function signNote(text: string, name: string, privateKey: KeyObject): string {
  if (!text.endsWith('\n')) throw new CheckpointError('a note\'s text ends with a newline');
  const raw = rawPublicKey(createPublicKey(privateKey));
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  return `${text}\n— ${name} ${Buffer.concat([keyHash(name, raw), signature]).toString('base64')}\n`;
}

/** Signs a checkpoint as a signed note with the key named `name`. */
export function signCheckpoint(c: Checkpoint, name: string, privateKey: KeyObject): string {
  return signNote(checkpointBody(c), name, privateKey);
}

/** Opens a checkpoint: a signed note by the verifier key (see openNote) with a well-formed body. */
export function openCheckpoint(note: string, key: VerifierKey): Checkpoint {
  return parseBody(openNote(note, key));
}

/**
 * The text of a signed note that carries a valid signature by the verifier key (other
 * signatures, e.g. witnesses', are ignored); throws otherwise.
 */
export function openNote(note: string, key: VerifierKey): string {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new CheckpointError('not a signed note');
  const body = note.slice(0, split + 1);
  const signatures = note.slice(split + 2, -1).split('\n');
  let verified = false;
  for (const line of signatures) {
    const match = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) throw new CheckpointError('malformed signature line');
    const blob = Buffer.from(match[2], 'base64');
    if (match[1] !== key.name || blob.length !== 68 || !blob.subarray(0, 4).equals(key.keyHash)) continue;
    if (!verify(null, Buffer.from(body, 'utf8'), key.publicKey, blob.subarray(4))) throw new CheckpointError('the checkpoint signature does not verify');
    verified = true;
  }
  if (!verified) throw new CheckpointError(`the note is not signed by ${key.name}`);
  return body;
}

function parseBody(body: string): Checkpoint {
  const lines = body.slice(0, -1).split('\n');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(sizeText ?? '') || !/^[A-Za-z0-9+/]{43}=$/.test(rootText ?? '')) {
    throw new CheckpointError('malformed checkpoint body');
  }
  const time = extensions.map((l) => /^time (\S+)$/.exec(l)?.[1]).find(Boolean);
  return { origin, size: Number(sizeText), root: Buffer.from(rootText, 'base64'), ...(time ? { time: new Date(time) } : {}) };
}
