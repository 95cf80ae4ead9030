import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EditingTrace, traceToUpdates, TraceUpdates } from '@concord/content/testing';

/** The bench's copies of josephg/editing-traces (CC BY 4.0; see ../traces/README.md). */
export const BENCH_TRACES_DIR = join(__dirname, '..', 'traces');

export type BenchTraceName = 'automerge-paper' | 'seph-blog1';

export function loadBenchTrace(name: BenchTraceName): EditingTrace {
  return JSON.parse(gunzipSync(readFileSync(join(BENCH_TRACES_DIR, `${name}.json.gz`))).toString('utf8')) as EditingTrace;
}

/** Yjs client id of the one drafter who types the trace. */
export const TYPIST_CLIENT_ID = 1001;

export interface TypedTrace {
  readonly name: BenchTraceName;
  readonly trace: EditingTrace;
  /** `updates[r - 1]` makes revision r; one transaction of the trace = one update (one keystroke). */
  readonly updates: readonly Uint8Array[];
  readonly typed: TraceUpdates;
  readonly typingMs: number;
}

/**
 * Types the trace with the content library's helper (one paragraph, one Y.XmlText in the `content`
 * fragment, as Tiptap stores it), all by one client: the bytes an editor would send per keystroke.
 */
export function typeTrace(name: BenchTraceName): TypedTrace {
  const trace = loadBenchTrace(name);
  const started = performance.now();
  const typed = traceToUpdates(trace, { clients: 1, firstClientId: TYPIST_CLIENT_ID });
  const typingMs = performance.now() - started;
  return { name, trace, updates: typed.updates.map((entry) => entry.update), typed, typingMs };
}

/** Many small updates as one buffer plus their lengths, to hand to a child process cheaply. */
export interface PackedUpdates {
  readonly bytes: Uint8Array;
  readonly lengths: Uint32Array;
}

export function packUpdates(updates: readonly Uint8Array[]): PackedUpdates {
  const lengths = Uint32Array.from(updates, (update) => update.length);
  const bytes = new Uint8Array(lengths.reduce((sum, length) => sum + length, 0));
  let offset = 0;
  for (const update of updates) {
    bytes.set(update, offset);
    offset += update.length;
  }
  return { bytes, lengths };
}

export function unpackUpdates(packed: PackedUpdates): Uint8Array[] {
  const updates: Uint8Array[] = [];
  let offset = 0;
  for (const length of packed.lengths) {
    updates.push(packed.bytes.subarray(offset, offset + length));
    offset += length;
  }
  return updates;
}
