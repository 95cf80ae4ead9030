import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { CONTENT_FIELD } from '../lib/document-building';

/** `[position, deleted length, inserted text]`; positions and lengths count code points. */
export type TracePatch = readonly [number, number, string];

/** An editing trace of josephg/editing-traces (CC BY 4.0, Joseph Gentle); see traces/README.md. */
export interface EditingTrace {
  readonly startContent: string;
  readonly endContent: string;
  readonly txns: ReadonlyArray<{ readonly time?: string; readonly patches: readonly TracePatch[] }>;
}

export type TraceName = 'sveltecomponent' | 'friendsforever_flat';

export const TRACE_NAMES: readonly TraceName[] = ['sveltecomponent', 'friendsforever_flat'];

/** Directory holding the gzipped trace files. */
export const TRACES_DIR = join(__dirname, 'traces');

/** Reads `traces/<name>.json.gz`. Node only (tests, benchmarks). */
export function loadTrace(name: TraceName): EditingTrace {
  return JSON.parse(gunzipSync(readFileSync(join(TRACES_DIR, `${name}.json.gz`))).toString('utf8')) as EditingTrace;
}

/** Applies patches (code-point positions) to a string, independently of Yjs. */
export function applyTracePatches(text: string, patches: readonly TracePatch[]): string {
  for (const [position, deleteLength, insertText] of patches) {
    if (isBmpOnly(text)) {
      text = text.slice(0, position) + insertText + text.slice(position + deleteLength);
    } else {
      const codePoints = Array.from(text);
      codePoints.splice(position, deleteLength, ...Array.from(insertText));
      text = codePoints.join('');
    }
  }
  return text;
}

const SURROGATE = /[\uD800-\uDFFF]/;

function isBmpOnly(text: string): boolean {
  return !SURROGATE.test(text);
}

/** UTF-16 offset of the code point at `codePoints` in `text` (trace positions count code points). */
export function utf16Offset(text: string, codePoints: number, from = 0): number {
  let offset = from;
  for (let counted = 0; counted < codePoints; counted++) {
    const code = text.charCodeAt(offset);
    offset += code >= 0xd800 && code <= 0xdbff && offset + 1 < text.length ? 2 : 1;
  }
  return offset;
}

export interface TraceUpdate {
  readonly update: Uint8Array;
  /** Which of the simulated clients typed it (0-based). */
  readonly clientIndex: number;
  /** That client's Yjs client id. */
  readonly clientId: number;
}

export interface TraceUpdates {
  /** One update per transaction of the trace: `updates[r - 1]` makes revision r. */
  readonly updates: readonly TraceUpdate[];
  readonly clientIds: readonly number[];
  /** The trace text after its first `n` transactions (`textAfter(0)` is `startContent`). */
  textAfter(n: number): string;
}

export interface TraceToUpdatesOptions {
  /** Number of clients taking turns, one transaction each (default 2). */
  readonly clients?: number;
  /** Yjs client id of client 0; client k gets `firstClientId + k` (default 1001). */
  readonly firstClientId?: number;
  /** Only convert the first `limit` transactions. */
  readonly limit?: number;
}

const TEXT_CHECKPOINT_INTERVAL = 256;

/**
 * Types a trace into a document whose `content` fragment holds one paragraph with one Y.XmlText,
 * as Tiptap would store a single-paragraph document. `clients` clients take turns, one transaction
 * each, each seeing all earlier updates (no concurrency). The first update also creates the
 * paragraph and inserts `startContent`.
 *
 * The clients share one Y.Doc whose `clientID` changes between transactions: the updates are the
 * bytes separate replicas would send (a test checks this), but typing stays fast — a replica that
 * receives a remote update drops its position cache, so alternating replicas is quadratic.
 */
export function traceToUpdates(trace: EditingTrace, options: TraceToUpdatesOptions = {}): TraceUpdates {
  const clientCount = options.clients ?? 2;
  const firstClientId = options.firstClientId ?? 1001;
  const txns = trace.txns.slice(0, options.limit ?? trace.txns.length);
  const clientIds = Array.from({ length: clientCount }, (_, k) => firstClientId + k);
  const updates: TraceUpdate[] = [];
  const checkpoints: string[] = [trace.startContent];
  let plain = trace.startContent;
  let astral = !isBmpOnly(trace.startContent);
  const doc = new Y.Doc();
  let captured: Uint8Array | undefined;
  doc.on('update', (update: Uint8Array) => {
    captured = update;
  });
  try {
    const paragraph = new Y.XmlElement('paragraph');
    // Its block id, as the web editor writes it (libs/content block-ids.ts).
    paragraph.setAttribute('id', 'trace-paragraph');
    const text = new Y.XmlText();
    txns.forEach((txn, index) => {
      const clientIndex = index % clientCount;
      doc.clientID = clientIds[clientIndex];
      captured = undefined;
      doc.transact(() => {
        if (index === 0) {
          paragraph.insert(0, [text]);
          doc.getXmlFragment(CONTENT_FIELD).insert(0, [paragraph]);
          if (trace.startContent.length > 0) text.insert(0, trace.startContent);
        }
        for (const [position, deleteLength, insertText] of txn.patches) {
          astral ||= !isBmpOnly(insertText);
          // Yjs counts UTF-16 units; the trace counts code points.
          const current = astral ? text.toString() : '';
          const start = astral ? utf16Offset(current, position) : position;
          const end = astral ? utf16Offset(current, deleteLength, start) : position + deleteLength;
          if (end > start) text.delete(start, end - start);
          if (insertText.length > 0) text.insert(start, insertText);
        }
      });
      if (!captured) throw new Error(`trace transaction ${index} changed nothing`);
      updates.push({ update: captured, clientIndex, clientId: clientIds[clientIndex] });
      plain = applyTracePatches(plain, txn.patches);
      if ((index + 1) % TEXT_CHECKPOINT_INTERVAL === 0) checkpoints.push(plain);
    });
  } finally {
    doc.destroy();
  }

  const textAfter = (n: number): string => {
    if (!Number.isInteger(n) || n < 0 || n > txns.length) {
      throw new RangeError(`textAfter: ${n} is not between 0 and ${txns.length}`);
    }
    const checkpoint = Math.floor(n / TEXT_CHECKPOINT_INTERVAL);
    let text = checkpoints[checkpoint];
    for (let index = checkpoint * TEXT_CHECKPOINT_INTERVAL; index < n; index++) {
      text = applyTracePatches(text, txns[index].patches);
    }
    return text;
  };
  return { updates, clientIds, textAfter };
}
