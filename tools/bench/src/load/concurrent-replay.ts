/**
 * The concurrent phase's replay engine (no I/O): a concurrent editing trace (clownschool: three
 * people, each transaction with its `agent` and `parents`) typed by one client per person, each
 * transaction sent only once that person's client has received every transaction it builds on.
 *
 * Per agent two Y.Docs:
 * - the **wire** document — the one its y-websocket provider syncs: it receives everything the
 *   server relays, and the agent's own updates are applied to it (origin {@link REPLAY_ORIGIN}), so
 *   the provider sends each as one frame;
 * - the **editor** document — brought to exactly the causal past of the agent's next transaction
 *   before the agent types it (the trace's positions count characters of that version, and Yjs
 *   must see the same left/right neighbours as in the recorded history for the result to be
 *   `endContent`). It is fed the very updates the other agents sent, and only once the wire
 *   document has received them: waiting for that is the causal wait.
 *
 * Bookkeeping: the transactions of one agent are a chain (each builds on the previous one), so a
 * causal past is a vector of per-agent counts ({@link planCausalWaits}). Whether a wire document
 * holds transaction i is read from Yjs itself ({@link holds}): the sender's client clock reached
 * the end of i's inserts and every item i deleted is deleted. Per receiver and sender a pointer
 * advances over the sender's transactions in order, so each check is done once.
 */
import { utf16Offset } from '@concord/content/testing';
import * as Y from 'yjs';

/** `[position, deleted length, inserted text]`; positions and lengths count code points. */
export type ConcurrentPatch = readonly [number, number, string];

export interface ConcurrentTxn {
  readonly agent: number;
  /** Indexes of earlier transactions whose merged result this one was typed on (`[]`: the empty document). */
  readonly parents: readonly number[];
  readonly patches: readonly ConcurrentPatch[];
}

export interface ConcurrentTrace {
  readonly startContent?: string;
  readonly endContent: string;
  readonly numAgents?: number;
  readonly txns: readonly ConcurrentTxn[];
}

export interface CausalPlan {
  readonly agents: number;
  /** Transaction indexes of each agent, in order. */
  readonly byAgent: readonly (readonly number[])[];
  /** past[i][a] = how many of agent a's transactions the causal past of transaction i holds. */
  readonly past: readonly Int32Array[];
  /** Position of transaction i in its agent's sequence. */
  readonly ordinal: Int32Array;
}

/**
 * Per-agent version vectors of every transaction's causal past. Checks what the replay relies on:
 * parents come earlier, and each agent's transactions form a chain (the past of an agent's k-th
 * transaction holds exactly its first k − 1). A prefix of the trace is therefore causally closed.
 */
export function planCausalWaits(txns: readonly ConcurrentTxn[], agents?: number): CausalPlan {
  const agentCount = agents ?? txns.reduce((max, txn) => Math.max(max, txn.agent + 1), 0);
  const byAgent: number[][] = Array.from({ length: agentCount }, () => []);
  const past: Int32Array[] = [];
  const ordinal = new Int32Array(txns.length);
  txns.forEach((txn, index) => {
    if (!Number.isInteger(txn.agent) || txn.agent < 0 || txn.agent >= agentCount) throw new Error(`transaction ${index}: agent ${txn.agent} is not in 0..${agentCount - 1}`);
    const vector = new Int32Array(agentCount);
    for (const parent of txn.parents) {
      if (!Number.isInteger(parent) || parent < 0 || parent >= index) throw new Error(`transaction ${index}: parent ${parent} does not come before it`);
      const parentPast = past[parent];
      for (let agent = 0; agent < agentCount; agent++) vector[agent] = Math.max(vector[agent], parentPast[agent]);
      const parentAgent = txns[parent].agent;
      vector[parentAgent] = Math.max(vector[parentAgent], ordinal[parent] + 1);
    }
    ordinal[index] = byAgent[txn.agent].length;
    if (vector[txn.agent] !== ordinal[index]) {
      throw new Error(`transaction ${index}: agent ${txn.agent}'s transactions are not a chain (its past holds ${vector[txn.agent]} of its ${ordinal[index]} earlier ones)`);
    }
    byAgent[txn.agent].push(index);
    past.push(vector);
  });
  return { agents: agentCount, byAgent, past, ordinal };
}

