// Lint: typescript-eslint recommended, plus the layer rules of DESIGN §4
// (dependencies point down only: ui → worker → transport → core → shared) and
// "simple-peer is imported in one file only" (STYLE §10).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const simplePeer = { group: ['simple-peer', 'simple-peer/*'], message: 'simple-peer is imported in src/transport/peer-link.ts only.' };
const layer = (files, groups, message, extra = [simplePeer]) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [...(groups.length ? [{ group: groups, message }] : []), ...extra] }] },
});

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer(['src/ui/**'], [], ''),
  layer(['src/worker/**'], ['**/ui/**', 'react', 'react-dom', 'zustand'], 'worker must not depend on ui.'),
  layer(['src/transport/**'], ['**/ui/**', '**/worker/**', 'react', 'react-dom', 'zustand'], 'transport must not depend on ui or worker.'),
  layer(['src/transport/peer-link.ts'], ['**/ui/**', '**/worker/**', 'react', 'react-dom', 'zustand'], 'transport must not depend on ui or worker.', []),
  layer(['src/core/**'], ['**/ui/**', '**/worker/**', '**/transport/**', 'react', 'react-dom', 'zustand', 'comlink'], 'src/core is pure, sans-I/O TypeScript (DESIGN §4).'),
  // The Node party: core, transport, shared, the DOM-free run logic of src/worker, and the
  // DOM-free room modules of src/ui (control protocol, input reading, labels) and the table
  // card's DOM-free read state (table-read-state: the read-back's words); never React,
  // the browser worker client, or the UI's store and controller.
  {
    files: ['src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          simplePeer,
          {
            regex: String.raw`(^|/)ui/(?!(features/room/(room-protocol|room-rules|private-input|parse-values|spec-defaults|labels)|features/table/table-read-state)(\.ts)?$)`,
            message: 'src/cli may import only the DOM-free room modules of src/ui (room-protocol, room-rules, private-input, parse-values, spec-defaults, labels) and features/table/table-read-state.',
          },
          { group: ['**/worker/engine-client*', '**/worker/engine.worker*', 'react', 'react-dom', 'zustand', 'comlink'], message: 'src/cli runs in Node: no React, no browser worker (it shares src/worker/run-job.ts).' },
        ],
      }],
    },
  },
  layer(['src/shared/**'], ['**/ui/**', '**/worker/**', '**/transport/**', '**/core/**', 'react', 'react-dom', 'zustand', 'comlink'], 'src/shared is the bottom layer.'),
);
