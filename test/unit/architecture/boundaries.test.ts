/**
 * The import boundaries (eslint.boundaries.config.mjs, run by `npm run lint`): what runs inside n8n
 * imports only what n8n provides, no import leaves its package, and no import runs upward through
 * the layers of docs/ARCHITECTURE.md. Each case lints one probe import as a file at that place.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../..');

/** Lints each probe import as a file at its place, in one ESLint run; true where it is refused. */
async function refusedAll(
	cases: ReadonlyArray<readonly [string, string, boolean]>,
): Promise<boolean[]> {
	const found = await ruleIdsOf(
		cases.map(([file, specifier]) => [
			file,
			`import { x } from '${specifier}';\nexport const y = x;\n`,
		]),
	);
	return found.map((ids) => ids.includes('no-restricted-imports'));
}

const CASES: Array<[string, string, boolean]> = [
	// [file, import, refused]
	['nodes/core/probe.ts', './issues', false],
	['nodes/core/probe.ts', 'n8n-workflow', true],
	['nodes/core/probe.ts', '../transport/retry', true],
	['nodes/transport/probe.ts', '../core/redact', false],
	['nodes/transport/probe.ts', '../shared/parameters', true],
	['nodes/transport/probe.ts', '../VismaNetPostJournal/postPart', true],
	['nodes/shared/probe.ts', '../transport', false],
	['nodes/shared/probe.ts', '../VismaNet/description', true],
	['nodes/shared/methods/probe.ts', '../../transport', false],
	['nodes/shared/methods/probe.ts', '../../VismaNet/description', true],
	['nodes/VismaNetPostJournal/probe.ts', '../shared/runPerItem', false],
	['nodes/VismaNetPostJournal/probe.ts', 'axios', true],
	[
		'nodes/VismaNetPostJournal/probe.ts',
		'../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/request',
		true,
	],
	['packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/probe.ts', '../transport/retry', false],
	['packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/probe.ts', '../Nmbrs/description', true],
	['packages/n8n-nodes-nmbrs/nodes/Nmbrs/probe.ts', '../../../../nodes/transport/request', true],
	['packages/n8n-nodes-nmbrs/credentials/probe.ts', '../nodes/nmbrsSoap/soapEnvelope', false],
	[
		'packages/n8n-nodes-nmbrs/credentials/probe.ts',
		'../../../credentials/VismaNetOAuth2Api.credentials',
		true,
	],
	// What ships never reaches the sandboxes, the tests or the scripts, and the sandboxes (written
	// from the services' documentation) never borrow the packages' code.
	['nodes/VismaNetPostJournal/probe.ts', '../../sandboxes/visma-net/gl', true],
	['nodes/core/probe.ts', '../../test/helpers/journals', true],
	['credentials/probe.ts', '../scripts/lib/seededRandom', true],
	['packages/n8n-nodes-nmbrs/nodes/Nmbrs/probe.ts', '../../../../sandboxes/nmbrs/data', true],
	['sandboxes/visma-net/probe.ts', './gl', false],
	['sandboxes/visma-net/probe.ts', '../../scripts/lib/seededRandom', false],
	['sandboxes/visma-net/probe.ts', 'node:http', false],
	['sandboxes/visma-net/probe.ts', '../../nodes/core/money', true],
	['sandboxes/nmbrs/probe.ts', '../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapReader', true],
	['sandboxes/nmbrs/probe.ts', '../../credentials/VismaNetOAuth2Api.credentials', true],
	// The scripts (the demo, the benchmark, the workflow harness) import nothing of the tests.
	['scripts/probe.ts', './lib/harness/workflowHarness', false],
	['scripts/probe.ts', '../test/helpers/journals', true],
	['scripts/lib/harness/probe.ts', '../../../test/helpers/sandboxes', true],
	['scripts/probe.mjs', '../test/n8n/smoke.mjs', true],
	['scripts/lib/probe.ts', '../../nodes/core/money', false],
];

describe('import boundaries (npm run lint)', () => {
	let refused: boolean[] = [];
	beforeAll(async () => {
		refused = await refusedAll(CASES);
	}, 120_000);

	it.each(CASES.map((entry, index) => [...entry, index] as const))(
		'%s importing %s: refused = %s',
		(_file, _specifier, expected, index) => {
			expect(refused[index]).toBe(expected);
		},
	);
});

/** Lints each text as a file at its place with the boundaries config: the rule ids it reports. */
async function ruleIdsOf(cases: ReadonlyArray<readonly [string, string]>): Promise<string[][]> {
	const script = `
		const { ESLint } = require('eslint');
		const cases = JSON.parse(process.argv[1]);
		const eslint = new ESLint({ overrideConfigFile: 'eslint.boundaries.config.mjs', allowInlineConfig: false });
		(async () => {
			const out = [];
			for (const [file, text] of cases) {
				const [result] = await eslint.lintText(text, { filePath: file });
				out.push(result.messages.map((message) => message.ruleId));
			}
			process.stdout.write(JSON.stringify(out));
		})();`;
	const { stdout } = await promisify(execFile)(
		process.execPath,
		['-e', script, JSON.stringify(cases)],
		{ cwd: ROOT },
	);
	return JSON.parse(stdout) as string[][];
}

describe('jest’s globals in what ships (npm run lint)', () => {
	// The type checker sees jest's globals everywhere (tsconfig.test.json checks the tests with the
	// code), so a stray `fail(...)` in a node compiled, and would throw "fail is not defined" in n8n.
	it('refuses them in the nodes and credentials of both packages, not in tests or sandboxes', async () => {
		const text = "export function stop(): never {\n\tfail('stopped');\n}\nexpect(1);\n";
		const [post, credential, nmbrs, sandbox] = await ruleIdsOf([
			['nodes/VismaNetPostJournal/probe.ts', text],
			['credentials/probe.ts', text],
			['packages/n8n-nodes-nmbrs/nodes/Nmbrs/probe.ts', text],
			['sandboxes/visma-net/probe.ts', text],
		]);
		for (const found of [post, credential, nmbrs])
			expect(found).toEqual(['no-restricted-globals', 'no-restricted-globals']);
		expect(sandbox).toEqual([]);
	}, 120_000);
});
