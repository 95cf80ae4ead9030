import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { type AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, type ValidationErrors } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import {
  type AuditLogFilters,
  KNOWN_EVENT_TYPES,
  NO_FILTERS,
  SYSTEM_USER_ID,
  type UserOption,
  type WorkspaceOption,
} from '@concord/web/audit/data-access';
import { fromLocalInputValue, toLocalInputValue } from './local-time';

type FilterForm = Record<keyof AuditLogFilters, string>;

function timeRangeInOrder(group: AbstractControl): ValidationErrors | null {
  const { from, to } = group.value as FilterForm;
  return from && to && fromLocalInputValue(from) >= fromLocalInputValue(to) ? { timeRange: true } : null;
}

/** The event-log filters: workspace, stream (exact or prefix*), type, user and time range. */
@Component({
  selector: 'cc-event-log-filters',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, MatAutocompleteModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  templateUrl: './event-log-filters.html',
  styleUrl: './event-log-filters.scss',
})
export class EventLogFilters {
  /** The filters in effect; the form shows them whenever they change. */
  readonly filters = input<AuditLogFilters>(NO_FILTERS);
  readonly workspaces = input<readonly WorkspaceOption[]>([]);
  /** Everyone in the visible workspaces, offered when no workspace is chosen. */
  readonly allMembers = input<readonly UserOption[]>([]);

  readonly apply = output<AuditLogFilters>();
  readonly clear = output<void>();

  protected readonly systemUserId = SYSTEM_USER_ID;

  protected readonly form = inject(NonNullableFormBuilder).group(
    { iscmId: '', stream: '', type: '', userId: '', from: '', to: '' },
    { validators: timeRangeInOrder },
  );

  private readonly chosenWorkspace = toSignal(this.form.controls.iscmId.valueChanges, { initialValue: '' });
  private readonly typedType = toSignal(this.form.controls.type.valueChanges, { initialValue: '' });

  protected readonly users = computed(() => {
    const iscmId = this.chosenWorkspace();
    return iscmId ? (this.workspaces().find((w) => w.id === iscmId)?.members ?? []) : this.allMembers();
  });
  protected readonly typeSuggestions = computed(() => {
    const typed = this.typedType().trim().toLowerCase();
    return KNOWN_EVENT_TYPES.filter((type) => type.toLowerCase().includes(typed));
  });

  constructor() {
    effect(() => {
      const filters = this.filters();
      this.form.setValue({ ...filters, from: toLocalInputValue(filters.from), to: toLocalInputValue(filters.to) });
    });
    // Someone who is not a member of the newly chosen workspace cannot be the user filtered by.
    effect(() => {
      const userId = this.form.controls.userId.value;
      const users = this.users();
      if (userId && userId !== SYSTEM_USER_ID && this.workspaces().length > 0 && !users.some((u) => u.userId === userId)) {
        this.form.controls.userId.setValue('');
      }
    });
  }

  protected applyFilters(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const value = this.form.getRawValue();
    this.apply.emit({ ...value, from: fromLocalInputValue(value.from), to: fromLocalInputValue(value.to) });
  }

  protected clearFilters(): void {
    this.clear.emit();
  }
}
