import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Shortest STREAM_KEY accepted (a generated one has 43 characters, 256 bits). */
export const MIN_STREAM_KEY_LENGTH = 32;

/**
 * The deployment's stream key: STREAM_KEY from the environment, else the one kept in
 * `DATA_DIR/stream-key`, generated (256 random bits, mode 600) the first time. It keys the HMAC that
 * names streams which would otherwise carry personal data (email reservations). Every API node and
 * the import tool of one deployment must use the same key: a node with another key would not find
 * existing reservations.
 */
export function loadOrCreateStreamKey(env: { DATA_DIR?: string; STREAM_KEY?: string }): string {
  const fromEnv = env.STREAM_KEY?.trim();
  if (fromEnv) {
    if (fromEnv.length < MIN_STREAM_KEY_LENGTH) {
      throw new Error(`STREAM_KEY must have at least ${MIN_STREAM_KEY_LENGTH} characters (e.g. openssl rand -base64 32)`);
    }
    return fromEnv;
  }
  const dataDir = resolve(env.DATA_DIR || './data');
  const file = join(dataDir, 'stream-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}
