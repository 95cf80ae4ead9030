import { CONTENT_UPDATED } from '@concord/collab';
import type { AppendOptions, AppendResult, EventStore, NewEvent } from '@concord/event-store';

/** Per append of content updates: events written and wall time until it resolved (queue + commit). */
export interface AppendLog {
  readonly events: number[];
  readonly durations: number[];
  /** Appends of anything else (checkpoints). */
  otherAppends: number;
}

/**
 * The store the server is given, with `append` timed. Everything else goes straight through.
 * Only appends of ContentUpdated events are logged; checkpoint appends are counted apart.
 */
export function timeAppends(store: EventStore): { store: EventStore; log: AppendLog; reset(): void } {
  let log: AppendLog = { events: [], durations: [], otherAppends: 0 };
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
      log = { events: [], durations: [], otherAppends: 0 };
    },
  };
}
