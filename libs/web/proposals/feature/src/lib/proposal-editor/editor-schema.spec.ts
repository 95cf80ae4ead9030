// A test-only exception to the web's layering (features use no domain library): it compares the
// editor with the server's schema definition, which lives in the domain library @concord/content.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { describeSchema, getEditorSchema } from '@concord/content';
import { FakeCollabProvider } from '@concord/web/proposals/data-access';
import * as Y from 'yjs';
import { createCollaborativeEditor } from './collaborative-editor';

/**
 * The server checks every incoming update against `getEditorSchema()` (`@concord/content`). If the
 * editor's own extension list gave a different schema, the server would refuse what the editor
 * writes, or store what the editor cannot show: this keeps the two lists equal.
 */
describe('the co-editor’s schema', () => {
  it('is the schema the server checks updates against', () => {
    const doc = new Y.Doc();
    const provider = new FakeCollabProvider('ws://test', 'p-1', doc, 't');
    const editor = createCollaborativeEditor(
      { proposalId: 'p-1', userId: 'u-1', doc, provider, user: { name: 'Amina Rahman', color: '#0b57d0' }, readOnly: false },
      { label: 'Text' },
    );
    try {
      expect(describeSchema(editor.schema)).toEqual(describeSchema(getEditorSchema()));
    } finally {
      editor.destroy();
      provider.destroy();
      doc.destroy();
    }
  });
});
