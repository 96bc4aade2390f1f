/**
 * Checkpoints as C2SP signed notes: the signed-note example of golang.org/x/mod/sumdb/note (the
 * format's reference implementation) is reproduced byte for byte, and forged, altered or
 * foreign-key checkpoints are refused.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  CheckpointError, checkpointBody, openCheckpoint, openNote, parseVerifierKey, signCheckpoint, signNote, verifierKeyString,
} from '../../src/audit/tlog/checkpoint';

const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SEED = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

test('the reference example: same verifier key, same signature, and it opens', () => {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), SEED]), format: 'der', type: 'pkcs8' });
  expect(verifierKeyString('PeterNeumann', createPublicKey(privateKey))).toBe(VKEY);
  expect(signNote(TEXT, 'PeterNeumann', privateKey)).toBe(NOTE);
  expect(openNote(NOTE, parseVerifierKey(VKEY))).toBe(TEXT);
  expect(() => openNote(NOTE.replace('cryptography', 'cryptographY'), parseVerifierKey(VKEY))).toThrow(CheckpointError);
});

describe('a checkpoint', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const origin = 'lumc.example/access-log';
  const key = parseVerifierKey(verifierKeyString(origin, publicKey));
  const root = Buffer.alloc(32, 7);
  const note = signCheckpoint({ origin, size: 42, root, time: new Date('2026-12-03T12:00:00Z') }, origin, privateKey);

  test('is origin, size, base64 root and a time line, then the signature', () => {
    expect(note.split('\n\n')[0] + '\n').toBe(`${origin}\n42\n${root.toString('base64')}\ntime 2026-12-03T12:00:00.000Z\n`);
    expect(note).toMatch(new RegExp(`\n\n— ${origin.replace(/[./]/g, '\\$&')} [A-Za-z0-9+/]{91}=\n$`));
    expect(openCheckpoint(note, key)).toEqual({ origin, size: 42, root, time: new Date('2026-12-03T12:00:00Z') });
  });

  test('altered size or root is refused', () => {
    expect(() => openCheckpoint(note.replace('\n42\n', '\n41\n'), key)).toThrow(/signature does not verify/);
    const otherRoot = Buffer.alloc(32, 8).toString('base64');
    expect(() => openCheckpoint(note.replace(root.toString('base64'), otherRoot), key)).toThrow(/signature does not verify/);
  });

  test('a checkpoint signed with another key under the same name is refused', () => {
    const forger = generateKeyPairSync('ed25519').privateKey;
    const forged = signCheckpoint({ origin, size: 42, root: Buffer.alloc(32, 9) }, origin, forger);
    expect(() => openCheckpoint(forged, key)).toThrow(/not signed by/);
    expect(() => openCheckpoint(checkpointBody({ origin, size: 42, root }) + '\n', key)).toThrow(CheckpointError);
  });

  test('a verifier key whose hash does not match its key is refused', () => {
    const text = verifierKeyString(origin, publicKey);
    expect(() => parseVerifierKey(text.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(/hash/);
  });
});
