import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { type DocumentBinding, ProposalDocumentSession, ProposalStore } from '@concord/web/proposals/data-access';
import { AuthStore } from '@concord/web/core/data-access';
import { ErrorState, LoadingState } from '@concord/web/shared/ui';
import type { Editor } from '@tiptap/core';
import { TiptapEditorDirective } from 'ngx-tiptap';
import { LinkDialog, type LinkDialogData, type LinkDialogResult } from '../link-dialog/link-dialog';
import { MAX_CHANGE_BYTES } from './change-limit';
import { createCollaborativeEditor, setEditorWritable } from './collaborative-editor';
import { blockOrderOf, showParagraphNumbers } from './paragraph-numbers';
import { isSuggesting, setSuggesting, suggestionRange } from './suggestion-mode';
import { UnrecordedEditsPanel } from './unrecorded-edits-panel';
import { ThreadPanel } from '../thread-panel/thread-panel';
import { SuggestionList } from '../suggestion-list/suggestion-list';
import { type ActiveFormats, NO_FORMATS, activeFormats, sameFormats } from './editor-formats';

type FormatCommand = keyof Omit<ActiveFormats, 'link'>;

interface ToolbarButton {
  format: FormatCommand;
  text: string;
  label: string;
  shortcut: string;
}

const TOOLBAR: readonly ToolbarButton[] = [
  { format: 'heading2', text: 'H2', label: $localize`:@@editor.heading2:Heading 2`, shortcut: 'Ctrl+Alt+2' },
  { format: 'heading3', text: 'H3', label: $localize`:@@editor.heading3:Heading 3`, shortcut: 'Ctrl+Alt+3' },
  { format: 'bold', text: 'B', label: $localize`:@@editor.bold:Bold`, shortcut: 'Ctrl+B' },
  { format: 'italic', text: 'I', label: $localize`:@@editor.italic:Italic`, shortcut: 'Ctrl+I' },
  { format: 'bulletList', text: '•', label: $localize`:@@editor.bulletList:Bulleted list`, shortcut: 'Ctrl+Shift+8' },
  { format: 'orderedList', text: '1.', label: $localize`:@@editor.orderedList:Numbered list`, shortcut: 'Ctrl+Shift+7' },
  { format: 'blockquote', text: '“', label: $localize`:@@editor.quote:Quote`, shortcut: 'Ctrl+Shift+B' },
];

type HistoryCommand = 'undo' | 'redo';

const HISTORY: readonly { command: HistoryCommand; text: string; label: string; shortcut: string; keys: string }[] = [
  { command: 'undo', text: '↶', label: $localize`:@@editor.undo:Undo your last change`, shortcut: 'Ctrl+Z', keys: 'Control+Z' },
  { command: 'redo', text: '↷', label: $localize`:@@editor.redo:Redo`, shortcut: 'Ctrl+Shift+Z / Ctrl+Y', keys: 'Control+Shift+Z Control+Y' },
];

const EDITOR_LABEL = $localize`:@@editor.label:Proposal text`;
/** How long the word count waits after the last change before counting the whole text again. */
const WORD_COUNT_DELAY_MS = 400;
/** How long after paragraphs were added, removed or moved the paragraph numbers are read again. */
const NUMBERING_DELAY_MS = 1_500;

/**
 * The collaborative editor: Tiptap bound to the proposal's live Y.Doc (from the page's
 * ProposalDocumentSession), with the formatting toolbar, the connection indicator and a word
 * count. Read-only for those who may not edit.
 */
@Component({
  selector: 'cc-proposal-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatTooltipModule, RouterLink, TiptapEditorDirective, ErrorState, LoadingState, UnrecordedEditsPanel, ThreadPanel, SuggestionList],
  templateUrl: './proposal-editor.html',
  styleUrl: './proposal-editor.scss',
})
export class ProposalEditor {
  private readonly session = inject(ProposalDocumentSession);
  private readonly dialog = inject(MatDialog);
  private readonly toolbar = viewChild<ElementRef<HTMLElement>>('toolbar');
  private readonly threadPanel = viewChild(ThreadPanel);
  /** `?suggestion=<id>` (bound by the router): the suggestion whose words to select once the text is open. */
  readonly suggestion = input<string>();
  /** The suggestion asked for in the address is no longer in the text. */
  protected readonly suggestionGone = signal(false);
  /** The suggestion already shown (an editor rebuilt on reconnection does not take the focus again). */
  private shownSuggestion: string | null = null;

  /** The page's store (absent when the editor is used on its own, as in its unit tests: then no comments). */
  private readonly store = inject(ProposalStore, { optional: true });
  private readonly auth = inject(AuthStore);

