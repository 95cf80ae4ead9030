import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import type { MentionableMemberDto, ThreadAnchorDto, ThreadDto } from '@concord/contracts';
import { authorColor } from '@concord/contracts';
import { toApiError } from '@concord/web/core/data-access';
import { ThreadsApi, mentionsIn } from '@concord/web/proposals/data-access';
import type { Editor } from '@tiptap/core';
import { firstValueFrom } from 'rxjs';
import { MentionField } from '../mention-field/mention-field';
import { type ThreadFilter, memberStatesOf, threadsShown } from './thread-filters';
import { paragraphNumberAt } from '../proposal-editor/paragraph-numbers';
import { anchorRange, selectionAnchor, showThreadHighlights } from '../proposal-editor/thread-anchors';

/** How often the panel asks for threads others opened or answered (there is no push for them yet). */
const REFRESH_MS = 4000;

/**
 * Comment threads on words of the text, beside the editor: select words, "Comment" (or Ctrl+Alt+M),
 * write (`@` and letters suggest members to mention), post. Threads are listed oldest first, filtered
 * (open, resolved, mine, all) and by the member state of any of their authors; each shows the words
 * it was made on — "words deleted" when they no longer exist — its messages, a reply box, and
 * resolve/reopen. "Show in text" selects the words in the editor.
 */
@Component({
  selector: 'cc-thread-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule, MatButtonModule, MatButtonToggleModule, MentionField],
  templateUrl: './thread-panel.html',
  styleUrl: './thread-panel.scss',
})
export class ThreadPanel {
  private readonly api = inject(ThreadsApi);
  private readonly draftBox = viewChild<MentionField>('draftBox');

  readonly proposalId = input.required<string>();
  readonly editor = input<Editor | null>(null);
  readonly canComment = input(false);
  readonly currentUserId = input<string | null>(null);
  /** Drafters and chairs resolve and reopen any thread; others only the threads they opened. */
  readonly canSettleAny = input(false);
  /** The submission's paragraph numbers by block id: each thread says which paragraph its words are in. */
  readonly paragraphNumbers = input<ReadonlyMap<string, string>>(new Map());

  protected readonly threads = signal<ThreadDto[]>([]);
  protected readonly loaded = signal(false);
  protected readonly filter = signal<ThreadFilter>('open');
  protected readonly active = signal<string | null>(null);
  protected readonly draft = signal<{ anchor: ThreadAnchorDto; quote: string } | null>(null);
  protected readonly draftBody = signal('');
  protected readonly replies = signal<Record<string, string>>({});
  protected readonly busy = signal(false);
  /** The server answered 403/404 to a refresh: no more polling. */
  private readonly accessLost = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly hint = signal<string | null>(null);
  protected readonly members = signal<MentionableMemberDto[]>([]);
  /** Bumped on every editor transaction, so "words deleted" follows the text. */
  private readonly textVersion = signal(0);

  protected readonly openCount = computed(() => this.threads().filter((thread) => thread.status === 'open').length);
  /** The member states of the threads' authors, to filter by; '' shows every thread. */
  protected readonly memberStates = computed(() => memberStatesOf(this.threads()));
  protected readonly memberState = signal('');
  /** The chosen member state while any thread has an author from it. */
  protected readonly activeMemberState = computed(() => {
    const chosen = this.memberState();
    return this.memberStates().some((state) => state.code === chosen) ? chosen : '';
  });
  protected readonly shown = computed(() =>
    threadsShown(this.threads(), { filter: this.filter(), currentUserId: this.currentUserId(), memberState: this.activeMemberState() }),
  );
  /** Threads whose words no longer exist in the text. */
  protected readonly detached = computed(() => {
    this.textVersion();
    const editor = this.editor();
    if (!editor || editor.isDestroyed) return new Set<string>();
    return new Set(this.threads().filter((thread) => !anchorRange(editor.state, thread.anchor)).map((thread) => thread.id));
  });

  /** "para 3.4" of each thread whose words are in a numbered paragraph. */
  protected readonly paragraphs = computed(() => {
    this.textVersion();
    const editor = this.editor();
    const numbers = this.paragraphNumbers();
    const result = new Map<string, string>();
    if (!editor || editor.isDestroyed || numbers.size === 0) return result;
    for (const thread of this.threads()) {
      const range = anchorRange(editor.state, thread.anchor);
      const number = range ? paragraphNumberAt(editor.state, range.from, numbers) : null;
      if (number) result.set(thread.id, number);
    }
    return result;
  });

