import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { AuditLogStore, ChainVerificationStore, CheckpointsStore, ProposalReplayStore } from '@concord/web/audit/data-access';
import { ChainVerificationStatus } from '../chain-verification-status/chain-verification-status';
import { EventLog } from '../event-log/event-log';
import { ProposalReplay } from '../proposal-replay/proposal-replay';
import { SignedCheckpoints } from '../signed-checkpoints/signed-checkpoints';

const EVENT_LOG_TAB = 0;

/** The audit workspace: hash-chain verification, the event log, and per-proposal replay. */
@Component({
  selector: 'cc-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatTabsModule, ChainVerificationStatus, EventLog, ProposalReplay, SignedCheckpoints],
  providers: [AuditLogStore, ChainVerificationStore, ProposalReplayStore, CheckpointsStore],
  templateUrl: './audit-page.html',
  styleUrl: './audit-page.scss',
})
export class AuditPage {
  private readonly log = inject(AuditLogStore);
  private readonly verification = inject(ChainVerificationStore);

  protected readonly verificationResult = this.verification.result;
  protected readonly verificationLoading = this.verification.isLoading;
  protected readonly verificationRunning = this.verification.isRunning;
  protected readonly verificationError = computed(() => this.verification.error()?.message ?? null);
  protected readonly firstBreak = computed(() => this.verification.result()?.firstBreak ?? null);
  protected readonly selectedTab = signal(EVENT_LOG_TAB);

  constructor() {
    this.verification.loadLast();
    this.log.resetFilters();
  }

  protected rerunVerification(): void {
    this.verification.rerun();
  }

  protected showStreamInLog(stream: string): void {
    this.log.applyFilters({ stream });
    this.selectedTab.set(EVENT_LOG_TAB);
  }
}
