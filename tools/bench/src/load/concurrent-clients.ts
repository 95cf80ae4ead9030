/**
 * Child process of the concurrent phase: one stock y-websocket client per person of a concurrent
 * trace (clownschool: three people), replaying it through one server with its causal waits
 * (concurrent-replay.ts), then a fresh observer. All clients live in this process, so every wait
 * is read on one clock.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { recordedDocument } from '@concord/content';
import * as Y from 'yjs';
import type { ConcurrentRunReport, ConcurrentRunRequest, FromConcurrentClients, ToConcurrentClients } from './concurrent-protocol';
import { addTraceParagraph, agentClientIds, ConcurrentReplay, ConcurrentTrace, plainText, REPLAY_ORIGIN, replayLocally, traceText } from './concurrent-replay';
import { Client, connect, SYNC_TIMEOUT_MS, ticket } from './load-connect';
import type { Endpoint } from './concurrent-protocol';

/** Transactions sent per turn of the event loop before incoming frames get their turn. */
const PUMP_BUDGET = 64;
/** How long the fresh observer may wait for a ticket (a lagging node answers 503). */
const OBSERVER_TIMEOUT_MS = 300_000;

const clients: Client[] = [];
let disconnects = 0;

function tell(message: FromConcurrentClients): void {
  process.send?.(message);
}

async function until(check: () => boolean, what: string, timeoutMs = SYNC_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sameState = (a: Y.Doc, b: Y.Doc): boolean => Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b)));

async function run(request: ConcurrentRunRequest): Promise<ConcurrentRunReport> {
  const trace = JSON.parse(gunzipSync(readFileSync(request.tracePath)).toString('utf8')) as ConcurrentTrace;
  const limit = Math.min(request.limit ?? trace.txns.length, trace.txns.length);
  const txns = trace.txns.slice(0, limit);
  const whole = limit === trace.txns.length;
  const expected = whole ? trace.endContent : replayLocally(trace, limit);

  const agents = request.agents.map((endpoint) => connect(endpoint.url, request.proposalId, endpoint.credential, () => (disconnects += 1)));
  clients.push(...agents);
  await Promise.all(agents.map((client) => client.synced));
  const wires = agents.map((client) => client.doc);
  // Agent 0's client writes the paragraph the trace is typed into; everyone starts from the same state.
  if (!traceText(wires[0])) addTraceParagraph(wires[0], trace.startContent ?? '');
  await until(() => wires.every((wire) => traceText(wire) !== null && sameState(wire, wires[0])), 'every client holding the trace paragraph');
  const base = Y.encodeStateAsUpdate(wires[0]);
  const clientIds = agentClientIds(wires[0], wires.length);

  const replay = new ConcurrentReplay(txns, { wires, base, clientIds, window: request.window, createDoc: () => recordedDocument() });
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  let sentAt = Number.NaN;
  let finishedAt = Number.NaN;
  try {
    await new Promise<void>((resolve, reject) => {
      let scheduled = false;
      let settled = false;
      const settle = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        clearInterval(progress);
        for (const wire of wires) wire.off('update', onUpdate);
        if (error) reject(error);
        else resolve();
      };
      const turn = (): void => {
        scheduled = false;
        if (settled) return;
        try {
          const sent = replay.pump(PUMP_BUDGET);
          if (replay.allSent && Number.isNaN(sentAt)) sentAt = performance.now();
          if (replay.allSent && replay.allReceived()) {
            finishedAt = performance.now();
            settle();
          } else if (sent === PUMP_BUDGET) schedule();
        } catch (error) {
          settle(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const schedule = (): void => {
        if (scheduled) return;
        scheduled = true;
        setImmediate(turn);
      };
      const onUpdate = (_update: Uint8Array, origin: unknown): void => {
        if (origin !== REPLAY_ORIGIN) schedule();
      };
      for (const wire of wires) wire.on('update', onUpdate);
      const timeout = setTimeout(
        () => settle(new Error(`replay not finished within ${request.timeoutMs / 1000} s: ${replay.sent} of ${txns.length} sent, ${disconnects} disconnects`)),
        request.timeoutMs,
      );
      const progress = setInterval(() => tell({ kind: 'progress', sent: replay.sent, txns: txns.length, elapsedMs: performance.now() - startedAt }), 10_000);
      schedule();
    });
  } finally {
    replay.destroy();
  }
  const cpu = process.cpuUsage(cpuBefore);
  const totalMs = finishedAt - startedAt;

  const observerStarted = performance.now();
  let observerText: string | null = null;
  let observerError: string | null = null;
  try {
    observerText = await observe(request.observer, request.proposalId);
  } catch (error) {
    observerError = error instanceof Error ? error.message : String(error);
  }
  const observerSyncMs = performance.now() - observerStarted;

  return {
    kind: 'ran',
    txns: txns.length,
    traceTxns: trace.txns.length,
    expectedLength: expected.length,
    expected: whole ? 'endContent' : 'local replay of the prefix',
    totalMs,
    sendMs: sentAt - startedAt,
    agents: replay.figures().map((figures, agent) => ({
      agent,
      clientId: figures.clientId,
      txns: figures.txns,
      roundTripWaitsMs: Float64Array.from(figures.roundTripWaitsMs),
      heldBackMs: Float64Array.from(figures.heldBackMs),
      windowWaitsMs: Float64Array.from(figures.windowWaitsMs),
      converged: plainText(wires[agent]) === expected,
    })),
    observerConverged: observerText === expected,
    observerError,
    observerSyncMs,
    clientCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / totalMs) * 1000) / 10,
    disconnects,
  };
}

/**
 * The fresh observer's text. Concord hands out a collab ticket only while the node's read models are
 * at most PROJECTION_MAX_LAG_MS behind the event log (503 otherwise; node B of two can trail by tens
 * of seconds after the replay), so first wait until a ticket is granted.
 */
async function observe(endpoint: Endpoint, proposalId: string): Promise<string | null> {
  const { credential } = endpoint;
  if (credential.kind === 'ticket') {
    const deadline = Date.now() + OBSERVER_TIMEOUT_MS;
    for (;;) {
      try {
        await ticket(credential, proposalId);
        break;
      } catch (error) {
        if (!/answered 503/.test(String(error)) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
  const observer = connect(endpoint.url, proposalId, credential, () => (disconnects += 1));
  clients.push(observer);
  await observer.synced;
  return plainText(observer.doc);
}

process.on('message', (message: ToConcurrentClients) => {
  switch (message.kind) {
    case 'run':
      run(message).then(tell, (error: unknown) => tell({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
      return;
    case 'exit':
      for (const client of clients) {
        client.provider.destroy();
        client.doc.destroy();
      }
      process.disconnect?.();
      setImmediate(() => process.exit(0));
      return;
  }
});
