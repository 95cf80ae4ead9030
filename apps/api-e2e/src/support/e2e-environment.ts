/**
 * Jest environment for the e2e specs: Node, plus the names of failed tests and hooks on the global,
 * so the harness can print the servers' log tails after a failure (see api-process.ts).
 */
import NodeEnvironment from 'jest-environment-node';

interface CircusEventLike {
  name: string;
  test?: { name: string };
  hook?: { type: string };
}

export default class E2eEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    this.global['__e2eFailures'] = [];
  }

  async handleTestEvent(event: CircusEventLike): Promise<void> {
    const failures = this.global['__e2eFailures'] as string[];
    if (event.name === 'test_fn_failure') failures.push(event.test?.name ?? 'a test');
    if (event.name === 'hook_failure') failures.push(`${event.hook?.type ?? 'a'} hook`);
  }
}
