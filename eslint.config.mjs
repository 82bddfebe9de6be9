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
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      'no-restricted-imports': ['error', INTERNALS],
    },
  },
  {
    files: ['frontend/**/*.vue'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, projectService: true, extraFileExtensions: ['.vue'] },
    },
  },
  {
    files: ['frontend/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The tests read JSON answers loosely typed (`Json`). Like any other package they reach
    // the packages they test through their entry points.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
