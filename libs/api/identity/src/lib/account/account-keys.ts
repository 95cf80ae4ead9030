import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SealedSecret } from '@concord/domain';

/**
 * The keys of account security, all derived (HKDF-SHA256) from one input key (MFA_KEY, else
 * JWT_SECRET) with a purpose label each, so that no key serves two purposes:
 * - sealing TOTP secrets in the log (AES-256-GCM, random 96-bit IV, the user id as associated data
 *   so a sealed secret cannot be moved to another user's stream);
 * - keyed hashes of recovery codes (HMAC-SHA256): the log alone does not allow guessing them offline;
 * - sealing short-lived sign-in challenges (the second step of a sign-in).
 * Reset-link tokens are 256 random bits, so a plain SHA-256 of them is recorded.
 */
export class AccountKeys {
  private readonly secretKey: Buffer;
  private readonly recoveryKey: Buffer;
  private readonly challengeKey: Buffer;

  constructor(
    keyMaterial: string,
    readonly keyId: string,
  ) {
    const derive = (purpose: string) => Buffer.from(hkdfSync('sha256', keyMaterial, 'concord-account', purpose, 32));
    this.secretKey = derive('totp-secret-v1');
    this.recoveryKey = derive('recovery-code-v1');
    this.challengeKey = derive('sign-in-challenge-v1');
  }

  sealTotpSecret(userId: string, secret: string): SealedSecret {
    const { iv, ciphertext, tag } = seal(this.secretKey, Buffer.from(secret, 'utf8'), userId);
    return { keyId: this.keyId, iv, ciphertext, tag };
  }

  /** The plain secret; throws when the key changed or the sealed value was tampered with. */
  openTotpSecret(userId: string, sealed: SealedSecret): string {
    return open(this.secretKey, sealed, userId).toString('utf8');
  }

  recoveryCodeHash(userId: string, code: string): string {
    return createHmac('sha256', this.recoveryKey).update(`${userId}:${normalizeRecoveryCode(code)}`).digest('base64url');
  }

  /** An opaque, tamper-proof token carrying `payload` until `expiresAt` (ms). */
  sealChallenge(payload: Record<string, unknown>, expiresAt: number): string {
    const { iv, ciphertext, tag } = seal(this.challengeKey, Buffer.from(JSON.stringify({ ...payload, exp: expiresAt })), 'challenge');
    return `${iv}.${ciphertext}.${tag}`;
  }

  /** The payload of a valid, unexpired challenge; null otherwise (never throws). */
  openChallenge(token: string, now = Date.now()): Record<string, unknown> | null {
    const [iv, ciphertext, tag, extra] = token.split('.');
    if (!iv || !ciphertext || !tag || extra !== undefined) return null;
    try {
      const payload = JSON.parse(open(this.challengeKey, { keyId: this.keyId, iv, ciphertext, tag }, 'challenge').toString('utf8'));
      return typeof payload?.exp === 'number' && payload.exp > now ? payload : null;
    } catch {
      return null;
    }
  }
}

export function resetTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Recovery codes are shown as `abcde-fghij`; case, spaces and dashes do not matter when typed. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A recovery code of 10 characters from a 31-letter alphabet (~49.5 bits), shown as `xxxxx-xxxxx`. */
export function newRecoveryCode(): string {
  const chars: string[] = [];
  while (chars.length < 10) {
    for (const byte of randomBytes(16)) {
      // Rejection sampling keeps every letter equally likely.
      if (byte < 248 && chars.length < 10) chars.push(RECOVERY_ALPHABET[byte % 31]);
    }
  }
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

function seal(key: Buffer, plain: Buffer, associatedData: string): { iv: string; ciphertext: string; tag: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv: iv.toString('base64url'), ciphertext: ciphertext.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
}

function open(key: Buffer, sealed: SealedSecret, associatedData: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64url')), decipher.final()]);
}
