// The import boundaries of this repository, a lint step of its own beside n8n's (`npm run lint`):
// code that runs inside n8n imports only what n8n itself provides, and the domain core is pure.
// Applies to every package of the repository (see scripts/packages.mjs).
import tseslint from 'typescript-eslint';

// zod only as `zod/v3`: the same API in zod 3.25 and zod 4, the versions n8n ships.
const runtimeAllowed = '^(?!n8n-workflow$|luxon$|zod/v3$|node:crypto$|\\.).*';
const onlyN8n = { regex: runtimeAllowed, message: 'At run time only n8n-workflow, luxon, zod (as zod/v3) and node:crypto are available inside n8n.' };
// Each package is installed on its own: no import may leave its folder. Code both packages need
// is linked into the other package's tree (packages/n8n-nodes-nmbrs/nodes/{core,transport,shared},
// symbolic links) and compiled into each.
const leavesPackage = 'Import only from this package: code both packages need is linked into its own nodes/ folder (see packages/n8n-nodes-nmbrs/README.md).';
const core = ['nodes/core/**/*.ts', 'packages/*/nodes/core/**/*.ts'];

export default tseslint.config(
	{ ignores: ['**/dist/**', '**/node_modules/**'] },
	{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
	{
		// Only what n8n itself provides may be imported by code that runs inside n8n; the
		// Visma.net package (the root) never reaches into another package.
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		rules: { 'no-restricted-imports': ['error', { patterns: [onlyN8n, { regex: '(^|/)packages/', message: leavesPackage }] }] },
	},
	{
		files: ['packages/*/nodes/*/**/*.ts'],
		rules: { 'no-restricted-imports': ['error', { patterns: [onlyN8n, { regex: '^(\\.\\./){3}', message: leavesPackage }] }] },
	},
	{
		files: ['packages/*/credentials/**/*.ts'],
		rules: { 'no-restricted-imports': ['error', { patterns: [onlyN8n, { regex: '^(\\.\\./){2}', message: leavesPackage }] }] },
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
