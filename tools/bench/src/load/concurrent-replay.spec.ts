import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { TRACES_DIR } from '@concord/content/testing';
import * as Y from 'yjs';
import { parseOptions } from '../options';
import { agentEndpoints, compareWithMemory, ConcurrentRun } from './concurrent-phase';
import { concurrentTargets, renderConcurrentMarkdown } from './concurrent-report';
import {
  addTraceParagraph,
  agentClientIds,
  ConcurrentReplay,
  ConcurrentTrace,
  ConcurrentTxn,
  holds,
  plainText,
  planCausalWaits,
  REPLAY_ORIGIN,
  replayLocally,
  stampOf,
} from './concurrent-replay';

/**
 * Two people. 0 types "ab"; 1 (having seen it) puts X between a and b while 0, not having seen X,
 * appends Y; 0 then appends Z after both; 1 deletes X (a delete-only transaction); 0 types "!".
 */
const SMALL: ConcurrentTxn[] = [
  { agent: 0, parents: [], patches: [[0, 0, 'ab']] }, // ab
  { agent: 1, parents: [0], patches: [[1, 0, 'X']] }, // aXb
  { agent: 0, parents: [0], patches: [[2, 0, 'Y']] }, // abY (without X)
  { agent: 0, parents: [1, 2], patches: [[4, 0, 'Z']] }, // aXbYZ
  { agent: 1, parents: [3], patches: [[1, 1, '']] }, // abYZ
  { agent: 0, parents: [4], patches: [[4, 0, '!']] }, // abYZ!
];

/** Wire documents joined by a relay whose deliveries the test controls: FIFO per sender → receiver, as a server relays. */
function network(agents: number): {
  wires: Y.Doc[];
  base: Uint8Array;
  clientIds: number[];
  pending(): number;
  deliver(from: number, to: number): boolean;
  deliverAll(): void;
} {
  const setup = new Y.Doc();
  addTraceParagraph(setup);
  const base = Y.encodeStateAsUpdate(setup);
  const clientIds = agentClientIds(setup, agents);
  const wires = Array.from({ length: agents }, () => {
    const wire = new Y.Doc();
    Y.applyUpdate(wire, base);
    return wire;
  });
  const queues = new Map<string, Uint8Array[]>();
  wires.forEach((wire, from) => {
    wire.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REPLAY_ORIGIN) return;
      for (let to = 0; to < agents; to++) if (to !== from) (queues.get(`${from}>${to}`) ?? queues.set(`${from}>${to}`, []).get(`${from}>${to}`))?.push(update);
    });
  });
  const deliver = (from: number, to: number): boolean => {
    const update = queues.get(`${from}>${to}`)?.shift();
    if (!update) return false;
    Y.applyUpdate(wires[to], update, 'network');
    return true;
  };
  return {
    wires,
    base,
    clientIds,
    pending: () => [...queues.values()].reduce((sum, queue) => sum + queue.length, 0),
    deliver,
    deliverAll: () => {
      for (let from = 0; from < agents; from++) for (let to = 0; to < agents; to++) while (from !== to && deliver(from, to));
    },
  };
}

function loadClownschool(): ConcurrentTrace {
  return JSON.parse(gunzipSync(readFileSync(join(TRACES_DIR, 'clownschool.json.gz'))).toString('utf8')) as ConcurrentTrace;
}

describe('planCausalWaits', () => {
  it('gives every transaction the per-agent counts of its causal past', () => {
    const plan = planCausalWaits(SMALL);
    expect(plan.agents).toBe(2);
    expect(plan.byAgent).toEqual([
      [0, 2, 3, 5],
      [1, 4],
    ]);
    expect(plan.past.map((vector) => Array.from(vector))).toEqual([
      [0, 0],
      [1, 0],
      [1, 0], // does not hold 1's X
      [2, 1],
      [3, 1],
      [3, 2],
    ]);
    expect(Array.from(plan.ordinal)).toEqual([0, 0, 1, 2, 1, 3]);
  });

  it('refuses parents that do not come first, and an agent whose transactions are not a chain', () => {
    expect(() => planCausalWaits([{ agent: 0, parents: [0], patches: [] }])).toThrow(/parent 0 does not come before/);
    expect(() =>
      planCausalWaits([
        { agent: 0, parents: [], patches: [[0, 0, 'a']] },
        { agent: 0, parents: [], patches: [[0, 0, 'b']] },
      ]),
    ).toThrow(/not a chain/);
  });

  it('holds for clownschool: three agents, each a chain', () => {
    const trace = loadClownschool();
    const plan = planCausalWaits(trace.txns);
    expect(plan.agents).toBe(3);
    expect(plan.byAgent.map((indexes) => indexes.length)).toEqual([12_676, 1_670, 8_790]);
    expect(trace.txns.length).toBe(23_136);
  });
});

