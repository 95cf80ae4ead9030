/**
 * Notifications (issue 14 §5) against the real server: derived from the log by one projection, in
 * the inbox of the right people (never the actor), marked read, filtered by each user's
 * preferences, and mailed at once through a real SMTP server running in this process (smtp-server;
 * each mail parsed with mailparser). The invitation link is mailed from the command path and not
 * written to the API log. Deadline reminders: REMINDER_LEAD_MS=4000 stands for the 24 hours.
 *
 * The two-node part (each notification mailed exactly once per recipient by two nodes sharing a
 * PostgreSQL log) runs only when DATABASE_URL is set.
 */
import * as Y from 'yjs';
import type { NotificationDto, NotificationListDto } from '@concord/contracts';
import { ApiClient, ApiProcess, eventually, ok, qualify, sleep, startApi } from './support/api-process';
import { connectClient } from './support/collab-client';
import { DATABASE_URL, FreshPostgres, freshPostgres } from './support/postgres';
import { SmtpSink } from './support/smtp-sink';

/** The chairs of the demo workspace (chair, and the troika's chair2 and chair3), each told once. */
const DEMO_CHAIRS = ['chair', 'chair2', 'chair3'].map((who) => qualify(who)).sort();

const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();
const FAST = { SILENCE_MIN_LEAD_MS: '1000', SILENCE_CHECK_MS: '250', MAIL_CHECK_MS: '200', REMINDER_CHECK_MS: '250', REMINDER_LEAD_MS: '4000' };
const PEOPLE = ['drafter1', 'drafter2', 'chair', 'delegate1', 'delegate2', 'auditor', 'admin'] as const;
type Who = (typeof PEOPLE)[number];

/** Any well-formed anchor (a relative position in a document of its own): the server checks it decodes. */
function someAnchor() {
  const doc = new Y.Doc();
  const text = doc.getText('x');
  text.insert(0, 'words');
  const encode = (index: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index))).toString('base64');
  return { from: encode(0), to: encode(5) };
}

if (!DATABASE_URL) process.stdout.write('[api-e2e] SKIP notifications on two nodes: DATABASE_URL is not set\n');

