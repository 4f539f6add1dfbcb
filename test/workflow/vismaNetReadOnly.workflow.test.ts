/**
 * The read-only Visma.net node (journal-contract §7, type `vismaNet`) through n8n's engine against
 * the local sandbox: Check Setup on a ready company and on a deliberately broken one (every
 * problem at once), Get Posting Status per part (missing, posted, released, changed, duplicate
 * copies that stood down), and List Payroll Batches. It only ever reads.
 */
import { Settings } from 'luxon';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { VismaNetOAuth2Api } from '../../credentials/VismaNetOAuth2Api.credentials';
import { VismaNet } from '../../nodes/VismaNet/VismaNet.node';
import { loadSandboxData } from '../../sandboxes/visma-net/data';
import { startSandbox, type Sandbox } from '../../sandboxes/visma-net/server';
import { marchRunWithTwk } from '../helpers/journals';
import {
	createPayrollFlow,
	NODE_TYPES,
	sandboxCredentialData,
} from '../../scripts/lib/harness/payrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import { harnessNode, WorkflowHarness } from '../../scripts/lib/harness/workflowHarness';

const NODE = 'Visma.net';
const TODAY = Date.parse('2026-03-20T10:00:00Z');

const sandbox = useVismaSandbox();
let broken: Sandbox;
const realNow = Settings.now;

beforeAll(async () => {
	Settings.now = () => TODAY;
	// The same company, broken three ways: March closed, the cost-centre segment renamed, and a
	// journal that uses an account Visma.net does not have.
	const data = loadSandboxData();
	const company = data.companies[0] as unknown as {
		financialPeriods: { closedInGeneralLedger: string[] };
		subaccount: { segments: Array<{ description: string }> };
	};
	company.financialPeriods.closedInGeneralLedger.push('202603');
	company.subaccount.segments[0].description = 'Afdeling';
	broken = await startSandbox({ port: 0, data });
});
afterAll(async () => {
	Settings.now = realNow;
	await broken.close();
});

