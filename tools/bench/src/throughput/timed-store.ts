import { CONTENT_UPDATED } from '@concord/collab';
import type { AppendOptions, AppendResult, EventStore, NewEvent } from '@concord/event-store';

/** Per append of content updates: events written and wall time until it resolved (queue + commit). */
export interface AppendLog {
  readonly events: number[];
  readonly durations: number[];
  /** Appends of anything else (checkpoints). */
  otherAppends: number;
  /** SQLite only: time the event loop spent inside group commits (statements + fsync), and how many. */
  commitMs: number;
  commits: number;
}

/**
 * The store the server is given, with `append` timed. Everything else goes straight through.
 * Only appends of ContentUpdated events are logged; checkpoint appends are counted apart.
 */
export function timeAppends(store: EventStore): { store: EventStore; log: AppendLog; reset(): void } {
  let log: AppendLog = { events: [], durations: [], otherAppends: 0, commitMs: 0, commits: 0 };
  const append = async (stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> => {
    const started = performance.now();
    const result = await store.append(stream, events, options);
    if (events[0]?.type === CONTENT_UPDATED) {
      log.events.push(events.length);
      log.durations.push(performance.now() - started);
    } else {
      log.otherAppends += 1;
    }
    return result;
  };
  timeCommits(store, (ms) => {
    log.commitMs += ms;
    log.commits += 1;
  });
  const timed = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') return append;
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    store: timed,
    get log() {
      return log;
    },
    reset() {
      log = { events: [], durations: [], otherAppends: 0, commitMs: 0, commits: 0 };
    },
  };
}

/**
 * SqliteEventStore commits each group of queued appends synchronously in the private `flush()` of
 * its group commit (`sqlite-append.ts`; better-sqlite3 blocks the event loop for the statements and
 * the fsync). Wrapping that method on this instance times exactly how long the server is blocked
 * per commit; other stores are left alone. Fails loudly if the store's layout changes, rather than
 * reporting no commits.
 */
function timeCommits(store: EventStore, record: (ms: number) => void): void {
  if (store.kind !== 'sqlite') return;
  const groupCommit = (store as unknown as { appends?: { flush?: () => void } }).appends;
  if (!groupCommit || typeof groupCommit.flush !== 'function') {
    throw new Error('bench: SqliteEventStore has no group commit with a flush() to time (see sqlite-append.ts)');
  }
  const flush = groupCommit.flush.bind(groupCommit);
  groupCommit.flush = () => {
    const started = performance.now();
    try {
      flush();
    } finally {
      record(performance.now() - started);
    }
  };
}
