/** A kind of practical approach, from `practical-approach-types.json`. */
export interface ProposalKind {
  id: string;
  label: string;
  definition: string;
}

/** One of the 23 GCM objectives, from `gcm-objectives.json`. */
export interface GcmObjective {
  number: number;
  shortLabel: string;
  officialTitle: string;
  summary: string;
}

/** The shape of the reference files served from `/reference/` (only the fields the app reads). */
export interface PracticalApproachTypesFile {
  types: { id: string; label: string; definition: string }[];
}

export interface GcmObjectivesFile {
  objectives: { number: number; short_label: string; official_title: string; summary: string }[];
}

export const PRACTICAL_APPROACH_TYPES_URL = '/reference/practical-approach-types.json';
export const GCM_OBJECTIVES_URL = '/reference/gcm-objectives.json';
