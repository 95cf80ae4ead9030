import { connectWithTickets, type TicketedProvider } from './ticketed-connection';

type Handler = (event: unknown) => void;

/** The stock provider's reconnect bookkeeping, without sockets. */
class FakeProvider {
  params: Record<string, string> = {};
  shouldConnect = false;
  connects: Record<string, string>[] = [];
  private readonly handlers = new Map<string, Handler[]>();

  shouldReconnect(event: { code: number }): boolean {
    return !(event.code >= 4400 && event.code < 4500);
  }
  connect(): void {
    this.shouldConnect = true;
    this.connects.push({ ...this.params });
  }
  disconnect(): void {
    this.shouldConnect = false;
  }
  destroy(): void {
    this.disconnect();
  }
  on(event: string, handler: Handler): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
  }
  emit(event: string, value: unknown): void {
    for (const handler of this.handlers.get(event) ?? []) handler(value);
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('connectWithTickets', () => {
  function setUp(tickets: Array<string | Error>) {
    const provider = new FakeProvider();
    const next = jest.fn(async () => {
      const ticket = tickets.shift();
      if (ticket instanceof Error || ticket === undefined) throw ticket ?? new Error('no more tickets');
      return ticket;
    });
    connectWithTickets(provider as unknown as TicketedProvider, next, (error) => (error as { status?: number }).status === 401);
    return { provider, next };
  }

  it('connects with a fresh ticket, and with another before every reconnect', async () => {
    const { provider } = setUp(['t-1', 't-2']);
    await settle();
    expect(provider.connects).toEqual([{ ticket: 't-1' }]);

    provider.emit('connection-close', { code: 1006 });
    expect(provider.shouldConnect).toBe(false); // the scheduled reconnect is held
    await settle();
    expect(provider.connects).toEqual([{ ticket: 't-1' }, { ticket: 't-2' }]);
  });

  it('leaves a 44xx refusal alone, except one check of a 4401 with a new ticket', async () => {
    const { provider, next } = setUp(['t-1', 't-2']);
    await settle();
    provider.emit('connection-close', { code: 4403 });
    provider.shouldConnect = false;
    await settle();
    expect(next).toHaveBeenCalledTimes(1);

    provider.emit('connection-close', { code: 4401 });
    await settle();
    expect(provider.connects.at(-1)).toEqual({ ticket: 't-2' });
    provider.emit('connection-close', { code: 4401 });
    await settle();
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('does not reconnect after disconnect() while a ticket is on its way', async () => {
    const { provider } = setUp(['t-1', 't-2']);
    await settle();
    provider.emit('connection-close', null);
    provider.disconnect();
    await settle();
    expect(provider.connects).toEqual([{ ticket: 't-1' }]);
  });

  it('fetches a fresh ticket when connect() is called again after disconnect() (back online)', async () => {
    const { provider } = setUp(['t-1', 't-2']);
    await settle();
    provider.disconnect();
    provider.connect();
    await settle();
    expect(provider.connects).toEqual([{ ticket: 't-1' }, { ticket: 't-2' }]);
  });

  it('stops when the session has ended (401 for the ticket)', async () => {
    const { provider, next } = setUp([Object.assign(new Error('ended'), { status: 401 })]);
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(next).toHaveBeenCalledTimes(1);
    expect(provider.connects).toEqual([]);
  });
});
