// A small rule set: tsc already checks types and unused names; these keep import style and equality uniform
// and hold the layering of ARCHITECTURE.md (runtime/ never imports grammar/, compiler/ or cli/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'results/',
      '.shiftlab/',
      'docs/results/',
      'studies/results/',
      'bench/results/',
      'examples/tint_and_flip.ts',
      'test/**/golden/',
      '**/*.d.ts',
      'dist/',
      'editors/vscode/dist/',
      'editors/vscode/node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' },
    },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // ANSI escapes and the lexer's control-character class are meant.
      'no-control-regex': 'off',
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The VS Code client is CommonJS, as VS Code loads extensions.
    files: ['editors/vscode/src/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['runtime/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/grammar/**', '**/compiler/**', '**/cli/**'],
              message: 'runtime/ never imports grammar/, compiler/ or cli/ (a compiled script needs the runtime alone)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['grammar/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/compiler/**', '**/runtime/**', '**/cli/**'],
              message: 'grammar/ imports only itself and chevrotain',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['compiler/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/cli/**'], message: 'compiler/ never imports cli/' }] },
      ],
    },
  },
);
