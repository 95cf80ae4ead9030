import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import Redis from 'ioredis';
import { CollabLogger, describeError } from '../logger';

/**
 * Carries awareness (carets, presence) between nodes hosting the same document. Awareness is
 * ephemeral: it is never stored, and losing a message only delays a caret until its next renewal.
 */
export interface AwarenessRelay {
  join(proposalId: string, onRemoteUpdate: (update: Uint8Array) => void): void;
  leave(proposalId: string): void;
  publish(proposalId: string, update: Uint8Array): void;
  close(): Promise<void>;
}

/** One node: awareness never leaves the process. */
export const nodeLocalAwarenessRelay: AwarenessRelay = {
  join: () => undefined,
  leave: () => undefined,
  publish: () => undefined,
  close: async () => undefined,
};

const CHANNEL_PREFIX = 'concord:collab:awareness:';

/**
 * Redis pub/sub, one channel per proposal. A message is `varString nodeId, varUint8Array update`;
 * a node ignores its own.
 */
export function createRedisAwarenessRelay(options: { url: string; nodeId: string; logger: CollabLogger }): AwarenessRelay {
  const { nodeId, logger } = options;
  const publisher = new Redis(options.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const subscriber = new Redis(options.url);
  const listeners = new Map<string, (update: Uint8Array) => void>();
  let closed = false;

  const logRedisError = (role: string) => (error: unknown) => {
    if (!closed) logger.warn({ nodeId, role, ...describeError(error) }, 'awareness relay: redis error');
  };
  publisher.on('error', logRedisError('publisher'));
  subscriber.on('error', logRedisError('subscriber'));

  subscriber.on('messageBuffer', (channelBytes: Buffer, message: Buffer) => {
    const listener = listeners.get(channelBytes.toString());
    if (!listener) return;
    try {
      const decoder = decoding.createDecoder(new Uint8Array(message));
      const sender = decoding.readVarString(decoder);
      if (sender === nodeId) return;
      listener(decoding.readVarUint8Array(decoder));
    } catch (error) {
      logger.warn({ nodeId, ...describeError(error) }, 'awareness relay: malformed message ignored');
    }
  });

  return {
    join(proposalId, onRemoteUpdate) {
      const channel = CHANNEL_PREFIX + proposalId;
      listeners.set(channel, onRemoteUpdate);
      subscriber.subscribe(channel).catch(logRedisError('subscribe'));
    },
    leave(proposalId) {
      const channel = CHANNEL_PREFIX + proposalId;
      if (!listeners.delete(channel) || closed) return;
      subscriber.unsubscribe(channel).catch(logRedisError('unsubscribe'));
    },
    publish(proposalId, update) {
      if (closed) return;
      const encoder = encoding.createEncoder();
      encoding.writeVarString(encoder, nodeId);
      encoding.writeVarUint8Array(encoder, update);
      publisher
        .publish(CHANNEL_PREFIX + proposalId, Buffer.from(encoding.toUint8Array(encoder)))
        .catch(logRedisError('publish'));
    },
    async close() {
      closed = true;
      listeners.clear();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