/** What a sent transaction left in Yjs terms, to recognise it in another document. */
export interface TxnStamp {
  readonly client: number;
  /** The sender's clock after it: a document holds its inserts once its state for `client` reaches this. */
  readonly endClock: number;
  /** [client, clock, length] of every deleted range. */
  readonly deletes: ReadonlyArray<readonly [number, number, number]>;
  readonly update: Uint8Array;
  /** When its agent sent it (the replay's clock). */
  readonly sentAt: number;
}

export function stampOf(update: Uint8Array, client: number, endClock: number, sentAt = 0): TxnStamp {
  const deletes: Array<readonly [number, number, number]> = [];
  const { ds } = Y.decodeUpdate(update);
  for (const [deletedClient, items] of ds.clients) for (const item of items) deletes.push([deletedClient, item.clock, item.len]);
  return { client, endClock, deletes, update, sentAt };
}

/** Whether `doc` holds the transaction `stamp` describes: its inserts are integrated, its deletes applied. */
export function holds(doc: Y.Doc, stamp: TxnStamp): boolean {
  if (Y.getState(doc.store, stamp.client) < stamp.endClock) return false;
  for (const [client, clock, length] of stamp.deletes) {
    if (Y.getState(doc.store, client) < clock + length) return false;
    for (let at = clock; at < clock + length; ) {
      const struct = Y.getItem(doc.store, Y.createID(client, at));
      if (!struct.deleted) return false;
      at = struct.id.clock + struct.length;
    }
  }
  return true;
}

/** Origin of the agents' own updates on their wire documents (anything else there came from the network). */
export const REPLAY_ORIGIN = Symbol('concurrent-replay');

/** The block id of the paragraph the trace is typed into (one paragraph, one Y.XmlText, as Tiptap stores it). */
export const TRACE_PARAGRAPH_ID = 'concurrent-trace';

export function traceText(doc: Y.Doc): Y.XmlText | null {
  for (const node of doc.getXmlFragment('content').toArray()) {
    if (node instanceof Y.XmlElement && node.nodeName === 'paragraph' && node.getAttribute('id') === TRACE_PARAGRAPH_ID) {
      const text = node.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
      if (text) return text;
    }
  }
  return null;
}

/** The paragraph's characters (formatting, of which the trace has none, ignored). */
export function plainText(doc: Y.Doc): string | null {
  const text = traceText(doc);
  if (!text) return null;
  return (text.toDelta() as Array<{ insert?: unknown }>).map((part) => (typeof part.insert === 'string' ? part.insert : '')).join('');
}

/** Adds the trace's paragraph (with its block id, as the web editor writes) at the start of `doc`. */
export function addTraceParagraph(doc: Y.Doc, startContent = ''): void {
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('id', TRACE_PARAGRAPH_ID);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    doc.getXmlFragment('content').insert(0, [paragraph]);
    if (startContent) text.insert(0, startContent);
  });
}

/** Yjs client ids for agents 0 < 1 < 2 …, above every client id already in `doc`. */
export function agentClientIds(doc: Y.Doc, agents: number): number[] {
  const highest = Math.max(0, ...doc.store.clients.keys());
  return Array.from({ length: agents }, (_, agent) => highest + 1 + agent);
}

const SURROGATE = /[\uD800-\uDFFF]/;

export interface ReplayOptions {
  /** The agents' wire documents (index = agent), all holding `base` already. */
  readonly wires: readonly Y.Doc[];
  /** The state every agent starts from (the synced document with the trace's paragraph). */
  readonly base: Uint8Array;
  /** Yjs client id per agent (ascending). */
  readonly clientIds: readonly number[];
  /** At most this many of an agent's own transactions not yet received by every other agent (flow control). */
  readonly window: number;
  readonly now?: () => number;
  /** Makes each editor document (default: a plain Y.Doc). */
  readonly createDoc?: () => Y.Doc;
}

export interface AgentFigures {
  readonly agent: number;
  readonly clientId: number;
  readonly txns: number;
  /**
   * Round-trip waits, ms: for each transaction that had to wait for edits of other agents it builds
   * on, the time from the later of (it was held back, the last of those edits was sent) until its
   * client had received them all — the time an edit was in flight while someone needed it.
   */
  readonly roundTripWaitsMs: number[];
  /** For the same transactions, the whole time they were held back (also while the other person had not typed the edit yet). */
  readonly heldBackMs: number[];
  /** ms each transaction waited for the agent's own earlier edits to reach the others (flow control). */
  readonly windowWaitsMs: number[];
}

