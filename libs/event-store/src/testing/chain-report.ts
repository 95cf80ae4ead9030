import { chainLinkProblem, type ChainLinkHead } from '../lib/chain/chain-link';
import type { EventStore } from '../lib/event-store.port';

export interface ChainReport {
  streams: number;
  events: number;
  /** One line per stream whose chain or head record is broken, `stream@revision: reason`. */
  breaks: string[];
}

/**
 * Reads every stream of the store and checks each link with the one chain-link check and each head
 * record against the stream's last event: what the contract needs to say that an adapter chains
 * correctly. The auditors' full check (paging, unreadable events, progress) is verifyEventStore in
 * @concord/event-log-tools, tested there against the adapters' storage.
 */
export async function chainReport(store: EventStore): Promise<ChainReport> {
  const report: ChainReport = { streams: 0, events: 0, breaks: [] };
  for (const head of await store.listStreams()) {
    report.streams += 1;
    let previous: ChainLinkHead | undefined;
    for (const event of await store.readStream(head.stream)) {
      const problem = chainLinkProblem(event, previous);
      if (problem) report.breaks.push(`${event.stream}@${event.revision}: ${problem}`);
      previous = { revision: event.revision, hash: event.metadata.hash };
      report.events += 1;
    }
    if (previous?.revision !== head.lastRevision || previous.hash !== head.lastHash) {
      report.breaks.push(`${head.stream}: the head record does not match the last event`);
    }
  }
  return report;
}
