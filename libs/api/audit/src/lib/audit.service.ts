import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AuditEventDto, AuditEventPage, ChainVerificationDto, CheckpointDto, CheckpointListDto } from '@concord/contracts';
import { streamHeadInclusionProofs, streamHeadsMerkleRoot } from '@concord/integrity';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '@concord/event-store';
import { CHECKPOINT_STREAM, SignedCheckpoint, tailStreamHeadsAt, verifyEventStore } from '@concord/event-log-tools';
import { Principal, READ_MODEL_DATABASE, ReadModelDatabase, rootLogger } from '@concord/api/platform';
import type { AuditQueryDto } from './audit-query.dto';
import { CheckpointSigner } from './checkpoint-signer';

interface IndexRow {
  position: number;
  stream: string;
  revision: number;
}

/** Fields never shown, even to auditors: they are secrets, not history. */
const REDACTED_FIELDS = ['passwordHash', 'secret', 'recoveryCodeHashes', 'tokenHash', 'codeHash'];

function presentData(event: RecordedEvent): unknown {
  if (event.data instanceof Uint8Array) return { binary: true, bytes: event.data.byteLength };
  if (event.data && typeof event.data === 'object' && !Array.isArray(event.data)) {
    return Object.fromEntries(
      Object.entries(event.data).map(([key, value]) => [key, REDACTED_FIELDS.includes(key) ? '[redacted]' : value]),
    );
  }
  return event.data;
}

function toCheckpointDto(event: RecordedEvent): CheckpointDto {
  return { ...(event.data as unknown as SignedCheckpoint), eventPosition: event.position } as CheckpointDto;
}

const CHECKPOINT_PAGE = 500;

function toDto(event: RecordedEvent): AuditEventDto {
  return {
    position: event.position,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    userId: event.metadata.userId,
    at: event.metadata.at,
    data: presentData(event),
    metadata: { ...event.metadata },
  };
}

