import { ChangeDetectionStrategy, Component, effect, input, signal, untracked } from '@angular/core';
import { Editor } from '@tiptap/core';
import { editorSchemaExtensions } from '@concord/web/proposals/data-access';
import { TiptapEditorDirective } from 'ngx-tiptap';

/**
 * One revision's text, rendered read-only by Tiptap from its ProseMirror JSON — a plain editor
 * with no collaboration: nothing here touches the live document. Suggestions show as in the
 * editor (proposed words underlined, words proposed for deletion struck through).
 */
@Component({
  selector: 'cc-revision-document',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [TiptapEditorDirective],
  template: `
    @if (editor(); as editor) {
      <tiptap-editor [editor]="editor" />
    }
  `,
  styles: `
    :host {
      display: block;
    }
  `,
})
export class RevisionDocument {
  /** ProseMirror JSON of the document (`RevisionDto.doc`). */
  readonly doc = input.required<unknown>();
  /** Accessible name of the text, e.g. "Text of revision 12". */
  readonly label = input.required<string>();

  protected readonly editor = signal<Editor | null>(null);

  constructor() {
    effect((onCleanup) => {
      const doc = this.doc();
      const label = this.label();
      const editor = untracked(
        () =>
          new Editor({
            editable: false,
            content: doc as object,
            // The stored schema itself (with the suggestion marks): a revision is rendered as it was recorded.
            extensions: editorSchemaExtensions(),
            editorProps: {
              // No aria-readonly: the document role does not take it (axe aria-allowed-attr); a document is read-only anyway.
              attributes: { class: 'cc-prose', role: 'document', 'aria-label': label },
            },
          }),
      );
      this.editor.set(editor);
      onCleanup(() => {
        this.editor.set(null);
        editor.destroy();
      });
    });
  }
}
