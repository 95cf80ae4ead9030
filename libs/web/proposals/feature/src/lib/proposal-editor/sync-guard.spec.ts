import { CONTENT_FIELD, FakeCollabProvider } from '@concord/web/proposals/data-access';
import { absolutePositionToRelativePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { createCollaborativeEditor } from './collaborative-editor';

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph');
  element.insert(0, [new Y.XmlText(text)]);
  return element;
}

interface Binding {
  type: Y.XmlFragment;
  mapping: Map<unknown, unknown>;
  beforeTransactionSelection: unknown;
}

/**
 * y-tiptap's failure to put the caret back (y-prosemirror #272, y-tiptap #48) is reproduced by the
 * state it comes from: a "selection before the change" whose absolute position lies beyond the
 * text, as the undo manager leaves it when others' edits meanwhile shortened the text.
 */
describe('guardSyncBinding (through createCollaborativeEditor)', () => {
  function setUp() {
    const doc = new Y.Doc();
    doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph('The first paragraph of the proposal.'), paragraph('A second one.')]);
    const provider = new FakeCollabProvider('ws://test', 'p-1', doc, 't');
    const editor = createCollaborativeEditor(
      { proposalId: 'p-1', userId: 'u-1', doc, provider, user: { name: 'Amina Rahman', color: '#0b57d0' }, readOnly: false },
      { label: 'Text', editable: true, onChangeRefused: () => undefined },
    );
    const binding = (ySyncPluginKey.getState(editor.state) as { binding: Binding }).binding;
    // A remote replica deletes the second paragraph; the stale selection is planted just before
    // the observers run, where the undo manager would plant its stored one.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const sv = Y.encodeStateVector(remote);
    remote.getXmlFragment(CONTENT_FIELD).delete(1, 1);
    const update = Y.encodeStateAsUpdate(remote, sv);
    const stale = () => {
      const anchor = absolutePositionToRelativePosition(3, binding.type, binding.mapping as never);
      binding.beforeTransactionSelection = { type: 'text', anchor, head: anchor, absAnchor: 10_000, absHead: 10_000 };
    };
    const teardown = () => {
      editor.destroy();
      provider.destroy();
      remote.destroy();
      doc.destroy();
    };
    return { doc, editor, update, stale, teardown };
  }

  it('renders the shared document afresh when y-tiptap throws while following a change, and says so on the console', () => {
    const { doc, editor, update, stale, teardown } = setUp();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(editor.state.doc.childCount).toBe(2);
      doc.once('beforeObserverCalls', stale);
      expect(() => Y.applyUpdate(doc, update, 'remote')).not.toThrow();
      // The editor shows what the shared document holds, not the text from before the change.
      expect(editor.state.doc.childCount).toBe(1);
      expect(editor.state.doc.textContent).toBe('The first paragraph of the proposal.');
      expect(editor.state.selection.from).toBeLessThanOrEqual(editor.state.doc.content.size);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][1])).toMatch(/RangeError: Position 10000 out of range/);
      // And it keeps following: typing goes into the shared document at the caret.
      editor.commands.insertContentAt(1, 'Now: ');
      expect(doc.getXmlFragment(CONTENT_FIELD).toString()).toContain('Now: The first paragraph');
      expect(doc.getXmlFragment(CONTENT_FIELD).length).toBe(1);
    } finally {
      warn.mockRestore();
      teardown();
    }
  });

  it('without the guard the same state throws inside the observer and leaves the editor behind (why the guard exists)', () => {
    const { doc, editor, update, stale, teardown } = setUp();
    try {
      const binding = (ySyncPluginKey.getState(editor.state) as { binding: { _observeFunction: unknown; _typeChanged: (...args: unknown[]) => void } }).binding;
      // Observe with y-tiptap's own function instead of the guarded one.
      const fragment = doc.getXmlFragment(CONTENT_FIELD);
      fragment.unobserveDeep(binding._observeFunction as never);
      const raw = binding._typeChanged.bind(binding);
      fragment.observeDeep(raw as never);
      doc.once('beforeObserverCalls', stale);
      expect(() => Y.applyUpdate(doc, update, 'remote')).toThrow(RangeError);
      expect(editor.state.doc.childCount).toBe(2); // the deleted paragraph is still shown
      fragment.unobserveDeep(raw as never);
      fragment.observeDeep(binding._observeFunction as never); // as it was, for the editor's teardown
    } finally {
      teardown();
    }
  });
});
