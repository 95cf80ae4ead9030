import { Injectable, type Signal, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import type { CreateProposalRequest, ProposalStatus, ProposalSummaryDto } from '@concord/contracts';
import { INTRODUCTION_KIND, OTHER_CONTRIBUTIONS } from '@concord/contracts';
import { AuthStore, type GcmObjective, ReferenceDataStore, toApiError } from '@concord/web/core/data-access';
import { ProposalsApi } from '@concord/web/proposals/data-access';
import { catchError, firstValueFrom, forkJoin, map, of } from 'rxjs';
import { NO_SUBMISSION_PERMISSIONS, type SubmissionPermissions, submissionPermissions } from './submission-permissions';
import { type SubmissionLifecycleAction, SubmissionsApi } from './submissions-api';

/** One row of the submission's proposals table, ready to display. */
export interface ProposalRow {
  id: string;
  title: string;
  kindLabel: string;
  objectives: readonly GcmObjective[];
  status: ProposalStatus;
  approval: Pick<ProposalSummaryDto, 'approvedRevision' | 'approvalStale'>;
  currentRevision: number;
  /** A section's introduction (kind `introduction`), shown under its section's question, not as a row. */
  introduction: boolean;
}

export type NewProposal = Omit<CreateProposalRequest, 'submissionId'>;

/** One section of the submission: a guiding question of its consultation (or "Other contributions") and its proposals in order. */
export interface SectionView {
  /** The question's id, or null for "Other contributions". */
  id: string | null;
  number: number;
  question: string;
  rows: readonly ProposalRow[];
  /** The section's introduction (a proposal of kind `introduction`), or null; never among `rows`. */
  introduction: ProposalRow | null;
}

/**
 * One submission's page state: the submission, its proposals as table rows, and creating a
 * proposal. Provided by the submission page, so it lives as long as the page.
 */
@Injectable()
export class SubmissionStore {
  private readonly submissionsApi = inject(SubmissionsApi);
  private readonly proposalsApi = inject(ProposalsApi);
  private readonly auth = inject(AuthStore);
  private readonly reference = inject(ReferenceDataStore);

  private readonly idSource = signal<Signal<string | undefined>>(signal(undefined));
  readonly submissionId = computed(() => this.idSource()());

  private readonly submissionResource = rxResource({
    params: () => this.submissionId(),
    stream: ({ params: submissionId }) => this.submissionsApi.get(submissionId),
  });
  // The API lists every proposal the caller may see; this page keeps the submission's own.
  private readonly proposalsResource = rxResource({
    params: () => this.submissionId(),
    stream: () => this.proposalsApi.list(),
  });

  readonly submission = computed(() =>
    this.submissionResource.hasValue() ? this.submissionResource.value() : undefined,
  );
  readonly isLoading = computed(() => this.submissionResource.isLoading() && !this.submission());
  readonly loadError = computed(() => {
    const error = this.submissionResource.error();
    return error ? toApiError(error) : null;
  });

  readonly proposalsLoading = computed(() => this.proposalsResource.isLoading() && !this.proposalsResource.hasValue());
  readonly proposalsError = computed(() => {
    const error = this.proposalsResource.error();
    return error ? toApiError(error) : null;
  });
  readonly proposalRows = computed<readonly ProposalRow[]>(() => {
    const submissionId = this.submissionId();
    const proposals = this.proposalsResource.hasValue() ? this.proposalsResource.value() : [];
    return proposals
      .filter((p) => p.submissionId === submissionId)
      .map((p) => ({
        id: p.id,
        title: p.title,
        kindLabel: this.reference.kindLabel(p.kind),
        objectives: p.gcmObjectives.map((n) => this.reference.objective(n)),
        status: p.status,
        approval: { approvedRevision: p.approvedRevision, approvalStale: p.approvalStale },
        currentRevision: p.currentRevision,
        introduction: p.kind === INTRODUCTION_KIND,
      }));
  });

  /**
   * The submission as its sections, each with its proposals' rows in the submission's order. A
   * proposal the proposal list knows but the submission does not place yet (just created) is shown
   * last under "Other contributions".
   */
  readonly sections = computed<readonly SectionView[]>(() => {
    const submission = this.submission();
    if (!submission) return [];
    const rows = new Map(this.proposalRows().map((row) => [row.id, row]));
    const placed = new Set<string>();
    const sections = (submission.sections ?? []).map((section) => {
      section.proposalIds.forEach((id) => placed.add(id));
      const introductionId = section.introductionId ?? null;
      if (introductionId) placed.add(introductionId);
      return {
        id: section.id,
        number: section.number,
        question: section.question,
        rows: section.proposalIds.map((id) => rows.get(id)).filter((row): row is ProposalRow => row !== undefined),
        introduction: introductionId ? (rows.get(introductionId) ?? null) : null,
      };
    });
    // An introduction the submission does not name yet (just created) is no proposal of Other.
    const unplaced = [...rows.values()].filter((row) => !placed.has(row.id) && !row.introduction);
    const other = sections.find((section) => section.id === null);
    if (other) other.rows.push(...unplaced);
    else sections.push({ id: null, number: sections.length + 1, question: OTHER_CONTRIBUTIONS, rows: unplaced, introduction: null });
    return sections;
  });

  /** The introductions with a text, as `id@revision`, so their text is read again only when it changed. */
  private readonly introductionRevisions = computed(
    () =>
      this.sections()
        .flatMap((section) => (section.introduction && section.introduction.currentRevision > 0 ? [`${section.introduction.id}@${section.introduction.currentRevision}`] : []))
        .join(' '),
  );
  private readonly introductionTextsResource = rxResource({
    params: () => this.introductionRevisions(),
    stream: ({ params }) => {
      const refs = params.split(' ').filter(Boolean).map((ref) => ref.split('@'));
      if (refs.length === 0) return of(new Map<string, string>());
      // A text that cannot be read is shown as none (the link to the introduction stays).
      return forkJoin(
        refs.map(([id, revision]) =>
          this.submissionsApi.revision(id, Number(revision)).pipe(
            map((dto) => [id, dto.text] as const),
            catchError(() => of([id, ''] as const)),
          ),
        ),
      ).pipe(map((entries) => new Map<string, string>(entries)));
    },
  });
  /** The beginning of each introduction's current text (proposal id → text), for the section headers. */
  readonly introductionTexts = computed(() => (this.introductionTextsResource.hasValue() ? this.introductionTextsResource.value() : new Map<string, string>()));

  /** Drafters arrange the sections until the submission is submitted and locked. */
  readonly canArrange = computed(() => {
    const submission = this.submission();
    return !!submission && submission.status !== 'submitted' && this.auth.hasRole(submission.iscmId, 'drafter');
  });

  private readonly placementErrorState = signal<string | null>(null);
  /** Why the last placement failed, shown to the user; null once one succeeds. */
  readonly placementError = this.placementErrorState.asReadonly();
  private readonly placingState = signal(false);
  readonly placing = this.placingState.asReadonly();

  /**
   * Puts a proposal at `index` of a section (null: "Other contributions") and shows the submission
   * as the server answers it. Resolves true when placed; on failure the reason is in `placementError`
   * and the submission is read again, so what is shown is what was recorded.
   */
  async place(proposalId: string, sectionId: string | null, index: number): Promise<boolean> {
    const submissionId = this.submissionId();
    if (!submissionId) return false;
    this.placingState.set(true);
    try {
      const updated = await firstValueFrom(this.submissionsApi.place(submissionId, { proposalId, sectionId, index }));
      this.submissionResource.set(updated);
      this.placementErrorState.set(null);
      return true;
    } catch (error) {
      this.placementErrorState.set(toApiError(error).message);
      this.submissionResource.reload();
      return false;
    } finally {
      this.placingState.set(false);
    }
  }

  dismissPlacementError(): void {
    this.placementErrorState.set(null);
  }

  /** The life-cycle steps this user may take now (as the server's access policy would allow them). */
  readonly permissions = computed<SubmissionPermissions>(() => {
    const submission = this.submission();
    return submission
      ? submissionPermissions(submission.status, this.auth.rolesIn(submission.iscmId), Boolean(this.auth.user()?.isAdmin))
      : NO_SUBMISSION_PERMISSIONS;
  });

  private readonly actingState = signal<SubmissionLifecycleAction | null>(null);
  /** The step being sent to the server, or null. */
  readonly acting = this.actingState.asReadonly();
  private readonly actionErrorState = signal<string | null>(null);
  /** The server's reason for refusing the last step (e.g. proposals not yet approved); null once one succeeds. */
  readonly actionError = this.actionErrorState.asReadonly();

  /**
   * Sends a life-cycle step and shows the submission as the server answers it. Resolves true when
   * it was recorded; on a refusal the server's reason is in `actionError` and the submission and its
   * proposals are read again, so what is shown is what was recorded.
   */
  async act(action: SubmissionLifecycleAction): Promise<boolean> {
    const submissionId = this.submissionId();
    if (!submissionId || this.actingState()) return false;
    this.actingState.set(action);
    this.actionErrorState.set(null);
    try {
      const updated = await firstValueFrom(this.submissionsApi.act(submissionId, action));
      this.submissionResource.set(updated);
      this.proposalsResource.reload();
      return true;
    } catch (error) {
      this.actionErrorState.set(toApiError(error).message);
      this.reload();
      return false;
    } finally {
      this.actingState.set(null);
    }
  }

  dismissActionError(): void {
    this.actionErrorState.set(null);
  }

  /**
   * One step of the silence procedure on the whole submission: `start` (the deadline, ISO), `object`
   * or `void` (the reason). Resolves null once recorded (the submission shown as the server answers
   * it), else the server's reason — for the dialog to show; the page reads the submission again.
   */
  async silence(step: 'start' | 'object' | 'void', value: string): Promise<string | null> {
    const submissionId = this.submissionId();
    if (!submissionId) return 'The submission is not loaded.';
    try {
      const answer =
        step === 'start'
          ? this.submissionsApi.startSilence(submissionId, value)
          : step === 'object'
            ? this.submissionsApi.objectToSilence(submissionId, value.trim())
            : this.submissionsApi.voidSilence(submissionId, value.trim() || undefined);
      this.submissionResource.set(await firstValueFrom(answer));
      this.proposalsResource.reload();
      return null;
    } catch (error) {
      this.reload();
      return toApiError(error).message;
    }
  }

  private readonly addingIntroductionState = signal<string | null>(null);
  /** The section whose introduction is being created, or null. */
  readonly addingIntroduction = this.addingIntroductionState.asReadonly();

  /**
   * Creates the introduction of a guiding question's section; resolves with its proposal id (the
   * page opens its editor), rejects with an `ApiError` carrying the server's reason.
   */
  async addIntroduction(sectionId: string): Promise<string> {
    const submissionId = this.submissionId();
    if (!submissionId) {
      throw toApiError(new Error($localize`:@@submission.notLoaded:The submission is not loaded yet.`));
    }
    this.addingIntroductionState.set(sectionId);
    try {
      const created = await firstValueFrom(this.submissionsApi.addIntroduction(submissionId, sectionId));
      this.reload();
      return created.id;
    } catch (error) {
      this.submissionResource.reload();
      throw toApiError(error);
    } finally {
      this.addingIntroductionState.set(null);
    }
  }

  /** Drafters of the submission's workspace may add proposals until the submission is sent. */
  readonly canCreateProposal = computed(() => {
    const submission = this.submission();
    return !!submission && submission.status !== 'submitted' && this.auth.hasRole(submission.iscmId, 'drafter');
  });

  connect(submissionId: Signal<string | undefined>): void {
    this.idSource.set(submissionId);
  }

  reload(): void {
    this.submissionResource.reload();
    this.proposalsResource.reload();
  }

  reloadProposals(): void {
    this.proposalsResource.reload();
  }

  /** Creates a proposal in this submission; resolves with its id, rejects with an `ApiError`. */
  /** Starts a proposal from a Word document; answers its id. */
  async importProposal(proposal: NewProposal, file: File): Promise<string> {
    const submissionId = this.submissionId();
    if (!submissionId) {
      throw toApiError(new Error($localize`:@@submission.notLoaded:The submission is not loaded yet.`));
    }
    try {
      const imported = await firstValueFrom(this.proposalsApi.importFromWord(submissionId, { ...proposal, title: proposal.title.trim() }, file));
      this.proposalsResource.reload();
      return imported.proposal.id;
    } catch (error) {
      throw toApiError(error);
    }
  }

  async createProposal(proposal: NewProposal): Promise<string> {
    const submissionId = this.submissionId();
    if (!submissionId) {
      throw toApiError(new Error($localize`:@@submission.notLoaded:The submission is not loaded yet.`));
    }
    try {
      const created = await firstValueFrom(
        this.proposalsApi.create({ ...proposal, title: proposal.title.trim(), submissionId }),
      );
      this.proposalsResource.reload();
      return created.id;
    } catch (error) {
      throw toApiError(error);
    }
  }
}
