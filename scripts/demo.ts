/**
 * `npm run demo`: the whole month-end flow on this machine, with the built package as n8n loads
 * it. Starts the local Nmbrs and Visma.net sandboxes; the Nmbrs Trigger polls Nmbrs and emits the
 * newly locked March 2026 run of Bakkerij De Vries BV (with TWK corrections for January and
 * February); n8n's own workflow engine runs it through Validate Journal → Split TWK by Period →
 * Map Dimensions → Post Journal Transaction; the demo prints what was booked. Then it polls again
 * (nothing new) and runs the same journal a second time, as after a timeout, to show that nothing
 * is booked twice.
 */
import path from 'node:path';

import nock from 'nock';

import { batchesOf, type FlowTypes } from './lib/harness/payrollFlow';
import type { WorkflowRunResult } from './lib/harness/workflowHarness';
import { startNmbrsSandbox } from '../sandboxes/nmbrs/server';
import { startSandbox } from '../sandboxes/visma-net/server';
import { createTriggerChain } from './lib/triggerRunner';

interface VismaResult {
	status: string;
	batchNumber: string | null;
	financialPeriod: string;
	isTwk?: boolean;
	lineCount?: number;
	debitTotal?: string;
	creditTotal?: string;
	summary?: string;
}

/** The nodes and credentials as n8n loads them: each compiled package's dist/ (`npm run build`). */
// n8n loads a package with require(); so does the demo, from the paths its package.json declares.
/* eslint-disable @typescript-eslint/no-require-imports */
function builtPackages(): FlowTypes {
	const { PACKAGE_DIRS } = require('./packages.json') as { PACKAGE_DIRS: string[] };
	const types: FlowTypes = { nodeTypes: [], credentialTypes: [] };
	for (const dir of PACKAGE_DIRS) {
		const root = path.resolve(__dirname, '..', dir);
		// As n8n's loader does: the class named like the file (`NmbrsApi.credentials.js` → `NmbrsApi`).
		const load = (file: string) =>
			(require(path.join(root, file)) as Record<string, unknown>)[
				path.basename(file).split('.')[0]
			];
		const { n8n } = require(path.join(root, 'package.json')) as {
			n8n: { nodes: string[]; credentials: string[] };
		};
		types.nodeTypes.push(...(n8n.nodes.map(load) as FlowTypes['nodeTypes']));
		types.credentialTypes.push(...(n8n.credentials.map(load) as FlowTypes['credentialTypes']));
	}
	return types;
}
/* eslint-enable @typescript-eslint/no-require-imports */

function table(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const line = (row: string[]) =>
		row
			.map((cell, column) =>
				column >= 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
			)
			.join('  ');
	return [
		line(rows[0]),
		widths.map((width) => '-'.repeat(width)).join('  '),
		...rows.slice(1).map(line),
	].join('\n');
}

function step(text: string): void {
	process.stdout.write(`• ${text}\n`);
}

function postResults(result: WorkflowRunResult): VismaResult[] {
	const failed = Object.entries(result.nodes).find(([, node]) => node.error);
	if (failed) throw new Error(`${failed[0]} failed: ${failed[1].error?.message}`);
	return result.json('Post Journal Transaction').map((json) => json.visma as VismaResult);
}

async function main(): Promise<void> {
	const started = Date.now();
	// nock (loaded with the test helpers) must not stand between the demo and its local sandboxes.
	nock.enableNetConnect();
	step('Starting the local Nmbrs and Visma.net sandboxes…');
	const [visma, nmbrs] = await Promise.all([
		startSandbox({ port: 0 }),
		startNmbrsSandbox({ port: 0 }),
	]);
	try {
		step(
			`Nmbrs at ${nmbrs.url}; Visma.net at ${visma.url}, company "${visma.demo.companies[0].name}" (tenant ${visma.demo.tenantId})`,
		);
		const { runner: trigger, run: runChain } = createTriggerChain(
			visma,
			nmbrs,
			{
				companyScope: 'selected',
				companyIds: ['1234'],
				years: 'specific',
				specificYears: '2026',
				onFirstPoll: 'emitExisting',
			},
			builtPackages(),
		);

		step('Nmbrs Trigger polls Nmbrs for newly locked payroll runs of company 1234…');
		const journals = await trigger.pollJournals();
		if (journals.length !== 1)
			throw new Error(
				`expected the locked March run, the trigger emitted ${journals.length} journals`,
			);
		const [journal] = journals as Array<{ reference: string; lines: unknown[] }>;
		step(
			`Emitted journal ${journal.reference}: ${journal.lines.length} lines, run period March 2026, TWK lines for January and February`,
		);

		step(
			'Validate Journal → Split TWK by Period → Map Dimensions → Post Journal Transaction (n8n engine)…',
		);
		const posted = postResults(await runChain(journals));
		console.log(
			`\n${table([
				['Period', 'Batch', 'Status', 'Lines', 'Debit', 'Credit', 'TWK'],
				...posted.map((visma) => [
					`${visma.financialPeriod.slice(0, 4)}-${visma.financialPeriod.slice(4)}`,
					visma.batchNumber ?? '-',
					visma.status,
					String(visma.lineCount ?? ''),
					visma.debitTotal ?? '',
					visma.creditTotal ?? '',
					visma.isTwk ? 'TWK' : '',
				]),
			])}\n`,
		);

		step('The next poll: Nmbrs Trigger remembers what it emitted…');
		const again = await trigger.pollJournals();
		console.log(
			`  ${again.length === 0 ? 'no new locked run: nothing emitted' : `${again.length} journals emitted`}`,
		);

		step('The same journal once more (a rerun after a timeout or a crash)…');
		const rerun = postResults(await runChain(journals));
		for (const visma of rerun) console.log(`  ${visma.summary}`);

		const batches = batchesOf(visma);
		const twice = rerun.filter((visma) => visma.status !== 'alreadyPosted');
		console.log(
			`\nVisma.net holds ${batches.length} batches for reference ${journal.reference}; the rerun posted ${twice.length}.`,
		);
		if (batches.length !== 3 || twice.length !== 0 || again.length !== 0)
			throw new Error('The demo did not end as expected: see above.');
		console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
	} finally {
		await Promise.all([visma.close(), nmbrs.close()]);
	}
}

main().catch((error: unknown) => {
	console.error(
		`Demo failed: ${error instanceof Error ? (process.env.DEMO_DEBUG ? error.stack : error.message) : String(error)}`,
	);
	process.exitCode = 1;
});