describe('notifications (sqlite, demo, SMTP in process)', () => {
  let smtp: SmtpSink;
  let server: ApiProcess;
  const rest = {} as Record<Who, ApiClient>;
  const tokens = {} as Record<Who, string>;
  const ids = {} as Record<Who, string>;
  let submissionId: string;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    server = await startApi({ name: 'notifications', env: { ...FAST, SMTP_URL: smtp.url, PUBLIC_URL: 'https://concord.example.org', DIGEST_HOUR_UTC: '0', REDIS_URL: undefined } });
    for (const who of PEOPLE) {
      tokens[who] = await server.login(who);
      rest[who] = server.api(tokens[who]);
      ids[who] = ok(await rest[who].get<{ id: string }>('/api/auth/me')).id;
    }
    submissionId = ok(await rest.drafter1.get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId;
  });

  afterAll(async () => smtp?.close());

  const inbox = async (who: Who, query = '') => ok(await rest[who].get<NotificationListDto>(`/api/notifications${query}`));
  const about = async (who: Who, proposalId: string, kind?: string) =>
    (await inbox(who, '?limit=100')).items.filter((n) => n.proposalId === proposalId && (!kind || n.kind === kind));
  /** Every person's notifications of that kind on that proposal, once the projection has them (for `expected`). */
  const recipientsOf = async (proposalId: string, kind: string, expected: Who[]) => {
    await eventually(async () => ((await Promise.all(expected.map((who) => about(who, proposalId, kind)))).every((list) => list.length > 0) ? true : null), {
      what: `${kind} reaches ${expected.join(', ')}`,
    });
    const told: Who[] = [];
    for (const who of PEOPLE) if ((await about(who, proposalId, kind)).length > 0) told.push(who);
    return told.sort();
  };

  async function newProposal(title: string): Promise<{ id: string; revision: number }> {
    const { id } = ok(await rest.drafter1.post('/api/proposals', { submissionId, title, kind: 'policy', gcmObjectives: [6] }));
    const writer = connectClient(server.collabUrl, id, tokens.drafter1);
    await writer.synced;
    const paragraph = new Y.XmlElement('paragraph');
    writer.doc.transact(() => {
      paragraph.insert(0, [new Y.XmlText(`The text of ${title}.`)]);
      writer.content.insert(0, [paragraph]);
    });
    const revision = await eventually(async () => {
      const r = ok(await rest.drafter1.get(`/api/proposals/${id}`)).currentRevision as number;
      return r > 0 ? r : null;
    }, { what: 'the text recorded' });
    writer.close();
    return { id, revision };
  }

  it('tells the chairs of a review request — in the inbox and by mail with the link — and not the drafter who asked', async () => {
    const title = `Review me ${Date.now()}`;
    const { id, revision } = await newProposal(title);
    const unreadBefore = (await inbox('chair')).unreadCount;
    ok(await rest.drafter1.post(`/api/proposals/${id}/review`, { revision }));
    expect(await recipientsOf(id, 'review-requested', ['chair'])).toEqual(['chair']);
    const [item] = await about('chair', id, 'review-requested');
    expect(item).toMatchObject({ kind: 'review-requested', read: false, link: `/proposals/${id}`, title: `Review requested: ${title}` });
    expect((await inbox('chair')).unreadCount).toBe(unreadBefore + 1);

    const mail = await eventually(() => smtp.mailsTo(qualify('chair')).find((m) => m.subject.includes(title)) ?? null, { what: 'the chair’s mail' });
    expect(mail.subject).toBe(`[Concord] Review requested: ${title}`);
    expect(mail.from).toContain('no-reply@concord.local');
    expect(mail.text).toContain(`https://concord.example.org/proposals/${id}`);
    await sleep(1_000); // several more delivery passes
    // One mail to each chair of the demo workspace (the troika), none twice, none to the drafter.
    expect(smtp.received.filter((m) => m.subject.includes(title)).flatMap((m) => m.to).sort()).toEqual(DEMO_CHAIRS);
  });

  it('tells the authors of changes requested and of an approval, and the authors and chair when the approval goes stale', async () => {
    const { id, revision } = await newProposal(`Changes ${Date.now()}`);
    ok(await rest.drafter1.post(`/api/proposals/${id}/review`, { revision }));
    ok(await rest.chair.post(`/api/proposals/${id}/changes-requested`, { revision, comment: 'Cite ILO C189.' }));
    expect(await recipientsOf(id, 'changes-requested', ['drafter1'])).toEqual(['drafter1']);
    expect((await about('drafter1', id, 'changes-requested'))[0].body).toContain('Cite ILO C189.');

    ok(await rest.drafter1.post(`/api/proposals/${id}/review`, { revision }));
    ok(await rest.chair.post(`/api/proposals/${id}/approvals`, { revision }));
    expect(await recipientsOf(id, 'approved', ['drafter1'])).toEqual(['drafter1']);

    // drafter2 edits the approved text: the approval is stale — the creator and the approving chair are told, not drafter2.
    const writer = connectClient(server.collabUrl, id, tokens.drafter2);
    await writer.synced;
    const paragraph = new Y.XmlElement('paragraph');
    writer.doc.transact(() => {
      paragraph.insert(0, [new Y.XmlText('A later change.')]);
      writer.content.insert(0, [paragraph]);
    });
    expect(await recipientsOf(id, 'approval-stale', ['drafter1', 'chair'])).toEqual(['chair', 'drafter1']);
    writer.close();
  });

  it('tells mentioned members and thread participants, never the writer', async () => {
    const { id } = await newProposal(`Threads ${Date.now()}`);
    const opened = ok(
      await rest.chair.post(`/api/proposals/${id}/threads`, { anchor: someAnchor(), quote: 'words', body: 'Priya, is this right?', mentions: [ids.delegate1, ids.chair] }),
    );
    expect(await recipientsOf(id, 'mention', ['delegate1'])).toEqual(['delegate1']);
    const [mention] = await about('delegate1', id, 'mention');
    expect(mention).toMatchObject({ threadId: opened.id, link: `/proposals/${id}?thread=${opened.id}` });

    ok(await rest.delegate1.post(`/api/proposals/${id}/threads/${opened.id}/replies`, { body: 'Yes, and Amina should confirm.', mentions: [ids.drafter1] }));
    expect(await recipientsOf(id, 'thread-reply', ['chair'])).toEqual(['chair']);
    expect((await about('drafter1', id, 'mention')).length).toBe(1);
    expect(await about('delegate1', id, 'thread-reply')).toEqual([]);
  });

  /** Circulates the newest revision (the server may have added one, giving blocks their ids). */
  const startSilence = (id: string, deadlineMs: number) =>
    eventually(async () => {
      const revision = ok(await rest.chair.get(`/api/proposals/${id}`)).currentRevision as number;
      const started = await rest.chair.post(`/api/proposals/${id}/silence`, { revision, deadline: ahead(deadlineMs) });
      return started.status === 201 || started.status === 200 ? started.body : null;
    }, { what: 'a silence started' });

  it('tells drafters, chairs and focal points of a silence, and of a break — not the delegate who broke it; reminds before the deadline', async () => {
    const { id } = await newProposal(`Silence ${Date.now()}`);
    await startSilence(id, 6_000);
    expect(await recipientsOf(id, 'silence-started', ['delegate1', 'delegate2', 'drafter1', 'drafter2'])).toEqual(['delegate1', 'delegate2', 'drafter1', 'drafter2']);
    // REMINDER_LEAD_MS=4000: within 4 s of the deadline, one reminder each.
    expect(await recipientsOf(id, 'deadline-soon', ['chair', 'delegate1', 'drafter1'])).toEqual(['chair', 'delegate1', 'delegate2', 'drafter1', 'drafter2']);
    ok(await rest.delegate1.post(`/api/proposals/${id}/silence/objections`, { reason: 'Paragraph 1 needs a reference to ILO C189.' }));
    expect(await recipientsOf(id, 'silence-broken', ['chair', 'drafter1', 'drafter2', 'delegate2'])).toEqual(['chair', 'delegate2', 'drafter1', 'drafter2']);
    await sleep(1_000);
    expect((await about('chair', id, 'deadline-soon')).length).toBe(1);

    const adoptedOne = await newProposal(`Adopted ${Date.now()}`);
    await startSilence(adoptedOne.id, 1_500);
    expect(await recipientsOf(adoptedOne.id, 'silence-adopted', ['chair', 'delegate1'])).toEqual(['chair', 'delegate1', 'delegate2', 'drafter1', 'drafter2']);
  });

  it('marks given notifications or all of them read, only the caller’s', async () => {
    const { id, revision } = await newProposal(`Read ${Date.now()}`);
    ok(await rest.drafter1.post(`/api/proposals/${id}/review`, { revision }));
    await recipientsOf(id, 'review-requested', ['chair']);
    const [item] = await about('chair', id, 'review-requested');
    const before = (await inbox('chair')).unreadCount;

    // Someone else's id changes nothing for its owner.
    ok(await rest.drafter2.post('/api/notifications/read', { ids: [item.id] }));
    expect((await about('chair', id))[0].read).toBe(false);
    expect((await rest.chair.post('/api/notifications/read', {})).status).toBe(400);
    expect((await rest.chair.post('/api/notifications/read', { ids: 'all' })).status).toBe(400);

    const answer = ok(await rest.chair.post<{ unreadCount: number }>('/api/notifications/read', { ids: [item.id] }));
    expect(answer.unreadCount).toBe(before - 1);
    expect((await about('chair', id))[0].read).toBe(true);
    expect((await inbox('chair', '?unread=1&limit=100')).items.some((n) => n.id === item.id)).toBe(false);

    ok(await rest.chair.post('/api/notifications/read', { all: true }));
    const after = await inbox('chair', '?unread=1');
    expect(after).toMatchObject({ unreadCount: 0, items: [] });
    expect((await inbox('drafter1')).unreadCount).toBeGreaterThan(0);
  });

  it('pages the inbox newest first and refuses bad queries with a reason', async () => {
    const first = await inbox('drafter2', '?limit=2');
    expect(first.items.length).toBeLessThanOrEqual(2);
    if (first.next) {
      const second = await inbox('drafter2', `?limit=2&before=${first.next}`);
      const all = [...first.items, ...second.items] as NotificationDto[];
      expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
      expect(all.map((n) => n.at)).toEqual([...all.map((n) => n.at)].sort().reverse());
    }
    for (const query of ['?limit=500', '?limit=x', '?before=nope', '?unread=maybe']) {
      const refused = await rest.drafter2.get(`/api/notifications${query}`);
      expect({ query, status: refused.status }).toEqual({ query, status: 400 });
      expect(refused.body.message).toBeTruthy();
    }
    expect((await server.api().get('/api/notifications')).status).toBe(401);
  });

  it('respects each user’s preferences: not in the inbox, not mailed', async () => {
    const defaults = ok(await rest.chair.get('/api/notifications/preferences'));
    expect(defaults['review-requested']).toEqual({ inApp: true, email: 'immediate' });
    expect(defaults['thread-reply']).toEqual({ inApp: true, email: 'off' });
    for (const bad of [{ 'no-such-kind': { inApp: true, email: 'off' } }, { mention: { inApp: 'yes', email: 'off' } }, { mention: { inApp: true, email: 'weekly' } }, []]) {
      const refused = await rest.chair.put('/api/notifications/preferences', bad);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBeTruthy();
    }
    const saved = ok(await rest.chair.put('/api/notifications/preferences', { 'review-requested': { inApp: false, email: 'off' } }));
    expect(saved['review-requested']).toEqual({ inApp: false, email: 'off' });
    expect(saved['mention']).toEqual({ inApp: true, email: 'immediate' });

    const title = `Quiet ${Date.now()}`;
    const { id, revision } = await newProposal(title);
    ok(await rest.drafter1.post(`/api/proposals/${id}/review`, { revision }));
    ok(await rest.chair.post(`/api/proposals/${id}/changes-requested`, { revision, comment: 'Noted.' }));
    await recipientsOf(id, 'changes-requested', ['drafter1']); // the review request was projected before it
    await sleep(1_500);
    expect(await about('chair', id)).toEqual([]);
    expect(smtp.received.filter((m) => m.subject.includes(title) && m.to.includes(qualify('chair')))).toEqual([]);
    ok(await rest.chair.put('/api/notifications/preferences', { 'review-requested': { inApp: true, email: 'immediate' } }));
  });

  it('sends the daily digest once a day (DIGEST_HOUR_UTC=0: due at once) with the unread notifications chosen for it', async () => {
    ok(await rest.drafter2.put('/api/notifications/preferences', { 'thread-reply': { inApp: true, email: 'digest' } }));
    const { id } = await newProposal(`Digest ${Date.now()}`);
    const opened = ok(await rest.drafter2.post(`/api/proposals/${id}/threads`, { anchor: someAnchor(), quote: 'words', body: 'First.' }));
    ok(await rest.chair.post(`/api/proposals/${id}/threads/${opened.id}/replies`, { body: 'A reply for the digest.' }));
    const digest = await eventually(() => smtp.mailsTo(qualify('drafter2')).find((m) => m.subject.includes('daily digest')) ?? null, { what: 'the digest' });
    expect(digest.subject).toBe('[Concord] Your daily digest: 1 notification');
    expect(digest.text).toContain('A reply for the digest.');
    expect(digest.text).toContain(`https://concord.example.org/proposals/${id}?thread=${opened.id}`);
    // A second one the same day waits for tomorrow's digest.
    ok(await rest.delegate1.post(`/api/proposals/${id}/threads/${opened.id}/replies`, { body: 'Another reply.' }));
    await recipientsOf(id, 'thread-reply', ['drafter2']);
    await sleep(1_500);
    expect(smtp.mailsTo(qualify('drafter2')).filter((m) => m.subject.includes('daily digest'))).toHaveLength(1);
    expect(smtp.mailsTo(qualify('drafter2')).filter((m) => m.text.includes('Another reply.'))).toEqual([]);
  });

  it('mails the invitation link from the command path, and keeps it out of the API log', async () => {
    const email = `invitee-${Date.now()}@example.org`;
    const workspaceId = ok(await rest.admin.get<Array<{ id: string }>>('/api/workspaces'))[0].id;
    const link = ok(await rest.admin.post(`/api/workspaces/${workspaceId}/invitations`, { email, role: 'drafter' }));
    expect(link.emailed).toBe(true);
    const mail = await eventually(() => smtp.mailsTo(email)[0] ?? null, { what: 'the invitation mail' });
    expect(mail.text).toContain(`https://concord.example.org/invitations/${link.token}`);
    expect(mail.subject).toMatch(/invites you to/);
    await eventually(() => server.log().some((line) => line.includes('invitation issued')), { what: 'the issuing log line' });
    expect(server.log().some((line) => line.includes(link.token))).toBe(false);
  });
});