type Step = 'done' | 'causal' | 'window' | 'sent';

interface AgentState {
  readonly agent: number;
  readonly wire: Y.Doc;
  readonly editor: Y.Doc;
  readonly text: Y.XmlText;
  next: number;
  /** Per agent: how many of its transactions are in this agent's editor document. */
  readonly applied: Int32Array;
  /** Per agent: how many of its transactions this agent's wire document is known to hold. */
  readonly received: Int32Array;
  causalSince: number | null;
  windowSince: number | null;
  readonly figures: AgentFigures;
}

/** The replay of one trace by its agents; drive it with `pump()` whenever a wire document changed. */
export class ConcurrentReplay {
  readonly plan: CausalPlan;
  private readonly stamps: Array<TxnStamp | undefined>;
  private readonly agents: AgentState[];
  private readonly now: () => number;
  private readonly astral: boolean;
  private sentCount = 0;

  constructor(
    private readonly txns: readonly ConcurrentTxn[],
    private readonly options: ReplayOptions,
  ) {
    this.plan = planCausalWaits(txns, options.wires.length);
    if (options.clientIds.length !== options.wires.length) throw new Error('one client id per agent');
    this.stamps = new Array<TxnStamp | undefined>(txns.length);
    this.now = options.now ?? (() => performance.now());
    this.astral = txns.some((txn) => txn.patches.some(([, , inserted]) => SURROGATE.test(inserted)));
    this.agents = options.wires.map((wire, agent) => {
      const editor = options.createDoc?.() ?? new Y.Doc();
      Y.applyUpdate(editor, options.base);
      editor.clientID = options.clientIds[agent];
      const text = traceText(editor);
      if (!text) throw new Error('the base document has no trace paragraph');
      return {
        agent,
        wire,
        editor,
        text,
        next: 0,
        applied: new Int32Array(options.wires.length),
        received: new Int32Array(options.wires.length),
        causalSince: null,
        windowSince: null,
        figures: { agent, clientId: options.clientIds[agent], txns: this.plan.byAgent[agent].length, roundTripWaitsMs: [], heldBackMs: [], windowWaitsMs: [] },
      };
    });
  }

  get sent(): number {
    return this.sentCount;
  }

  /** Every transaction sent. */
  get allSent(): boolean {
    return this.sentCount === this.txns.length;
  }

  /** Every wire document holds every transaction. */
  allReceived(): boolean {
    return this.allSent && this.agents.every((state) => this.plan.byAgent.every((indexes, sender) => this.hasReceived(state, sender, indexes.length)));
  }

  figures(): AgentFigures[] {
    return this.agents.map((state) => state.figures);
  }

  /** Sends every transaction that is ready, at most `budget`; returns how many were sent. */
  pump(budget = Number.POSITIVE_INFINITY): number {
    let sent = 0;
    let progressed = true;
    while (progressed && sent < budget) {
      progressed = false;
      for (const state of this.agents) {
        if (sent >= budget) break;
        if (this.step(state) === 'sent') {
          sent += 1;
          progressed = true;
        }
      }
    }
    return sent;
  }

  destroy(): void {
    for (const state of this.agents) state.editor.destroy();
  }

  /** Whether `state`'s wire document holds the first `count` transactions of `sender` (monotone, so remembered). */
  private hasReceived(state: AgentState, sender: number, count: number): boolean {
    const indexes = this.plan.byAgent[sender];
    while (state.received[sender] < count) {
      const stamp = this.stamps[indexes[state.received[sender]]];
      if (!stamp || !holds(state.wire, stamp)) return false;
      state.received[sender] += 1;
    }
    return true;
  }

