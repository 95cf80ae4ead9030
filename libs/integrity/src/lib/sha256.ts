import { sha256 } from '@noble/hashes/sha256';
import { hmac } from '@noble/hashes/hmac';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/** Lower-case hex sha256 of bytes or of a string's UTF-8 encoding. Works in Node and browsers. */
export function sha256Hex(input: Uint8Array | string): string {
  return bytesToHex(sha256(typeof input === 'string' ? utf8ToBytes(input) : input));
}

/** sha256 over several parts, each length-prefixed so that no two part lists share an encoding. */
export function sha256OfParts(parts: ReadonlyArray<Uint8Array | string>): string {
  const encoded = parts.map((part) => (typeof part === 'string' ? utf8ToBytes(part) : part));
  const total = encoded.reduce((sum, part) => sum + 8 + part.length, 0);
  const buffer = new Uint8Array(total);
  const view = new DataView(buffer.buffer);
  let offset = 0;
  for (const part of encoded) {
    view.setBigUint64(offset, BigInt(part.length));
    buffer.set(part, offset + 8);
    offset += 8 + part.length;
  }
  return bytesToHex(sha256(buffer));
}

/** Lower-case hex HMAC-SHA256 (RFC 2104) of a string's UTF-8 encoding under a key. */
export function hmacSha256Hex(key: Uint8Array | string, message: string): string {
  return bytesToHex(hmac(sha256, typeof key === 'string' ? utf8ToBytes(key) : key, utf8ToBytes(message)));
}