async function runNode(target: Sandbox, parameters: INodeParameters, items: IDataObject[] = [{}]) {
	const harness = new WorkflowHarness({
		nodeTypes: [VismaNet, ...NODE_TYPES],
		credentialTypes: [VismaNetOAuth2Api],
	});
	const credential = harness.addCredential({
		type: 'vismaNetOAuth2Api',
		data: sandboxCredentialData(target),
	});
	const nodes: INode[] = [
		harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
		harnessNode('Items', 'n8n-nodes-base.code', {
			jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};`,
		}),
		harnessNode(NODE, 'n8n-nodes-visma-net-payroll.vismaNet', parameters, {
			credentials: { vismaNetOAuth2Api: credential },
		}),
	];
	const result = await harness.run({
		nodes,
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
		},
	});
	expect(result.nodes[NODE].error).toBeUndefined();
	return result.json(NODE);
}

describe('Check Setup', () => {
	it('a ready company: ready, with what it found (segments, periods, ledgers, branches, rate limit), and only GET requests', async () => {
		const [item] = await runNode(sandbox, { operation: 'checkSetup' }, [
			marchRunWithTwk() as unknown as IDataObject,
		]);
		const setup = item.setup as IDataObject;
		expect(setup.problems).toEqual([]);
		expect(setup.ready).toBe(true);
		expect(setup.summary).toBe('Ready for a month end: nothing found that would stop it.');
		const notes = (setup.notes as IDataObject[])
			.map((note) => `${String(note.area)}: ${String(note.message)}`)
			.join('\n');
		expect(notes).toContain('accounts used by the journal checked against Visma.net');
		expect(notes).toContain('SUBACCOUNT segments: 1 "Kostenplaats"');
		expect(notes).toContain('2026-03 open');
		expect(notes).toContain('Ledgers: L (Grootboek (actueel))');
		expect(notes).toMatch(/hourly limit: \d+ of \d+ calls left/);
		expect(
			sandbox
				.requests()
				.filter((entry) => !entry.path.startsWith('/connect'))
				.every((entry) => entry.method === 'GET'),
		).toBe(true);
	});

	it('a broken company: the missing account, the closed period and the renamed dimension, all at once, in words that say what to do', async () => {
		const journal = marchRunWithTwk();
		(journal.lines as IDataObject[])[0].account = '4999';
		const [item] = await runNode(broken, { operation: 'checkSetup' }, [
			journal as unknown as IDataObject,
		]);
		const setup = item.setup as IDataObject;
		expect(setup.ready).toBe(false);
		const problems = setup.problems as IDataObject[];
		expect(
			problems.map((problem) => `${String(problem.area)} ${String(problem.code)}`).sort(),
		).toEqual([
			'accounts ACCOUNT_UNKNOWN',
			'dimensions SEGMENT_NOT_FOUND',
			'periods PERIOD_CLOSED',
		]);
		const text = problems.map((problem) => String(problem.message)).join('\n');
		expect(text).toContain(
			'account 4999 does not exist in Visma.net (used on line 1 of the journal)',
		);
		expect(text).toContain("Today's financial period 2026-03 is closed in Visma.net");
		expect(text).toContain('"Afdeling"');
		expect(setup.summary).toMatch(/^3 problems would stop a month end: /);
	});
});

describe('Get Posting Status and List Payroll Batches', () => {
	it('per part: missing before the month end, posted after it, released after a release, changed after a recalculation', async () => {
		const flow = createPayrollFlow(sandbox);
		const mapped = async (journal: object) => {
			// The month-end chain in dry run gives the parts as Post receives them.
			const result = await flow.run([journal], { post: { mode: 'dryRun' } });
			return result.json('Post Journal Transaction').map((json) => {
				const { visma, ...part } = json;
				void visma;
				return part;
			});
		};
		const parts = await mapped(marchRunWithTwk());
		const status = async () =>
			(await runNode(sandbox, { operation: 'getPostingStatus' }, parts)).map(
				(json) => (json.postingStatus as IDataObject).status,
			);

		expect(await status()).toEqual(['missing', 'missing', 'missing']);
		await flow.run([marchRunWithTwk()]);
		expect(await status()).toEqual(['posted', 'posted', 'posted']);
		await flow.run([marchRunWithTwk()], { post: { release: true } });
		expect(await status()).toEqual(['released', 'released', 'released']);

		const recalculated = marchRunWithTwk();
		const lines = recalculated.lines as IDataObject[];
		const march = lines.filter((line) => !line.period);
		march[0].debit = (Number(march[0].debit) + 10).toFixed(2);
		const credit = march.find((line) => line.credit !== undefined)!;
		credit.credit = (Number(credit.credit) + 10).toFixed(2);
		const changed = await runNode(
			sandbox,
			{ operation: 'getPostingStatus' },
			await mapped(recalculated),
		);
		expect(changed.map((json) => (json.postingStatus as IDataObject).status)).toEqual([
			'released',
			'released',
			'changed',
		]);
		expect(String((changed[2].postingStatus as IDataObject).summary)).toContain(
			'with other amounts than the journal',
		);
	});

	it('by company and reference: what Visma.net holds, with a copy that stood down named as such; List Payroll Batches shows the batches and the copy', async () => {
		const flow = createPayrollFlow(sandbox);
		sandbox.faults.setLatency({ fixedMs: 20 });
		await Promise.all([flow.run([marchRunWithTwk()]), flow.run([marchRunWithTwk()])]);
		sandbox.faults.setLatency(null);

		const statuses = await runNode(sandbox, {
			operation: 'getPostingStatus',
			source: 'reference',
			companyId: '1234',
			reference: 'R2026-03',
			fromPeriod: '202601',
			toPeriod: '202603',
		});
		const found = statuses.map((json) => json.postingStatus as IDataObject);
		expect(
			found.map((status) => [
				status.financialPeriod,
				status.status,
				(status.heldCopies as string[]).length,
			]),
		).toEqual([
			['202601', 'posted', 1],
			['202602', 'posted', 1],
			['202603', 'posted', 1],
		]);

		const batches = await runNode(sandbox, {
			operation: 'listPayrollBatches',
			fromPeriod: '202601',
			toPeriod: '202603',
			referenceFilter: 'R2026-03',
		});
		expect(batches).toHaveLength(6);
		const copies = batches.filter((batch) => batch.duplicateOf !== null);
		expect(copies).toHaveLength(3);
		for (const copy of copies) expect(copy.status).toBe('Hold');
		expect(
			batches
				.filter((batch) => batch.duplicateOf === null)
				.every(
					(batch) =>
						batch.status === 'Balanced' &&
						typeof batch.identity === 'string' &&
						batch.revision === 0,
				),
		).toBe(true);
	});
});