describe('holds (has a document received a transaction?)', () => {
  it('sees inserts through the state vector and delete-only transactions through the deleted items', () => {
    const sender = new Y.Doc();
    sender.clientID = 7;
    const receiver = new Y.Doc();
    const text = sender.getText('t');
    const updates: Uint8Array[] = [];
    sender.on('update', (update: Uint8Array) => updates.push(update));
    text.insert(0, 'abc');
    const insert = stampOf(updates[0], 7, Y.getState(sender.store, 7));
    text.delete(1, 1);
    const deletion = stampOf(updates[1], 7, Y.getState(sender.store, 7));
    expect(deletion.endClock).toBe(insert.endClock); // a delete-only transaction does not move the clock
    expect(deletion.deletes).toEqual([[7, 1, 1]]);

    expect(holds(receiver, insert)).toBe(false);
    Y.applyUpdate(receiver, updates[0]);
    expect(holds(receiver, insert)).toBe(true);
    expect(holds(receiver, deletion)).toBe(false);
    Y.applyUpdate(receiver, updates[1]);
    expect(holds(receiver, deletion)).toBe(true);
  });
});

describe('ConcurrentReplay', () => {
  it('types each transaction on exactly its causal past and waits for the edits it builds on', () => {
    let clock = 0;
    const net = network(2);
    const replay = new ConcurrentReplay(SMALL, { wires: net.wires, base: net.base, clientIds: net.clientIds, window: 100, now: () => clock });
    // 0 types "ab" and appends Y (it builds on "ab" only); 1 has not received "ab", 0 has no X: both wait.
    expect(replay.pump()).toBe(2);
    clock = 10;
    net.deliver(0, 1); // "ab" reaches 1
    expect(replay.pump()).toBe(1); // X
    // X reaches 0's wire document only now: 0's Z builds on it (and Y was typed without it).
    clock = 25;
    net.deliver(1, 0);
    expect(replay.pump()).toBe(1); // Z
    expect(plainText(net.wires[0])).toBe('aXbYZ');
    net.deliverAll();
    clock = 40;
    expect(replay.pump()).toBe(1); // 1 deletes X
    expect(replay.pump()).toBe(0); // 0 waits for that delete-only transaction
    clock = 47;
    net.deliverAll();
    expect(replay.pump()).toBe(1); // "!"
    net.deliverAll();
    expect(replay.allSent).toBe(true);
    expect(replay.allReceived()).toBe(true);
    for (const wire of net.wires) expect(plainText(wire)).toBe('abYZ!');
    const [zero, one] = replay.figures();
    // Held back: 0 for X (0 → 25) and for the deletion (25 → 47); 1 for "ab" (0 → 10) and for Y and Z (10 → 40).
    expect(zero.heldBackMs).toEqual([25, 22]);
    expect(one.heldBackMs).toEqual([10, 30]);
    // In flight while needed: X sent at 10, the deletion at 40, "ab" at 0, Z at 25.
    expect(zero.roundTripWaitsMs).toEqual([15, 7]);
    expect(one.roundTripWaitsMs).toEqual([10, 15]);
    expect(zero.clientId).toBeLessThan(one.clientId);
    replay.destroy();
  });

  it('holds back an agent with `window` transactions not yet received by the others', () => {
    let clock = 0;
    const net = network(2);
    const txns: ConcurrentTxn[] = Array.from({ length: 5 }, (_, index) => ({ agent: 0, parents: index === 0 ? [] : [index - 1], patches: [[index, 0, 'x']] as const }));
    const replay = new ConcurrentReplay(txns, { wires: net.wires, base: net.base, clientIds: net.clientIds, window: 2, now: () => clock });
    expect(replay.pump()).toBe(2);
    clock = 5;
    net.deliver(0, 1);
    expect(replay.pump()).toBe(1);
    clock = 9;
    net.deliverAll();
    expect(replay.pump()).toBe(2);
    net.deliverAll();
    expect(replay.allReceived()).toBe(true);
    expect(replay.figures()[0].windowWaitsMs).toEqual([5, 4]);
    replay.destroy();
  });

  it('converges on a prefix of clownschool with deliveries in random order (FIFO per pair, as through a server)', () => {
    const trace = loadClownschool();
    const limit = 1_500;
    const net = network(3);
    let seed = 42;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const replay = new ConcurrentReplay(trace.txns.slice(0, limit), { wires: net.wires, base: net.base, clientIds: net.clientIds, window: 64 });
    for (let round = 0; !replay.allReceived(); round++) {
      if (round > 1_000_000) throw new Error('stuck');
      replay.pump(1 + Math.floor(random() * 8));
      for (let deliveries = Math.floor(random() * 6); deliveries > 0; deliveries--) {
        const from = Math.floor(random() * 3);
        net.deliver(from, (from + 1 + Math.floor(random() * 2)) % 3);
      }
      if (replay.allSent) net.deliverAll();
    }
    const expected = replayLocally(trace, limit);
    for (const wire of net.wires) expect(plainText(wire)).toBe(expected);
    expect(replay.figures().reduce((sum, agent) => sum + agent.roundTripWaitsMs.length, 0)).toBeGreaterThan(0);
    replay.destroy();
  });

  it('replays the whole of clownschool to its endContent', () => {
    const trace = loadClownschool();
    expect(replayLocally(trace)).toBe(trace.endContent);
  }, 60_000);
});

