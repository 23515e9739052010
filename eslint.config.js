import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'bench/peers/**',
      'bench/results/**',
      'bench/.cache/**',
      'coverage/**',
      '.data/**',
      'packages/create-composable-svelte/.tmp/**',
      // Copies of the dev-server fixture app and their Vite cache, made by the tests.
      'packages/server/tests/.tmp/**',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // TypeScript checks names itself (and knows DOM types such as AutoFill that eslint's globals lack).
    files: ['**/*.ts', '**/*.svelte'],
    rules: { 'no-undef': 'off' },
  },
  {
    // Security code and its tests match control characters on purpose.
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Type-level routing code uses `{}` as "no params" in intersections.
    files: ['packages/core/src/routing/**', 'packages/core/tests/routing-*.ts'],
    rules: { '@typescript-eslint/no-empty-object-type': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // Scripts, benchmarks and tests talk to the terminal on purpose.
    files: ['scripts/**', 'bench/**', '**/tests/**', '**/scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
