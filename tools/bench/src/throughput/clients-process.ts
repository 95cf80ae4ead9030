import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { packUpdates } from './packed-updates';
import type { FromClients, ToClients } from './client-protocol';

export type RunRequest = Omit<Extract<ToClients, { kind: 'run' }>, 'kind'>;
export type RunOutcome = Extract<FromClients, { kind: 'done' }>;

/** The typing clients, in a child process of their own (see typing-clients.ts). */
export class ClientsProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(updates: readonly Uint8Array[]): Promise<ClientsProcess> {
    const child = fork(join(__dirname, 'typing-clients.ts'), [], {
      execArgv: [...(process.env['CHILD_PROF'] ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, TS_NODE_PROJECT: process.env['TS_NODE_PROJECT'] ?? join(__dirname, '..', '..', 'tsconfig.app.json') },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const clients = new ClientsProcess(child);
    await clients.exchange({ kind: 'load', updates: packUpdates(updates) }, 'loaded');
    return clients;
  }

  run(request: RunRequest, onProgress: (acknowledged: number) => void): Promise<RunOutcome> {
    return this.exchange({ kind: 'run', ...request }, 'done', onProgress) as Promise<RunOutcome>;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ kind: 'exit' } satisfies ToClients);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    if (this.child.exitCode === null) this.child.kill();
  }

  private exchange(
    message: ToClients,
    expected: FromClients['kind'],
    onProgress?: (acknowledged: number) => void,
  ): Promise<FromClients> {
    return new Promise<FromClients>((resolve, reject) => {
      const onMessage = (reply: FromClients): void => {
        if (reply.kind === 'progress') {
          onProgress?.(reply.acknowledged);
          return;
        }
        cleanUp();
        if (reply.kind === expected) resolve(reply);
        else if (reply.kind === 'failed') reject(new Error(`typing clients: ${reply.message}`));
        else reject(new Error(`typing clients answered ${reply.kind}, expected ${expected}`));
      };
      const onExit = (code: number | null): void => {
        cleanUp();
        reject(new Error(`typing clients exited (${code}) before answering`));
      };
      const cleanUp = (): void => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
      this.child.send(message);
    });
  }
}
