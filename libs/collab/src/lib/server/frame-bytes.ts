/** Measuring and copying the raw bytes of an incoming WebSocket frame (ws hands over pooled views). */
import type { RawData } from 'ws';

/** Message type, sync type and the update's length prefix around an update. */
export const FRAME_OVERHEAD_BYTES = 16;

export function frameLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

export function copyFrame(data: RawData): Uint8Array {
  if (Array.isArray(data)) {
    const total = data.reduce((sum, part) => sum + part.length, 0);
    const frame = new Uint8Array(total);
    let offset = 0;
    for (const part of data) {
      frame.set(part, offset);
      offset += part.length;
    }
    return frame;
  }
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  const frame = new Uint8Array(data.length);
  frame.set(data);
  return frame;
}
