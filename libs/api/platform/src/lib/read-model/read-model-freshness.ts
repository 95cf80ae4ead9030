import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { CONCORD_CONFIG, ConcordConfig } from '../config/concord-config';
import type { ReadModelLag } from './projection-runner';
import { ReadModels } from './read-models.service';

export interface ReadModelFreshnessReport {
  readonly fresh: boolean;
  /** Why the read models are not fresh; null when they are. */
  readonly reason: string | null;
  /** PROJECTION_MAX_LAG_MS. */
  readonly maxLagMs: number;
  readonly lag: ReadModelLag | null;
}

/**
 * Whether the read models are current enough to decide access from. Authorization reads roles,
 * memberships and statuses from the read models: once they trail the log by more than
 * PROJECTION_MAX_LAG_MS (a projection failing, or the log unreadable), a revocation might not have
 * taken effect yet, so decisions fail closed (503) until they catch up. Synchronous, so any
 * authorization path (REST guard, WebSocket messages) can ask on every request.
 */
@Injectable()
export class ReadModelFreshness {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CONCORD_CONFIG) private readonly config: Pick<ConcordConfig, 'projectionMaxLagMs'>,
  ) {}

  get maxLagMs(): number {
    return this.config.projectionMaxLagMs;
  }

  report(): ReadModelFreshnessReport {
    const lag = this.readModels.lag();
    return { fresh: staleReason(lag, this.maxLagMs) === null, reason: staleReason(lag, this.maxLagMs), maxLagMs: this.maxLagMs, lag };
  }

  isFresh(): boolean {
    return staleReason(this.readModels.lag(), this.maxLagMs) === null;
  }

  /** Throws 503 Service Unavailable, with the reason, when the read models are stale beyond the bound. */
  assertFresh(): void {
    const reason = staleReason(this.readModels.lag(), this.maxLagMs);
    if (reason !== null) throw new ServiceUnavailableException(`${reason} Access decisions are refused until they catch up; try again later.`);
  }
}

/** Null when fresh; otherwise a sentence an operator (and a client) can act on. */
export function staleReason(lag: ReadModelLag | null, maxLagMs: number): string | null {
  if (!lag || lag.role === 'stopped') return 'The read models are not running.';
  if (lag.measurementAgeMs > maxLagMs) {
    return `The event log's head could not be read for ${Math.round(lag.measurementAgeMs)} ms (bound ${maxLagMs} ms), so the read models' lag is unknown.`;
  }
  const behind = lag.projections.filter((projection) => projection.lagMs > maxLagMs);
  if (behind.length === 0) return null;
  const details = behind.map((projection) =>
    projection.failing
      ? `${projection.name} is failing at position ${projection.failing.position} (${projection.failing.type} of ${projection.failing.stream}, ${projection.failing.attempts} attempts)`
      : `${projection.name} is ${projection.lagEvents} events behind`,
  );
  const worst = Math.max(...behind.map((projection) => projection.lagMs));
  return `The read models trail the event log by ${worst} ms (bound ${maxLagMs} ms): ${details.join('; ')}.`;
}
