/**
 * The rate limit on one connection's own awareness changes: relayed at once while the relay bucket
 * has tokens, coalesced (newest state per client id) and relayed when it refills, a flood past the
 * flood bucket. See AwarenessRateLimits for the numbers.
 */
import type { AwarenessEntry } from '../protocol/collab-messages';
import type { AwarenessRateLimits } from './connection-limits';
import { TokenBucket } from './token-bucket';

export class AwarenessThrottle {
  private readonly relayBucket: TokenBucket;
  private readonly floodBucket: TokenBucket;
  /** Own awareness changes over the relay rate, newest per client id, relayed when the bucket refills. */
  private readonly coalesced = new Map<number, AwarenessEntry>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    limits: AwarenessRateLimits,
    now: number,
    /** Relays entries that passed the rate (the document applies and forwards them). */
    private readonly relay: (entries: readonly AwarenessEntry[]) => void,
    private readonly isClosed: () => boolean,
  ) {
    this.relayBucket = new TokenBucket(limits.relayPerSecond, limits.relayBurst, now);
    this.floodBucket = new TokenBucket(limits.floodPerSecond, limits.floodBurst, now);
  }

  /** Relays `own` now or coalesces it; 'flood' when the sender is over the flood rate (nothing is kept). */
  offer(own: readonly AwarenessEntry[]): 'flood' | 'accepted' {
    const now = Date.now();
    if (!this.floodBucket.take(now)) return 'flood';
    if (this.coalesced.size === 0 && this.relayBucket.take(now)) {
      this.relay(own);
      return 'accepted';
    }
    for (const entry of own) {
      const waiting = this.coalesced.get(entry.clientId);
      if (!waiting || waiting.clock <= entry.clock) this.coalesced.set(entry.clientId, entry);
    }
    this.schedule();
    return 'accepted';
  }

  /** Drops what is waiting and stops the timer (the connection closed). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.coalesced.clear();
  }

  private schedule(): void {
    if (this.timer || this.isClosed()) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.isClosed() || this.coalesced.size === 0) return;
      if (!this.relayBucket.take(Date.now())) {
        this.schedule();
        return;
      }
      const entries = [...this.coalesced.values()];
      this.coalesced.clear();
      this.relay(entries);
    }, Math.max(1, this.relayBucket.msUntilToken(Date.now())));
    this.timer.unref();
  }
}
