/**
 * Child process of the load benchmark: the memory-only baseline — the same y-websocket protocol
 * server the throughput benchmark uses (`createCollabServer` on `MemoryEventStore`, auth stubs,
 * checkpoint every 500), alone in its process as each Concord server is. Tells its URL over IPC.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCollabServer } from '@concord/collab';
import { MemoryEventStore } from '@concord/event-store';
import { countingLogger } from '../bench-logger';

async function main(): Promise<void> {
  const store = new MemoryEventStore();
  const logger = countingLogger();
  const collab = createCollabServer({
    store,
    authenticate: async (token) => ({ userId: `user-${token}`, name: token }),
    authorize: async () => 'read-write',
    logger,
    checkpointEvery: 500,
  });
  const http = createServer((_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  collab.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  await collab.ready;
  process.send?.({ kind: 'listening', url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/collab` });
  process.on('message', (message: { kind: string }) => {
    if (message.kind !== 'exit') return;
    process.send?.({ kind: 'log', warnings: logger.warnings, errors: logger.errors });
    void collab.close().finally(() => {
      http.closeAllConnections();
      http.close();
      process.disconnect?.();
      setImmediate(() => process.exit(0));
    });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
