import * as Y from 'yjs';
import { OPEN_FENCE } from './access-fence';
import { planBatch, PlanningState } from './batch-planning';

/** An update from `doc` adding a paragraph, as a client would send it. */
function typed(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('content').push([paragraph]);
  return Y.encodeStateAsUpdate(doc, before);
}

function clientDoc(clientId: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  return doc;
}

function given(overrides: Partial<PlanningState> = {}): PlanningState {
  return {
    doc: new Y.Doc(),
    contentRevision: 10,
    fence: OPEN_FENCE,
    structAuthors: new Map(),
    encodedBytesEstimate: 0,
    maxDocumentBytes: 1024 * 1024,
    ...overrides,
  };
}

const peer = {};
const edit = (update: Uint8Array, userId = 'u1') => ({ update, userId, kind: 'edit' as const, origin: peer as never });

describe('planBatch (group commit: which waiting edits one append records)', () => {
  it('given independent edits, when planned, then all are members with consecutive revisions', () => {
    const alice = clientDoc(1);
    const bob = clientDoc(2);
    const plan = planBatch(given(), [edit(typed(alice, 'a')), edit(typed(bob, 'b'), 'u2'), edit(typed(alice, 'c'))]);
    expect(plan.decisions.map((decision) => (decision.outcome === 'record' ? decision.revision : decision.outcome))).toEqual([11, 12, 13]);
  });

  it('given an edit the document already has, when planned, then it is settled unchanged and takes no revision', () => {
    const alice = clientDoc(1);
    const first = typed(alice, 'a');
    const state = given();
    Y.applyUpdate(state.doc, first);
    const plan = planBatch(state, [edit(first), edit(typed(alice, 'b'))]);
    expect(plan.decisions.map((decision) => decision.outcome)).toEqual(['unchanged', 'record']);
    expect(plan.decisions[1]).toMatchObject({ revision: 11 });
  });

  it('given an edit overlapping an earlier member, when planned, then the batch ends before it', () => {
    const alice = clientDoc(1);
    const first = typed(alice, 'a');
    // The same structs again (a resent update): decided only once the first is in the document.
    const plan = planBatch(given(), [edit(first), edit(first), edit(typed(clientDoc(3), 'x'))]);
    expect(plan.decisions.map((decision) => decision.outcome)).toEqual(['record']);
  });

  it('given a write fence closed for the user, when planned, then the edit is refused read-only but a seed is not', () => {
    const fence = [{ fenceId: 'f', userId: 'u1', reason: 'Locked.' }];
    const plan = planBatch(given({ fence }), [edit(typed(clientDoc(1), 'a')), { update: typed(clientDoc(2), 's'), userId: 'u1', kind: 'seed' as const }]);
    expect(plan.decisions).toEqual([{ outcome: 'refused', code: 'read-only', reason: 'Locked.' }, expect.objectContaining({ outcome: 'record', revision: 11 })]);
  });

  it("given another user's client id, when a connection writes under it, then the edit is refused invalid", () => {
    const plan = planBatch(given({ structAuthors: new Map([[1, 'u2']]) }), [edit(typed(clientDoc(1), 'a'))]);
    expect(plan.decisions).toEqual([{ outcome: 'refused', code: 'invalid', reason: 'The update writes under client id 1 of another user.' }]);
  });

  it('given an estimate over the limit, when the measured document is under it, then the edit is recorded', () => {
    const plan = planBatch(given({ encodedBytesEstimate: 1000, maxDocumentBytes: 1010 }), [edit(typed(clientDoc(1), 'a short one'))]);
    expect(plan.decisions).toEqual([expect.objectContaining({ outcome: 'record' })]);
    expect(plan.measuredBytes).toBe(2); // the empty document, measured
  });

  it('given a document at its limit, when an edit would pass it, then it is refused too-large', () => {
    const plan = planBatch(given({ maxDocumentBytes: 20 }), [edit(typed(clientDoc(1), 'a paragraph too long for the cap'))]);
    expect(plan.decisions).toEqual([expect.objectContaining({ outcome: 'refused', code: 'too-large' })]);
  });

  it('given a computed edit (restore), when planned, then it goes alone, after the members before it', () => {
    const restore = { update: () => typed(clientDoc(9), 'restored'), userId: 'u1', kind: 'restore' as const };
    const plan = planBatch(given(), [edit(typed(clientDoc(1), 'a')), restore, edit(typed(clientDoc(2), 'b'))]);
    expect(plan.decisions.map((decision) => decision.outcome)).toEqual(['record']);
    const alone = planBatch(given(), [restore, edit(typed(clientDoc(2), 'b'))]);
    expect(alone.decisions.map((decision) => decision.outcome)).toEqual(['record']);
  });

  it('given a computed edit that throws, when planned, then that edit fails alone', () => {
    const failing = { update: () => { throw new Error('no'); }, userId: 'u1', kind: 'restore' as const };
    const plan = planBatch(given(), [failing, edit(typed(clientDoc(2), 'b'))]);
    expect(plan.decisions.map((decision) => decision.outcome)).toEqual(['failed', 'record']);
  });

  it('given more edits than one append takes, when planned, then the batch stops at the limit', () => {
    const alice = clientDoc(1);
    const edits = Array.from({ length: 5 }, (_, index) => edit(typed(alice, `p${index}`)));
    expect(planBatch(given(), edits, 3).decisions).toHaveLength(3);
  });

  it('given suggest-only edits, when planned, then each goes alone and one that is no suggestion is refused (invalid)', () => {
    const delegate = (update: Uint8Array) => ({ ...edit(update, 'u-delegate'), suggestOnly: true });
    const plan = planBatch(given(), [edit(typed(clientDoc(1), 'a')), delegate(typed(clientDoc(5), 'plain'))]);
    expect(plan.decisions.map((decision) => decision.outcome)).toEqual(['record']);
    const alone = planBatch(given(), [delegate(typed(clientDoc(5), 'plain')), edit(typed(clientDoc(1), 'a'))]);
    expect(alone.decisions).toEqual([{ outcome: 'refused', code: 'invalid', reason: expect.stringMatching(/^Only suggestions are recorded for you/) }, expect.objectContaining({ outcome: 'record' })]);
  });
});