  protected readonly proposalId = computed(() => this.store?.proposalId());
  /** The submission's paragraph numbers by block id (empty until read, or without the page's store). */
  protected readonly paragraphNumbers = computed<ReadonlyMap<string, string>>(() => this.store?.paragraphNumbers() ?? new Map());
  protected readonly canComment = computed(() => this.store?.permissions().canComment ?? false);
  protected readonly currentUserId = computed(() => this.auth.user()?.id ?? null);
  protected readonly canSettleAny = computed(() => (this.store?.roles() ?? []).some((role) => role === 'drafter' || role === 'chair'));
  /** A delegate may only suggest: suggestion mode is on and stays on. */
  protected readonly suggestOnly = computed(() => {
    const permissions = this.store?.permissions();
    return !!permissions && permissions.canSuggest && !permissions.canEdit;
  });
  /** Drafters who may write now accept and reject suggestions. */
  protected readonly canDecideSuggestions = computed(() => (this.store?.permissions().canEdit ?? false) && this.session.writable());
  /** Suggestion mode (track changes) is on in this editor. */
  protected readonly suggesting = signal(false);
  /** What suggestion mode just refused to do, until dismissed. */
  protected readonly suggestionNotice = signal<string | null>(null);

  protected readonly toolbarButtons = TOOLBAR;
  protected readonly historyButtons = HISTORY;
  protected readonly editor = signal<Editor | null>(null);
  protected readonly formats = signal<ActiveFormats>(NO_FORMATS);
  protected readonly canUndo = signal(false);
  protected readonly canRedo = signal(false);
  protected readonly words = signal(0);
  protected readonly focusedButton = signal(0);
  /** A change refused before it entered the document (too large), until dismissed. */
  protected readonly refusedChange = signal<string | null>(null);

  protected readonly state = this.session.state;
  protected readonly unsyncedChanges = this.session.unsyncedChanges;
  protected readonly readOnly = computed(() => !this.session.writable());
  protected readonly documentReady = this.session.documentReady;
  /** The shown text is being replaced by the recorded one (read-only meanwhile). */
  protected readonly restoring = this.session.restoring;
  protected readonly unrecordedEdits = this.session.unrecordedEdits;
  /** Why this user can no longer write, as the server said (read-only, session ended, …). */
  protected readonly writeRefusal = computed(() => {
    const refusal = this.session.writeRefusal();
    if (!refusal) return null;
    return refusal.message || this.refusalMessage() || $localize`:@@editor.refusedWrite:The server no longer accepts your changes to this document.`;
  });
  /** An update the server refused without ending writing (too large, invalid). */
  protected readonly noticeMessage = computed(() => {
    const notice = this.session.notice();
    if (!notice) return null;
    const reason = serverReason(notice.message);
    return $localize`:@@editor.changeNotRecorded:Your last change was not recorded${reason}:reason:. The editor shows the recorded text again; your version is kept below.`;
  });
  protected readonly refusalMessage = computed(() => {
    switch (this.session.refusal()) {
      case 'unauthenticated':
        return $localize`:@@editor.refusedSession:Your session has ended. Sign in again to keep working on this document.`;
      case 'forbidden':
        return $localize`:@@editor.refusedAccess:You do not have access to this document.`;
      case 'not-found':
        return $localize`:@@editor.refusedMissing:This document does not exist any more.`;
      case 'other':
        return $localize`:@@editor.refusedOther:The server closed the connection to this document.`;
      default:
        return null;
    }
  });
  /** The error state replaces the editor only when there is no document to show (read-only) any more. */
  protected readonly showRefusal = computed(() => this.refusalMessage() !== null && (!this.session.binding() || !this.documentReady()));
  protected readonly stateLabel = computed(() => {
    switch (this.state()) {
      case 'connected':
        return $localize`:@@editor.connected:Connected`;
      case 'connecting':
        return $localize`:@@editor.connecting:Connecting…`;
      case 'reconnecting':
        return $localize`:@@editor.reconnecting:Reconnecting…`;
      case 'offline':
        return $localize`:@@editor.offline:Offline`;
      case 'refused':
        return $localize`:@@editor.refused:Not connected`;
    }
  });
  /** Offline or reconnecting: what is kept on this device. */
  protected readonly unsyncedLabel = computed(() => {
    const state = this.state();
    if (state === 'connected' || state === 'refused') return '';
    const count = this.unsyncedChanges();
    if (count === 0) {
      return state === 'offline' ? $localize`:@@editor.savedLocally:changes are kept on this device` : '';
    }
    return count === 1
      ? $localize`:@@editor.unsyncedOne:1 unsynced change`
      : $localize`:@@editor.unsyncedMany:${count}:count: unsynced changes`;
  });
  /** Connected and writing: "Saved" once the server has recorded every change of this user. */
  protected readonly saveLabel = computed(() => {
    if (this.state() !== 'connected' || this.readOnly()) return '';
    const count = this.unsyncedChanges();
    return count === 0 ? $localize`:@@editor.saved:Saved` : $localize`:@@editor.saving:Saving… (${count}:count:)`;
  });

