import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { CONCORD_CONFIG, ConcordConfig } from '../config/concord-config';
import { READ_MODEL_DATABASE, ReadModelDatabase, sql } from '../read-model/read-model-database';
import type { Principal } from './principal';

/** A ticket is good for one socket, this many seconds after it was issued at most (COLLAB_TICKET_TTL may shorten it). */
export const COLLAB_TICKET_TTL_SECONDS = 60;

export interface ConsumedTicket {
  readonly userId: string;
  readonly sessionId: string;
}

export type TicketRefusal = 'unknown' | 'expired' | 'wrong-proposal';

const digest = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

/**
 * Single-use tickets for the co-editing socket, so that no long-lived credential travels in a URL
 * (and into proxy logs). Kept — as a hash — in the read-model database, which every API node
 * shares, and consumed with one `DELETE … RETURNING`: of two nodes presented the same ticket, one
 * gets the row and the other nothing.
 */
@Injectable()
export class CollabTickets implements OnApplicationBootstrap {
  /** The clock (tests move it). */
  now: () => number = Date.now;

  private readonly ttlSeconds: number;

  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(CONCORD_CONFIG) config: Pick<ConcordConfig, 'collabTicketTtlSeconds'> = { collabTicketTtlSeconds: COLLAB_TICKET_TTL_SECONDS },
  ) {
    this.ttlSeconds = Math.min(config.collabTicketTtlSeconds, COLLAB_TICKET_TTL_SECONDS);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.db.execute([
      sql(`CREATE TABLE IF NOT EXISTS auth_collab_tickets (ticket_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL,
        session_id TEXT NOT NULL, proposal_id TEXT, expires_at TEXT NOT NULL)`),
    ]);
  }

  /** A fresh ticket for this principal's session, optionally bound to one proposal. */
  async issue(principal: Principal, proposalId?: string): Promise<{ ticket: string; expiresIn: number }> {
    const ticket = randomBytes(32).toString('base64url');
    const now = this.now();
    await this.db.execute([
      sql('DELETE FROM auth_collab_tickets WHERE expires_at < ?', new Date(now).toISOString()),
      sql(
        'INSERT INTO auth_collab_tickets (ticket_hash, user_id, session_id, proposal_id, expires_at) VALUES (?, ?, ?, ?, ?)',
        digest(ticket), principal.userId, principal.sessionId, proposalId ?? null, new Date(now + this.ttlSeconds * 1000).toISOString(),
      ),
    ]);
    return { ticket, expiresIn: this.ttlSeconds };
  }

  /** Uses the ticket up (whatever the outcome: a ticket is never good twice). */
  async consume(ticket: string, proposalId: string): Promise<ConsumedTicket | TicketRefusal> {
    if (ticket.length > 100) return 'unknown';
    const [row] = await this.db.query<{ user_id: string; session_id: string; proposal_id: string | null; expires_at: string }>(
      'DELETE FROM auth_collab_tickets WHERE ticket_hash = ? RETURNING user_id, session_id, proposal_id, expires_at',
      [digest(ticket)],
    );
    if (!row) return 'unknown';
    if (Date.parse(row.expires_at) <= this.now()) return 'expired';
    if (row.proposal_id !== null && row.proposal_id !== proposalId) return 'wrong-proposal';
    return { userId: row.user_id, sessionId: row.session_id };
  }
}
