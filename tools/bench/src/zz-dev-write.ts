import { writeHistory } from './history/history-store';
import { typeTrace } from './trace';
async function main(): Promise<void> {
  const typed = typeTrace('automerge-paper', Number(process.env['LIMIT']));
  console.log('typed', typed.updates.length, typed.typingMs);
  const t = performance.now();
  const h = await writeHistory(typed.updates, Number(process.env['K'] ?? 500), console.log);
  console.log('write', h.writeMs, 'lag', h.checkpointLagMs, performance.now() - t);
  await h.close();
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
