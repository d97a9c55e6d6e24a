import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Helpers replaced by the checkers' rule library; a flat config's later block replaces a rule, so both blocks list them. */
const removedHelpers = [
  {
    regex: '(^|/)(hosts|istio/find-objects|istio/mesh-lookups|labs/shared-(find-objects|read-routing|route-share-assertions|mix-judgement|mesh-hosts|virtual-service-routes|fault-percentage))$',
    message: 'Removed helper: use the rule library (checkers/src/istio/rules) and checkers/src/findings through check-api.',
  },
  {
    regex: '^\\.\\./shared-(find-objects|read-routing|route-share-assertions|mix-judgement|mesh-hosts|virtual-service-routes|fault-percentage)$',
    message: 'Removed helper: use the rule library (checkers/src/istio/rules) and checkers/src/findings through check-api.',
  },
];

/** What production code may not import (a later block for the same files replaces the rule, so it repeats these). */
const productionImportPatterns = [
  ...removedHelpers,
  { group: ['**/testing', '**/testing/**', '@istio-workshop/*/testing'], message: 'Test doubles (testing/) are for tests only.' },
  { group: ['**/testdata', '**/testdata/**'], message: 'Fixtures (testdata/) are for tests only.' },
  { group: ['vitest', 'vitest/**'], message: 'vitest belongs in tests.' },
];

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/.next/**', '**/.data/**', 'apps/portal/next-env.d.ts', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        window: 'readonly',
        document: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (STYLE.md).' },
      ],
    },
  },
  {
    // One generation of Istio helpers (checkers): the rule library (checkers/src/istio/rules) and its findings.
    files: ['checkers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: removedHelpers }] },
  },
  {
    // Production code never reaches into test doubles or fixtures (tests, testing/, testdata/, e2e and
    // benches may): a check that imported them would ship fakes and could pass on canned data.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/*.e2e.ts', '**/*.config.ts', '**/vitest.*.ts', '**/testing/**', '**/testdata/**', 'e2e/**', '**/bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: productionImportPatterns,
        },
      ],
    },
  },
  {
    // Lab checks word their titles and hints from the catalogue (finding(code, params)); the raw
    // builders are for the catalogue's own plumbing.
    files: ['checkers/src/labs/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...productionImportPatterns,
            { group: ['**/check-api', '**/assertions'], importNames: ['pass', 'fail', 'warn'], message: "Use finding(code, params).pass/fail/warn: titles and hints live in checkers/src/catalogue/check-codes.ts." },
          ],
        },
      ],
    },
  },
  {
    // Next.js requires default exports for pages, layouts and its config.
    files: ['apps/portal/app/**/*.tsx', 'apps/portal/app/**/*.ts', 'apps/portal/next.config.ts', '**/*.config.{js,ts,mjs}', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
