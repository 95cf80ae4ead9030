import { createPrivateKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicKeyFingerprint, publicKeyPem } from '@concord/event-log-tools';

export const CHECKPOINT_KEY_FILE = 'checkpoint-key.pem';

export interface CheckpointKey {
  privateKey: KeyObject;
  /** SPKI PEM: what auditors are given. */
  publicKey: string;
  /** sha256 hex of the public key's DER SubjectPublicKeyInfo. */
  fingerprint: string;
  file: string;
  /** True when this call generated the key. */
  created: boolean;
  /** True when the file is readable or writable by group or others. */
  tooOpen: boolean;
}

/** The Ed25519 checkpoint key kept in `${dataDir}/checkpoint-key.pem` (PKCS#8 PEM), or null if absent. */
export function loadCheckpointKey(dataDir: string): CheckpointKey | null {
  const file = join(dataDir, CHECKPOINT_KEY_FILE);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${file} holds a ${privateKey.asymmetricKeyType} key; checkpoints are signed with Ed25519`);
  }
  return describe(privateKey, file, false);
}

/**
 * Loads the checkpoint key, generating it on first use with node:crypto and writing it with mode
 * 0600 (created exclusively, so two processes sharing DATA_DIR end up with the same key).
 */
export function loadOrCreateCheckpointKey(dataDir: string): CheckpointKey {
  const existing = loadCheckpointKey(dataDir);
  if (existing) return existing;
  const file = join(dataDir, CHECKPOINT_KEY_FILE);
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadCheckpointKey(dataDir) as CheckpointKey;
    throw error;
  }
  return describe(privateKey, file, true);
}

function describe(privateKey: KeyObject, file: string, created: boolean): CheckpointKey {
  return {
    privateKey,
    publicKey: publicKeyPem(privateKey),
    fingerprint: publicKeyFingerprint(privateKey),
    file,
    created,
    tooOpen: (statSync(file).mode & 0o077) !== 0,
  };
}
