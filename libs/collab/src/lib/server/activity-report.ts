/** Tells the API that a connection edited (sign-in session activity), at most once per 30 s. */
import type { WebSocket } from 'ws';
import type { CollabUser } from './collab-user';

const ACTIVITY_EVERY_MS = 30_000;

/** Sync step 2 or update frames (an edit), not sync step 1 or awareness: presence is not activity. */
export function reportActivity(ws: WebSocket, user: CollabUser, onActivity: (user: CollabUser) => void): void {
  let last = 0;
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? data[0] : Buffer.from(data);
    if (!bytes || bytes[0] !== 0 || (bytes[1] !== 1 && bytes[1] !== 2)) return;
    const now = Date.now();
    if (now - last < ACTIVITY_EVERY_MS) return;
    last = now;
    try {
      onActivity(user);
    } catch {
      // Activity is best effort; it never affects the connection.
    }
  });
}
