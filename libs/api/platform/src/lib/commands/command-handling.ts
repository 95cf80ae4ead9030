import { randomUUID } from 'node:crypto';
import { Command, Decider, Event, stateFrom } from '@concord/domain';
import {
  EventMetadataInput,
  EventStore,
  JsonValue,
  RecordedEvent,
  StreamNotFoundError,
} from '@concord/event-store';

export interface DomainEventShape {
  type: string;
  data: unknown;
}

export interface CommandOutcome<Event> {
  events: Event[];
  /** Global position of the last appended event (0 when the command changed nothing). */
  position: number;
}

/**
 * Runs after a command was decided and before its events are appended (a write fence must be in
 * the log before the event that needs it); told how the append went.
 */
export type AppendGuard = (
  events: readonly DomainEventShape[],
  context: { userId: string; correlationId?: string },
) => Promise<AppendGuardOutcome | void>;

export interface AppendGuardOutcome {
  appended?(): Promise<void>;
  failed?(): Promise<void>;
}

/** Reads a stream and folds it (`stateFrom` of libs/domain); a missing stream is the initial state at revision -1. */
export async function loadAggregate<State, E extends Event<string, object>>(
  store: EventStore,
  stream: string,
  decider: Pick<Decider<State, Command<string, object>, E>, 'initialState' | 'evolve'>,
): Promise<{ state: State; revision: number }> {
  let recorded: RecordedEvent[] = [];
  try {
    recorded = await store.readStream(stream);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  const state = stateFrom(decider, recorded.map((event) => ({ type: event.type, data: event.data }) as E));
  return { state, revision: recorded.length ? recorded[recorded.length - 1].revision : -1 };
}

/**
 * read → fold → decide → append with the expected revision. A concurrent writer makes the append
 * fail with WrongExpectedRevisionError, which the API answers with 409.
 */
export async function handleCommand<State, C extends Command<string, object>, E extends Event<string, object>>(
  store: EventStore,
  stream: string,
  decider: Decider<State, C, E>,
  command: C,
  metadata: EventMetadataInput,
  guard?: AppendGuard,
): Promise<CommandOutcome<E>> {
  const { state, revision } = await loadAggregate(store, stream, decider);
  const events = decider.decide(command, state);
  if (events.length === 0) return { events, position: 0 };
  const guarded = guard ? await guard(events, { userId: metadata.userId, correlationId: metadata.correlationId }) : undefined;
  let result;
  try {
    result = await store.append(
      stream,
      events.map((event) => ({
        id: randomUUID(),
        type: event.type,
        data: event.data as JsonValue,
        metadata,
      })),
      { expectedRevision: revision === -1 ? 'no_stream' : revision },
    );
  } catch (error) {
    await guarded?.failed?.();
    throw error;
  }
  await guarded?.appended?.();
  return { events, position: result.position };
}
