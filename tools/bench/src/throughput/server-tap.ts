import { WebSocket } from 'ws';

/**
 * Server-internal latency without touching the product: the collab server's sockets are `ws`
 * WebSockets, so wrapping `emit('message')` and `send` of the ws class (in this process, which
 * hosts only server-side sockets) timestamps the moment a sync-update frame is handed to the
 * server and the moment the server hands the broadcast of it to the other connection. With one
 * writer and one observer per document, the i-th received update frame is broadcast as the i-th
 * sent one (the server applies and broadcasts in order, one message per recorded update).
 */
export class ServerTap {
  private receivedAt = new Float64Array(0);
  private broadcastAt = new Float64Array(0);
  private received = 0;
  private broadcast = 0;
  private active = false;

  static install(): ServerTap {
    const tap = new ServerTap();
    const prototype = WebSocket.prototype as unknown as {
      emit: (event: string | symbol, ...args: unknown[]) => boolean;
      send: (data: unknown, ...rest: unknown[]) => void;
    };
    const originalEmit = prototype.emit;
    const originalSend = prototype.send;
    prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]): boolean {
      if (tap.active && event === 'message' && isSyncUpdateFrame(args[0])) tap.noteReceived();
      return originalEmit.call(this, event, ...args);
    };
    prototype.send = function (this: WebSocket, data: unknown, ...rest: unknown[]): void {
      if (tap.active && isSyncUpdateFrame(data)) tap.noteBroadcast();
      originalSend.call(this, data, ...rest);
    };
    return tap;
  }

  /** Starts recording the next `capacity` update frames. */
  start(capacity: number): void {
    this.receivedAt = new Float64Array(capacity);
    this.broadcastAt = new Float64Array(capacity);
    this.received = 0;
    this.broadcast = 0;
    this.active = true;
  }

  /** Stops recording; per update, milliseconds from frame received to broadcast handed to ws. */
  stop(): { latencies: Float64Array; received: number; broadcast: number } {
    this.active = false;
    const paired = Math.min(this.received, this.broadcast);
    const latencies = new Float64Array(paired);
    for (let index = 0; index < paired; index++) latencies[index] = this.broadcastAt[index] - this.receivedAt[index];
    return { latencies, received: this.received, broadcast: this.broadcast };
  }

  private noteReceived(): void {
    if (this.received < this.receivedAt.length) this.receivedAt[this.received] = performance.now();
    this.received += 1;
  }

  private noteBroadcast(): void {
    if (this.broadcast < this.broadcastAt.length) this.broadcastAt[this.broadcast] = performance.now();
    this.broadcast += 1;
  }
}

/** y-websocket sync message (0) carrying an update (2). */
function isSyncUpdateFrame(data: unknown): boolean {
  if (Array.isArray(data)) return data.length > 0 && isSyncUpdateFrame(data[0]);
  if (data instanceof Uint8Array) return data.length >= 2 && data[0] === 0 && data[1] === 2;
  if (data instanceof ArrayBuffer) return isSyncUpdateFrame(new Uint8Array(data, 0, Math.min(2, data.byteLength)));
  return false;
}
