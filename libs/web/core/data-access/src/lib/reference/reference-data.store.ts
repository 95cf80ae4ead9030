import { INTRODUCTION_KIND } from '@concord/contracts';
import { httpResource } from '@angular/common/http';
import { Injectable, computed } from '@angular/core';
import { toApiError } from '../http/api-error';
import {
  GCM_OBJECTIVES_URL,
  type GcmObjective,
  type GcmObjectivesFile,
  PRACTICAL_APPROACH_TYPES_URL,
  type PracticalApproachTypesFile,
  type ProposalKind,
} from './reference-data';

/**
 * The pickers' reference data (kinds of practical approach, GCM objectives), read once from the
 * static files the app ships and shared by every page.
 */
@Injectable({ providedIn: 'root' })
export class ReferenceDataStore {
  private readonly kindsFile = httpResource<PracticalApproachTypesFile>(() => PRACTICAL_APPROACH_TYPES_URL);
  private readonly objectivesFile = httpResource<GcmObjectivesFile>(() => GCM_OBJECTIVES_URL);

  readonly kinds = computed<readonly ProposalKind[]>(() =>
    this.kindsFile.hasValue()
      ? this.kindsFile.value().types.map(({ id, label, definition }) => ({ id, label, definition }))
      : [],
  );

  readonly objectives = computed<readonly GcmObjective[]>(() =>
    this.objectivesFile.hasValue()
      ? this.objectivesFile.value().objectives.map((o) => ({
          number: o.number,
          shortLabel: o.short_label,
          officialTitle: o.official_title,
          summary: o.summary,
        }))
      : [],
  );

  readonly isLoading = computed(() => this.kindsFile.isLoading() || this.objectivesFile.isLoading());

  readonly error = computed(() => {
    const error = this.kindsFile.error() ?? this.objectivesFile.error();
    return error ? toApiError(error) : null;
  });

  private readonly kindsById = computed(() => new Map(this.kinds().map((k) => [k.id, k])));
  private readonly objectivesByNumber = computed(() => new Map(this.objectives().map((o) => [o.number, o])));

  /** The kind's label, or its id while the reference data is not (yet) available. */
  kindLabel(kindId: string): string {
    if (kindId === INTRODUCTION_KIND) return $localize`:@@reference.introductionKind:Section introduction`;
    return this.kindsById().get(kindId)?.label ?? kindId;
  }

  objective(objectiveNumber: number): GcmObjective {
    return (
      this.objectivesByNumber().get(objectiveNumber) ?? {
        number: objectiveNumber,
        shortLabel: $localize`:@@reference.objectiveFallback:Objective ${objectiveNumber}:number:`,
        officialTitle: '',
        summary: '',
      }
    );
  }

  reload(): void {
    this.kindsFile.reload();
    this.objectivesFile.reload();
  }
}
