import type { WebsocketProvider } from 'y-websocket';

/** The parts of the stock WebsocketProvider that ticketing drives. */
export type TicketedProvider = Pick<WebsocketProvider, 'params' | 'shouldConnect' | 'shouldReconnect' | 'connect' | 'disconnect' | 'destroy' | 'on'>;

const RETRY_MS = [250, 500, 1_000, 2_000, 4_000];
const SESSION_ENDED = 4401;

/**
 * The co-editing socket takes a single-use ticket (`?ticket=`), never the access token. The stock
 * provider reads `params` at every connect, so before each (re)connect we fetch a fresh ticket:
 * the provider is created with `connect: false`; when it loses its socket and would retry, the
 * scheduled retry is held (`shouldConnect = false`) until the new ticket is in `params`. A close the
 * provider does not retry (44xx: session ended, no access…) is left alone. A ticket that cannot be
 * fetched (offline) is asked again with back-off; one refused because the session ended stops.
 * `connect()` and `disconnect()` keep their meaning: connect fetches a ticket first.
 */
export function connectWithTickets(provider: TicketedProvider, nextTicket: () => Promise<string>, isFinal: (error: unknown) => boolean): void {
  let wanted = true;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connectNow = provider.connect.bind(provider);
  const disconnect = provider.disconnect.bind(provider);
  const destroy = provider.destroy.bind(provider);
  let pending = false;
  // Back online: ask for the ticket now rather than at the end of the back-off.
  const onOnline = () => {
    if (!pending || !wanted) return;
    clearTimeout(timer);
    pending = false;
    void open();
  };
  globalThis.addEventListener?.('online', onOnline);
  // connect() (e.g. back online) also goes through a fresh ticket.
  provider.connect = () => {
    wanted = true;
    clearTimeout(timer);
    pending = false;
    void open();
  };
  provider.disconnect = () => {
    wanted = false;
    clearTimeout(timer);
    disconnect();
  };
  provider.destroy = () => {
    wanted = false;
    clearTimeout(timer);
    globalThis.removeEventListener?.('online', onOnline);
    destroy();
  };

  const open = async (): Promise<void> => {
    try {
      const ticket = await nextTicket();
      if (!wanted) return;
      attempt = 0;
      provider.params = { ...provider.params, ticket };
      connectNow();
    } catch (error) {
      if (!wanted || isFinal(error)) return;
      pending = true;
      timer = setTimeout(() => {
        pending = false;
        void open();
      }, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
      attempt += 1;
    }
  };

  // A 4401 (ticket refused, session ended) is checked once by asking for a new ticket: if the
  // session has ended, that request's 401 sends the user to sign in with the reason (HTTP layer);
  // if only the ticket was stale, the socket reconnects.
  let checkedSessionEnd = false;
  provider.on('sync', (synced: boolean) => {
    if (synced) checkedSessionEnd = false;
  });
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event?.code === SESSION_ENDED && wanted && !checkedSessionEnd) {
      checkedSessionEnd = true;
      void open();
      return;
    }
    const retry = wanted && provider.shouldConnect && (event === null || provider.shouldReconnect(event, provider as WebsocketProvider));
    if (!retry) return;
    provider.shouldConnect = false;
    void open();
  });
  void open();
}
