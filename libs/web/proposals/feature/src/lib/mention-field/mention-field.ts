import { ChangeDetectionStrategy, Component, ElementRef, computed, input, output, signal, viewChild } from '@angular/core';
import type { MentionableMemberDto } from '@concord/contracts';
import { type MentionQuery, insertMention, membersMatching, mentionQueryAt, movedHighlight } from './mention-query';

/**
 * A comment box that suggests members as `@` and letters are typed: the ARIA combobox pattern, the
 * focus staying in the text while Up/Down move through the list (aria-activedescendant), Enter or a
 * click inserting `@Full Name `, Escape closing the list (and only the list). Material's autocomplete
 * does not fit: it completes the whole value and opens on focus, where a mention is one word at the caret.
 */
@Component({
  selector: 'cc-mention-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './mention-field.html',
  styleUrl: './mention-field.scss',
})
export class MentionField {
  private readonly box = viewChild.required<ElementRef<HTMLTextAreaElement>>('box');

  /** The textarea's id, for its label. */
  readonly fieldId = input.required<string>();
  readonly value = input('');
  readonly members = input<readonly MentionableMemberDto[]>([]);
  readonly rows = input(3);
  readonly valueChange = output<string>();

  private readonly query = signal<MentionQuery | null>(null);
  protected readonly highlighted = signal(0);
  protected readonly matches = computed(() => {
    const query = this.query();
    return query ? membersMatching(this.members(), query.text) : [];
  });
  protected readonly expanded = computed(() => this.matches().length > 0);
  protected readonly listboxId = computed(() => `${this.fieldId()}-members`);
  protected readonly activeOption = computed(() => (this.expanded() ? this.optionId(this.highlighted()) : null));
  protected readonly announcement = computed(() => {
    const count = this.matches().length;
    if (count === 0) return '';
    return count === 1
      ? $localize`:@@mention.oneMatch:1 member matches. Enter inserts the mention, Escape closes the list.`
      : $localize`:@@mention.matches:${count}:count: members match. Up and down arrows choose, Enter inserts the mention, Escape closes the list.`;
  });

  focus(): void {
    this.box().nativeElement.focus();
  }

  protected optionId(index: number): string {
    return `${this.listboxId()}-${index}`;
  }

  protected typed(): void {
    const box = this.box().nativeElement;
    this.valueChange.emit(box.value);
    this.followCaret();
  }

  /** Looks for a mention being typed where the caret now is (after typing, a click, arrows left and right). */
  protected followCaret(): void {
    const box = this.box().nativeElement;
    const query = box.selectionStart === box.selectionEnd ? mentionQueryAt(box.value, box.selectionEnd) : null;
    const current = this.query();
    if (query?.start === current?.start && query?.text === current?.text) return;
    this.query.set(query);
    this.highlighted.set(0);
  }

  protected handleListKeys(event: KeyboardEvent): void {
    if (!this.expanded()) return;
    const moved = movedHighlight(event.key, this.highlighted(), this.matches().length);
    if (moved !== null) {
      event.preventDefault();
      this.highlighted.set(moved);
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.chooseMember(this.highlighted());
    } else if (event.key === 'Escape') {
      // Closes the list, not what the box is in (the comment form closes on Escape).
      event.stopPropagation();
      this.closeList();
    }
  }

  protected chooseMember(index: number): void {
    const query = this.query();
    const member = this.matches()[index];
    if (!query || !member) return;
    const box = this.box().nativeElement;
    const inserted = insertMention(box.value, query, member);
    box.value = inserted.value;
    box.setSelectionRange(inserted.caret, inserted.caret);
    box.focus();
    this.closeList();
    this.valueChange.emit(inserted.value);
  }

  protected closeList(): void {
    this.query.set(null);
  }
}