@Injectable()
export class AuditService {
  private lastVerification: ChainVerificationDto | null = null;
  private readonly log = rootLogger.child({ context: 'Audit' });

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly signer: CheckpointSigner,
  ) {}

  /**
   * Workspaces the caller audits (auditor or admin there); null means every stream (a platform
   * administrator, who is the platform auditor: user streams and email reservations belong to no
   * workspace, so only they see those).
   */
  private async auditedWorkspaces(principal: Principal): Promise<string[] | null> {
    if (principal.isAdmin) return null;
    const rows = await this.db.query<{ iscm_id: string }>(
      `SELECT DISTINCT iscm_id FROM rm_members WHERE user_id = ? AND role IN ('auditor', 'admin')`,
      [principal.userId],
    );
    if (rows.length === 0) throw new ForbiddenException('Only auditors and administrators may read the event log');
    return rows.map((row) => row.iscm_id);
  }

  async events(principal: Principal, query: AuditQueryDto): Promise<AuditEventPage> {
    const workspaces = await this.auditedWorkspaces(principal);
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (condition: string, value: unknown) => {
      conditions.push(condition);
      params.push(value);
    };
    where('position > ?', query.after ?? 0);
    if (workspaces) {
      conditions.push(`iscm_id IN (${workspaces.map(() => '?').join(',')})`);
      params.push(...workspaces);
    }
    if (query.iscmId) where('iscm_id = ?', query.iscmId);
    if (query.stream?.endsWith('*')) where('stream LIKE ?', query.stream.slice(0, -1).replace(/[%_]/g, '') + '%');
    else if (query.stream) where('stream = ?', query.stream);
    if (query.type) where('type = ?', query.type);
    if (query.userId) where('user_id = ?', query.userId);
    if (query.from) where('at >= ?', new Date(query.from).toISOString());
    if (query.to) where('at < ?', new Date(query.to).toISOString());
    const limit = query.limit ?? 50;
    const rows = await this.db.query<IndexRow>(
      `SELECT position, stream, revision FROM rm_event_index WHERE ${conditions.join(' AND ')} ORDER BY position LIMIT ?`,
      [...params, limit + 1],
    );
    const page = rows.slice(0, limit);
    const items = await Promise.all(page.map((row) => this.load(row)));
    return { items: items.map(toDto), next: rows.length > limit ? page[page.length - 1].position : null };
  }

  async event(principal: Principal, position: number): Promise<AuditEventDto> {
    const workspaces = await this.auditedWorkspaces(principal);
    const [row] = await this.db.query<IndexRow & { iscm_id: string | null }>(
      'SELECT position, stream, revision, iscm_id FROM rm_event_index WHERE position = ?',
      [position],
    );
    if (!row || (workspaces && !(row.iscm_id && workspaces.includes(row.iscm_id)))) {
      throw new NotFoundException(`No event at position ${position} that you may read`);
    }
    return toDto(await this.load(row));
  }

  /**
   * Re-checks hash chains: every stream for a platform administrator (the last run is cached for
   * `?cached=true`); only the streams of the workspaces they audit for anyone else, so a report
   * never names another workspace's stream.
   */
  async verify(principal: Principal, rerun: boolean): Promise<ChainVerificationDto> {
    const workspaces = await this.auditedWorkspaces(principal);
    if (workspaces) {
      const streams = await this.streamsOf(workspaces);
      return this.runVerification({ streamFilter: (stream) => streams.has(stream) }, { workspaces });
    }
    if (this.lastVerification && !rerun) return this.lastVerification;
    this.lastVerification = await this.runVerification({}, { workspaces: 'all' });
    return this.lastVerification;
  }

  private async runVerification(
    options: { streamFilter?: (stream: string) => boolean },
    scope: { workspaces: string[] | 'all' },
  ): Promise<ChainVerificationDto> {
    const started = Date.now();
    const result = await verifyEventStore(this.store, options);
    const verification: ChainVerificationDto = {
      ok: result.ok,
      streamsChecked: result.streamsChecked,
      eventsChecked: result.eventsChecked,
      checkedAt: new Date().toISOString(),
      firstBreak: result.firstBreak,
    };
    const log = result.ok ? this.log.info.bind(this.log) : this.log.error.bind(this.log);
    log({ ...verification, ...scope, ms: Date.now() - started }, result.ok ? 'hash chains verified' : 'hash chain BROKEN');
    return verification;
  }

  /** Streams whose events belong to these workspaces (the audit index maps each event to one). */
  private async streamsOf(workspaces: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.query<{ stream: string }>(
      `SELECT DISTINCT stream FROM rm_event_index WHERE iscm_id IN (${workspaces.map(() => '?').join(',')})`,
      [...workspaces],
    );
    return new Set(rows.map((row) => row.stream));
  }

  /** Signed checkpoints, newest first, with this node's public key. */
  async checkpoints(principal: Principal, limit = 50): Promise<CheckpointListDto> {
    await this.auditedWorkspaces(principal);
    const key = this.signer.publicKey;
    let events: RecordedEvent[] = [];
    try {
      events = await this.store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: limit });
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return { publicKey: key?.pem ?? null, publicKeyFingerprint: key?.fingerprint ?? null, items: events.map(toCheckpointDto) };
  }

  /**
   * The checkpoint signed at `globalPosition` — the file an auditor keeps — with every stream head
   * its root was computed from (platform administrator), or with inclusion proofs of the heads of
   * the audited workspaces' streams only (anyone else): the signed root and stream count are
   * the same, the other leaves stay hidden. Refused (409) if the log no longer reproduces the root.
   */
  async checkpoint(principal: Principal, globalPosition: number): Promise<CheckpointDto> {
    const workspaces = await this.auditedWorkspaces(principal);
    const event = await this.findCheckpoint(globalPosition);
    if (!event) throw new NotFoundException(`No checkpoint was signed at position ${globalPosition}`);
    const checkpoint = toCheckpointDto(event);
    const heads = await tailStreamHeadsAt(this.store, globalPosition, { exclude: [CHECKPOINT_STREAM] });
    if (streamHeadsMerkleRoot(heads) !== checkpoint.merkleRoot || heads.length !== checkpoint.streamCount) {
      this.log.error({ globalPosition }, 'the log no longer reproduces a signed checkpoint');
      throw new ConflictException(
        `The log no longer reproduces the checkpoint signed at position ${globalPosition}: run npm run verify with a checkpoint you hold`,
      );
    }
    if (!workspaces) return { ...checkpoint, heads };
    const streams = await this.streamsOf(workspaces);
    return { ...checkpoint, proofs: streamHeadInclusionProofs(heads, (stream) => streams.has(stream)) };
  }

  private async findCheckpoint(globalPosition: number): Promise<RecordedEvent | null> {
    let fromRevision = await this.store.streamRevision(CHECKPOINT_STREAM);
    while (fromRevision >= 0) {
      const page = await this.store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', fromRevision, maxCount: CHECKPOINT_PAGE });
      for (const event of page) {
        const position = (event.data as { globalPosition?: unknown } | null)?.globalPosition;
        if (position === globalPosition) return event;
        // Checkpoints are signed at increasing positions: older ones cannot match.
        if (typeof position === 'number' && position < globalPosition) return null;
      }
      fromRevision = page.length === CHECKPOINT_PAGE ? page[page.length - 1].revision - 1 : -1;
    }
    return null;
  }

  private async load(row: IndexRow): Promise<RecordedEvent> {
    const [event] = await this.store.readStream(row.stream, { fromRevision: row.revision, maxCount: 1 });
    return event;
  }
}
