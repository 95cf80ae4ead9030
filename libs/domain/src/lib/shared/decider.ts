export type Command<Type extends string, Data extends object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

export type Event<Type extends string, Data extends object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

export interface Decider<State, C extends Command<string, object>, E extends Event<string, object>> {
  initialState: () => State;
  evolve: (state: State, event: E) => State;
  decide: (command: C, state: State) => E[];
}

/** Folds a stream's events into the aggregate state a command is decided against. */
export function stateFrom<State, E extends Event<string, object>>(
  decider: Pick<Decider<State, Command<string, object>, E>, 'initialState' | 'evolve'>,
  events: Iterable<E>,
): State {
  let state = decider.initialState();
  for (const event of events) {
    state = decider.evolve(state, event);
  }
  return state;
}

export function unknownCommand(command: never): never {
  throw new TypeError(`Unknown command: ${JSON.stringify(command)}`);
}
