import { runThroughputPhase } from './throughput/throughput-phase';
import { typeTrace } from './trace';

async function main(): Promise<void> {
  const started = Date.now();
  const progress = (line: string): void => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const typed = typeTrace('automerge-paper');
  progress(`typed ${typed.updates.length} in ${typed.typingMs} ms`);
  const n = Number(process.env['N'] ?? 20000);
  const results = await runThroughputPhase(typed, { updates: n, window: Number(process.env['W'] ?? 256), latencyUpdates: 1000, warmupUpdates: 5000, checkpointEvery: 500, progress });
  console.log(JSON.stringify(results.map((r) => ({ ...r, warningSamples: r.warningSamples.length })), null, 1).slice(0, 4000));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
