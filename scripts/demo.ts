/**
 * `npm run demo`: the whole month-end flow on this machine. Starts the local Visma.net sandbox,
 * runs the seed's March 2026 payroll journal (with TWK corrections for January and February)
 * through Validate Journal → Split TWK by Period → Map Dimensions → Post Journal Transaction in
 * n8n's own workflow engine, prints what was booked, then runs it again to show that nothing is
 * booked twice.
 */
import path from 'node:path';

import nock from 'nock';

import { marchRunWithTwk } from '../test/helpers/journals';
import { batchesOf, createPayrollFlow, type FlowTypes } from '../test/helpers/payrollFlow';
import { startSandbox } from '../test/sandbox/server';

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

function table(rows: string[][]): string {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	const line = (row: string[]) => row.map((cell, column) => (column >= 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ');
	return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The nodes and credential as n8n loads them: the compiled package in dist/ (`npm run build`). */
// n8n loads the package with require(); so does the demo, from the paths package.json declares.
/* eslint-disable @typescript-eslint/no-require-imports */
function builtPackage(): FlowTypes {
	const load = (file: string) => Object.values(require(path.resolve(__dirname, '..', file)) as Record<string, unknown>)[0];
	const { n8n } = require('../package.json') as { n8n: { nodes: string[]; credentials: string[] } };
	return {
		nodeTypes: n8n.nodes.map(load) as FlowTypes['nodeTypes'],
		credentialTypes: n8n.credentials.map(load) as FlowTypes['credentialTypes'],
	};
}
/* eslint-enable @typescript-eslint/no-require-imports */

function step(text: string): void {
	process.stdout.write(`• ${text}\n`);
}

async function main(): Promise<void> {
	const started = Date.now();
	// nock (used by tests) is loaded with the harness; the demo talks to the real local sandbox.
	nock.enableNetConnect();
	step('Starting the local Visma.net sandbox…');
	const sandbox = await startSandbox({ port: 0 });
	try {
		step(`Sandbox at ${sandbox.url}: company "${sandbox.demo.companies[0].name}" (tenant ${sandbox.demo.tenantId})`);
		const flow = createPayrollFlow(sandbox, sandbox.demo.tenantId, builtPackage());
		const journal = marchRunWithTwk();
		step(`Payroll journal ${journal.reference}: ${journal.lines.length} lines, run period March 2026, TWK lines for January and February`);

		step('Run 1: Validate Journal → Split TWK by Period → Map Dimensions → Post Journal Transaction (n8n engine)…');
		const first = await flow.run([journal]);
		const failed = Object.entries(first.nodes).find(([, node]) => node.error);
		if (failed) throw new Error(`${failed[0]} failed: ${failed[1].error?.message}`);
		const posted = first.json('Post Journal Transaction').map((json) => json.visma as VismaResult);
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

		step('Run 2: the same journal again (a rerun after a timeout, or the next schedule)…');
		const second = await flow.run([journal]);
		const again = second.json('Post Journal Transaction').map((json) => json.visma as VismaResult);
		for (const visma of again) console.log(`  ${visma.summary}`);
		const batches = batchesOf(sandbox);
		const twice = again.filter((visma) => visma.status !== 'alreadyPosted');
		console.log(`\nVisma.net holds ${batches.length} batches for reference ${journal.reference}; the rerun posted ${twice.length}.`);
		if (batches.length !== 3 || twice.length !== 0) throw new Error('The demo did not end as expected: see above.');
		console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
	} finally {
		await sandbox.close();
	}
}

main().catch((error: unknown) => {
	console.error(`Demo failed: ${error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : String(error)}`);
	process.exitCode = 1;
});
