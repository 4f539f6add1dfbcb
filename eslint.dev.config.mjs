// Lint for the code that never ships (tests, sandboxes, scripts): TypeScript's recommended rules.
// `npm run lint` runs n8n's `n8n-node lint` with ESLint's config lookup from each file
// (ESLINT_FLAGS=unstable_config_lookup_from_file, the default from ESLint 10), so the package's
// own eslint.config.mjs stays n8n's default (required for n8n Cloud) and test/ and scripts/ use
// this one through their own eslint.config.mjs.
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['**/*.js', '**/*.mjs', 'n8n/.cache/**'] },
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
);
