// ESLint for every workspace: typescript-eslint with type information over the TypeScript
// (root tsconfig.json, and frontend/tsconfig.json for the dashboard), eslint-plugin-vue over
// the .vue files. `npm run lint` runs it; .ci/run makes it a gate.
import js from '@eslint/js';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

/** A package's internals, reached from another package: import its entry point instead. */
const INTERNALS = {
  patterns: [
    {
      group: ['@xuncha/*/src', '@xuncha/*/src/*', '@xuncha/*/src/**'],
      message: "Import another package's public API from its entry point (e.g. '@xuncha/prisma'), not its src/ internals.",
    },
    {
      // The same internals reached by a relative path out of one's own package.
      regex: '^(\\.\\./)+(shared|prisma|etl|backend|frontend|tests)/src(/|$)',
      message: "Import another package's public API from its entry point (e.g. '@xuncha/prisma'), not a path into its src/.",
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'test-output/**',
      'prisma/src/generated/**',
      'frontend/src/api/schema.d.ts',
      '**/*.cjs',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...pluginVue.configs['flat/essential'],
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        // One program for every workspace but the dashboard (the root tsconfig.json includes
        // them all), instead of one per package's tsconfig.json, each checking again what it
        // imports from the others: `npm run lint` took 69 s that way, 55 s this way.
        project: ['./tsconfig.json', './frontend/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      'no-restricted-imports': ['error', INTERNALS],
      // A leading underscore names what is left unused on purpose (a destructured field
      // dropped from a copy, a callback's first argument).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Uploads, CSV cells and documents are cleaned of control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['frontend/**/*.vue'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, project: ['./frontend/tsconfig.json'], extraFileExtensions: ['.vue'] },
    },
    // typescript-eslint's program reads a .vue file's script without vue-tsc's view of the
    // component (its props, emits, template refs and the ECharts callback types it imports), so
    // it takes resolved types for unresolved ones. The rules that judge a value's type are left
    // to vue-tsc (`npm run typecheck`), which is the type gate for .vue files.
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    // Unit specs fake async interfaces with functions that need no await.
    files: ['**/*.spec.ts', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['frontend/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The tests and unit specs read JSON answers and cells loosely typed (`Json`). Like any
    // other package they reach the packages they test through their entry points.
    files: ['tests/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
);
