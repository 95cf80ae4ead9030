import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AmendmentDto } from '@concord/contracts';
import {
  AMENDMENT_STATUSES,
  type AmendmentStatusFilter,
  amendmentMemberStates,
  amendmentStatusLabel,
  amendmentsShown,
  coSponsorsLabel,
  historyLink,
  textLink,
} from './amendment-filters';

let nextId = 0;

/**
 * Every suggestion of a text as a table — member state, author, the words out and in (struck and
 * underlined, and named for screen readers), the revision that made it, its status and who decided
 * when — filtered by status and by the author's member state. Each row links to the words in the
 * live text and to the change in the history. With `showProposal`, a first column names the
 * proposal (a submission's list) and the member states co-sponsoring it.
 */
@Component({
  selector: 'cc-amendment-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink],
  templateUrl: './amendment-table.html',
  styleUrl: './amendment-table.scss',
})
export class AmendmentTable {
  readonly amendments = input.required<readonly AmendmentDto[]>();
  readonly caption = input.required<string>();
  readonly showProposal = input(false);

  protected readonly ids = { status: `cc-amendments-status-${nextId}`, state: `cc-amendments-state-${nextId++}` };
  protected readonly statuses = AMENDMENT_STATUSES;
  protected readonly status = signal<AmendmentStatusFilter>('all');
  protected readonly memberState = signal('');
  protected readonly memberStates = computed(() => amendmentMemberStates(this.amendments()));
  /** The chosen member state while any amendment has an author from it. */
  protected readonly activeMemberState = computed(() => {
    const chosen = this.memberState();
    return this.memberStates().some((state) => state.code === chosen) ? chosen : '';
  });
  protected readonly rows = computed(() =>
    amendmentsShown(this.amendments(), { status: this.status(), memberState: this.activeMemberState() }).map((amendment) => ({
      amendment,
      statusLabel: amendmentStatusLabel(amendment.status),
      text: textLink(amendment),
      history: historyLink(amendment),
      coSponsors: coSponsorsLabel(amendment),
    })),
  );

  protected statusLabel = amendmentStatusLabel;

  protected chooseStatus(value: string): void {
    this.status.set(value === 'all' || (AMENDMENT_STATUSES as readonly string[]).includes(value) ? (value as AmendmentStatusFilter) : 'all');
  }

  protected chooseMemberState(value: string): void {
    this.memberState.set(value);
  }
}
