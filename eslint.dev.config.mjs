// Lint for the code that never ships (tests, sandboxes, scripts): TypeScript's recommended rules,
// and for the plain JavaScript (`.mjs`: the real-n8n and queue tests, scripts, these ESLint
// configurations) ESLint's recommended rules with Node's globals.
// `npm run lint` runs n8n's `n8n-node lint` with ESLint's config lookup from each file
// (ESLINT_FLAGS=unstable_config_lookup_from_file, the default from ESLint 10), so the package's
// own eslint.config.mjs stays n8n's default (required for n8n Cloud) and test/, sandboxes/ and
// scripts/ use this one through their own eslint.config.mjs; `npm run lint:js` lints the
// repository's own JavaScript at the root with it: the `.mjs` files and the CommonJS configurations
// (`gulpfile.js`, `jest.config.js`, `.prettierrc.js`). Other `.js` files are built output.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['**/*.js', '!*.js', '!.prettierrc.js', 'n8n/.cache/**'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['*.js', '.prettierrc.js'],
		extends: [js.configs.recommended],
		languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs', globals: globals.node },
	},
	{
		files: ['**/*.mjs'],
		extends: [js.configs.recommended],
		languageOptions: {
			ecmaVersion: 'latest',
			sourceType: 'module',
			// WebSocket is global from Node 22 (the project runs on Node 24); `globals` 14 predates it.
			globals: { ...globals.node, WebSocket: 'readonly' },
		},
		rules: {
			// `const { dropped, ...rest } = object` leaves out `dropped` on purpose.
			'no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
		},
	},
);
