import { sha256 } from '@noble/hashes/sha256';
import { hmac } from '@noble/hashes/hmac';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

/** The part of Node's `crypto` module used here (typed locally: this library also runs in browsers). */
interface NodeHash {
  update(data: Uint8Array): NodeHash;
  digest(encoding: 'hex'): string;
}
interface NodeHashing {
  createHash(algorithm: 'sha256'): NodeHash;
  /** One-shot digest (Node ≥ 20.12): no Hash object per call. */
  hash?(algorithm: 'sha256', data: Uint8Array, outputEncoding: 'hex'): string;
}
interface NodeBuffer extends Uint8Array {
  write(text: string, offset: number, encoding: 'utf8'): number;
  writeUInt32BE(value: number, offset: number): number;
}
interface NodeBuffers {
  from(text: string, encoding: 'utf8'): Uint8Array;
  allocUnsafe(size: number): NodeBuffer;
  byteLength(text: string, encoding: 'utf8'): number;
}

/**
 * Node's native (OpenSSL) sha256 when running in Node — several times faster than the portable
 * implementation on the event hash path (every append, every `npm run verify`) — found at run time
 * through `process.getBuiltinModule`, so browser bundles never import `node:crypto`. Anywhere else,
 * or with `CONCORD_PORTABLE_SHA256=1`, @noble/hashes. Both give the same digests (spec).
 */
function nativeHashing(): { hashing: NodeHashing; buffers: NodeBuffers } | null {
  const runtime = globalThis as unknown as {
    process?: { getBuiltinModule?: (id: string) => unknown; env?: Record<string, string | undefined> };
    Buffer?: NodeBuffers;
  };
  const process = runtime.process;
  if (!process?.getBuiltinModule || !runtime.Buffer || process.env?.['CONCORD_PORTABLE_SHA256'] === '1') return null;
  const hashing = process.getBuiltinModule('node:crypto') as NodeHashing | undefined;
  return hashing ? { hashing, buffers: runtime.Buffer } : null;
}
const native = nativeHashing();

/** Lower-case hex sha256 of bytes or of a string's UTF-8 encoding. Works in Node and browsers. */
export function sha256Hex(input: Uint8Array | string): string {
  if (native) return native.hashing.createHash('sha256').update(typeof input === 'string' ? native.buffers.from(input, 'utf8') : input).digest('hex');
  return bytesToHex(sha256(typeof input === 'string' ? utf8ToBytes(input) : input));
}

/** sha256 over several parts, each length-prefixed so that no two part lists share an encoding. */
export function sha256OfParts(parts: ReadonlyArray<Uint8Array | string>): string {
  return native ? nativeSha256OfParts(native, parts) : portableSha256OfParts(parts);
}

/** `sha256OfParts` with @noble/hashes: each part as u64be(byte length) ‖ bytes, hashed at once. */
export function portableSha256OfParts(parts: ReadonlyArray<Uint8Array | string>): string {
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

/**
 * The same bytes with Node's sha256: written into one buffer and hashed in one call where Node has
 * `crypto.hash`, else fed part by part to a Hash (no concatenated copy).
 */
function nativeSha256OfParts(node: NonNullable<typeof native>, parts: ReadonlyArray<Uint8Array | string>): string {
  const oneShot = node.hashing.hash;
  if (oneShot) {
    // Each string's UTF-8 length is measured once, then every part is written behind its prefix.
    const lengths: number[] = new Array(parts.length);
    let total = 0;
    for (let index = 0; index < parts.length; index += 1) {
      const part = parts[index];
      const length = typeof part === 'string' ? node.buffers.byteLength(part, 'utf8') : part.length;
      lengths[index] = length;
      total += 8 + length;
    }
    const buffer = node.buffers.allocUnsafe(total);
    let offset = 0;
    for (let index = 0; index < parts.length; index += 1) {
      const part = parts[index];
      const length = lengths[index];
      buffer.writeUInt32BE(Math.floor(length / 2 ** 32), offset);
      buffer.writeUInt32BE(length >>> 0, offset + 4);
      if (typeof part === 'string') buffer.write(part, offset + 8, 'utf8');
      else buffer.set(part, offset + 8);
      offset += 8 + length;
    }
    return oneShot.call(node.hashing, 'sha256', buffer, 'hex');
  }
  const hash = node.hashing.createHash('sha256');
  const prefix = new Uint8Array(8);
  const view = new DataView(prefix.buffer);
  for (const part of parts) {
    const bytes = typeof part === 'string' ? node.buffers.from(part, 'utf8') : part;
    view.setUint32(0, Math.floor(bytes.length / 2 ** 32));
    view.setUint32(4, bytes.length >>> 0);
    hash.update(prefix);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** Whether `sha256OfParts` and `sha256Hex` use Node's native sha256 here (for logs and benchmarks). */
export const nativeSha256 = native !== null;

/** Lower-case hex HMAC-SHA256 (RFC 2104) of a string's UTF-8 encoding under a key. */
export function hmacSha256Hex(key: Uint8Array | string, message: string): string {
  return bytesToHex(hmac(sha256, typeof key === 'string' ? utf8ToBytes(key) : key, utf8ToBytes(message)));
}
