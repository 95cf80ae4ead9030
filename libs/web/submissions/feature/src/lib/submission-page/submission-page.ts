import { type CdkDragDrop, DragDropModule } from '@angular/cdk/drag-drop';
import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatDialog } from '@angular/material/dialog';
import { MatTableModule } from '@angular/material/table';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { type SectionView, SubmissionStore } from '@concord/web/submissions/data-access';
import { DocumentsApi, DownloadTask } from '@concord/web/documents/data-access';
import { ApprovalStateLabel, EmptyState, ErrorState, ExportControls, type ExportRequest, LoadingState, StatusChip } from '@concord/web/shared/ui';
import { NewProposalDialog } from '../new-proposal-dialog/new-proposal-dialog';
import { SubmissionAmendments } from '../submission-amendments/submission-amendments';
import { SubmissionLifecycle } from '../submission-lifecycle/submission-lifecycle';

type PageState = 'loading' | 'error' | 'ready';
type TableState = 'loading' | 'error' | 'empty' | 'ready';
type MoveControl = 'up' | 'down' | 'move' | 'section';

/** Questions are long: the section select shows their beginning (the heading shows them whole). */
const SHORT_QUESTION = 70;
/** How much of a section's introduction its header shows. */
const INTRODUCTION_EXCERPT = 280;

@Component({
  selector: 'cc-submission-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    DragDropModule,
    MatButtonModule,
    MatChipsModule,
    MatTableModule,
    MatTooltipModule,
    RouterLink,
    ApprovalStateLabel,
    EmptyState,
    ErrorState,
    ExportControls,
    LoadingState,
    StatusChip,
    SubmissionAmendments,
    SubmissionLifecycle,
  ],
  providers: [SubmissionStore],
  templateUrl: './submission-page.html',
  styleUrl: './submission-page.scss',
})
export class SubmissionPage {
  private readonly store = inject(SubmissionStore);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly documents = inject(DocumentsApi);
  /** The submission as DOCX or PDF (issue 13); progress and failures shown beside the buttons. */
  protected readonly download = new DownloadTask();

  /** The submission id, bound from the route. */
  readonly id = input.required<string>();

  protected readonly submission = this.store.submission;
  protected readonly rows = this.store.proposalRows;
  protected readonly canCreateProposal = this.store.canCreateProposal;
  protected readonly sections = this.store.sections;
  protected readonly canArrange = this.store.canArrange;
  protected readonly placing = this.store.placing;
  protected readonly placementError = this.store.placementError;
  protected readonly addingIntroduction = this.store.addingIntroduction;
  protected readonly introductionTexts = this.store.introductionTexts;
  /** Why the last "Add an introduction" failed (the server's reason), or null. */
  protected readonly introductionError = signal<string | null>(null);
  /** Said by a polite live region after each move, for screen reader users. */
  protected readonly placementStatus = signal('');
  protected readonly columns = computed(() =>
    this.canArrange() ? ['title', 'kind', 'objectives', 'status', 'approval', 'arrange'] : ['title', 'kind', 'objectives', 'status', 'approval'],
  );

  protected readonly pageState = computed<PageState>(() => {
    if (this.store.loadError()) {
      return 'error';
    }
    return this.submission() ? 'ready' : 'loading';
  });
  protected readonly loadErrorMessage = computed(() => this.store.loadError()?.message ?? '');

  protected readonly tableState = computed<TableState>(() => {
    if (this.store.proposalsLoading()) {
      return 'loading';
    }
    if (this.store.proposalsError()) {
      return 'error';
    }
    return this.rows().length === 0 ? 'empty' : 'ready';
  });
  protected readonly proposalsErrorMessage = computed(() => this.store.proposalsError()?.message ?? '');

  constructor() {
    this.store.connect(this.id);
  }

  protected reload(): void {
    this.store.reload();
  }

  protected reloadProposals(): void {
    this.store.reloadProposals();
  }

  protected sectionTableLabel(section: SectionView): string {
    return $localize`:@@submission.sectionTable:Proposals of section ${section.number}:number:`;
  }

  /** The first lines of an introduction: its beginning, up to about three lines. */
  protected introductionExcerpt(id: string): string {
    const text = (this.introductionTexts().get(id) ?? '').replace(/\s+/g, ' ').trim();
    return text.length > INTRODUCTION_EXCERPT ? `${text.slice(0, INTRODUCTION_EXCERPT - 1).trimEnd()}…` : text;
  }

  protected introductionLinkDetail(section: SectionView): string {
    return $localize`:@@submission.introductionLinkDetail: (section ${section.number}:number:)`;
  }

  protected addIntroductionLabel(section: SectionView): string {
    return $localize`:@@submission.addIntroductionLabel:Add an introduction to section ${section.number}:number:`;
  }

