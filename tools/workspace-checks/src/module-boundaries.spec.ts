import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The module boundaries are part of the architecture: these cases show that lint (run by
 * `npm test`) rejects the imports the layering forbids, and accepts the ones it allows.
 */
const workspaceRoot = join(__dirname, '../../..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * Lints `code` as if it were the file at `filePath` (inside `project`), with the workspace's own
 * ESLint CLI run from the project's folder, as `nx lint` runs it.
 */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const project = filePath.split('/src/')[0];
  let output: string;
  try {
    output = execFileSync(
      process.execPath,
      [require.resolve('eslint/bin/eslint.js'), '--stdin', '--stdin-filename', join(workspaceRoot, filePath), '--format', 'json'],
      { cwd: join(workspaceRoot, project), input: code, encoding: 'utf8' },
    );
  } catch (error) {
    // ESLint exits 1 when it finds errors; its JSON report is still on stdout.
    output = (error as { stdout: string }).stdout;
  }
  const [result] = JSON.parse(output) as { messages: LintMessage[] }[];
  return result.messages
    .filter((message) => message.ruleId === '@nx/enforce-module-boundaries' || message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('module boundaries', () => {
  it('rejects NestJS in the domain', async () => {
    const errors = await boundaryErrors(
      'libs/domain/src/lib/forbidden.ts',
      "import { Injectable } from '@nestjs/common';\nexport const decorate = Injectable;\n",
    );
    expect(errors.join('\n')).toMatch(/not allowed to import "@nestjs\/common"/);
  });

  it('rejects node built-ins (I/O) in the domain', async () => {
    const errors = await boundaryErrors(
      'libs/domain/src/lib/forbidden.ts',
      "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    );
    expect(errors.join('\n')).toMatch(/no Node built-ins/);
  });

  it('rejects better-sqlite3 in the web app', async () => {
    const errors = await boundaryErrors(
      'apps/web/src/app/forbidden.ts',
      "import Database from 'better-sqlite3';\nexport const open = () => new Database(':memory:');\n",
    );
    expect(errors.join('\n')).toMatch(/not allowed to import "better-sqlite3"/);
  });

  it('rejects a server library in the web app', async () => {
    const errors = await boundaryErrors(
      'apps/web/src/app/forbidden.ts',
      "import { MemoryEventStore } from '@concord/event-store';\nexport const store = MemoryEventStore;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('rejects Angular on the server', async () => {
    const errors = await boundaryErrors(
      'libs/api/drafting/src/lib/forbidden.ts',
      "import { Component } from '@angular/core';\nexport const component = Component;\n",
    );
    expect(errors.join('\n')).toMatch(/not allowed to import "@angular\/core"/);
  });

  it("keeps the log's tools out of the event store: the adapters never depend on export, verify or checkpoints", async () => {
    const errors = await boundaryErrors(
      'libs/event-store/src/lib/forbidden.ts',
      "import { verifyEventStore } from '@concord/event-log-tools';\nexport const verify = verifyEventStore;\n",
    );
    // The tools depend on the store, so nx reports the cycle before the tag rule (log:store may not
    // depend on log:tools), which holds even for a store-side library the tools do not use.
    expect(errors.join('\n')).toMatch(/log:tools|Circular dependency between "api-event-store" and "api-event-log-tools"/);
  });

  it('allows what the layering permits', async () => {
    expect(
      await boundaryErrors('libs/domain/src/lib/allowed.ts', "import { sha256Hex } from '@concord/integrity';\nexport const hash = sha256Hex;\n"),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'libs/api/drafting/src/lib/allowed.ts',
        "import { proposalDecider } from '@concord/domain';\nexport const decider = proposalDecider;\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'libs/event-log-tools/src/lib/allowed.ts',
        "import { chainLinkProblem } from '@concord/event-store';\nexport const check = chainLinkProblem;\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'libs/web/proposals/data-access/src/lib/allowed.ts',
        "import { decideAccess } from '@concord/domain';\nexport const decide = decideAccess;\n",
      ),
    ).toEqual([]);
  });

  it('keeps the domain out of web components: they read permissions from data-access', async () => {
    const errors = await boundaryErrors(
      'libs/web/proposals/feature/src/lib/forbidden.ts',
      "import { decideAccess } from '@concord/domain';\nexport const decide = decideAccess;\n",
    );
    expect(errors.join('\n')).toMatch(/type:feature/);
  });
});
