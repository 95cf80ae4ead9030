// Jest environment for the e2e specs: Node, plus a count of failed tests and hooks on the global,
// so the harness can print the servers' log tails after a failure (see api-process.ts).
const { TestEnvironment } = require('jest-environment-node');

class E2eEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__e2eFailures = [];
  }

  async handleTestEvent(event) {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
      const name = event.test ? event.test.name : `${event.hook.type} hook`;
      this.global.__e2eFailures.push(name);
    }
  }
}

module.exports = E2eEnvironment;
