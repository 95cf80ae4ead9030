import { SqliteReadModelDatabase } from '../read-model/sqlite-read-model-database';
import { COLLAB_TICKET_TTL_SECONDS, CollabTickets } from './collab-tickets.service';
import type { Principal } from './principal';

const amina: Principal = { userId: 'user-1', email: 'a@x', name: 'Amina', isAdmin: false, sessionId: 'session-1' };

describe('CollabTickets (SQLite)', () => {
  let db: SqliteReadModelDatabase;
  let tickets: CollabTickets;
  let clock: number;

  beforeEach(async () => {
    db = new SqliteReadModelDatabase(':memory:');
    tickets = new CollabTickets(db);
    clock = Date.parse('2026-12-07T10:00:00Z');
    tickets.now = () => clock;
    await tickets.onApplicationBootstrap();
  });
  afterEach(() => db.close());

  it('is good once, for the session that asked', async () => {
    const { ticket, expiresIn } = await tickets.issue(amina);
    expect(expiresIn).toBeLessThanOrEqual(60);
    expect(await tickets.consume(ticket, 'p-1')).toEqual({ userId: 'user-1', sessionId: 'session-1' });
    expect(await tickets.consume(ticket, 'p-1')).toBe('unknown');
  });

  it('expires after its time, and is used up by the failed attempt', async () => {
    const { ticket } = await tickets.issue(amina);
    clock += COLLAB_TICKET_TTL_SECONDS * 1000;
    expect(await tickets.consume(ticket, 'p-1')).toBe('expired');
    expect(await tickets.consume(ticket, 'p-1')).toBe('unknown');
  });

  it('opens only the proposal it is bound to', async () => {
    const { ticket } = await tickets.issue(amina, 'p-1');
    expect(await tickets.consume(ticket, 'p-2')).toBe('wrong-proposal');
    const again = await tickets.issue(amina, 'p-1');
    expect(await tickets.consume(again.ticket, 'p-1')).toMatchObject({ sessionId: 'session-1' });
  });

  it('stores no ticket in clear and forgets expired ones', async () => {
    const { ticket } = await tickets.issue(amina);
    const rows = await db.query<{ ticket_hash: string }>('SELECT ticket_hash FROM auth_collab_tickets');
    expect(rows.map((row) => row.ticket_hash)).not.toContain(ticket);
    clock += 120_000;
    await tickets.issue(amina);
    expect(await db.query('SELECT * FROM auth_collab_tickets')).toHaveLength(1);
  });

  it('lives no longer than COLLAB_TICKET_TTL says', async () => {
    const short = new CollabTickets(db, { collabTicketTtlSeconds: 2 });
    short.now = () => clock;
    const { ticket, expiresIn } = await short.issue(amina);
    expect(expiresIn).toBe(2);
    clock += 2_000;
    expect(await short.consume(ticket, 'p-1')).toBe('expired');
  });

  it('refuses what is not a ticket', async () => {
    expect(await tickets.consume('x'.repeat(500), 'p-1')).toBe('unknown');
    expect(await tickets.consume('forged', 'p-1')).toBe('unknown');
  });
});
