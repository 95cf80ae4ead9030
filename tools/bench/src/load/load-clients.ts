/**
 * Child process of the load benchmark: stock y-websocket `WebsocketProvider`s on Node `ws`
 * (disableBc) — the editors and the observer of several documents. Editors and observer of one
 * document live in the same process, so sender and observer share one clock
 * (performance.now()). Each editor inserts `<editor>:<seq>;` at the start of the document's
 * paragraph at R updates/s (its provider sends each as one frame); the observer parses what each
 * remote update inserted and records when it saw every token.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { insertedTokens, updateToken } from './load-accounting';
import { Client, connect as connectClient, SYNC_TIMEOUT_MS } from './load-connect';
import type { Credential, DocumentAssignment, DocumentReport, FromLoadClients, ToLoadClients } from './load-protocol';

const EDITS = Symbol('load-edit');

interface LoadDocument {
  readonly assignment: DocumentAssignment;
  readonly observer: Client;
  readonly editors: Client[];
  /** Filled while running. */
  sentAt: number[][];
  measured: number[][];
  seenAt: number[][];
}

const documents: LoadDocument[] = [];
let disconnects = 0;

function tell(message: FromLoadClients): void {
  process.send?.(message);
}

/** A stock provider; for Concord a fresh ticket before every (re)connect, as the web app does. */
function connect(url: string, proposalId: string, credential: Credential): Client {
  return connectClient(url, proposalId, credential, () => (disconnects += 1));
}

function paragraphText(doc: Y.Doc): Y.XmlText | null {
  for (const node of doc.getXmlFragment('content').toArray()) {
    if (node instanceof Y.XmlElement && node.nodeName === 'paragraph') {
      const text = node.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
      if (text) return text;
    }
  }
  return null;
}

async function until(check: () => boolean, what: string, timeoutMs = SYNC_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function open(assignments: readonly DocumentAssignment[]): Promise<void> {
  for (const assignment of assignments) {
    const observer = connect(assignment.observerUrl, assignment.proposalId, assignment.observerCredential);
    const editors = assignment.editorCredentials.map((credential) => connect(assignment.editorUrl, assignment.proposalId, credential));
    documents.push({ assignment, observer, editors, sentAt: [], measured: [], seenAt: [] });
  }
  await Promise.all(documents.flatMap((document) => [document.observer.synced, ...document.editors.map((editor) => editor.synced)]));
  // The first editor writes the paragraph the editors type into (with a block id, as the web editor does).
  for (const document of documents) {
    if (paragraphText(document.editors[0].doc)) continue;
    const doc = document.editors[0].doc;
    doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.setAttribute('id', randomUUID());
      paragraph.insert(0, [new Y.XmlText()]);
      doc.getXmlFragment('content').insert(0, [paragraph]);
    });
  }
  for (const document of documents) {
    for (const client of [document.observer, ...document.editors]) await until(() => paragraphText(client.doc) !== null, `paragraph on ${document.assignment.proposalId}`);
  }
  tell({ kind: 'opened', clients: documents.reduce((sum, document) => sum + 1 + document.editors.length, 0) });
}

async function run(request: Extract<ToLoadClients, { kind: 'run' }>): Promise<void> {
  const { rate, warmupMs, durationMs, graceMs } = request;
  const interval = 1000 / rate;
  const sendLag: number[] = [];
  const timers: NodeJS.Timeout[] = [];
  const startedAt = performance.now();
  const windowStart = startedAt + warmupMs;
  const stopAt = windowStart + durationMs;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let cpuAtWindow = process.cpuUsage();
  let cpuWindowMs = 0;
  timers.push(
    setTimeout(() => {
      loop.enable();
      cpuAtWindow = process.cpuUsage();
    }, warmupMs),
    setTimeout(() => {
      loop.disable();
      const cpu = process.cpuUsage(cpuAtWindow);
      cpuWindowMs = (cpu.user + cpu.system) / 1000;
    }, warmupMs + durationMs),
  );

  for (const document of documents) {
    document.sentAt = document.editors.map(() => []);
    document.measured = document.editors.map(() => []);
    document.seenAt = document.editors.map(() => []);
    const observed = paragraphText(document.observer.doc);
    if (!observed) throw new Error('observer has no paragraph');
    observed.observe((event, transaction) => {
      if (transaction.origin !== document.observer.provider) return;
      const now = performance.now();
      for (const { editor, seq } of insertedTokens(event.changes.delta)) {
        const seen = document.seenAt[editor];
        if (seen && seen[seq] === undefined) seen[seq] = now;
      }
    });
    document.editors.forEach((editor, index) => {
      const text = paragraphText(editor.doc);
      if (!text) throw new Error('editor has no paragraph');
      const phase = Math.random() * interval;
      let seq = 0;
      const sendNext = (): void => {
        const due = startedAt + phase + seq * interval;
        if (due >= stopAt) return;
        const now = performance.now();
        if (now >= due) {
          if (due >= windowStart) sendLag.push(now - due);
          document.sentAt[index][seq] = now;
          document.measured[index][seq] = due >= windowStart ? 1 : 0;
          editor.doc.transact(() => text.insert(0, updateToken(index, seq)), EDITS);
          seq += 1;
        }
        const next = startedAt + phase + seq * interval;
        if (next < stopAt) timers.push(setTimeout(sendNext, Math.max(0, next - performance.now())));
      };
      timers.push(setTimeout(sendNext, phase));
    });
  }
  await new Promise((resolve) => setTimeout(resolve, warmupMs + durationMs + graceMs));
  for (const timer of timers) clearTimeout(timer);

  const reports: DocumentReport[] = documents.map((document) => {
    const expected = document.observer.doc.getXmlFragment('content').toString();
    return {
      proposalId: document.assignment.proposalId,
      editors: document.editors.map((_editor, index) => {
        const count = document.sentAt[index].length;
        const sentAt = new Float64Array(count).fill(Number.NaN);
        const measured = new Uint8Array(count);
        const seenAt = new Float64Array(count).fill(Number.NaN);
        for (let seq = 0; seq < count; seq++) {
          sentAt[seq] = document.sentAt[index][seq] ?? Number.NaN;
          measured[seq] = document.measured[index][seq] ?? 0;
          seenAt[seq] = document.seenAt[index][seq] ?? Number.NaN;
        }
        return { sentAt, measured, seenAt };
      }),
      converged: document.editors.every((editor) => editor.doc.getXmlFragment('content').toString() === expected),
      textLength: paragraphText(document.observer.doc)?.length ?? 0,
    };
  });
  // The histogram's samples include its own 10 ms sampling interval: the delay is what exceeds it.
  const ms = (nanoseconds: number): number => Math.max(0, Math.round(nanoseconds / 1e4) / 100 - 10);
  tell({
    kind: 'ran',
    documents: reports,
    sendLagMs: Float64Array.from(sendLag),
    loopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
    cpuPercent: Math.round((cpuWindowMs / durationMs) * 1000) / 10,
    disconnects,
  });
}

function fail(error: unknown): void {
  tell({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}

process.on('message', (message: ToLoadClients) => {
  switch (message.kind) {
    case 'open':
      open(message.documents).catch(fail);
      return;
    case 'run':
      run(message).catch(fail);
      return;
    case 'exit':
      for (const document of documents) {
        for (const client of [document.observer, ...document.editors]) {
          client.provider.destroy();
          client.doc.destroy();
        }
      }
      process.disconnect?.();
      setImmediate(() => process.exit(0));
      return;
  }
});
