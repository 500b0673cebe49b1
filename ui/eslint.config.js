import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'src/gen'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.strict],
    files: ['**/*.{ts,tsx,js}'],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Components never reach the transport themselves: only src/api/ may.
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Use the typed API module (src/api/), never fetch directly.' },
        { name: 'EventSource', message: 'Use the typed API module (src/api/) for live events.' },
      ],
    },
  },
  {
    files: ['src/api/**', 'e2e/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    // The offline shell's service worker fetches the app's own files, never the API.
    files: ['public/sw.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
    rules: { 'no-restricted-globals': 'off' },
  },
);
