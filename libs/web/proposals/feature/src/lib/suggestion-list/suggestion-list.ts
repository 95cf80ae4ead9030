import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { MentionableMemberDto } from '@concord/contracts';
import { ThreadsApi } from '@concord/web/proposals/data-access';
import type { Editor } from '@tiptap/core';
import { firstValueFrom } from 'rxjs';
import { decideSuggestions, type SuggestionInText, suggestionsIn } from '../proposal-editor/suggestion-mode';

/**
 * The suggestions in the text, beside the editor: who proposed what (words in, words out), and for
 * drafters Accept / Reject, one by one or all of one author. A decision is an edit of the text by the
 * drafter (recorded and attributed like any other); the list follows the text live.
 */
@Component({
  selector: 'cc-suggestion-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    <section class="cc-suggestions" data-testid="suggestion-list" aria-labelledby="cc-suggestions-heading">
      <h3 id="cc-suggestions-heading" class="cc-section-title" i18n="@@suggestions.heading">Suggestions ({{ suggestions().length }})</h3>
      @if (suggestions().length === 0) {
        <p class="cc-muted" i18n="@@suggestions.none">No open suggestions in the text.</p>
      } @else {
        @if (canDecide()) {
          @for (author of authors(); track author.id) {
            <div class="cc-suggestions__author">
              <span>{{ author.name }} ({{ author.count }})</span>
              <button mat-button type="button" (click)="decideAllOf(author.id, 'accept')" i18n="@@suggestions.acceptAll">Accept all of {{ author.name }}</button>
              <button mat-button type="button" (click)="decideAllOf(author.id, 'reject')" i18n="@@suggestions.rejectAll">Reject all of {{ author.name }}</button>
            </div>
          }
        }
        <ol class="cc-suggestions__list">
          @for (suggestion of suggestions(); track suggestion.id) {
            <li class="cc-suggestion-item" data-testid="suggestion" [attr.data-suggestion-id]="suggestion.id">
              <span class="cc-suggestion-item__author">{{ nameOf(suggestion.authorId) }}</span>
              @if (suggestion.deleted) {
                <del class="cc-suggestion-item__deleted"><span class="cc-visually-hidden" i18n="@@suggestions.deletes">deletes </span>{{ suggestion.deleted }}</del>
              }
              @if (suggestion.inserted) {
                <ins class="cc-suggestion-item__inserted"><span class="cc-visually-hidden" i18n="@@suggestions.inserts">inserts </span>{{ suggestion.inserted }}</ins>
              }
              @if (canDecide()) {
                <span class="cc-suggestion-item__actions">
                  <button mat-stroked-button type="button" data-testid="suggestion-accept" (click)="decide(suggestion, 'accept')" i18n="@@suggestions.accept">Accept</button>
                  <button mat-button type="button" data-testid="suggestion-reject" (click)="decide(suggestion, 'reject')" i18n="@@suggestions.reject">Reject</button>
                </span>
              }
            </li>
          }
        </ol>
      }
    </section>
  `,
  styles: `
    .cc-suggestions { margin-top: 1.5rem; border-top: 1px solid #c4c7c5; padding-top: 1rem; }
    .cc-suggestions__list { list-style: none; margin: 0; padding: 0; }
    .cc-suggestions__author { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
    .cc-suggestion-item { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem; padding: 0.4rem 0; border-bottom: 1px solid #e3e3e3; }
    .cc-suggestion-item__author { font-weight: 500; }
    .cc-suggestion-item__deleted { color: #8c1d18; background: #fbe9e7; }
    .cc-suggestion-item__inserted { color: #0b5a2a; background: #e3f4e8; }
    .cc-suggestion-item__actions { display: flex; gap: 0.25rem; margin-left: auto; }
  `,
})
export class SuggestionList {
  private readonly api = inject(ThreadsApi);

  readonly proposalId = input.required<string>();
  readonly editor = input<Editor | null>(null);
  /** Drafters accept and reject (it changes the text). */
  readonly canDecide = input(false);

  private readonly version = signal(0);
  private readonly members = signal<MentionableMemberDto[]>([]);

  protected readonly suggestions = computed<SuggestionInText[]>(() => {
    this.version();
    const editor = this.editor();
    return editor && !editor.isDestroyed ? suggestionsIn(editor.state.doc) : [];
  });
  protected readonly authors = computed(() => {
    const counts = new Map<string, number>();
    for (const suggestion of this.suggestions()) counts.set(suggestion.authorId, (counts.get(suggestion.authorId) ?? 0) + 1);
    return [...counts].map(([id, count]) => ({ id, count, name: this.nameOf(id) }));
  });

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

  protected nameOf(userId: string): string {
    return this.members().find((member) => member.userId === userId)?.name ?? userId;
  }

  protected decide(suggestion: SuggestionInText, outcome: 'accept' | 'reject'): void {
    const editor = this.editor();
    if (editor) decideSuggestions(editor.view, [suggestion], outcome);
  }

  protected decideAllOf(authorId: string, outcome: 'accept' | 'reject'): void {
    const editor = this.editor();
    if (editor) decideSuggestions(editor.view, this.suggestions().filter((suggestion) => suggestion.authorId === authorId), outcome);
  }
}
