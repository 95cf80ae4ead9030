/**
 * SIGKILL of the server while three drafters type (stock WebsocketProvider clients that reconnect):
 * after the restart on the same DATA_DIR every client's edits are present — those the server had
 * acknowledged, and those still only on the clients, which they resend when they reconnect — and
 * the three clients and a fresh replay of the log converge on the same text.
 */
import { toPlainText } from '@concord/content';
import { ApiClient, ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { CollabClient, connectClient, firstParagraphText } from './support/collab-client';

const TYPISTS = ['drafter1', 'drafter2', 'drafter3'] as const;

describe('SIGKILL while three clients type (sqlite)', () => {
  let server: ApiProcess;
  let admin: ApiClient;
  let chair: ApiClient;
  let proposalId: string;
  const clients: CollabClient[] = [];
  /** Every marker each client typed, in order. */
  const typed: string[][] = TYPISTS.map(() => []);

  beforeAll(async () => {
    server = await startApi({ name: 'collab-crash' });
    admin = server.api(await server.login('admin'));
    chair = server.api(await server.login('chair'));
    const { userId } = ok(
      await admin.post('/api/users', { email: 'drafter3@example.org', name: 'Third Drafter', password: 'a long enough password' }),
    );
    ok(await admin.post('/api/workspaces/abu-dhabi-dialogue/members', { userId, role: 'drafter' }));
    proposalId = (ok(await chair.get('/api/proposals')) as { id: string }[])[0].id;
    for (const who of TYPISTS) {
      const token = await server.login(who === 'drafter3' ? 'drafter3@example.org' : who, who === 'drafter3' ? 'a long enough password' : undefined);
      clients.push(connectClient(server.collabUrl, proposalId, token, { reconnect: true }));
    }
    await Promise.all(clients.map((client) => client.synced));
  }, 90_000);

  /** Each client inserts its next marker at the start of the first paragraph. */
  function typeOnce(round: number): void {
    clients.forEach((client, index) => {
      const marker = `[${TYPISTS[index]}:${round}]`;
      firstParagraphText(client.content).insert(0, marker);
      typed[index].push(marker);
    });
  }

  it('keeps every edit typed before and during the crash, and all replicas converge', async () => {
    let round = 0;
    const typing = (async () => {
      while (round < 400) {
        typeOnce(round++);
        await sleep(5);
      }
    })();
    // Kill once enough has been typed (a count, not a time: a loaded runner types slower).
    while (round < 30) await sleep(10);
    const roundsBeforeKill = round;
    await server.kill();
    await typing;
    expect(round).toBeGreaterThan(roundsBeforeKill);

    await server.start();
    const replayed = await eventually(
      async () => {
        const texts = clients.map((client) => toPlainText(client.doc));
        if (!texts.every((text) => text === texts[0])) return null;
        if (!typed.every((markers) => markers.every((marker) => texts[0].includes(marker)))) return null;
        const { currentRevision } = ok(await chair.get(`/api/proposals/${proposalId}`));
        const revision = ok(await chair.get(`/api/proposals/${proposalId}/revisions/${currentRevision}`));
        return revision.text === texts[0] ? revision.text : null;
      },
      { what: 'clients and the log converge with every marker', timeoutMs: 60_000 },
    );
    for (const markers of typed) for (const marker of markers) expect(replayed).toContain(marker);

    // A fresh replay in another process agrees as well: a brand-new client syncs to the same text.
    const late = connectClient(server.collabUrl, proposalId, await server.login('drafter1'));
    await late.synced;
    expect(toPlainText(late.doc)).toBe(replayed);
    expect(ok(await admin.get('/api/audit/verify'))).toMatchObject({ ok: true });
  }, 120_000);
});
