import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { streamHeadsMerkleRoot } from '@concord/integrity';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@concord/event-store';
import {
  CHECKPOINT_EVENT_TYPE,
  CHECKPOINT_STREAM,
  checkpointEventData,
  signCheckpoint,
  SignedCheckpoint,
  tailStreamHeadsAt,
} from '@concord/event-log-tools';
import { CONCORD_CONFIG, ConcordConfig, rootLogger } from '@concord/api/platform';
import { CheckpointKey, loadCheckpointKey, loadOrCreateCheckpointKey } from './checkpoint-key';

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

/** CHECKPOINT_INTERVAL_MS: milliseconds between checkpoints (default 60 000); 0 turns signing off. */
export function checkpointIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = env['CHECKPOINT_INTERVAL_MS']?.trim();
  if (value === undefined || value === '') return DEFAULT_CHECKPOINT_INTERVAL_MS;
  const interval = Number(value);
  if (!Number.isSafeInteger(interval) || interval < 0) {
    throw new Error(`CHECKPOINT_INTERVAL_MS=${value} is not a number of milliseconds (0 turns checkpoints off)`);
  }
  return interval;
}

/**
 * Periodically signs a checkpoint of the whole log: at the current head position, the Merkle root
 * over every stream's head (the checkpoint stream excluded), signed with the Ed25519 key in
 * DATA_DIR, appended as a CheckpointSigned event to `audit-checkpoints`. An auditor who keeps one
 * can later prove with `npm run verify -- --checkpoint` that the log still extends it — which a
 * chain check alone cannot, if someone rewrote a stream and recomputed every hash.
 *
 * A checkpoint is signed only when something other than checkpoints changed since the last one
 * (same root and stream count: nothing new). Several API nodes may run this on one store: the
 * append expects the checkpoint stream's revision, so only one of them records each round.
 * The timer is unref'd (it never keeps the process alive) and cleared before shutdown, after the
 * checkpoint being signed, if any, is written.
 */
@Injectable()
export class CheckpointSigner implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly log = rootLogger.child({ context: 'CheckpointSigner' });
  private key: CheckpointKey | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<SignedCheckpoint | null> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONCORD_CONFIG) private readonly config: Pick<ConcordConfig, 'dataDir'>,
  ) {}

  onApplicationBootstrap(): void {
    this.start(checkpointIntervalFromEnv());
  }

  /** Loads (or creates) the key and signs every `intervalMs`; 0 only loads an existing key. */
  start(intervalMs: number): void {
    this.stopTimer();
    if (intervalMs === 0) {
      this.key = loadCheckpointKey(this.config.dataDir);
      this.log.info('checkpoint signing is off (CHECKPOINT_INTERVAL_MS=0)');
      return;
    }
    this.key = loadOrCreateCheckpointKey(this.config.dataDir);
    if (this.key.tooOpen) {
      this.log.warn({ file: this.key.file }, 'the checkpoint signing key is readable by other users: chmod 600 it');
    }
    this.log.info(
      { file: this.key.file, fingerprint: this.key.fingerprint, created: this.key.created, intervalMs },
      'signing checkpoints',
    );
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  /** The public half of the signing key, or null when there is none. */
  get publicKey(): { pem: string; fingerprint: string } | null {
    return this.key ? { pem: this.key.publicKey, fingerprint: this.key.fingerprint } : null;
  }

  /** True while the periodic timer is set. */
  get running(): boolean {
    return this.timer !== null;
  }

  /**
   * Signs and appends a checkpoint now if the log changed since the last one; resolves to it, or
   * to null when there was nothing new (or another node recorded one first). One at a time.
   */
  signNow(): Promise<SignedCheckpoint | null> {
    this.inFlight ??= this.sign().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Clears the timer and waits for a checkpoint being signed. */
  async stop(): Promise<void> {
    this.stopTimer();
    await this.inFlight?.catch(() => undefined);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    try {
      await this.signNow();
    } catch (error) {
      // The store may be briefly unavailable: the next tick tries again.
      this.log.warn({ err: error }, 'could not sign a checkpoint');
    }
  }

  private async sign(): Promise<SignedCheckpoint | null> {
    const key = this.key ?? (this.key = loadOrCreateCheckpointKey(this.config.dataDir));
    const lastRevision = await this.store.streamRevision(CHECKPOINT_STREAM);
    const last =
      lastRevision >= 0
        ? ((await this.store.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 }))[0]?.data as
            | Partial<SignedCheckpoint>
            | undefined)
        : undefined;

    const globalPosition = await this.store.headPosition();
    const heads = await tailStreamHeadsAt(this.store, globalPosition, { exclude: [CHECKPOINT_STREAM] });
    if (heads.length === 0) return null;
    const merkleRoot = streamHeadsMerkleRoot(heads);
    if (last?.merkleRoot === merkleRoot && last.streamCount === heads.length) return null;

    const at = new Date().toISOString();
    const signed = signCheckpoint({ globalPosition, merkleRoot, streamCount: heads.length, at }, key.privateKey);
    try {
      await this.store.append(
        CHECKPOINT_STREAM,
        [{ id: randomUUID(), type: CHECKPOINT_EVENT_TYPE, data: checkpointEventData(signed), metadata: { userId: 'system', at } }],
        { expectedRevision: lastRevision === -1 ? 'no_stream' : lastRevision },
      );
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return null;
      throw error;
    }
    this.log.info({ globalPosition, merkleRoot, streamCount: heads.length }, 'checkpoint signed');
    return signed;
  }
}
