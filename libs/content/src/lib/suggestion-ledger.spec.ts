import * as Y from 'yjs';
import { buildDocument, CONTENT_FIELD, recordedDocument } from './document-building';
import { mulberry32 } from '../testing/random';
import { seedUpdateFromParagraphs } from './seeding';
import { openSuggestionsIn, SuggestionLedger, type LedgerUpdate } from './suggestion-ledger';

const DELEGATE = 'delegate-india';
const DRAFTER = 'drafter-1';
const AT = '2026-12-06T10:00:00.000Z';

/** A text with one paragraph, the writers' replicas, and the log of what they recorded. */
function scene() {
  const log: LedgerUpdate[] = [{ revision: 1, update: seedUpdateFromParagraphs(['Workers pay no recruitment fees.']), userId: DRAFTER, at: AT }];
  const replica = (clientId: number) => {
    const doc = new Y.Doc();
    doc.clientID = clientId;
    for (const entry of log) Y.applyUpdate(doc, entry.update);
    return doc;
  };
  const writers: Record<string, Y.Doc> = { [DELEGATE]: replica(11), [DRAFTER]: replica(22) };
  const text = (userId: string) => (writers[userId].getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  /** `userId` changes their copy; the update is recorded and reaches the other writer. */
  const edit = (userId: string, change: (text: Y.XmlText) => void) => {
    const doc = writers[userId];
    const before = Y.encodeStateVector(doc);
    change(text(userId));
    const update = Y.encodeStateAsUpdate(doc, before);
    log.push({ revision: log.length + 1, update, userId, at: `2026-12-06T10:00:${String(log.length).padStart(2, '0')}.000Z` });
    for (const [other, otherDoc] of Object.entries(writers)) if (other !== userId) Y.applyUpdate(otherDoc, update);
  };
  const mark = (id: string, authorId = DELEGATE) => ({ id, authorId, at: AT });
  const ledgerAt = (revision: number) => new SuggestionLedger(buildDocument({ updates: log.slice(0, revision).map((entry) => entry.update) }), revision);
  return { log, edit, mark, ledgerAt };
}

describe('SuggestionLedger: what recorded updates did to the suggestions of a text', () => {
  it('names a suggestion when it is made, and who accepted, rejected or withdrew which', () => {
    const { log, edit, mark, ledgerAt } = scene();
    edit(DELEGATE, (text) => text.insert(8, 'shall ', { suggestionInsert: mark('a') })); // r2
    edit(DELEGATE, (text) => text.format(21, 12, { suggestionDelete: mark('b') })); // r3 "recruitment "
    edit(DELEGATE, (text) => text.insert(0, 'All ', { suggestionInsert: mark('c') })); // r4
    const ledger = ledgerAt(1);
    const made = ledger.apply(log.slice(1));
    expect(made.map(({ type, suggestionId, authorId, kind, textBefore, textAfter, revision, userId }: Record<string, unknown>) => ({ type, suggestionId, authorId, kind, textBefore, textAfter, revision, userId }))).toEqual([
      { type: 'SuggestionMade', suggestionId: 'a', authorId: DELEGATE, kind: 'insertion', textBefore: '', textAfter: 'shall ', revision: 2, userId: DELEGATE },
      { type: 'SuggestionMade', suggestionId: 'b', authorId: DELEGATE, kind: 'deletion', textBefore: 'recruitment ', textAfter: '', revision: 3, userId: DELEGATE },
      { type: 'SuggestionMade', suggestionId: 'c', authorId: DELEGATE, kind: 'insertion', textBefore: '', textAfter: 'All ', revision: 4, userId: DELEGATE },
    ]);
    edit(DRAFTER, (text) => text.format(12, 6, { suggestionInsert: null })); // r5: accept "shall " (now at 12 after "All ")
    edit(DRAFTER, (text) => text.format(25, 12, { suggestionDelete: null })); // r6: reject the deletion
    edit(DELEGATE, (text) => text.delete(0, 4)); // r7: the delegate takes "All " back
    const decided = ledger.apply(log.slice(4));
    expect(decided.map(({ type, suggestionId, revision, userId, at }) => ({ type, suggestionId, revision, userId, at }))).toEqual([
      { type: 'SuggestionAccepted', suggestionId: 'a', revision: 5, userId: DRAFTER, at: log[4].at },
      { type: 'SuggestionRejected', suggestionId: 'b', revision: 6, userId: DRAFTER, at: log[5].at },
      { type: 'SuggestionWithdrawn', suggestionId: 'c', revision: 7, userId: DELEGATE, at: log[6].at },
    ]);
    expect(ledger.openSuggestions.size).toBe(0);
    ledger.destroy();
  });

  it('accepting a deletion removes its words; rejecting an insertion removes its words; both name the drafter', () => {
    const { log, edit, mark, ledgerAt } = scene();
    edit(DELEGATE, (text) => text.format(0, 8, { suggestionDelete: mark('d') })); // "Workers "
    edit(DELEGATE, (text) => text.insert(31, ' anywhere', { suggestionInsert: mark('e') }));
    edit(DRAFTER, (text) => text.delete(0, 8));
    edit(DRAFTER, (text) => text.delete(23, 9));
    const facts = ledgerAt(1).apply(log.slice(1));
    expect(facts.filter((fact) => fact.type !== 'SuggestionMade').map(({ type, suggestionId, userId, textBefore, textAfter }) => ({ type, suggestionId, userId, textBefore, textAfter }))).toEqual([
      { type: 'SuggestionAccepted', suggestionId: 'd', userId: DRAFTER, textBefore: 'Workers ', textAfter: '' },
      { type: 'SuggestionRejected', suggestionId: 'e', userId: DRAFTER, textBefore: '', textAfter: ' anywhere' },
    ]);
  });

  it('tells a rejection or a withdrawal by what is left, not by which space an editor kept (" RRR" before " pay")', () => {
    const { log, edit, mark, ledgerAt } = scene();
    edit(DELEGATE, (text) => text.insert(7, ' RRR', { suggestionInsert: mark('r') })); // "Workers RRR pay…"
    edit(DELEGATE, (text) => text.insert(0, ' UUU', { suggestionInsert: mark('u') })); // " UUUWorkers RRR pay…"
    // The editor's way of removing " RRR": it keeps the proposed space, deletes "RRR" and the old
    // space after it, and lifts the mark from the space it kept.
    edit(DRAFTER, (text) => {
      text.delete(12, 4);
      text.format(11, 1, { suggestionInsert: null });
    });
    edit(DELEGATE, (text) => {
      text.delete(1, 4);
      text.format(0, 1, { suggestionInsert: null });
    });
    const decided = ledgerAt(1).apply(log.slice(1)).filter((fact) => fact.type !== 'SuggestionMade');
    expect(decided.map(({ type, suggestionId, userId }) => [type, suggestionId, userId])).toEqual([
      ['SuggestionRejected', 'r', DRAFTER],
      ['SuggestionWithdrawn', 'u', DELEGATE],
    ]);
  });

  it('words typed into an open suggestion are reported once per apply, as a revision of it', () => {
    const { log, edit, mark, ledgerAt } = scene();
    edit(DELEGATE, (text) => text.insert(8, 'shall', { suggestionInsert: mark('a') }));
    const ledger = ledgerAt(1);
    expect(ledger.apply(log.slice(1)).map((fact) => [fact.type, fact.textAfter])).toEqual([['SuggestionMade', 'shall']]);
    // Typing inside one's own suggestion carries its mark (the editor's way); three keystrokes, one fact.
    for (const letter of [' n', 'o', 't ']) edit(DELEGATE, (text) => text.insert(8 + openSuggestionsIn(text.doc!.getXmlFragment(CONTENT_FIELD)).get('a')!.textAfter.length, letter, { suggestionInsert: mark('a') }));
    const revised = ledger.apply(log.slice(2));
    expect(revised.map((fact) => [fact.type, fact.textAfter, fact.revision])).toEqual([['SuggestionRevised', 'shall not ', 5]]);
    expect(ledger.apply([])).toEqual([]);
  });

  it('starting from any revision tells the same story from there on (how the server resumes after a restart)', () => {
    const { log, edit, mark, ledgerAt } = scene();
    edit(DELEGATE, (text) => text.insert(8, 'shall ', { suggestionInsert: mark('a') }));
    edit(DELEGATE, (text) => text.format(21, 12, { suggestionDelete: mark('b') }));
    edit(DRAFTER, (text) => text.format(8, 6, { suggestionInsert: null }));
    edit(DRAFTER, (text) => text.delete(21, 12));
    const whole = ledgerAt(1).apply(log.slice(1));
    const resumed = ledgerAt(3).apply(log.slice(3));
    expect(resumed).toEqual(whole.filter((fact) => fact.revision > 3));
    expect(resumed.map((fact) => fact.type)).toEqual(['SuggestionAccepted', 'SuggestionAccepted']);
  });

  it('refuses a gap in the revisions', () => {
    const { log, edit, mark, ledgerAt } = scene();
    edit(DELEGATE, (text) => text.insert(0, 'x', { suggestionInsert: mark('a') }));
    edit(DELEGATE, (text) => text.insert(0, 'y', { suggestionInsert: mark('b') }));
    expect(() => ledgerAt(1).apply(log.slice(2))).toThrow(/revision 3 does not follow 1/);
  });
});

describe('SuggestionLedger under concurrency (seeded relay of three writers)', () => {
  /** Writers suggest, withdraw, accept and reject at once; every update is recorded in arrival order. */
  function concurrentLog(seed: number, operations: number): LedgerUpdate[] {
    const random = mulberry32(seed);
    const log: LedgerUpdate[] = [{ revision: 1, update: seedUpdateFromParagraphs(['Workers pay no recruitment fees in any corridor of the region.']), userId: DRAFTER, at: AT }];
    const users = ['delegate-a', 'delegate-b', DRAFTER];
    const replicas = users.map((_, index) => {
      const doc = recordedDocument();
      doc.clientID = 100 + index;
      Y.applyUpdate(doc, log[0].update);
      return doc;
    });
    const inbox: Uint8Array[][] = replicas.map(() => []);
    const outbox: Array<{ update: Uint8Array; userId: string }> = [];
    replicas.forEach((doc, index) =>
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== 'relay') outbox.push({ update, userId: users[index] });
      }),
    );
    const deliver = () => {
      const next = outbox.shift();
      if (!next) return;
      log.push({ revision: log.length + 1, update: next.update, userId: next.userId, at: AT });
      inbox.forEach((queue) => queue.push(next.update));
    };
    const receive = (index: number) => {
      const update = inbox[index].shift();
      if (update) Y.applyUpdate(replicas[index], update, 'relay');
    };
    for (let i = 0; i < operations; i++) {
      const roll = random();
      if (roll < 0.3) deliver();
      else if (roll < 0.55) receive(Math.floor(random() * replicas.length));
      else {
        const index = Math.floor(random() * replicas.length);
        const text = (replicas[index].getXmlFragment(CONTENT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText;
        const runs: Array<{ from: number; to: number; attributes: Record<string, { id: string; authorId: string }> }> = [];
        let offset = 0;
        for (const op of text.toDelta() as Array<{ insert: string; attributes?: Record<string, { id: string; authorId: string }> }>) {
          runs.push({ from: offset, to: offset + op.insert.length, attributes: op.attributes ?? {} });
          offset += op.insert.length;
        }
        const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
        const marked = runs.filter((run) => run.attributes['suggestionInsert'] || run.attributes['suggestionDelete']);
        const plain = runs.filter((run) => !run.attributes['suggestionInsert'] && !run.attributes['suggestionDelete']);
        const me = users[index];
        const kind = random();
        if (kind < 0.4 && plain.length) {
          const run = pick(plain);
          text.insert(run.from + Math.floor(random() * (run.to - run.from)), ` w${i}`, { suggestionInsert: { id: `s${i}`, authorId: me, at: AT } });
        } else if (kind < 0.6 && plain.length) {
          const run = pick(plain);
          const from = run.from + Math.floor(random() * (run.to - run.from));
          text.format(from, Math.min(run.to - from, 1 + Math.floor(random() * 5)), { suggestionDelete: { id: `s${i}`, authorId: me, at: AT } });
        } else if (marked.length) {
          const run = pick(marked);
          const inserted = Boolean(run.attributes['suggestionInsert']);
          if (random() < 0.5) text.delete(run.from, run.to - run.from);
          else text.format(run.from, run.to - run.from, inserted ? { suggestionInsert: null } : { suggestionDelete: null });
        }
      }
    }
    while (outbox.length) deliver();
    return log;
  }

  const reading = (suggestions: ReadonlyMap<string, { textBefore: string; textAfter: string; authorId: string }>) =>
    Object.fromEntries([...suggestions.values()].map((s) => [`${(s as { id?: string }).id}`, [s.textBefore, s.textAfter, s.authorId]]).sort());

  it.each([1, 2, 3, 4, 5, 6])('seed %i: followed in random steps, the ledger ends with the suggestions of the replayed text', (seed) => {
    const log = concurrentLog(seed, 1500);
    const replay = buildDocument({ updates: log.map((entry) => entry.update) });
    const expected = reading(openSuggestionsIn(replay.getXmlFragment(CONTENT_FIELD)));
    const random = mulberry32(seed + 1000);
    let ledger = new SuggestionLedger(buildDocument({ updates: [log[0].update] }), 1);
    const facts: string[] = [];
    for (let at = 1; at < log.length; ) {
      const step = 1 + Math.floor(random() * 40);
      for (const fact of ledger.apply(log.slice(at, at + step))) facts.push(`${fact.type}:${fact.suggestionId}`);
      at = Math.min(log.length, at + step);
      // Now and then the server restarts: a new ledger from a snapshot of the text at that revision.
      if (random() < 0.2) {
        ledger.destroy();
        const snapshot = Y.encodeStateAsUpdate(buildDocument({ updates: log.slice(0, at).map((entry) => entry.update) }));
        ledger = new SuggestionLedger(buildDocument({ snapshot, updates: [] }), at);
      }
    }
    expect(reading(ledger.openSuggestions)).toEqual(expected);
    // And the events tell the same: made and not decided since = open.
    const open = new Set<string>();
    for (const fact of facts) {
      const [type, id] = fact.split(':');
      if (type === 'SuggestionMade') open.add(id);
      else if (type !== 'SuggestionRevised') open.delete(id);
    }
    expect([...open].sort()).toEqual(Object.keys(expected).sort());
  });
});
