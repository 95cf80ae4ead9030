import type { Command, Decider, Event } from '../lib/shared/decider';
import { stateFrom } from '../lib/shared/decider';
import type { DomainErrorCode } from '../lib/shared/domain-error';
import { DomainError } from '../lib/shared/domain-error';

type Outcome<E> = { events: E[] } | { error: unknown };

export interface ThenClause<E> {
  /** The command produces exactly these events, and `evolve` accepts them. */
  then: (expected: E[]) => void;
  /** The command is accepted but changes nothing. */
  thenNothingHappens: () => void;
  /** The command is rejected with a DomainError of this code (and, optionally, a matching message). */
  thenThrows: (code: DomainErrorCode, message?: RegExp | string) => void;
}

export interface DeciderSpecification<C, E> {
  given: (events: E[]) => { when: (command: C) => ThenClause<E> };
}

/** given(events).when(command).then(events) | .thenThrows(code), as in EventSourcing.NodeJS. */
export function specificationFor<State, C extends Command<string, object>, E extends Event<string, object>>(
  decider: Decider<State, C, E>,
): DeciderSpecification<C, E> {
  return {
    given: (givenEvents) => ({
      when: (command) => {
        const state = stateFrom(decider, givenEvents);
        const outcome = (): Outcome<E> => {
          try {
            return { events: decider.decide(command, state) };
          } catch (error) {
            return { error };
          }
        };
        const then = (expected: E[]) => {
          const result = outcome();
          if ('error' in result) {
            throw result.error;
          }
          expect(result.events).toEqual(expected);
          expect(() => result.events.reduce(decider.evolve, state)).not.toThrow();
        };
        return {
          then,
          thenNothingHappens: () => then([]),
          thenThrows: (code, message) => {
            const result = outcome();
            expect(result).toHaveProperty('error');
            const { error } = result as { error: unknown };
            expect(error).toBeInstanceOf(DomainError);
            expect(error).toMatchObject({ code });
            if (message !== undefined) {
              expect((error as DomainError).message).toMatch(message);
            }
          },
        };
      },
    }),
  };
}
