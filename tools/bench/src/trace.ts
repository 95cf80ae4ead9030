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
export function typeTrace(name: BenchTraceName, limit?: number): TypedTrace {
  const trace = loadBenchTrace(name);
  const started = performance.now();
  const typed = traceToUpdates(trace, { clients: 1, firstClientId: TYPIST_CLIENT_ID, limit });
  const typingMs = performance.now() - started;
  return { name, trace, updates: typed.updates.map((entry) => entry.update), typed, typingMs };
}
