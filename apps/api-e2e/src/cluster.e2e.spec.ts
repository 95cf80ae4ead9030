/**
 * Two real API nodes on one PostgreSQL log (ARCHITECTURE §5): clients on different nodes co-edit
 * one proposal and converge; awareness crosses nodes through Redis; a command on one node shows on
 * the other. Runs only when DATABASE_URL is set.
 */
import * as Y from 'yjs';
import { toPlainText } from '@concord/content';
import { ApiProcess, eventually, ok, sleep, startApi } from './support/api-process';
import { CollabClient, connectClient } from './support/collab-client';
import { DATABASE_URL, FreshPostgres, freshPostgres, redisReachableSync } from './support/postgres';

const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

const withRedis = Boolean(DATABASE_URL) && redisReachableSync(REDIS_URL);

if (!DATABASE_URL) process.stdout.write('[api-e2e] SKIP cluster: DATABASE_URL is not set (two nodes need a shared PostgreSQL log)\n');
else if (!withRedis) process.stdout.write(`[api-e2e] SKIP cluster awareness: no Redis answers at ${REDIS_URL}\n`);

function firstText(client: CollabClient): Y.XmlText {
  for (const node of client.content.toArray()) {
    if (node instanceof Y.XmlElement && node.nodeName === 'paragraph') {
      const text = node.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
      if (text) return text;
    }
  }
  throw new Error('no paragraph with text');
}

/**
 * `shared`: both nodes use the same DATABASE_SCHEMA for their read models (as a deployment with one
 * DATABASE_URL/DATABASE_SCHEMA would); `per-node`: each node keeps its read models in its own schema.
 */
