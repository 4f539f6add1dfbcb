// The import boundaries of this repository, a lint step of its own beside n8n's (`npm run lint`,
// with inline eslint-disable comments ignored): code that runs inside n8n imports only what n8n
// itself provides; no import leaves its package; and no import runs upward through the layers
// (docs/ARCHITECTURE.md):
//
//   core (pure domain)  <-  transport (Visma.net; Nmbrs: nmbrsSoap)  <-  shared (node helpers)  <-  node folders
//
// and what ships never imports the sandboxes, tests or scripts, nor the sandboxes the packages,
// nor the scripts the tests; nor does it use jest's globals (last block).
// Each block below lists everything its files may not import (ESLint replaces a rule's options
// per block, so each block repeats the n8n-runtime pattern).
import tseslint from 'typescript-eslint';

// zod only as `zod/v3`: the same API in zod 3.25 and zod 4, the versions n8n ships.
const onlyN8n = {
	regex: '^(?!n8n-workflow$|luxon$|zod/v3$|node:crypto$|\\.).*',
	message:
		'At run time only n8n-workflow, luxon, zod (as zod/v3) and node:crypto are available inside n8n.',
};
// Each package is installed on its own. Code both packages need is linked into the Nmbrs
// package's tree (packages/n8n-nodes-nmbrs/nodes/{core,transport,shared}, symbolic links) and
// compiled into each.
const leaves = (regex) => ({
	regex,
	message:
		'Import only from this package: code both packages need is linked into its own nodes/ folder (see packages/n8n-nodes-nmbrs/README.md).',
});
const upward = (regex, layer, allowed) => ({
	regex,
	message: `${layer} imports only ${allowed}: no import runs upward (docs/ARCHITECTURE.md).`,
});

const notShipped = (regex) => ({
	regex,
	message:
		'What ships imports nothing of the sandboxes, the tests or the scripts (docs/ARCHITECTURE.md).',
});

const restrict = (files, ...patterns) => ({
	files,
	rules: { 'no-restricted-imports': ['error', { patterns: [onlyN8n, ...patterns] }] },
});

export default tseslint.config(
	{ ignores: ['**/dist/**', '**/node_modules/**'] },
	{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
	// The Visma.net package (the root) never reaches into another package, nor into what does not
	// ship (the sandboxes, the tests, the scripts).
	restrict(
		['nodes/**/*.ts', 'credentials/**/*.ts'],
		leaves('(^|/)packages/'),
		notShipped('(^|/)(sandboxes|test|scripts)/'),
	),
	// The Nmbrs package never leaves its folder.
	restrict(['packages/*/nodes/*/**/*.ts'], leaves('^(\\.\\./){3}')),
	restrict(['packages/*/credentials/**/*.ts'], leaves('^(\\.\\./){2}')),
	// Layers, lowest first. The core knows nothing of n8n, HTTP or the nodes.
	restrict(
		['nodes/core/**/*.ts', 'packages/*/nodes/core/**/*.ts'],
		{ regex: '^n8n-', message: 'The core has no n8n imports: keep it pure.' },
		upward('^\\.\\./(?!core/)', 'The core', 'the core'),
	),
	restrict(
		['nodes/transport/**/*.ts', 'packages/*/nodes/transport/**/*.ts'],
		upward('^\\.\\./(?!core/)', 'The transport', 'the core and itself'),
	),
	restrict(
		['packages/*/nodes/nmbrsSoap/**/*.ts'],
		upward(
			'^\\.\\./(?!core/|transport/)',
			'The Nmbrs transport',
			'the core, the transport and itself',
		),
		leaves('^(\\.\\./){3}'),
	),
	restrict(
		['nodes/shared/*.ts', 'packages/*/nodes/shared/*.ts'],
		upward(
			'^\\.\\./(?!core/|transport(/|$))',
			'Shared node code',
			'the core, the transport and itself',
		),
	),
	// The sandboxes stand in for the services, written from their documentation: they borrow no
	// code of the packages (a wrong rule could then pass on both sides). Not run inside n8n, so no
	// n8n-runtime rule here.
	{
		files: ['sandboxes/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '(^|/)(nodes|credentials|packages)/',
							message:
								'The sandboxes import nothing of the packages: they reach them only over HTTP (docs/ARCHITECTURE.md).',
						},
					],
				},
			],
		},
	},
	// The scripts (the demo, the benchmark, the workflow harness the tests share) are product
	// tooling: they import nothing of the tests. Not run inside n8n, so no n8n-runtime rule here.
	{
		files: ['scripts/**/*.ts', 'scripts/**/*.mjs'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '(^|/)test/',
							message:
								'The scripts import nothing of the tests: what both need lives in scripts/lib (docs/ARCHITECTURE.md).',
						},
					],
				},
			],
		},
	},
	restrict(
		['nodes/shared/*/**/*.ts'],
		upward(
			'^\\.\\./\\.\\./(?!core/|transport(/|$))',
			'Shared node code',
			'the core, the transport and itself',
		),
	),
	// What ships runs inside n8n, where jest's globals do not exist. The type checker sees them
	// everywhere (tsconfig.test.json checks the tests with the code), so a stray `fail(...)` would
	// compile and throw "fail is not defined" in n8n.
	{
		files: [
			'nodes/**/*.ts',
			'credentials/**/*.ts',
			'packages/*/nodes/**/*.ts',
			'packages/*/credentials/**/*.ts',
		],
		rules: {
			'no-restricted-globals': [
				'error',
				...[
					'fail',
					'expect',
					'jest',
					'describe',
					'it',
					'test',
					'beforeAll',
					'beforeEach',
					'afterAll',
					'afterEach',
				].map((name) => ({
					name,
					message: `${name} is jest's, not n8n's: it does not exist where the nodes run.`,
				})),
			],
		},
	},
);
