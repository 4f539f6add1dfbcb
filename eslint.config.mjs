// Lint: n8n's own community-node rules at zero findings, plus the import boundaries of this
// package (see docs in README "Architecture"): the core is pure, and nothing that n8n does not
// itself provide is imported at run time.
import tseslint from 'typescript-eslint';
import * as jsoncParser from 'jsonc-eslint-parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

// zod only as `zod/v3`: the same API in zod 3.25 and zod 4, the versions n8n ships.
const runtimeAllowed = '^(?!n8n-workflow$|luxon$|zod/v3$|node:crypto$|\\.).*';

export default tseslint.config(
	{
		ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/n8n/.cache/**', '**/*.js', '**/*.mjs'],
	},
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		...n8nCommunityNodesPlugin.configs.recommended,
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
	},
	{
		// Only what n8n itself provides may be imported by code that runs inside n8n.
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: runtimeAllowed,
							message:
								'At run time only n8n-workflow, luxon, zod (as zod/v3) and node:crypto are available inside n8n.',
						},
					],
				},
			],
		},
	},
	{
		// The domain core knows nothing of n8n or of HTTP.
		files: ['nodes/core/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ regex: runtimeAllowed, message: 'The core imports only luxon, zod/v3 and node:crypto.' },
						{ regex: '^n8n-', message: 'The core has no n8n imports: keep it pure.' },
						{ regex: '(^|/)(transport|shared)(/|$)', message: 'The core does not depend on transport or node code.' },
						{ regex: '^\\.\\./(?!core/)', message: 'The core imports only the core.' },
					],
				},
			],
		},
	},
);
