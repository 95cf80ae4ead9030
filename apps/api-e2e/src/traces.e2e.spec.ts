/**
 * Real editing traces typed through the server by two stock WebsocketProvider clients (drafter1
 * and drafter2) taking turns, one Yjs update per trace transaction, into a new proposal whose
 * `content` holds one paragraph (one Y.XmlText; the trace's newlines stay characters). Then the
 * stored history must replay to the trace's text: at the end, at sampled revisions, in a replay of
 * the SQLite file independent of the server, and the hash chains must verify.
 *
 * Revision offset: revision 1 is the update creating the paragraph, so trace transaction i
 * (0-based) is revision i + 2 and the text after n transactions is revision n + 1.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import * as Y from 'yjs';
import { ApiClient, ApiProcess, eventually, gracefulStop, ok, runCommand, startApi } from './support/api-process';
import { CollabClient, connectClient } from './support/collab-client';
import { applyPatchesToYText, EditingTrace, loadTrace, textsAfter } from './support/traces';

/** Transactions one client types before the other takes over (each still its own update). */
const TURN = 64;
const SAMPLES = 10;
const REVISION_OFFSET = 1;

function textOf(client: CollabClient): Y.XmlText {
  const paragraph = client.content.get(0);
  if (!(paragraph instanceof Y.XmlElement)) throw new Error('no paragraph yet');
  const text = paragraph.get(0);
  if (!(text instanceof Y.XmlText)) throw new Error('no text in the paragraph yet');
  return text;
}

function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));
}

/** Resolves once `to` holds the same text and state vector as `from` (both Y.XmlText of their docs). */
function seen(from: CollabClient, to: CollabClient, timeoutMs = 30_000): Promise<void> {
  const fromText = textOf(from);
  const caughtUp = () => {
    try {
      const toText = textOf(to);
      return toText.length === fromText.length && sameState(from.doc, to.doc) && toText.toString() === fromText.toString();
    } catch {
      return false;
    }
  };
  if (caughtUp()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onUpdate = () => {
      if (!caughtUp()) return;
      clearTimeout(timer);
      to.doc.off('update', onUpdate);
      resolve();
    };
    const timer = setTimeout(() => {
      to.doc.off('update', onUpdate);
      reject(new Error(`the other client did not catch up within ${timeoutMs} ms (lengths ${fromText.length})`));
    }, timeoutMs);
    to.doc.on('update', onUpdate);
  });
}

/** Evenly spread transaction counts in 1..n, plus the first and the last. */
function sampleCounts(n: number): number[] {
  const counts = new Set<number>([1, n]);
  for (let k = 1; k < SAMPLES - 1; k++) counts.add(Math.round((k * n) / (SAMPLES - 1)) + (k % 3));
  return [...counts].filter((c) => c >= 1 && c <= n).sort((a, b) => a - b);
}

