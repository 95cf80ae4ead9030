export interface AuditEventDto {
  position: number;
  stream: string;
  revision: number;
  type: string;
  userId: string;
  at: string;
  /** JSON data, or for binary payloads `{ binary: true, bytes: n }`. */
  data: unknown;
  metadata: Record<string, unknown>;
}

export interface AuditEventPage {
  items: AuditEventDto[];
  next: number | null;
}

export interface ChainVerificationDto {
  ok: boolean;
  streamsChecked: number;
  eventsChecked: number;
  checkedAt: string;
  firstBreak: { stream: string; revision: number | null; reason: string } | null;
}

export interface HealthDto {
  status: 'ok';
  eventStore: string;
  headPosition: number;
  version: string;
}

export interface ApiErrorDto {
  statusCode: number;
  error: string;
  message: string | string[];
}
