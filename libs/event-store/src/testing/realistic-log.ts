import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { EventStore, NewEvent } from '../lib/event-store.port';

export interface RealisticLogOptions {
  proposals?: number;
  /** Yjs updates per proposal content stream. */
  updatesPerProposal?: number;
  /** A ContentCheckpointed (full Yjs state) every K updates. */
  checkpointEvery?: number;
}

/**
 * Appends a small but realistic Concord log: users, an ISCM workspace with members, a submission,
 * proposals with domain events (JSON, including non-ASCII text and nulls) and content streams of
 * real Yjs updates (binary) typed by several users, with ContentCheckpointed states every K
 * updates — interleaved across streams as live use would interleave them. Times are explicit and
 * increase, so the log is the same shape on every run (ids and bytes differ).
 */
export async function seedRealisticLog(store: EventStore, options: RealisticLogOptions = {}): Promise<void> {
  const proposals = options.proposals ?? 3;
  const updatesPerProposal = options.updatesPerProposal ?? 30;
  const checkpointEvery = options.checkpointEvery ?? 10;
  let clock = Date.parse('2026-03-02T08:00:00.000Z');
  const at = () => new Date((clock += 1_250)).toISOString();
  const event = (type: string, data: NewEvent['data'], userId: string, extra: Record<string, string | number> = {}): NewEvent => ({
    id: randomUUID(),
    type,
    data,
    metadata: { userId, at: at(), correlationId: randomUUID(), ...extra },
  });

  const users = ['drafter-1', 'drafter-2', 'chair-1', 'auditor-1'];
  for (const userId of users) {
    await store.append(`user-${userId}`, [event('UserRegistered', { userId, email: `${userId}@concord.test`, name: `Ünïcödé ${userId}` }, 'system')], {
      expectedRevision: 'no_stream',
    });
  }
  await store.append('iscm-add', [
    event('WorkspaceRegistered', { iscmId: 'add', name: 'Abu Dhabi Dialogue', region: null }, 'system'),
    ...users.map((userId) => event('MemberAdded', { userId, role: userId.split('-')[0] }, 'system')),
  ]);
  await store.append('submission-s1', [
    event('SubmissionOpened', { submissionId: 's1', iscmId: 'add', consultation: 'Geneva 2017', title: 'Input — 技能', dueDate: '2017-06-12' }, 'drafter-1'),
  ]);

  const docs = Array.from({ length: proposals }, () => new Y.Doc());
  for (let index = 0; index < proposals; index += 1) {
    await store.append(`proposal-p${index}`, [
      event('ProposalCreated', { proposalId: `p${index}`, submissionId: 's1', iscmId: 'add', title: `Proposal ${index} ✓`, kind: 'policy', gcmObjectives: [2, 18 - index] }, 'drafter-1'),
    ]);
  }
  const contentRevisions = new Array<number>(proposals).fill(0);
  for (let step = 0; step < updatesPerProposal; step += 1) {
    for (let index = 0; index < proposals; index += 1) {
      const doc = docs[index];
      const userId = step % 3 === 0 ? 'drafter-2' : 'drafter-1';
      const before = Y.encodeStateVector(doc);
      const text = doc.getXmlFragment('content');
      if (text.length === 0) text.insert(0, [new Y.XmlText()]);
      (text.get(0) as Y.XmlText).insert(Math.floor(step / 2), step % 5 === 0 ? ' — ' : String.fromCharCode(97 + (step % 26)));
      const update = Y.encodeStateAsUpdate(doc, before);
      contentRevisions[index] += 1;
      const revision = contentRevisions[index];
      const events = [event('ContentUpdated', update, userId, { revision, kind: 'edit', clientId: doc.clientID })];
      if (revision % checkpointEvery === 0) {
        events.push(event('ContentCheckpointed', Y.encodeStateAsUpdate(doc), 'system', { revision }));
      }
      await store.append(`proposal-p${index}-content`, events);
    }
    if (step === Math.floor(updatesPerProposal / 2)) {
      await store.append('proposal-p0', [event('ProposalSentForReview', { revision: contentRevisions[0] }, 'drafter-1')]);
      await store.append('proposal-p0', [event('ChangesRequested', { revision: contentRevisions[0], comment: 'Cite objective 18.' }, 'chair-1')]);
    }
  }
  await store.append('proposal-p1', [event('VersionNamed', { revision: contentRevisions[1], label: 'Sent to chair' }, 'drafter-2')]);
  docs.forEach((doc) => doc.destroy());
}