describe('concurrent phase bookkeeping', () => {
  const run = (kind: ConcurrentRun['kind'], totalMs: number, converged = true): Omit<ConcurrentRun, 'overMemory' | 'met'> => {
    const waits = { count: 2, mean: 5, p50: 4, p90: 6, p99: 6, max: 6, totalMs: 10 };
    return {
      kind,
      description: kind,
      txns: 100,
      expectedLength: 90,
      expected: 'local replay of the prefix',
      totalMs,
      sendMs: totalMs,
      txnsPerSecond: 100 / (totalMs / 1000),
      converged,
      observerConverged: converged,
      observerError: null,
      observerSyncMs: 3,
      roundTripWaits: waits,
      heldBack: waits,
      windowWaits: { ...waits, count: 0 },
      agents: [{ agent: 0, clientId: 11, endpoint: 'the server', txns: 100, converged, roundTripWaits: waits, heldBack: waits, windowWaits: waits }],
      clientCpuPercent: 50,
      disconnects: 0,
      servers: [],
    };
  };

  it('compares total time with the memory-only relay: met at ≤ 3× and converged', () => {
    const runs = compareWithMemory([run('memory', 1_000), run('sqlite', 3_000), run('postgres', 3_100)]);
    expect(runs.map((entry) => [entry.kind, entry.overMemory?.totalTime ?? null, entry.met])).toEqual([
      ['memory', null, null],
      ['sqlite', 3, true],
      ['postgres', 3.1, false],
    ]);
    expect(compareWithMemory([run('memory', 1_000), run('sqlite', 1_500, false)])[1].met).toBe(false);
    expect(compareWithMemory([run('sqlite', 1_500)])[0]).toMatchObject({ overMemory: null, met: null });
    const targets = concurrentTargets(runs);
    expect(targets.map((target) => target.met)).toEqual([true, false]);
    const markdown = renderConcurrentMarkdown({
      schema: 1,
      kind: 'concurrent',
      startedAt: '2026-12-07T06:00:00.000Z',
      finishedAt: '2026-12-07T06:01:00.000Z',
      durationS: 60,
      command: 'npm run bench -- --only=concurrent',
      machine: { hostname: 'vm', cpuModel: 'cpu', cores: 2, ramGiB: 4, node: 'v20' } as never,
      load: [],
      trace: 'clownschool',
      source: 'clownschool',
      window: 256,
      limit: 100,
      runs,
      notRun: [],
      targets,
    });
    expect(markdown).toContain('| concurrent replay, Concord, SQLite, one node: total time ÷ memory-only | 3× | ≤ 3×, converged | met |');
    expect(markdown).toContain('**missed**');
  });

  it('puts agents 0 and 2 on the editors\' node and agent 1 on the observers\' node', () => {
    const endpoints = agentEndpoints(
      {
        editorUrl: 'ws://a',
        observerUrl: 'ws://b',
        editorCredential: (editor) => ({ kind: 'token', token: `e${editor}` }),
        observerCredential: { kind: 'token', token: 'o' },
      },
      3,
    );
    expect(endpoints.map((endpoint) => endpoint.url)).toEqual(['ws://a', 'ws://b', 'ws://a']);
  });

  it('parses the concurrent options', () => {
    expect(parseOptions(['--only=concurrent'])).toMatchObject({ only: 'concurrent', concurrentTxns: null, concurrentWindow: 256, skipConcurrent: false });
    expect(parseOptions(['--only=load', '--quick'])).toMatchObject({ only: 'load', concurrentTxns: 3_000 });
    expect(parseOptions(['--concurrent-txns=500', '--concurrent-window=32', '--skip-concurrent'])).toMatchObject({ concurrentTxns: 500, concurrentWindow: 32, skipConcurrent: true });
  });
});