  private step(state: AgentState): Step {
    const mine = this.plan.byAgent[state.agent];
    if (state.next >= mine.length) return 'done';
    const index = mine[state.next];
    const past = this.plan.past[index];
    for (let sender = 0; sender < this.agents.length; sender++) {
      if (sender !== state.agent && !this.hasReceived(state, sender, past[sender])) {
        state.causalSince ??= this.now();
        return 'causal';
      }
    }
    if (state.causalSince !== null) {
      const now = this.now();
      let lastSent = state.causalSince;
      for (let sender = 0; sender < this.agents.length; sender++) {
        if (sender !== state.agent && past[sender] > 0) lastSent = Math.max(lastSent, (this.stamps[this.plan.byAgent[sender][past[sender] - 1]] as TxnStamp).sentAt);
      }
      state.figures.roundTripWaitsMs.push(now - lastSent);
      state.figures.heldBackMs.push(now - state.causalSince);
      state.causalSince = null;
    }
    const acknowledged = state.next - this.options.window + 1;
    if (acknowledged > 0 && this.agents.some((other) => other !== state && !this.hasReceived(other, state.agent, acknowledged))) {
      state.windowSince ??= this.now();
      return 'window';
    }
    if (state.windowSince !== null) {
      state.figures.windowWaitsMs.push(this.now() - state.windowSince);
      state.windowSince = null;
    }
    this.bringToPast(state, past);
    const update = this.type(state, index);
    this.stamps[index] = stampOf(update, state.editor.clientID, Y.getState(state.editor.store, state.editor.clientID), this.now());
    state.applied[state.agent] += 1;
    state.received[state.agent] += 1;
    state.next += 1;
    this.sentCount += 1;
    Y.applyUpdate(state.wire, update, REPLAY_ORIGIN);
    return 'sent';
  }

  /** Applies to the editor document, in trace order, the other agents' transactions of `past` it lacks. */
  private bringToPast(state: AgentState, past: Int32Array): void {
    const missing: number[] = [];
    for (let sender = 0; sender < this.agents.length; sender++) {
      if (sender === state.agent) continue;
      const indexes = this.plan.byAgent[sender];
      for (let ordinal = state.applied[sender]; ordinal < past[sender]; ordinal++) missing.push(indexes[ordinal]);
      state.applied[sender] = Math.max(state.applied[sender], past[sender]);
    }
    if (missing.length === 0) return;
    missing.sort((a, b) => a - b);
    state.editor.transact(() => {
      for (const index of missing) Y.applyUpdate(state.editor, (this.stamps[index] as TxnStamp).update);
    });
  }

  /** Types transaction `index` into the editor document as one Yjs transaction; returns its update. */
  private type(state: AgentState, index: number): Uint8Array {
    let captured: Uint8Array | undefined;
    const capture = (update: Uint8Array): void => {
      captured = update;
    };
    state.editor.on('update', capture);
    try {
      state.editor.transact(() => {
        for (const [position, deleteLength, insertText] of this.txns[index].patches) {
          // Yjs counts UTF-16 units; the trace counts code points.
          const current = this.astral ? state.text.toString() : '';
          const start = this.astral ? utf16Offset(current, position) : position;
          const end = this.astral ? utf16Offset(current, deleteLength, start) : position + deleteLength;
          if (end > start) state.text.delete(start, end - start);
          if (insertText.length > 0) state.text.insert(start, insertText);
        }
      });
    } finally {
      state.editor.off('update', capture);
    }
    if (!captured) throw new Error(`transaction ${index} changed nothing`);
    return captured;
  }
}

/**
 * The text the first `limit` transactions converge to, replayed in this process with instant
 * delivery (for the whole trace: `endContent`, which the unit spec checks).
 */
export function replayLocally(trace: ConcurrentTrace, limit = trace.txns.length): string {
  const txns = trace.txns.slice(0, limit);
  const agents = trace.numAgents ?? txns.reduce((max, txn) => Math.max(max, txn.agent + 1), 0);
  const setup = new Y.Doc();
  addTraceParagraph(setup, trace.startContent ?? '');
  const base = Y.encodeStateAsUpdate(setup);
  const clientIds = agentClientIds(setup, agents);
  setup.destroy();
  const wires = Array.from({ length: agents }, () => {
    const wire = new Y.Doc();
    Y.applyUpdate(wire, base);
    return wire;
  });
  for (const wire of wires) {
    wire.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REPLAY_ORIGIN) return;
      for (const other of wires) if (other !== wire) Y.applyUpdate(other, update, 'relay');
    });
  }
  const replay = new ConcurrentReplay(txns, { wires, base, clientIds, window: Number.POSITIVE_INFINITY });
  try {
    while (!replay.allSent) if (replay.pump() === 0) throw new Error(`replay stuck after ${replay.sent} transactions`);
    const text = plainText(wires[0]) ?? '';
    return text;
  } finally {
    replay.destroy();
    for (const wire of wires) wire.destroy();
  }
}
