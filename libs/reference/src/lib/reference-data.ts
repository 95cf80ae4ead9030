import gcmObjectivesFile from '../../data/gcm-objectives.json';
import iscmsFile from '../../data/iscms.json';
import memberStatesFile from '../../data/iscm-member-states.json';
import approachTypesFile from '../../data/practical-approach-types.json';
import consultationsFile from '../../data/gcm-consultations.json';

export interface IscmReference {
  id: string;
  name: string;
  abbreviation: string;
  type: 'RCP' | 'IRF' | 'global';
  regions: string[];
  year_established: number | null;
  secretariat: string | null;
  status: string;
}

export interface GcmObjective {
  number: number;
  official_title: string;
  short_label: string;
  summary: string;
  tag: string;
}

export interface PracticalApproachType {
  id: string;
  label: string;
  definition: string;
}

export const ISCMS: readonly IscmReference[] = iscmsFile.iscms as IscmReference[];
export const GCM_OBJECTIVES: readonly GcmObjective[] = gcmObjectivesFile.objectives;
export const PRACTICAL_APPROACH_TYPES: readonly PracticalApproachType[] = approachTypesFile.types;

export function findIscm(id: string): IscmReference | undefined {
  return ISCMS.find((iscm) => iscm.id === id);
}

export function isPracticalApproachType(kind: string): boolean {
  return PRACTICAL_APPROACH_TYPES.some((type) => type.id === kind);
}

export function isGcmObjective(number: number): boolean {
  return GCM_OBJECTIVES.some((objective) => objective.number === number);
}

/** A State taking part in an ISCM: English short name and ISO 3166-1 alpha-2 code. */
export interface MemberState {
  code: string;
  name: string;
}

const MEMBER_STATES: ReadonlyMap<string, readonly MemberState[]> = new Map(
  memberStatesFile.iscms.map((entry) => [entry.iscm_id, entry.member_states]),
);

/** The member states of an ISCM, by name; empty for an ISCM whose members the reference data does not list. */
export function memberStatesOf(iscmId: string): readonly MemberState[] {
  return MEMBER_STATES.get(iscmId) ?? [];
}

/** The member state of `iscmId` with ISO alpha-2 `code` (exact, upper case), if it is one. */
export function findMemberState(iscmId: string, code: string): MemberState | undefined {
  return memberStatesOf(iscmId).find((state) => state.code === code);
}

/** One guiding question of a GCM consultation; its `id` is stable (submissions place proposals by it). */
export interface ConsultationQuestion {
  id: string;
  question: string;
}

/**
 * A GCM consultation an ISCM submission is written for: one of the six informal thematic sessions of
 * 2017, with the guiding questions its submissions are sectioned by, in order (empty when the
 * reference data has no source for them).
 */
export interface GcmConsultation {
  id: string;
  number: number;
  title: string;
  theme: string;
  venue: string;
  /** ISO dates (yyyy-mm-dd). */
  start_date: string;
  end_date: string;
  /** Where the questions come from: `compiled-for-concord` (worded for Concord, verify), or null when there are none. */
  questions_source: string | null;
  questions: readonly ConsultationQuestion[];
}

export const GCM_CONSULTATIONS: readonly GcmConsultation[] = consultationsFile.consultations;

export function findConsultation(id: string): GcmConsultation | undefined {
  return GCM_CONSULTATIONS.find((consultation) => consultation.id === id);
}
