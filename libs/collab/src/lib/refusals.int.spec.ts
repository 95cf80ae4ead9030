import * as Y from 'yjs';
import { WebSocket } from 'ws';
import {
  appendParagraph,
  contentEvents,
  eventually,
  UpgradeRefusedInTest,
  useCollabHarness,
  users,
} from '../testing/collab-harness';

jest.setTimeout(20_000);

describe('refusing connections before any document byte', () => {
  const harness = useCollabHarness();
  const SECRET = 'confidential negotiating position';

  async function seededServer(options: Parameters<typeof harness.startServer>[0] = {}) {
    const server = await harness.startServer(options);
    const seed = new Y.Doc();
    appendParagraph(seed.getXmlFragment('content'), SECRET);
    await server.collab.content.appendUpdate('p-secret', Y.encodeStateAsUpdate(seed), { userId: 'system', kind: 'seed' });
    seed.destroy();
    return server;
  }

  async function refusal(attempt: Promise<unknown>): Promise<UpgradeRefusedInTest> {
    const error = await attempt.then(
      () => {
        throw new Error('the upgrade was accepted');
      },
      (refused: unknown) => refused,
    );
    expect(error).toBeInstanceOf(UpgradeRefusedInTest);
    return error as UpgradeRefusedInTest;
  }

  it.each([
    ['no token', 401, '/collab/p-secret', {}],
    ['an invalid token', 401, '/collab/p-secret?token=forged', {}],
    ['a user without a role', 403, `/collab/p-secret?token=${users.outsider.token}`, {}],
    ['an unknown proposal', 404, `/collab/missing-proposal?token=${users.drafter1.token}`, {}],
    ['a malformed proposal id', 404, `/collab/%E0%A4%A?token=${users.drafter1.token}`, {}],
    ['a foreign Origin', 403, `/collab/p-secret?token=${users.drafter1.token}`, { Origin: 'https://evil.example' }],
  ])('answers %s with HTTP %i and no document byte', async (_case, status, path, headers) => {
    const server = await seededServer();
    const refused = await refusal(harness.rawSocket(server, path, headers));
    expect(refused.status).toBe(status);
    expect(refused.body).not.toContain(SECRET);
    expect(JSON.parse(refused.body)).toMatchObject({ statusCode: status });
  });

  it('accepts a browser on the same origin and a client without Origin', async () => {
    const server = await seededServer();
    const sameOrigin = await harness.rawSocket(server, `/collab/p-secret?token=${users.drafter1.token}`, {
      Origin: `http://127.0.0.1:${server.port}`,
    });
    const noOrigin = await harness.rawSocket(server, `/collab/p-secret?token=${users.drafter1.token}`);
    await eventually(() => sameOrigin.messages.length > 0 && noOrigin.messages.length > 0);
  });

  it('accepts a listed origin', async () => {
    const server = await seededServer({ allowedOrigins: ['https://concord.example'] });
    await harness.rawSocket(server, `/collab/p-secret?token=${users.drafter1.token}`, { Origin: 'https://concord.example' });
  });

  it('leaves paths outside the prefix to other handlers (404 when there are none)', async () => {
    const server = await seededServer();
    const refused = await refusal(harness.rawSocket(server, `/elsewhere?token=${users.drafter1.token}`));
    expect(refused.status).toBe(404);
  });

  it('can refuse with close codes 4401/4403/4404 instead, still without a document byte', async () => {
    const server = await seededServer({ refusal: 'close-code' });
    for (const [path, code] of [
      ['/collab/p-secret?token=forged', 4401],
      [`/collab/p-secret?token=${users.outsider.token}`, 4403],
      [`/collab/missing-x?token=${users.drafter1.token}`, 4404],
    ] as const) {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`);
      harness.defer(() => socket.terminate());
      let received = 0;
      socket.on('message', () => (received += 1));
      const closedWith = await new Promise<number>((resolve) => socket.on('close', (closeCode) => resolve(closeCode)));
      expect(closedWith).toBe(code);
      expect(received).toBe(0);
    }
  });

  it('keeps refused users out of the log', async () => {
    const server = await seededServer();
    await refusal(harness.rawSocket(server, `/collab/p-secret?token=${users.outsider.token}`));
    const events = await contentEvents(server.store, 'p-secret');
    expect(events.map((event) => event.metadata.userId)).toEqual(['system']);
  });
});
