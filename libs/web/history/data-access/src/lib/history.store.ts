import { Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { AmendmentDto, RevisionItemDto, RevisionPage } from '@concord/contracts';
import { type ApiError, toApiError } from '@concord/web/core/data-access';
import { AmendmentsApi, ProposalStore, ProposalsApi, ThreadsApi } from '@concord/web/proposals/data-access';
import { firstValueFrom } from 'rxjs';
import { toDiffView } from './diff-segments';
import { groupIntoSessions } from './editing-sessions';
import { HistoryApi } from './history-api';

/** Revisions per page of the timeline (a session of typing is many revisions: one per keystroke). */
export const TIMELINE_PAGE = 200;
/** The most the server returns at once; used to catch up with revisions written since. */
const CATCH_UP_LIMIT = 1000;

export type HistoryAction = 'restore' | 'nameVersion';

export interface Comparison {
  from: number;
  to: number;
}

/**
 * The history of one proposal's text: a paged timeline of editing sessions (newest first) that
 * follows new revisions, one revision opened read-only or two compared, and the history commands
 * (restore, name a version). Provided by the history panel, inside the proposal page, whose
 * ProposalStore it uses for the proposal, the user's permissions and member names.
 */
@Injectable()
export class HistoryStore {
  private readonly api = inject(HistoryApi);
  private readonly proposalsApi = inject(ProposalsApi);
  private readonly threadsApi = inject(ThreadsApi);
  private readonly amendmentsApi = inject(AmendmentsApi);
  private readonly proposalStore = inject(ProposalStore);

  readonly proposal = this.proposalStore.proposal;
  readonly permissions = this.proposalStore.permissions;
  readonly currentRevision = computed(() => this.proposal()?.currentRevision ?? 0);

  private readonly revisions = signal<ReadonlyMap<number, RevisionItemDto>>(new Map());
  private readonly timelineRequests = signal(0);
  readonly timelineError = signal<ApiError | null>(null);
  readonly timelineLoading = computed(() => this.timelineRequests() > 0);
  /** The first page has been read (successfully or not). */
  readonly timelineStarted = signal(false);

  readonly oldestLoaded = computed(() => {
    const keys = [...this.revisions().keys()];
    return keys.length ? Math.min(...keys) : null;
  });
  readonly newestLoaded = computed(() => {
    const keys = [...this.revisions().keys()];
    return keys.length ? Math.max(...keys) : null;
  });
  readonly hasOlder = computed(() => (this.oldestLoaded() ?? 0) > 1);
  readonly sessions = computed(() => groupIntoSessions([...this.revisions().values()], this.proposal()?.versions ?? []));
  readonly namedVersions = computed(() => [...(this.proposal()?.versions ?? [])].sort((a, b) => b.revision - a.revision));

  /** The revision opened read-only, if any. */
  readonly viewedRevision = signal<number | null>(null);
  /** The two revisions compared, if any. */
  readonly comparison = signal<Comparison | null>(null);

  private readonly viewed = computed(() => {
    const proposalId = this.proposalStore.proposalId();
    const revision = this.viewedRevision();
    return proposalId && revision !== null ? { proposalId, revision } : undefined;
  });
  private readonly revisionResource = rxResource({
    params: () => this.viewed(),
    stream: ({ params }) => this.proposalsApi.revision(params.proposalId, params.revision),
  });
  readonly revision = computed(() => (this.revisionResource.hasValue() ? this.revisionResource.value() : undefined));
  readonly revisionLoading = this.revisionResource.isLoading;
  readonly revisionError = computed(() => errorOf(this.revisionResource.error()));
  /** Who wrote the viewed revision, and when (when it is in the loaded timeline). */
  readonly viewedItem = computed(() => {
    const revision = this.viewedRevision();
    return revision === null ? undefined : this.revisions().get(revision);
  });

  /** The comment threads as they stood at the viewed revision (messages, status and authors then). */
  private readonly threadsResource = rxResource({
    params: () => this.viewed(),
    stream: ({ params }) => this.threadsApi.list(params.proposalId, params.revision),
  });
  readonly revisionThreads = computed(() => (this.threadsResource.hasValue() ? this.threadsResource.value() : undefined));
  readonly revisionThreadsLoading = this.threadsResource.isLoading;
  readonly revisionThreadsError = computed(() => errorOf(this.threadsResource.error()));

  private readonly diffResource = rxResource({
    params: () => {
      const proposalId = this.proposalStore.proposalId();
      const comparison = this.comparison();
      return proposalId && comparison ? { proposalId, ...comparison } : undefined;
    },
    stream: ({ params }) => this.api.diff(params.proposalId, params.from, params.to),
  });
  readonly diff = computed(() =>
    this.diffResource.hasValue() ? toDiffView(this.diffResource.value(), (id) => this.proposalStore.memberName(id)) : undefined,
  );
  /** The suggestions made or decided between the two compared revisions (the amendment list, cut to the range). */
  private readonly amendmentsResource = rxResource({
    params: () => {
      const proposalId = this.proposalStore.proposalId();
      const comparison = this.comparison();
      return proposalId && comparison ? { proposalId, ...comparison } : undefined;
    },
    stream: ({ params }) => this.amendmentsApi.list({ kind: 'proposal', id: params.proposalId }),
  });
  readonly suggestionsInRange = computed<AmendmentDto[]>(() => {
    const comparison = this.comparison();
    if (!comparison || !this.amendmentsResource.hasValue()) return [];
    const within = (revision: number | null) => revision !== null && revision > comparison.from && revision <= comparison.to;
    return this.amendmentsResource.value().filter((amendment) => within(amendment.madeRevision) || within(amendment.decidedRevision));
  });
  readonly diffLoading = this.diffResource.isLoading;
  readonly diffError = computed(() => errorOf(this.diffResource.error()));

  readonly pendingAction = signal<HistoryAction | null>(null);
  readonly actionError = signal<ApiError | null>(null);
  private newerLoad: Promise<void> | null = null;

  constructor() {
    // Start with the newest page once the proposal is known; then follow new revisions.
    effect(() => {
      const current = this.currentRevision();
      const proposalId = this.proposalStore.proposalId();
      if (!proposalId || !this.proposal()) {
        return;
      }
      untracked(() => {
        if (!this.timelineStarted()) {
          void this.loadLatest();
        } else if (current > (this.newestLoaded() ?? 0)) {
          void this.loadNewer();
        }
      });
    });
  }

  view(revision: number | null): void {
    this.viewedRevision.set(revision);
  }

  compare(comparison: Comparison | null): void {
    this.comparison.set(comparison);
  }

  retryRevision(): void {
    this.revisionResource.reload();
  }

  retryRevisionThreads(): void {
    this.threadsResource.reload();
  }

  retryDiff(): void {
    this.diffResource.reload();
  }

  /** The newest page (and anything written since the proposal was last read). */
  async loadLatest(): Promise<void> {
    this.timelineStarted.set(true);
    const after = Math.max(0, this.currentRevision() - TIMELINE_PAGE);
    await this.loadPage(after, CATCH_UP_LIMIT);
  }

  /** The page of revisions before the oldest one shown. */
  async loadOlder(): Promise<void> {
    const oldest = this.oldestLoaded();
    if (oldest === null || oldest <= 1) {
      return;
    }
    const after = Math.max(0, oldest - 1 - TIMELINE_PAGE);
    await this.loadPage(after, oldest - 1 - after);
  }

  /** Revisions written since the newest one shown (one read at a time: callers share it). */
  loadNewer(): Promise<void> {
    this.newerLoad ??= this.loadPage(this.newestLoaded() ?? 0, CATCH_UP_LIMIT).finally(() => {
      this.newerLoad = null;
    });
    return this.newerLoad;
  }

  /** Retries whatever failed: the first page, or older ones. */
  retryTimeline(): Promise<void> {
    return this.revisions().size === 0 ? this.loadLatest() : this.loadNewer();
  }

  /** Restores `revision` as a new revision; resolves with the new revision number. */
  async restore(revision: number): Promise<number> {
    const proposalId = this.proposalStore.proposalId();
    const result = await this.runAction('restore', () => firstValueFrom(this.api.restore(proposalId ?? '', revision)));
    await this.proposalStore.refresh();
    await this.loadNewer();
    return result.revision;
  }

  /** Puts `label` on `revision`. */
  async nameVersion(revision: number, label: string): Promise<void> {
    const proposalId = this.proposalStore.proposalId();
    await this.runAction('nameVersion', () =>
      firstValueFrom(this.proposalsApi.nameVersion(proposalId ?? '', { revision, label: label.trim() })),
    );
    await this.proposalStore.refresh();
  }

  clearActionError(): void {
    this.actionError.set(null);
  }

  memberName(userId: string): string {
    return this.proposalStore.memberName(userId);
  }

  private async loadPage(after: number, limit: number): Promise<void> {
    const proposalId = this.proposalStore.proposalId();
    if (!proposalId || limit <= 0) {
      return;
    }
    this.timelineRequests.update((n) => n + 1);
    this.timelineError.set(null);
    try {
      let cursor: number | null = after;
      let remaining = limit;
      // Follow `next` within the requested range (the server may cap a page below `limit`).
      while (cursor !== null && remaining > 0) {
        const page: RevisionPage = await firstValueFrom(this.api.timeline(proposalId, cursor, Math.min(remaining, CATCH_UP_LIMIT)));
        if (this.proposalStore.proposalId() !== proposalId) {
          return;
        }
        this.revisions.update((known) => {
          const merged = new Map(known);
          page.items.forEach((item) => merged.set(item.revision, item));
          return merged;
        });
        remaining -= page.items.length;
        cursor = page.items.length > 0 ? page.next : null;
      }
    } catch (error) {
      this.timelineError.set(toApiError(error));
    } finally {
      this.timelineRequests.update((n) => n - 1);
    }
  }

  private async runAction<T>(action: HistoryAction, command: () => Promise<T>): Promise<T> {
    if (!this.proposalStore.proposalId()) {
      throw toApiError(new Error($localize`:@@history.notLoaded:The proposal is not loaded yet.`));
    }
    this.pendingAction.set(action);
    this.actionError.set(null);
    try {
      return await command();
    } catch (error) {
      const apiError = toApiError(error);
      this.actionError.set(apiError);
      throw apiError;
    } finally {
      this.pendingAction.set(null);
    }
  }
}

function errorOf(error: unknown): ApiError | null {
  return error ? toApiError(error) : null;
}
