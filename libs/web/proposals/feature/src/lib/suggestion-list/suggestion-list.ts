import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { MentionableMemberDto } from '@concord/contracts';
import { ProposalStore, ThreadsApi } from '@concord/web/proposals/data-access';
import type { Editor } from '@tiptap/core';
import { firstValueFrom } from 'rxjs';
import { paragraphNumberAt } from '../proposal-editor/paragraph-numbers';
import { decideSuggestions, type SuggestionInText, suggestionsIn } from '../proposal-editor/suggestion-mode';
import { type SuggestionGroup, authorLabel, groupByAuthor, groupByMemberState } from './suggestion-groups';

/**
 * The suggestions in the text, beside the editor: who proposed what (words in, words out), each
 * author named with the member state they represent, and for drafters Accept / Reject, one by one,
 * all of one author or all from one member state. A decision is an edit of the text by the drafter
 * (recorded and attributed like any other); the list follows the text live.
 */
@Component({
  selector: 'cc-suggestion-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  templateUrl: './suggestion-list.html',
  styleUrl: './suggestion-list.scss',
})
export class SuggestionList {
  private readonly api = inject(ThreadsApi);
  /** The page's store: the member states of the workspace's delegates (absent in isolated tests: no states). */
  private readonly store = inject(ProposalStore, { optional: true });

  readonly proposalId = input.required<string>();
  readonly editor = input<Editor | null>(null);
  /** Drafters accept and reject (it changes the text). */
  readonly canDecide = input(false);
  /** The submission's paragraph numbers by block id: each suggestion says which paragraph it is in. */
  readonly paragraphNumbers = input<ReadonlyMap<string, string>>(new Map());

  private readonly heading = viewChild<ElementRef<HTMLElement>>('heading');
  private readonly version = signal(0);
  private readonly members = signal<MentionableMemberDto[]>([]);

  protected readonly suggestions = computed<SuggestionInText[]>(() => {
    this.version();
    const editor = this.editor();
    return editor && !editor.isDestroyed ? suggestionsIn(editor.state.doc) : [];
  });
  /** "para 3.4" of each suggestion, where its first words are. */
  protected readonly paragraphs = computed(() => {
    const editor = this.editor();
    const numbers = this.paragraphNumbers();
    const result = new Map<string, string>();
    if (!editor || editor.isDestroyed || numbers.size === 0) return result;
    for (const suggestion of this.suggestions()) {
      const number = suggestion.ranges.length ? paragraphNumberAt(editor.state, suggestion.ranges[0].from, numbers) : null;
      if (number) result.set(suggestion.id, number);
    }
    return result;
  });
  protected readonly authors = computed(() => groupByAuthor(this.suggestions(), (userId) => this.labelOf(userId)));
  protected readonly memberStates = computed(() => groupByMemberState(this.suggestions(), (userId) => this.memberStateOf(userId)));

  constructor() {
    effect((onCleanup) => {
      const editor = this.editor();
      if (!editor) return;
      const bump = () => this.version.update((value) => value + 1);
      editor.on('update', bump);
      bump();
      onCleanup(() => editor.off('update', bump));
    });
    effect(() => {
      const proposalId = this.proposalId();
      untracked(() =>
        firstValueFrom(this.api.mentionable(proposalId)).then(
          (members) => this.members.set(members),
          () => this.members.set([]),
        ),
      );
    });
  }

  /** The author's name with the member state they represent, "Priya Sharma (India)". */
  protected labelOf(userId: string): string {
    const name = this.members().find((member) => member.userId === userId)?.name ?? this.store?.memberName(userId) ?? userId;
    return authorLabel(name, this.memberStateOf(userId));
  }

  private memberStateOf(userId: string) {
    return this.store?.memberStateOf(userId) ?? null;
  }

  protected decide(suggestion: SuggestionInText, outcome: 'accept' | 'reject'): void {
    const editor = this.editor();
    if (editor) decideSuggestions(editor.view, [suggestion], outcome);
    this.keepFocusInList();
  }

  /** Accepts or rejects every open suggestion of one author or of one member state's delegates, as one edit. */
  protected decideAll(group: SuggestionGroup, outcome: 'accept' | 'reject'): void {
    const editor = this.editor();
    if (editor) decideSuggestions(editor.view, group.suggestions, outcome);
    this.keepFocusInList();
  }

  /** The button pressed leaves with its suggestion: the focus goes to the list's heading, not the top of the page. */
  private keepFocusInList(): void {
    setTimeout(() => this.heading()?.nativeElement.focus({ preventScroll: true }));
  }
}
