import { DOCUMENT } from '@angular/common';
import { DestroyRef, Injectable, type Signal, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { ApprovalDto, MemberStateDto, ProposalDetailDto, RevisionDto } from '@concord/contracts';
import {
  ApiError,
  AuthStore,
  type GcmObjective,
  ReferenceDataStore,
  WorkspacesApi,
  toApiError,
} from '@concord/web/core/data-access';
import { type Observable, firstValueFrom } from 'rxjs';
import { NO_PERMISSIONS, proposalPermissions } from './proposal-permissions';
import { ProposalsApi } from './proposals-api';

export type ProposalAction = 'sendForReview' | 'approve' | 'requestChanges' | 'withdraw' | 'silence' | 'coSponsorship';

/** How soon after the text changes the proposal is re-read, and once more for the server's debounced stale check. */
export const REFRESH_AFTER_CHANGE_MS = [1_000, 4_000] as const;
/** Re-read this often anyway, for what others do (a chair approving, a drafter sending for review). */
export const REFRESH_INTERVAL_MS = 20_000;

/**
 * One proposal's page state: its details, what the signed-in user may do with it, and the
 * commands. Provided by the proposal page, so it lives as long as the page.
 */
@Injectable()
export class ProposalStore {
  private readonly api = inject(ProposalsApi);
  private readonly auth = inject(AuthStore);
  private readonly reference = inject(ReferenceDataStore);
  private readonly workspacesApi = inject(WorkspacesApi);
  private readonly navigator = inject(DOCUMENT).defaultView?.navigator;
  private readonly refreshTimers: ReturnType<typeof setTimeout>[] = [];
  private refreshing = false;

  private readonly idSource = signal<Signal<string | undefined>>(signal(undefined));
  readonly proposalId = computed(() => this.idSource()());

  private readonly detail = rxResource({
    params: () => this.proposalId(),
    stream: ({ params: proposalId }) => this.api.get(proposalId),
  });
  /** Only to show members' names instead of their ids. */
  private readonly workspaces = rxResource({ stream: () => this.workspacesApi.listMine() });

  /**
   * This proposal's paragraph numbers in its submission ("3.4", "3.4(a)") by stable block id, as its
   * exports number them; read once a view asks for them (`followParagraphNumbers`: the editor), again
   * when the editor's blocks change (`reloadParagraphNumbers`). Empty until read, or when they cannot
   * be (numbers are a help to readers, not needed to write).
   */
  private readonly numberingWanted = signal(false);
  private readonly numbering = rxResource({
    params: () => (this.numberingWanted() ? this.proposal()?.submissionId : undefined),
    stream: ({ params: submissionId }) => this.api.paragraphNumbers(submissionId),
  });
  readonly paragraphNumbers = computed<ReadonlyMap<string, string>>(() => {
    const id = this.proposalId();
    if (!this.numbering.hasValue() || !id) return new Map();
    return new Map(this.numbering.value().paragraphs.flatMap((p) => (p.proposalId === id && p.blockId ? [[p.blockId, p.number] as const] : [])));
  });

  /** Starts reading the paragraph numbers (the editor shows them). */
  followParagraphNumbers(): void {
    this.numberingWanted.set(true);
  }

  reloadParagraphNumbers(): void {
    if (this.proposal()?.submissionId) this.numbering.reload();
  }

  readonly proposal = computed(() => (this.detail.hasValue() ? this.detail.value() : undefined));
  readonly isLoading = computed(() => this.detail.isLoading() && !this.proposal());
  readonly loadError = computed(() => {
    const error = this.detail.error();
    return error ? toApiError(error) : null;
  });

  readonly roles = computed(() => this.auth.rolesIn(this.proposal()?.iscmId));
  readonly permissions = computed(() => {
    const proposal = this.proposal();
    return proposal ? proposalPermissions(proposal.status, this.roles(), proposal.submissionStatus) : NO_PERMISSIONS;
  });

  readonly kindLabel = computed(() => {
    const proposal = this.proposal();
    return proposal ? this.reference.kindLabel(proposal.kind) : '';
  });
  readonly objectives = computed<readonly GcmObjective[]>(() =>
    (this.proposal()?.gcmObjectives ?? []).map((n) => this.reference.objective(n)),
  );

  /** The member state each delegate of the proposal's workspaces represents, by user id. */
  private readonly memberStates = computed(() => {
    const states = new Map<string, MemberStateDto>();
    for (const workspace of this.workspaces.hasValue() ? this.workspaces.value() : []) {
      for (const member of workspace.members) {
        if (member.memberState) states.set(member.userId, member.memberState);
      }
    }
    return states;
  });

  private readonly memberNames = computed(() => {
    const names = new Map<string, string>();
    for (const workspace of this.workspaces.hasValue() ? this.workspaces.value() : []) {
      for (const member of workspace.members) {
        names.set(member.userId, member.name);
      }
    }
    const me = this.auth.user();
    if (me) {
      names.set(me.id, me.name);
    }
    return names;
  });

  readonly pendingAction = signal<ProposalAction | null>(null);
  readonly actionError = signal<ApiError | null>(null);

  constructor() {
    const poll = setInterval(() => this.refresh(), REFRESH_INTERVAL_MS);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(poll);
      this.refreshTimers.forEach((timer) => clearTimeout(timer));
    });
  }

  /** Follows the proposal id (the page's route input). */
  connect(proposalId: Signal<string | undefined>): void {
    this.idSource.set(proposalId);
  }

  /**
   * Re-reads the proposal without a loading state, keeping what is shown when the read fails (a
   * lost session is handled by the auth interceptor). Resolves with the fresh detail, if any.
   */
  async refresh(): Promise<ProposalDetailDto | undefined> {
    const proposalId = this.proposalId();
    // Offline, a read can only fail; the next change or poll after reconnection catches up.
    const offline = this.navigator?.onLine === false;
    if (!proposalId || !this.proposal() || this.refreshing || this.pendingAction() || offline) {
      return this.proposal();
    }
    this.refreshing = true;
    try {
      const fresh = await firstValueFrom(this.api.get(proposalId));
      if (this.proposalId() === proposalId) {
        this.detail.set(fresh);
      }
      return fresh;
    } catch {
      return this.proposal();
    } finally {
      this.refreshing = false;
    }
  }

  /**
   * The text changed: re-read the proposal shortly (its revision and approval staleness move on),
   * debounced, and once more after the server's own debounced content-hash check.
   */
  refreshSoon(): void {
    this.refreshTimers.splice(0).forEach((timer) => clearTimeout(timer));
    for (const delay of REFRESH_AFTER_CHANGE_MS) {
      this.refreshTimers.push(setTimeout(() => void this.refresh(), delay));
    }
  }

  /** One revision's text and content hash, as the server computes them. */
  revision(revision: number): Promise<RevisionDto> {
    const proposalId = this.proposalId();
    if (!proposalId) {
      return Promise.reject(new ApiError(-1, [$localize`:@@proposal.notLoaded:The proposal is not loaded yet.`]));
    }
    return firstValueFrom(this.api.revision(proposalId, revision)).catch((error: unknown) => {
      throw toApiError(error);
    });
  }

  memberName(userId: string): string {
    return this.memberNames().get(userId) ?? userId;
  }

  /** The member state a delegate represents; null for anyone else (or someone not known here). */
  memberStateOf(userId: string): MemberStateDto | null {
    return this.memberStates().get(userId) ?? null;
  }

  reload(): void {
    this.detail.reload();
  }

  /** Sends the current revision (re-read first, so it names the latest text) for review. */
  async sendForReview(): Promise<ProposalDetailDto> {
    await this.refresh();
    return this.run('sendForReview', (id, proposal) =>
      this.api.sendForReview(id, { revision: proposal.currentRevision }),
    );
  }

  /** Approves `revision`; resolves with the approval the server recorded (with its content hash). */
  async approveRevision(revision: number, comment?: string): Promise<ApprovalDto | null> {
    const trimmed = comment?.trim();
    const fresh = await this.run('approve', (id) =>
      this.api.approve(id, trimmed ? { revision, comment: trimmed } : { revision }),
    );
    return fresh.approval;
  }

  requestChanges(revision: number, comment: string): Promise<ProposalDetailDto> {
    return this.run('requestChanges', (id) => this.api.requestChanges(id, { revision, comment: comment.trim() }));
  }

  /**
   * Circulates the current revision until `deadline` (an ISO date-time). The proposal is re-read
   * first, so the revision named is the newest (the server refuses any other).
   */
  async startSilence(deadline: string): Promise<ProposalDetailDto> {
    await this.refresh();
    return this.run('silence', (id, proposal) => this.api.startSilence(id, { revision: proposal.currentRevision, deadline }));
  }

  objectToSilence(reason: string): Promise<ProposalDetailDto> {
    return this.run('silence', (id) => this.api.objectToSilence(id, reason.trim()));
  }

  voidSilence(reason?: string): Promise<ProposalDetailDto> {
    return this.run('silence', (id) => this.api.voidSilence(id, reason?.trim() || undefined));
  }

  /** The member state the signed-in user represents in the proposal's workspace (a delegate), else null. */
  readonly myMemberState = computed(() => {
    const me = this.auth.user();
    return me ? this.memberStateOf(me.id) : null;
  });

  /** Co-sponsors the proposal for the member state the signed-in delegate represents. */
  coSponsor(): Promise<ProposalDetailDto> {
    return this.run('coSponsorship', (id) => this.api.coSponsor(id));
  }

  /** Withdraws the co-sponsorship of `memberState` (the signed-in delegate's). */
  withdrawCoSponsorship(memberState: string): Promise<ProposalDetailDto> {
    return this.run('coSponsorship', (id) => this.api.withdrawCoSponsorship(id, memberState));
  }

  withdraw(): Promise<ProposalDetailDto> {
    return this.run('withdraw', (id) => this.api.withdraw(id));
  }

  clearActionError(): void {
    this.actionError.set(null);
  }

  /** Runs one command, then re-reads the proposal so the page shows the server's view of it. */
  private async run(
    action: ProposalAction,
    command: (proposalId: string, proposal: ProposalDetailDto) => Observable<unknown>,
  ): Promise<ProposalDetailDto> {
    const proposal = this.proposal();
    const proposalId = this.proposalId();
    if (!proposal || !proposalId) {
      throw new ApiError(-1, [$localize`:@@proposal.notLoaded:The proposal is not loaded yet.`]);
    }
    this.pendingAction.set(action);
    this.actionError.set(null);
    try {
      await firstValueFrom(command(proposalId, proposal));
    } catch (error) {
      const apiError = toApiError(error);
      this.actionError.set(apiError);
      this.pendingAction.set(null);
      throw apiError;
    }
    try {
      const fresh = await firstValueFrom(this.api.get(proposalId));
      this.detail.set(fresh);
      return fresh;
    } catch {
      // The command was accepted; only the re-read failed, which the page shows as a load error.
      this.detail.reload();
      return proposal;
    } finally {
      this.pendingAction.set(null);
    }
  }
}