  constructor() {
    effect((onCleanup) => {
      const proposalId = this.proposalId();
      untracked(() => {
        void this.refresh();
        firstValueFrom(this.api.mentionable(proposalId)).then(
          (members) => this.members.set(members),
          () => this.members.set([]),
        );
      });
      const timer = setInterval(() => void this.refresh(), REFRESH_MS);
      onCleanup(() => clearInterval(timer));
    });
    effect((onCleanup) => {
      const editor = this.editor();
      if (!editor) return;
      const bump = () => this.textVersion.update((version) => version + 1);
      editor.on('update', bump);
      onCleanup(() => editor.off('update', bump));
    });
    effect(() => {
      const editor = this.editor();
      const highlights = { threads: this.threads(), active: this.active() };
      if (editor) untracked(() => showThreadHighlights(editor, highlights));
    });
    // The comment box takes focus when it appears (it is rendered after `draft` is set).
    effect(() => this.draftBox()?.focus());
    inject(DestroyRef).onDestroy(() => this.threads.set([]));
  }

  protected colorOf(userId: string): string {
    return authorColor(userId);
  }

  /** Starts a comment on the editor's selected words (the toolbar button and Ctrl+Alt+M). */
  startComment(): void {
    const editor = this.editor();
    const selection = editor ? selectionAnchor(editor) : null;
    if (!selection) {
      this.hint.set($localize`:@@threads.selectFirst:Select the words you want to comment on in the text first.`);
      return;
    }
    this.hint.set(null);
    this.draft.set(selection);
    this.draftBody.set('');
  }

  protected cancelDraft(): void {
    this.draft.set(null);
    this.editor()?.commands.focus();
  }

  protected async postDraft(): Promise<void> {
    const draft = this.draft();
    const body = this.draftBody().trim();
    if (!draft || !body) return;
    const thread = await this.run(() =>
      firstValueFrom(this.api.open(this.proposalId(), { ...draft, body, mentions: mentionsIn(body, this.members()) })),
    );
    if (thread) {
      this.draft.set(null);
      this.filter.set('open');
      this.active.set(thread.id);
      await this.refresh();
    }
  }

  protected replyText(threadId: string): string {
    return this.replies()[threadId] ?? '';
  }

  protected setReply(threadId: string, text: string): void {
    this.replies.update((replies) => ({ ...replies, [threadId]: text }));
  }

  protected async postReply(thread: ThreadDto): Promise<void> {
    const body = this.replyText(thread.id).trim();
    if (!body) return;
    const done = await this.run(() =>
      firstValueFrom(this.api.reply(this.proposalId(), thread.id, { body, mentions: mentionsIn(body, this.members()) })),
    );
    if (done) {
      this.setReply(thread.id, '');
      await this.refresh();
    }
  }

  protected async setStatus(thread: ThreadDto, status: 'resolved' | 'open'): Promise<void> {
    const call = status === 'resolved' ? this.api.resolve(this.proposalId(), thread.id) : this.api.reopen(this.proposalId(), thread.id);
    if (await this.run(() => firstValueFrom(call))) await this.refresh();
  }

  /** Selects the thread's words in the editor and scrolls them into view. */
  protected showInText(thread: ThreadDto): void {
    this.active.set(thread.id);
    const editor = this.editor();
    const range = editor ? anchorRange(editor.state, thread.anchor) : null;
    if (!editor || !range) return;
    editor.chain().focus().setTextSelection(range).scrollIntoView().run();
  }

  protected maySettle(thread: ThreadDto): boolean {
    return this.canComment() && (this.canSettleAny() || thread.openedBy === this.currentUserId());
  }

  protected isDetached(threadId: string): boolean {
    return this.detached().has(threadId);
  }

  protected dismissError(): void {
    this.error.set(null);
  }

  private async refresh(): Promise<void> {
    // Offline, or in a background tab: nothing to ask (the next tick after coming back does).
    const document = globalThis.document;
    if (this.accessLost() || globalThis.navigator?.onLine === false || document?.visibilityState === 'hidden') return;
    try {
      const threads = await firstValueFrom(this.api.list(this.proposalId()));
      // Unchanged threads keep the same array: no new highlights, no re-render every refresh.
      if (JSON.stringify(threads) !== JSON.stringify(this.threads())) this.threads.set(threads);
      this.loaded.set(true);
    } catch (error) {
      const failure = toApiError(error);
      if (failure.isNotFound || failure.isForbidden) {
        // The reader lost access (removed from the workspace, say): stop asking, and say so once.
        this.accessLost.set(true);
        this.error.set($localize`:@@threads.accessLost:You can no longer read the comments on this proposal: your access to it has ended.`);
        return;
      }
      // A failed background refresh keeps what is shown; a user action reports its own failure.
      if (!this.loaded()) this.error.set(failure.message);
    }
  }

  private async run<T>(action: () => Promise<T>): Promise<T | null> {
    this.busy.set(true);
    this.error.set(null);
    try {
      return await action();
    } catch (error) {
      this.error.set(toApiError(error).message);
      return null;
    } finally {
      this.busy.set(false);
    }
  }
}
