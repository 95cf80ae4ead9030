import nx from '@nx/eslint-plugin';

/** Packages that only run on a server: never in browser or platform-neutral code. */
const SERVER_ONLY = [
  '@nestjs/*',
  'better-sqlite3',
  'pg',
  'ioredis',
  'ws',
  '@kurrent/*',
  '@node-rs/*',
  'pino',
  'pino-http',
  'express',
];
/** Browser frameworks: never on the server or in platform-neutral code. */
const BROWSER_ONLY = ['@angular/*', 'ngx-tiptap', '@tiptap/extension-collaboration*', 'y-indexeddb', 'rxjs'];

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process', 'worker_threads'];

function boundaries() {
  return [
    'error',
    {
      enforceBuildableLibDependency: true,
      allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
      depConstraints: [
        // Scope: the api and web never reach into each other; both may use shared code.
        { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
        { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
        { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
        { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared', 'scope:tools'] },
        // The event log: the store (port and adapters) never reaches for the tools that work on the
        // log it holds (export/import, verify, signed checkpoints); the tools use the store's port.
        { sourceTag: 'log:store', notDependOnLibsWithTags: ['log:tools'] },
        // Type: layering from apps down to contracts.
        { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:domain', 'type:util', 'type:contracts'] },
        { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:domain', 'type:util', 'type:contracts'] },
        { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util', 'type:contracts'] },
        { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util', 'type:contracts'] },
        { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util', 'type:contracts'] },
        { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
        { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
        // Platform: what runs where, including third-party packages.
        {
          sourceTag: 'platform:any',
          onlyDependOnLibsWithTags: ['platform:any'],
          bannedExternalImports: [...SERVER_ONLY, ...BROWSER_ONLY],
        },
        {
          sourceTag: 'platform:browser',
          onlyDependOnLibsWithTags: ['platform:browser', 'platform:any'],
          bannedExternalImports: SERVER_ONLY,
        },
        {
          sourceTag: 'platform:node',
          onlyDependOnLibsWithTags: ['platform:node', 'platform:any'],
          bannedExternalImports: ['@angular/*', 'ngx-tiptap', 'y-indexeddb'],
        },
      ],
    },
  ];
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/node_modules', 'data/**', 'tmp/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: { '@nx/enforce-module-boundaries': boundaries() },
  },

];

/**
 * For the eslint.config.mjs of platform-neutral libraries (tag platform:any): they run in browsers
 * and do no I/O. Nx's boundary rule does not see Node built-ins, so they are banned here; tests and
 * fixtures may use them.
 */
export const platformNeutral = {
  files: ['src/lib/**/*.ts'],
  ignores: ['**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: NODE_BUILTINS,
            message: 'Platform-neutral code (platform:any) runs in browsers too and does no I/O: no Node built-ins.',
          },
        ],
      },
    ],
  },
};
