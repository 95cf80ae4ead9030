import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, Injector, computed, inject, input } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTableModule } from '@angular/material/table';
import type { ChainVerificationDto } from '@concord/contracts';
import { type AuditEventRow, type AuditLogFilters, AuditLogStore, hasActiveFilters } from '@concord/web/audit/data-access';
import { EmptyState, ErrorState, LoadingState } from '@concord/web/shared/ui';
import { EventDetailsDialog, type EventDetailsResult } from '../event-details-dialog/event-details-dialog';
import { EventLogFilters } from './event-log-filters';

type LogState = 'loading' | 'error' | 'empty' | 'ready';

interface EventLogRow extends AuditEventRow {
  detailsLabel: string;
  /** The last verification found the first broken link of the chain here. */
  broken: boolean;
}

/** The event log: filters, the table of recorded events, "Load more", and each event's details. */
@Component({
  selector: 'cc-event-log',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MatButtonModule, MatProgressSpinnerModule, MatTableModule, EmptyState, ErrorState, LoadingState, EventLogFilters],
  templateUrl: './event-log.html',
  styleUrl: './event-log.scss',
})
export class EventLog {
  private readonly store = inject(AuditLogStore);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);

  /** Where the last verification found the first broken link, to mark that event in the table. */
  readonly firstBreak = input<ChainVerificationDto['firstBreak']>(null);

  protected readonly columns = ['position', 'at', 'stream', 'revision', 'type', 'user'];
  protected readonly filters = this.store.filters;
  protected readonly workspaces = this.store.workspaceOptions;
  protected readonly allMembers = this.store.allMembers;
  protected readonly events = this.store.events;
  protected readonly rows = computed<readonly EventLogRow[]>(() => {
    const broken = this.firstBreak();
    return this.events().map((event) => ({
      ...event,
      detailsLabel: $localize`:@@audit.log.showDetails:Details of the event at position ${event.position}:position:`,
      broken: !!broken && broken.stream === event.stream && (broken.revision === null || broken.revision === event.revision),
    }));
  });
  protected readonly hasMore = this.store.hasMore;
  protected readonly isLoadingMore = this.store.isLoadingMore;
  protected readonly loadMoreError = this.store.loadMoreError;
  protected readonly membersError = this.store.membersError;
  protected readonly filtered = computed(() => hasActiveFilters(this.store.filters()));
  protected readonly errorMessage = computed(() => this.store.error()?.message ?? '');

  protected readonly state = computed<LogState>(() => {
    if (this.store.isLoading()) {
      return 'loading';
    }
    if (this.store.error()) {
      return 'error';
    }
    return this.store.isEmpty() ? 'empty' : 'ready';
  });

  protected applyFilters(filters: AuditLogFilters): void {
    this.store.applyFilters(filters);
  }

  protected resetFilters(): void {
    this.store.resetFilters();
  }

  protected reload(): void {
    this.store.reload();
  }

  protected reloadMembers(): void {
    this.store.reloadMembers();
  }

  protected loadMore(): void {
    this.store.loadMore();
  }

  protected showDetails(event: AuditEventRow): void {
    this.dialog
      .open<EventDetailsDialog, AuditEventRow, EventDetailsResult>(EventDetailsDialog, {
        injector: this.injector,
        data: event,
        width: '640px',
        maxWidth: '100vw',
        height: '100vh',
        maxHeight: '100vh',
        position: { top: '0', right: '0' },
        autoFocus: 'dialog',
        ariaLabelledBy: 'cc-event-details-title',
      })
      .afterClosed()
      .subscribe((result) => {
        if (result?.showStream) {
          this.store.applyFilters({ ...this.store.filters(), stream: result.showStream });
        }
      });
  }
}
