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
 * SqliteEventStore commits each group of queued appends synchronously in a private `flush()`
 * (better-sqlite3 blocks the event loop for the statements and the fsync). Wrapping that method on
 * this instance times exactly how long the server is blocked per commit; other stores are left alone.
 */
function timeCommits(store: EventStore, record: (ms: number) => void): void {
  const instance = store as unknown as { flush?: () => void };
  if (store.kind !== 'sqlite' || typeof instance.flush !== 'function') return;
  const flush = instance.flush.bind(store);
  instance.flush = () => {
    const started = performance.now();
    try {
      flush();
    } finally {
      record(performance.now() - started);
    }
  };
}