describe('editing traces replayed through the server', () => {
  let server: ApiProcess;
  const tokens: Record<string, string> = {};
  let chair: ApiClient;
  let submissionId: string;
  const userIds: string[] = [];
  const timings: string[] = [];

  beforeAll(async () => {
    server = await startApi({ name: 'traces' });
    for (const who of ['drafter1', 'drafter2', 'chair']) tokens[who] = await server.login(who);
    chair = server.api(tokens['chair']);
    submissionId = ok(await chair.get('/api/proposals'))[0].submissionId;
    for (const who of ['drafter1', 'drafter2']) userIds.push(ok(await server.api(tokens[who]).get('/api/auth/me')).id);
  });

  afterAll(() => {
    if (timings.length) process.stdout.write(`[api-e2e] trace timings: ${timings.join('; ')}\n`);
  });

  describe.each(['sveltecomponent', 'friendsforever_flat'] as const)('%s', (name) => {
    let trace: EditingTrace;
    let proposalId: string;
    let lastRevision: number;
    let finalTexts: string[];
    /** Which client (0 drafter1, 1 drafter2) typed transaction i. */
    const typist = (index: number) => Math.floor(index / TURN) % 2;

    beforeAll(async () => {
      trace = loadTrace(name);
      const drafter = server.api(tokens['drafter1']);
      proposalId = ok(
        await drafter.post('/api/proposals', { submissionId, title: `Trace ${name}`, kind: 'policy', gcmObjectives: [1] }),
      ).id;
      const clients = [
        connectClient(server.collabUrl, proposalId, tokens['drafter1']),
        connectClient(server.collabUrl, proposalId, tokens['drafter2']),
      ];
      await Promise.all(clients.map((c) => c.synced));

      const started = Date.now();
      // Revision 1: drafter1 creates the paragraph (and the start text, if any).
      clients[0].doc.transact(() => {
        const paragraph = new Y.XmlElement('paragraph');
        // Its block id, as the editor writes it: one revision per transaction, none of the server's.
        paragraph.setAttribute('id', 'trace-paragraph');
        const text = new Y.XmlText();
        paragraph.insert(0, [text]);
        clients[0].content.insert(0, [paragraph]);
        if (trace.startContent) text.insert(0, trace.startContent);
      });
      await eventually(() => textOf(clients[1]) !== undefined, { what: 'drafter2 sees the paragraph' });
      const astral = [{ astral: false }, { astral: false }];
      for (let turnStart = 0; turnStart < trace.txns.length; turnStart += TURN) {
        const who = typist(turnStart);
        const client = clients[who];
        // Both replicas hold the same text here, so this client types exactly what the trace says.
        const text = textOf(client);
        for (let index = turnStart; index < Math.min(turnStart + TURN, trace.txns.length); index++) {
          client.doc.transact(() => applyPatchesToYText(text, trace.txns[index].patches, astral[who]));
        }
        await seen(client, clients[1 - who]);
      }
      const typedMs = Date.now() - started;
      lastRevision = trace.txns.length + REVISION_OFFSET;
      await eventually(async () => ok(await chair.get(`/api/proposals/${proposalId}`)).currentRevision === lastRevision, {
        timeoutMs: 30_000,
        what: `currentRevision ${lastRevision}`,
      });
      timings.push(`${name}: ${trace.txns.length} txns typed and acknowledged in ${typedMs} ms (stored after ${Date.now() - started} ms)`);
      finalTexts = clients.map((c) => textOf(c).toString());
      clients.forEach((c) => c.close());
    }, 180_000);

    it('ends both clients on the trace end text, one revision per transaction', async () => {
      expect(finalTexts[0] === trace.endContent).toBe(true);
      expect(finalTexts[1] === trace.endContent).toBe(true);
      const detail = ok(await chair.get(`/api/proposals/${proposalId}`));
      expect(detail.currentRevision).toBe(trace.txns.length + REVISION_OFFSET);
    });

    it('replays the stored history to exactly the end text (revision API)', async () => {
      const revision = ok(await chair.get(`/api/proposals/${proposalId}/revisions/${lastRevision}`));
      expect(revision.text.length).toBe(trace.endContent.length);
      expect(revision.text === trace.endContent).toBe(true);
    });

    it('replays the SQLite log, independently of the server, to the end text', () => {
      const db = new Database(join(server.dataDir, 'concord.sqlite'), { readonly: true });
      const doc = new Y.Doc();
      try {
        const rows = db
          .prepare(`SELECT data FROM events WHERE stream = ? AND type = 'ContentUpdated' ORDER BY revision`)
          .all(`proposal-${proposalId}-content`) as Array<{ data: Buffer }>;
        expect(rows).toHaveLength(lastRevision);
        doc.transact(() => rows.forEach((row) => Y.applyUpdate(doc, new Uint8Array(row.data))));
        const text = (doc.getXmlFragment('content').get(0) as Y.XmlElement).get(0) as Y.XmlText;
        expect(text.toString() === trace.endContent).toBe(true);
      } finally {
        doc.destroy();
        db.close();
      }
    });

    it('serves the trace text at sampled revisions, attributed to the client that typed it', async () => {
      const counts = sampleCounts(trace.txns.length);
      expect(counts.length).toBeGreaterThanOrEqual(SAMPLES - 1);
      const expected = textsAfter(trace, counts);
      for (const n of counts) {
        const revision = n + REVISION_OFFSET;
        const served = ok(await chair.get(`/api/proposals/${proposalId}/revisions/${revision}`));
        const want = expected.get(n) as string;
        expect({ n, revision, length: served.text.length, equal: served.text === want }).toEqual({ n, revision, length: want.length, equal: true });
        const page = ok(await chair.get(`/api/proposals/${proposalId}/revisions?after=${revision - 1}&limit=1`));
        expect({ revision, userId: page.items[0]?.userId, kind: page.items[0]?.kind }).toEqual({
          revision,
          userId: userIds[typist(n - 1)],
          kind: 'edit',
        });
      }
    });
  });

  it('verifies every hash chain afterwards', async () => {
    const admin = server.api(await server.login('admin'));
    const report = ok(await admin.get('/api/audit/verify'));
    expect(report).toMatchObject({ ok: true, firstBreak: null });
    expect(report.eventsChecked).toBeGreaterThan(18_335 + 26_078);
  });

  it('passes `npm run verify` on the stored log afterwards (server stopped)', async () => {
    expect(gracefulStop(await server.stop())).toBe(true);
    const env: NodeJS.ProcessEnv = { ...process.env, EVENT_STORE: 'sqlite', DATA_DIR: server.dataDir };
    delete env['DATABASE_URL'];
    const result = runCommand('npm', ['run', '--silent', 'verify'], env, 180_000);
    expect({ exit: result.exitCode, output: result.exitCode === 0 ? '' : result.output }).toEqual({ exit: 0, output: '' });
    expect(result.output).toMatch(/events: OK/);
  }, 200_000);
});
