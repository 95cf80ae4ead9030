import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { FromClients, ToClients } from './client-protocol';
import { packUpdates } from './packed-updates';

type Reply<K extends FromClients['kind']> = Extract<FromClients, { kind: K }>;

/** The typing clients, in a child process of their own (see typing-clients.ts). One request at a time. */
export class ClientsProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(updates: readonly Uint8Array[]): Promise<ClientsProcess> {
    const child = fork(join(__dirname, 'typing-clients.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
      env: { ...process.env, TS_NODE_PROJECT: process.env['TS_NODE_PROJECT'] ?? join(__dirname, '..', '..', 'tsconfig.app.json') },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const clients = new ClientsProcess(child);
    await clients.exchange({ kind: 'load', updates: packUpdates(updates) }, 'loaded');
    return clients;
  }

  async open(request: Omit<Extract<ToClients, { kind: 'open' }>, 'kind'>): Promise<void> {
    await this.exchange({ kind: 'open', ...request }, 'opened');
  }

  type(request: Omit<Extract<ToClients, { kind: 'type' }>, 'kind'>, onProgress: (acknowledged: number) => void): Promise<Reply<'typed'>> {
    return this.exchange({ kind: 'type', ...request }, 'typed', onProgress);
  }

  close(session: string, expectedText: string): Promise<Reply<'closed'>> {
    return this.exchange({ kind: 'close', session, expectedText }, 'closed');
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ kind: 'exit' } satisfies ToClients);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    if (this.child.exitCode === null) this.child.kill();
  }

  private exchange<K extends FromClients['kind']>(message: ToClients, expected: K, onProgress?: (acknowledged: number) => void): Promise<Reply<K>> {
    return new Promise<Reply<K>>((resolve, reject) => {
      const onMessage = (reply: FromClients): void => {
        if (reply.kind === 'progress') {
          onProgress?.(reply.acknowledged);
          return;
        }
        cleanUp();
        if (reply.kind === expected) resolve(reply as Reply<K>);
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
