import { Injectable, type Signal, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { ApprovalDto, ProposalDetailDto } from '@concord/contracts';
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

export type ProposalAction = 'sendForReview' | 'approve' | 'requestChanges' | 'withdraw';

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

  private readonly idSource = signal<Signal<string | undefined>>(signal(undefined));
  readonly proposalId = computed(() => this.idSource()());

  private readonly detail = rxResource({
    params: () => this.proposalId(),
    stream: ({ params: proposalId }) => this.api.get(proposalId),
  });
  /** Only to show members' names instead of their ids. */
  private readonly workspaces = rxResource({ stream: () => this.workspacesApi.listMine() });

  readonly proposal = computed(() => (this.detail.hasValue() ? this.detail.value() : undefined));
  readonly isLoading = computed(() => this.detail.isLoading() && !this.proposal());
  readonly loadError = computed(() => {
    const error = this.detail.error();
    return error ? toApiError(error) : null;
  });

  readonly roles = computed(() => this.auth.rolesIn(this.proposal()?.iscmId));
  readonly permissions = computed(() => {
    const proposal = this.proposal();
    return proposal ? proposalPermissions(proposal.status, this.roles()) : NO_PERMISSIONS;
  });

  readonly kindLabel = computed(() => {
    const proposal = this.proposal();
    return proposal ? this.reference.kindLabel(proposal.kind) : '';
  });
  readonly objectives = computed<readonly GcmObjective[]>(() =>
    (this.proposal()?.gcmObjectives ?? []).map((n) => this.reference.objective(n)),
  );

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

  /** Follows the proposal id (the page's route input). */
  connect(proposalId: Signal<string | undefined>): void {
    this.idSource.set(proposalId);
  }

  memberName(userId: string): string {
    return this.memberNames().get(userId) ?? userId;
  }

  reload(): void {
    this.detail.reload();
  }

  sendForReview(): Promise<ProposalDetailDto> {
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