  /** Creates the section's introduction and opens its editor (the proposal page, which co-edits). */
  protected async addIntroduction(sectionId: string): Promise<void> {
    this.introductionError.set(null);
    try {
      const proposalId = await this.store.addIntroduction(sectionId);
      await this.router.navigate(['/proposals', proposalId]);
    } catch (error) {
      this.introductionError.set((error as { message?: string }).message ?? String(error));
    }
  }

  protected moveUpLabel(title: string): string {
    return $localize`:@@submission.moveUpLabel:Move up “${title}:title:”`;
  }

  protected moveDownLabel(title: string): string {
    return $localize`:@@submission.moveDownLabel:Move down “${title}:title:”`;
  }

  protected sectionSelectLabel(title: string): string {
    return $localize`:@@submission.sectionSelectLabel:Section of “${title}:title:”`;
  }

  protected moveToSectionLabel(title: string): string {
    return $localize`:@@submission.moveToSectionLabel:Move “${title}:title:” to the section chosen`;
  }

  protected shortQuestion(question: string): string {
    return question.length > SHORT_QUESTION ? `${question.slice(0, SHORT_QUESTION - 1).trimEnd()}…` : question;
  }

  /** One place up in its section; from the top of a section, to the end of the section before. */
  protected moveUp(proposalId: string, sectionIndex: number, index: number): void {
    const sections = this.sections();
    if (index > 0) {
      void this.place(proposalId, sectionIndex, index - 1, 'up');
    } else if (sectionIndex > 0) {
      void this.place(proposalId, sectionIndex - 1, sections[sectionIndex - 1].rows.length, 'up');
    }
  }

  /** One place down in its section; from the bottom of a section, to the top of the section after. */
  protected moveDown(proposalId: string, sectionIndex: number, index: number): void {
    const sections = this.sections();
    if (index < sections[sectionIndex].rows.length - 1) {
      void this.place(proposalId, sectionIndex, index + 1, 'down');
    } else if (sectionIndex < sections.length - 1) {
      void this.place(proposalId, sectionIndex + 1, 0, 'down');
    }
  }

  /**
   * To the end of the section chosen in the row's select, when its "Move" button is pressed (choosing
   * in the select alone changes nothing: arrow keys step through it). Already there: said, not sent.
   */
  protected moveToSection(proposalId: string, fromSectionIndex: number, value: string): void {
    const target = Number(value);
    const section = this.sections()[target];
    if (!Number.isInteger(target) || !section) return;
    if (target === fromSectionIndex) {
      const title = this.rows().find((row) => row.id === proposalId)?.title ?? '';
      this.placementStatus.set(
        $localize`:@@submission.alreadyInSection:“${title}:title:” is already in section ${section.number}:section:. Choose another section, then Move.`,
      );
      return;
    }
    void this.place(proposalId, target, section.rows.length, 'move');
  }

  /** A row dropped by mouse or touch: at the index it was dropped at, in the section it was dropped on. */
  protected dropped(event: CdkDragDrop<number>): void {
    const proposalId = event.item.data as string;
    if (event.container.data === event.previousContainer.data && event.currentIndex === event.previousIndex) return;
    void this.place(proposalId, event.container.data, event.currentIndex, 'section');
  }

  protected dismissPlacementError(): void {
    this.store.dismissPlacementError();
  }

  private async place(proposalId: string, sectionIndex: number, index: number, control: MoveControl): Promise<void> {
    const section = this.sections()[sectionIndex];
    const title = this.rows().find((row) => row.id === proposalId)?.title ?? '';
    if (!(await this.store.place(proposalId, section.id, index))) {
      this.placementStatus.set('');
      return;
    }
    const placed = this.sections().find((s) => s.id === section.id);
    const position = (placed?.rows.findIndex((row) => row.id === proposalId) ?? index) + 1;
    this.placementStatus.set(
      $localize`:@@submission.placed:“${title}:title:” is now number ${position}:position: in section ${section.number}:section:.`,
    );
    // The row has moved (perhaps to another table): keep the keyboard on the control used.
    afterNextRender(() => this.focusControl(proposalId, control), { injector: this.injector });
  }

  private focusControl(proposalId: string, control: MoveControl): void {
    const cell = Array.from(this.host.nativeElement.querySelectorAll<HTMLElement>('.cc-arrange')).find((el) => el.dataset['proposalId'] === proposalId);
    const wanted = cell?.querySelector<HTMLElement>(`[data-action="${control}"]:not([disabled])`);
    (wanted ?? cell?.querySelector<HTMLElement>('[data-action="section"]'))?.focus();
  }

  protected openNewProposalDialog(): void {
    this.dialog
      .open<NewProposalDialog, void, string>(NewProposalDialog, {
        injector: this.injector,
        width: '640px',
        maxWidth: '95vw',
        autoFocus: 'first-tabbable',
      })
      .afterClosed()
      .subscribe((proposalId) => {
        if (proposalId) {
          void this.router.navigate(['/proposals', proposalId]);
        }
      });
  }

  protected exportSubmission(request: ExportRequest): void {
    void this.download.run(request.format, () => this.documents.submissionExport(this.id(), request));
  }

}
