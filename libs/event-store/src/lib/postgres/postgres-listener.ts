import { Client, ClientConfig } from 'pg';
import { Backoff, WakeableWait } from '../retry/backoff';
import type { PostgresTables } from './postgres-schema';

export const LISTEN_APPLICATION_NAME = 'concord-event-store-listen';
const FIRST_RECONNECT_DELAY_MS = 250;
const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * The store's live notifications: one dedicated connection LISTENs on the schema's channel, which
 * every append NOTIFYs after commit, and wakes the subscriptions. A notification is only a hint (a
 * missed one delays but never loses an event: subscriptions read by position). The connection
 * reconnects with back-off, and wakes every subscription once listening again, since commits made
 * meanwhile sent notifications nobody heard.
 */
export class PostgresListener {
  private client: Client | null = null;
  private readonly backoff = new Backoff(FIRST_RECONNECT_DELAY_MS, MAX_RECONNECT_DELAY_MS);
  private readonly pause = new WakeableWait();
  private reconnecting = false;
  private closed = false;

  /**
   * @param notified called on each notification with the head it announces, and after each
   * (re)connection without one (anything may have been committed meanwhile).
   */
  constructor(
    private readonly clientConfig: ClientConfig,
    private readonly tables: PostgresTables,
    private readonly notified: (head?: number) => void,
  ) {}

  /** Starts listening, unless already listening or waiting to reconnect. */
  start(): void {
    if (this.client || this.reconnecting || this.closed) return;
    // Named so that operators (and the reconnect test) can tell it from pooled connections.
    const client = new Client({ ...this.clientConfig, application_name: `${LISTEN_APPLICATION_NAME}:${this.tables.schema}` });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== this.tables.notifyChannel) return;
      // The payload is the head position; anything else still wakes the subscriptions.
      const head = Number(message.payload);
      this.notified(message.payload && Number.isSafeInteger(head) ? head : undefined);
    });
    const reconnect = () => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.reconnectLater();
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    client
      .connect()
      .then(() => client.query(`LISTEN ${this.tables.notifyChannel}`))
      .then(() => {
        this.backoff.reset();
        // Commits made before LISTEN took effect sent no notification we could see: read again.
        this.notified();
      })
      .catch(reconnect);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pause.wake();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private reconnectLater(): void {
    if (this.closed || this.reconnecting) return;
    this.reconnecting = true;
    void this.pause.wait(this.backoff.next()).then(() => {
      this.reconnecting = false;
      this.start();
    });
  }
}