(DATABASE_URL ? describe : describe.skip)('notifications mailed exactly once by two API nodes on PostgreSQL', () => {
  let pg: FreshPostgres;
  let smtp: SmtpSink;
  let nodeA: ApiProcess;
  let nodeB: ApiProcess;

  beforeAll(async () => {
    pg = await freshPostgres();
    smtp = await SmtpSink.start();
    const env = { EVENT_STORE: 'postgres', DATABASE_URL: pg.url, ...FAST, MAIL_CHECK_MS: '50', SMTP_URL: smtp.url, REDIS_URL: undefined };
    // Each node keeps its own read models (the harder case: no table is shared, only the log).
    nodeA = await startApi({ name: 'notify-a', env: { ...env, DATABASE_SCHEMA: `${pg.schema}_a`, DEMO: '1', NODE_ID: 'node-a' } });
    nodeB = await startApi({ name: 'notify-b', env: { ...env, DATABASE_SCHEMA: `${pg.schema}_b`, DEMO: '0', NODE_ID: 'node-b' } });
  }, 120_000);

  afterAll(async () => smtp?.close());

  it('sends each notification once per recipient though both nodes derive it and race to deliver it', async () => {
    const drafter = nodeA.api(await nodeA.login('drafter1'));
    const chairB = nodeB.api(await nodeB.login('chair'));
    const proposals = ok(await drafter.get<Array<{ id: string; title: string; currentRevision: number; status: string }>>('/api/proposals'));
    const targets = proposals.filter((p) => p.status === 'draft' || p.status === 'changes_requested').slice(0, 3);
    expect(targets.length).toBeGreaterThan(0);
    for (const p of targets) ok(await drafter.post(`/api/proposals/${p.id}/review`, { revision: p.currentRevision }));
    // Both nodes show the notifications (each derived them in its own read models).
    for (const node of [chairB, nodeA.api(await nodeA.login('chair'))]) {
      await eventually(async () => {
        const list = ok(await node.get<NotificationListDto>('/api/notifications?limit=100'));
        return targets.every((p) => list.items.some((n) => n.proposalId === p.id && n.kind === 'review-requested')) ? true : null;
      }, { what: 'both nodes derived the notifications' });
    }
    for (const p of targets) await eventually(() => smtp.received.find((m) => m.subject === `[Concord] Review requested: ${p.title}`) ?? null, { what: `the mail about ${p.title}` });
    await sleep(2_000); // many more passes of both nodes
    for (const p of targets) {
      const mails = smtp.received.filter((m) => m.subject === `[Concord] Review requested: ${p.title}`);
      expect(mails.flatMap((m) => m.to).sort()).toEqual(DEMO_CHAIRS);
    }
    // Every mail's claim is in the log once, by one node.
    const claims = await pg.query<{ stream: string; count: string }>(
      `SELECT stream, count(*) AS count FROM public.events WHERE type = 'MailClaimed' GROUP BY stream HAVING count(*) > 1`,
    );
    expect(claims).toEqual([]);
  });

  it('retries a mail the SMTP server refused, still once', async () => {
    smtp.refuse = true;
    const drafter = nodeB.api(await nodeB.login('drafter1'));
    const { id } = ok(await drafter.post('/api/proposals', { submissionId: ok(await drafter.get<Array<{ submissionId: string }>>('/api/proposals'))[0].submissionId, title: `Retry ${Date.now()}`, kind: 'policy', gcmObjectives: [6] }));
    const chair = nodeA.api(await nodeA.login('chair'));
    ok(await chair.post(`/api/proposals/${id}/threads`, { anchor: someAnchor(), quote: 'words', body: 'Amina?', mentions: [ok(await drafter.get('/api/auth/me')).id] }));
    await eventually(async () => {
      const failed = await pg.query<{ count: string }>(`SELECT count(*) AS count FROM public.events WHERE type = 'MailFailed'`);
      return Number(failed[0].count) > 0 ? true : null;
    }, { what: 'a failed attempt recorded' });
    smtp.refuse = false;
    const mail = await eventually(() => smtp.mailsTo(qualify('drafter1')).find((m) => m.subject.includes('mentioned you')) ?? null, { timeoutMs: 30_000, what: 'the retried mail' });
    expect(mail.text).toContain('Amina?');
    await sleep(1_500);
    expect(smtp.mailsTo(qualify('drafter1')).filter((m) => m.subject.includes('mentioned you'))).toHaveLength(1);
  });
});