  constructor() {
    // Builds the editor for the open document. The effect depends on the binding and on the
    // document being ready, and on nothing else: everything it does beyond reading those two runs
    // untracked, or a signal written while following the selection (formats, word count) would
    // make every caret move tear the editor down and build a new one.
    effect((onCleanup) => {
      const binding = this.session.binding();
      const ready = this.session.documentReady();
      if (!binding || !ready) {
        return;
      }
      const teardown = untracked(() => this.buildEditor(binding));
      onCleanup(teardown);
    });
    // Follows whether the server lets this user write, without rebuilding the editor.
    effect(() => {
      const editor = this.editor();
      const writable = this.session.writable();
      if (editor) untracked(() => setEditorWritable(editor, EDITOR_LABEL, writable));
    });
    // Selects the suggestion named in the address once its editor is there.
    effect(() => {
      const id = this.suggestion();
      const editor = this.editor();
      if (editor) untracked(() => this.showSuggestion(editor, id));
    });
    // Paragraph numbers ("3.4") from the page's store, shown against the blocks they number.
    this.store?.followParagraphNumbers();
    effect(() => {
      const editor = this.editor();
      const numbers = this.store?.paragraphNumbers();
      if (editor && numbers) untracked(() => showParagraphNumbers(editor, numbers));
    });
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.wordCountTimer);
      clearTimeout(this.numberingTimer);
    });
  }

  private numberingTimer: ReturnType<typeof setTimeout> | undefined;
  private blockOrder = '';

  /** When paragraphs were added, removed or moved, the numbers are read again (once per pause). */
  private followBlockOrder(editor: Editor): void {
    const order = blockOrderOf(editor.state.doc);
    if (order === this.blockOrder) return;
    const first = this.blockOrder === '';
    this.blockOrder = order;
    if (first) return;
    clearTimeout(this.numberingTimer);
    this.numberingTimer = setTimeout(() => this.store?.reloadParagraphNumbers(), NUMBERING_DELAY_MS);
  }

  private showSuggestion(editor: Editor, id: string | undefined): void {
    if (!id) {
      this.shownSuggestion = null;
      this.suggestionGone.set(false);
      return;
    }
    if (this.shownSuggestion === id) return;
    this.shownSuggestion = id;
    const range = suggestionRange(editor.state.doc, id);
    this.suggestionGone.set(!range);
    if (!range) return;
    editor.commands.setTextSelection(range);
    // After the editor's element is in the page (ngx-tiptap attaches it when it renders), so the words can scroll into view.
    setTimeout(() => {
      if (!editor.isDestroyed) editor.chain().focus().scrollIntoView().run();
    });
  }

  protected dismissSuggestionGone(): void {
    this.suggestionGone.set(false);
  }

  private wordCountTimer: ReturnType<typeof setTimeout> | undefined;

  /** Creates the Tiptap editor for `binding`, follows its selection; returns its teardown. */
  private buildEditor(binding: DocumentBinding): () => void {
    const editor = createCollaborativeEditor(binding, {
      label: EDITOR_LABEL,
      editable: this.session.writable(),
      onChangeRefused: (bytes) => this.refuseChange(bytes),
      onCommentShortcut: () => {
        if (this.canComment()) this.threadPanel()?.startComment();
      },
      onSuggestionBlocked: (what) =>
        this.suggestionNotice.set(
          $localize`:@@editor.suggestionBlocked:In suggestion mode you insert and delete words; ${what}:what: cannot be suggested yet.`,
        ),
    });
    if (this.suggestOnly()) setSuggesting(editor.view, true);
    this.suggesting.set(isSuggesting(editor.state));
    const countWords = () => {
      this.wordCountTimer = undefined;
      if (!editor.isDestroyed) this.words.set(editor.storage.characterCount.words());
    };
    // Cheap, selection-local state on every transaction; the word count (the whole text) at most
    // once per pause in typing.
    const follow = ({ transaction }: { transaction: { docChanged: boolean } }) => {
      const formats = activeFormats(editor);
      if (!sameFormats(formats, this.formats())) {
        this.formats.set(formats);
      }
      // Yjs's undo manager updates its stacks after the transaction that y-prosemirror dispatches.
      queueMicrotask(() => {
        if (editor.isDestroyed) return;
        this.canUndo.set(editor.can().undo());
        this.canRedo.set(editor.can().redo());
      });
      if (transaction.docChanged && this.wordCountTimer === undefined) {
        this.wordCountTimer = setTimeout(countWords, WORD_COUNT_DELAY_MS);
      }
      if (transaction.docChanged) this.followBlockOrder(editor);
    };
    editor.on('transaction', follow);
    follow({ transaction: { docChanged: false } });
    countWords();
    this.editor.set(editor);
    return () => {
      editor.off('transaction', follow);
      clearTimeout(this.wordCountTimer);
      this.wordCountTimer = undefined;
      this.editor.set(null);
      editor.destroy();
    };
  }

  private refuseChange(bytes: number): void {
    const size = Math.round(bytes / 1024);
    const limit = Math.round(MAX_CHANGE_BYTES / 1024);
    this.refusedChange.set(
      $localize`:@@editor.changeTooLarge:That change was not made: it is too large (about ${size}:size: KB; one change may be at most ${limit}:limit: KB). Paste long texts in smaller parts.`,
    );
  }

  /** Turns suggestion mode on or off (drafters; a delegate's stays on). */
  protected toggleSuggesting(): void {
    const editor = this.editor();
    if (!editor || this.suggestOnly()) return;
    setSuggesting(editor.view, !isSuggesting(editor.state));
    this.suggesting.set(isSuggesting(editor.state));
    editor.commands.focus();
  }

  protected dismissSuggestionNotice(): void {
    this.suggestionNotice.set(null);
  }

  protected dismissRefusedChange(): void {
    this.refusedChange.set(null);
  }

  protected dismissNotice(): void {
    this.session.notice.set(null);
  }

  protected dismissUnrecordedEdits(): void {
    this.session.dismissUnrecordedEdits();
  }

  protected runHistory(command: HistoryCommand): void {
    const editor = this.editor();
    if (!editor || !(command === 'undo' ? this.canUndo() : this.canRedo())) {
      return;
    }
    if (command === 'undo') {
      editor.chain().focus().undo().run();
    } else {
      editor.chain().focus().redo().run();
    }
  }

  protected canRun(command: HistoryCommand): boolean {
    return command === 'undo' ? this.canUndo() : this.canRedo();
  }

  protected isPressed(format: FormatCommand): boolean {
    return this.formats()[format];
  }

  protected applyFormat(format: FormatCommand): void {
    const chain = this.editor()?.chain().focus();
    if (!chain) {
      return;
    }
    switch (format) {
      case 'heading2':
        chain.toggleHeading({ level: 2 }).run();
        break;
      case 'heading3':
        chain.toggleHeading({ level: 3 }).run();
        break;
      case 'bold':
        chain.toggleBold().run();
        break;
      case 'italic':
        chain.toggleItalic().run();
        break;
      case 'bulletList':
        chain.toggleBulletList().run();
        break;
      case 'orderedList':
        chain.toggleOrderedList().run();
        break;
      case 'blockquote':
        chain.toggleBlockquote().run();
        break;
    }
  }

  protected editLink(): void {
    const editor = this.editor();
    if (!editor) {
      return;
    }
    const href = (editor.getAttributes('link')['href'] as string | undefined) ?? null;
    this.dialog
      .open<LinkDialog, LinkDialogData, LinkDialogResult>(LinkDialog, { data: { href }, maxWidth: '95vw' })
      .afterClosed()
      .subscribe((result) => {
        const chain = editor.isDestroyed ? null : editor.chain().focus().extendMarkRange('link');
        if (!chain || !result) {
          return;
        }
        if ('remove' in result) {
          chain.unsetLink().run();
        } else {
          chain.setLink({ href: result.href }).run();
        }
      });
  }

  /** Arrow keys move between toolbar buttons; Tab leaves the toolbar (ARIA toolbar pattern). */
  protected moveInToolbar(event: KeyboardEvent): void {
    const buttons = Array.from(this.toolbar()?.nativeElement.querySelectorAll<HTMLButtonElement>('button') ?? []);
    const current = buttons.indexOf(event.target as HTMLButtonElement);
    if (current < 0) {
      return;
    }
    const next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) {
      return;
    }
    event.preventDefault();
    const index = (next + buttons.length) % buttons.length;
    this.focusedButton.set(index);
    buttons[index].focus();
  }
}

/**
 * The server's sentence as a clause of "Your last change was not recorded…": without the words
 * that say so again ("The change was not recorded: …", "… It was not recorded."), in parentheses.
 */
export function serverReason(message: string): string {
  const reason = message
    .trim()
    .replace(/^The change was not recorded:\s*/i, '')
    .replace(/\s*It was not recorded\.$/i, '')
    .replace(/\.$/, '');
  return reason ? ` (${reason})` : '';
}