(DATABASE_URL ? describe.each : describe.skip.each)([['shared'], ['per-node']] as const)('two API nodes on one PostgreSQL log, %s read-model schema', (mode) => {
  let pg: FreshPostgres;
  let nodeA: ApiProcess;
  let nodeB: ApiProcess;
  let proposalId: string;
  let onA: CollabClient;
  let onB: CollabClient;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    pg = await freshPostgres();
    const env = { EVENT_STORE: 'postgres', DATABASE_URL: pg.url, ...(withRedis ? { REDIS_URL } : {}) };
    const schemaOf = (node: string) => (mode === 'shared' ? pg.schema : `${pg.schema}_${node}`);
    nodeA = await startApi({ name: `node-a-${mode}`, env: { ...env, DATABASE_SCHEMA: schemaOf('a'), DEMO: '1', NODE_ID: 'node-a' } });
    nodeB = await startApi({ name: `node-b-${mode}`, env: { ...env, DATABASE_SCHEMA: schemaOf('b'), DEMO: '0', NODE_ID: 'node-b' } });
    tokens['drafter1'] = await nodeA.login('drafter1');
    tokens['drafter2'] = await nodeB.login('drafter2');
    tokens['chair'] = await nodeB.login('chair');
    proposalId = ok(await nodeA.api(tokens['drafter1']).get('/api/proposals'))[0].id;
  });

  it('serves the same proposals from both nodes', async () => {
    const [a, b] = await Promise.all([nodeA.health(), nodeB.health()]);
    expect(a.eventStore).toBe('postgres');
    expect(b.headPosition).toBe(a.headPosition);
    const listA = ok(await nodeA.api(tokens['drafter1']).get('/api/proposals'));
    const listB = ok(await nodeB.api(tokens['drafter2']).get('/api/proposals'));
    expect(listA).toHaveLength(3);
    expect(listB).toEqual(listA);
  });

  it('lets a client on node A and a client on node B co-edit one proposal and converge', async () => {
    onA = connectClient(nodeA.collabUrl, proposalId, tokens['drafter1']);
    onB = connectClient(nodeB.collabUrl, proposalId, tokens['drafter2']);
    await Promise.all([onA.synced, onB.synced]);
    expect(onB.content.toString()).toBe(onA.content.toString());

    firstText(onA).insert(0, 'From node A. ');
    await eventually(() => firstText(onB).toString().startsWith('From node A. '), { what: 'B sees A' });
    const textB = firstText(onB);
    textB.insert(textB.length, ' From node B.');
    await eventually(() => firstText(onA).toString().endsWith(' From node B.'), { what: 'A sees B' });

    // Concurrent edits on both nodes at once.
    for (let i = 0; i < 20; i++) {
      firstText(onA).insert(0, `a${i} `);
      const b = firstText(onB);
      b.insert(b.length, ` b${i}`);
      if (i % 5 === 0) await sleep(5);
    }
    await eventually(() => onA.content.toString() === onB.content.toString() && firstText(onA).toString().includes('b19'), {
      timeoutMs: 15_000,
      what: 'both clients converge',
    });
    const text = firstText(onA).toString();
    for (let i = 0; i < 20; i++) {
      expect(text).toContain(`a${i} `);
      expect(text).toContain(` b${i}`);
    }
    // Every update is recorded once, in one content stream, and both nodes serve the same revision.
    const current = await eventually(async () => {
      const [a, b] = await Promise.all([
        nodeA.api(tokens['drafter1']).get(`/api/proposals/${proposalId}`),
        nodeB.api(tokens['chair']).get(`/api/proposals/${proposalId}`),
      ]);
      return ok(a).currentRevision === ok(b).currentRevision && ok(a).currentRevision >= 43 ? ok(a).currentRevision : null;
    });
    expect(current).toBe(1 + 2 + 40);
    const [fromA, fromB] = await Promise.all([
      nodeA.api(tokens['drafter1']).get(`/api/proposals/${proposalId}/revisions/${current}`),
      nodeB.api(tokens['chair']).get(`/api/proposals/${proposalId}/revisions/${current}`),
    ]);
    expect(ok(fromB)).toEqual(ok(fromA));
    expect(ok(fromA).text).toBe(toPlainText(onA.doc));
  });

  (withRedis ? it : it.skip)('relays awareness from a client on node A to a client on node B (REDIS_URL)', async () => {    onA.provider.awareness.setLocalStateField('user', { name: 'Amina Rahman', color: '#ff8800' });
    const clientId = onA.doc.clientID;
    await eventually(
      () => (onB.provider.awareness.getStates().get(clientId) as { user?: { name: string } } | undefined)?.user?.name === 'Amina Rahman',
      { timeoutMs: 5_000, what: "B sees A's awareness state" },
    );
    onA.provider.awareness.setLocalStateField('cursor', { anchor: 3 });
    await eventually(() => (onB.provider.awareness.getStates().get(clientId) as { cursor?: unknown } | undefined)?.cursor !== undefined, {
      timeoutMs: 5_000,
      what: 'B sees the cursor update',
    });
  });

  it('keeps both nodes’ read models running while both take commands', async () => {
    const onNodeA = await nodeA.api(tokens['drafter1']).post(`/api/proposals/${proposalId}/versions`, { revision: 1, label: 'Named on A' });
    const onNodeB = await nodeB.api(tokens['chair']).post(`/api/proposals/${proposalId}/versions`, { revision: 1, label: 'Named on B' });
    await sleep(500);
    const failures = nodeA.log().concat(nodeB.log()).filter((line) => line.includes('a projection failed'));
    expect(failures.map((line) => line.slice(0, 300))).toEqual([]);
    expect([onNodeA.status, onNodeB.status]).toEqual([200, 200]);
    for (const node of [nodeA, nodeB]) {
      await eventually(async () => {
        const health = await node.health();
        return health.readModelPosition === health.headPosition;
      }, { timeoutMs: 5_000, what: `${node.name} read models at the head` });
    }
  });

  it('shows a command accepted on one node in the other node’s read models', async () => {
    const registered = await nodeB
      .api(await nodeB.login('admin'))
      .post('/api/users', { email: `cluster-${mode}@example.org`, name: 'Clu Ster', password: 'a-long-password-4' });
    // Recorded in the log whatever the answer was: a 5xx here would be a lie about an accepted command.
    const signIn = await eventually(
      async () => ((await nodeA.api().post('/api/auth/login', { email: `cluster-${mode}@example.org`, password: 'a-long-password-4' })).status === 200 ? 200 : null),
      { timeoutMs: 5_000, what: 'the registered user can sign in on node A' },
    ).catch(() => 'no');
    const [{ count }] = await pg.query<{ count: string }>(
      `SELECT count(*) AS count FROM public.events WHERE type = 'UserRegistered' AND convert_from(data, 'UTF8') LIKE $1`,
      [`%cluster-${mode}@example.org%`],
    );
    expect({ status: registered.status, signInOnA: signIn, inLog: Number(count) }).toEqual({ status: 201, signInOnA: 200, inLog: 1 });
    await eventually(
      async () =>
        ok(await nodeB.api(tokens['chair']).get(`/api/proposals/${proposalId}`)).versions.some((v: { label: string }) => v.label === 'Named on A'),
      { what: 'node B shows the version named on A' },
    );
    await eventually(
      async () =>
        ok(await nodeA.api(tokens['drafter1']).get(`/api/proposals/${proposalId}`)).versions.some((v: { label: string }) => v.label === 'Named on B'),
      { what: 'node A shows the version named on B' },
    );
  });

  it('verifies every hash chain of the shared log', async () => {
    const report = ok(await nodeB.api(await nodeB.login('admin')).get('/api/audit/verify'));
    expect(report).toMatchObject({ ok: true, firstBreak: null });
  });

  /**
   * The content hash (read model) and the suggestion events follow edits on the node that applies
   * the read models only — with a shared schema one node does it for all, whichever node the
   * edits came through — and that work moves with the lease when its node stops.
   */
  it('derives the content hash and suggestion progress on the node that applies the read models, and after it stops', async () => {
    const schemaOf = (node: string) => (mode === 'shared' ? pg.schema : `${pg.schema}_${node}`);
    const roles = [(await nodeA.health()).readModels.role, (await nodeB.health()).readModels.role];
    expect(roles).toEqual(mode === 'shared' ? ['leader', 'follower'] : ['leader', 'leader']);
    const derivedUpTo = async (schema: string) => {
      const [row] = await pg.query<{ current_revision: number; current_hash_revision: number; suggested: number | null }>(
        `SELECT p.current_revision, p.current_hash_revision, s.revision AS suggested
         FROM "${schema}".rm_proposals p LEFT JOIN "${schema}".suggestion_progress s ON s.proposal_id = p.id WHERE p.id = $1`,
        [proposalId],
      );
      return row;
    };
    const caughtUp = (schema: string, what: string) =>
      eventually(
        async () => {
          const row = await derivedUpTo(schema);
          return row.current_hash_revision === row.current_revision && Number(row.suggested) === row.current_revision ? row : null;
        },
        { timeoutMs: 10_000, what },
      );

    const text = firstText(onB);
    text.insert(text.length, ' Typed on the node that does not lead.');
    await eventually(() => firstText(onA).toString().endsWith(' Typed on the node that does not lead.'), { what: 'A sees B' });
    await caughtUp(schemaOf('a'), 'hash and suggestions derived for edits made on B');
    if (mode === 'per-node') await caughtUp(schemaOf('b'), 'node B derives for its own read models');

    // The leader stops; edits go on through B, which takes the lease over and catches up.
    onA.close();
    await nodeA.stop();
    const again = firstText(onB);
    again.insert(again.length, ' After node A stopped.');
    await eventually(async () => (await nodeB.health()).readModels.role === 'leader', { timeoutMs: 10_000, what: 'node B leads' });
    await caughtUp(schemaOf('b'), 'node B derives once it leads');
    const failures = nodeB.log().filter((line) => /could not (hash|derive|catch up|list)/.test(line));
    expect(failures.map((line) => line.slice(0, 300))).toEqual([]);
  });
});
