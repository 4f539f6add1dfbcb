// The import boundaries of this repository, a lint step of its own beside n8n's (`npm run lint`):
// code that runs inside n8n imports only what n8n itself provides, and the domain core is pure.
// Applies to every package of the repository (see scripts/packages.mjs).
import tseslint from 'typescript-eslint';

// zod only as `zod/v3`: the same API in zod 3.25 and zod 4, the versions n8n ships.
const runtimeAllowed = '^(?!n8n-workflow$|luxon$|zod/v3$|node:crypto$|\\.).*';
const shipped = ['nodes/**/*.ts', 'credentials/**/*.ts', 'packages/*/nodes/**/*.ts', 'packages/*/credentials/**/*.ts'];
const core = ['nodes/core/**/*.ts', 'packages/*/nodes/core/**/*.ts'];

export default tseslint.config(
	{ ignores: ['**/dist/**', '**/node_modules/**'] },
	{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
	{
		// Only what n8n itself provides may be imported by code that runs inside n8n.
		files: shipped,
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: runtimeAllowed,
							message: 'At run time only n8n-workflow, luxon, zod (as zod/v3) and node:crypto are available inside n8n.',
						},
					],
				},
			],
		},
	},
	{
		// The domain core knows nothing of n8n or of HTTP.
		files: core,
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
