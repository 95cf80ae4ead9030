/**
 * The permission-denied notices (`<code>: <reason>`) one connection sends its client, each code at
 * most once per second: a reader's client resends its refused change on every sync, and a flood
 * must not be answered in kind. `force` always sends.
 */
import { encodePermissionDenied, RefusalCode } from '../protocol/collab-messages';

/** At most one permission-denied of each code per this many ms (a flood must not be answered in kind). */
const REFUSAL_INTERVAL_MS = 1_000;

export class RefusalNotices {
  private readonly lastRefusalAt = new Map<RefusalCode, number>();

  constructor(private readonly send: (message: Uint8Array) => void) {}

  tell(code: RefusalCode, reason: string, options: { force?: boolean } = {}): void {
    const now = Date.now();
    const last = this.lastRefusalAt.get(code);
    if (!options.force && last !== undefined && now - last < REFUSAL_INTERVAL_MS) return;
    this.lastRefusalAt.set(code, now);
    this.send(encodePermissionDenied(code, reason));
  }
}
