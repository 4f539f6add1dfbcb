/**
 * A batch Visma.net gives back with an amount that is no whole number of cents (null, text, three
 * decimals), through n8n's engine against the local sandbox (issue 15). Before, such an amount was
 * read as 0: a rerun took the part for recalculated and, with On Changed Journal = Post
 * Difference Journal, booked a wrong difference journal. Now the part stops with
 * BATCH_AMOUNT_UNREADABLE, in Post and in the read-only node's Get Posting Status, and nothing is
 * posted or changed in Visma.net.
 */
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { VismaNetOAuth2Api } from '../../credentials/VismaNetOAuth2Api.credentials';
import { VismaNet } from '../../nodes/VismaNet/VismaNet.node';
import type { StoredBatch } from '../../sandboxes/visma-net/store';
import { marchRunWithTwk } from '../helpers/journals';
import {
	batchesOf,
	createPayrollFlow,
	type FlowParameters,
	NODE_TYPES,
} from '../../scripts/lib/harness/payrollFlow';
import { usePayrollFlow } from '../helpers/usePayrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import {
	connectChain,
	harnessNode,
	type WorkflowRunResult,
} from '../../scripts/lib/harness/workflowHarness';

const POST_NODE = 'Post Journal Transaction';
const STATUS_NODE = 'Visma.net';
const JOURNALS = '/v2/journaltransaction';

const sandbox = useVismaSandbox({ tokens: true });
const flow = usePayrollFlow(sandbox);

interface ItemError {
	code: string;
	message: string;
}

async function runMarch(parameters: FlowParameters = {}): Promise<WorkflowRunResult> {
	return await flow.run([marchRunWithTwk()], { continueOnFail: true, ...parameters });
}

function postItems(
	result: WorkflowRunResult,
): Array<{ status: string; financialPeriod: string; error?: ItemError }> {
	expect(result.nodes[POST_NODE].error).toBeUndefined();
	return result.json(POST_NODE).map((json) => ({
		...(json.visma as { status: string; financialPeriod: string }),
		...(json.error ? { error: json.error as ItemError } : {}),
	}));
}

/** The March part's batch: its number, and the line that carries an amount on `side`. */
function marchBatch(): { batchNumber: string; lineNumber: number; account: string } {
	const batch = batchesOf(sandbox).find((candidate) => candidate.financialPeriod === '202603')!;
	const line = batch.journalTransactionLines.find(
		(candidate) => candidate.creditAmountInCurrency > 0,
	)!;
	return {
		batchNumber: batch.batchNumber,
		lineNumber: line.lineNumber,
		account: line.accountNumber,
	};
}

/** Visma.net gives that line's credit amount back as `value`, and `more` changes the batch further. */
function garble(
	value: unknown,
	more: (batch: StoredBatch) => void = () => {},
): { batchNumber: string; lineNumber: number; account: string } {
	const target = marchBatch();
	sandbox.amendBatch(target.batchNumber, (batch) => {
		const line = batch.lines.find((candidate) => candidate.lineNumber === target.lineNumber)!;
		line.answerAs = { creditAmountInCurrency: value };
		more(batch);
	});
	return target;
}

/** Every call that would change Visma.net (POST, PUT, release). */
function writes() {
	return sandbox
		.requests()
		.filter((entry) => entry.method !== 'GET' && entry.path.toLowerCase().startsWith(JOURNALS));
}

/** The read-only Visma.net node on `items`, with Continue On Fail: its output items. */
async function runStatusNode(
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
): Promise<IDataObject[]> {
	const { harness, credentials } = createPayrollFlow(sandbox, sandbox.demo.tenantId, {
		nodeTypes: [VismaNet, ...NODE_TYPES],
		credentialTypes: [VismaNetOAuth2Api],
	});
	const nodes: INode[] = [
		harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
		harnessNode('Items', 'n8n-nodes-base.code', {
			jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};`,
		}),
		harnessNode(STATUS_NODE, 'n8n-nodes-visma-net-payroll.vismaNet', parameters, {
			credentials,
			continueOnFail: true,
		}),
	];
	const result = await harness.run({
		nodes,
		connections: connectChain('Start', 'Items', STATUS_NODE),
	});
	expect(result.nodes[STATUS_NODE].error).toBeUndefined();
	return result.json(STATUS_NODE);
}

describe('a batch read back with an amount that is no whole number of cents stops the part (n8n engine, Visma.net sandbox)', () => {
	it.each([
		['null', null, 'reads null, which is empty'],
		['text', '1050.00', 'reads "1050.00", which is text, where Visma.net gives a number'],
		['three decimals', 1050.005, 'reads 1050.005, which has more than two decimals'],
	])(
		'Post, a credit amount read back as %s: BATCH_AMOUNT_UNREADABLE, no difference journal, nothing sent',
		async (_name, value, read) => {
			expect(postItems(await runMarch()).map((item) => item.status)).toEqual([
				'posted',
				'posted',
				'posted',
			]);
			const target = garble(value);
			const before = JSON.stringify(batchesOf(sandbox));
			sandbox.clearRequests();

			// Post Difference Journal: the setting under which an amount read as 0 booked a wrong difference.
			const items = postItems(await runMarch({ post: { onChangedJournal: 'differenceJournal' } }));

			expect(items.map((item) => [item.financialPeriod, item.status])).toEqual([
				['202601', 'alreadyPosted'],
				['202602', 'alreadyPosted'],
				['202603', 'failed'],
			]);
			const error = items[2].error!;
			expect(error.code).toBe('BATCH_AMOUNT_UNREADABLE');
			expect(error.message).toContain(
				`Journal R2026-03: batch ${target.batchNumber} of this part (2026-03) cannot be read back from Visma.net: on line ${target.lineNumber} (account ${target.account}) the credit amount ${read}: not an amount in whole cents.`,
			);
			expect(error.message).toContain('Nothing was posted');
			expect(error.message).toContain(
				`Open batch ${target.batchNumber} in Visma.net (Journal transactions) and check the amounts of line ${target.lineNumber}`,
			);
			// Nothing posted, nothing changed: no POST, no PUT, no release; the batches as they were.
			expect(writes()).toEqual([]);
			expect(JSON.stringify(batchesOf(sandbox))).toBe(before);
		},
	);

	it('a batch of the part left On Hold is not taken off hold when its amounts cannot be read', async () => {
		await runMarch();
		const target = garble(Number.NaN, (batch) =>
			Object.assign(batch, { status: 'Hold', hold: true }),
		);
		sandbox.clearRequests();

		const items = postItems(await runMarch({ post: { release: true } }));

		expect(items.map((item) => item.status)).toEqual(['alreadyPosted', 'alreadyPosted', 'failed']);
		expect(items[2].error?.code).toBe('BATCH_AMOUNT_UNREADABLE');
		// NaN travels as JSON null.
		expect(items[2].error?.message).toContain(
			`on line ${target.lineNumber} (account ${target.account}) the credit amount reads null`,
		);
		// Only the other parts are released; the held batch is neither taken off hold (PUT) nor released.
		expect(
			writes().filter(
				(entry) =>
					!entry.path.endsWith('/action/release') || entry.path.includes(target.batchNumber),
			),
		).toEqual([]);
		expect(
			batchesOf(sandbox).find((batch) => batch.batchNumber === target.batchNumber)?.status,
		).toBe('Hold');
	});

	it('with derived batch numbers: the number is Visma.net’s lock, and nothing more is booked', async () => {
		await runMarch({ post: { batchNumbers: 'derived' } });
		const before = batchesOf(sandbox).length;
		garble('x');
		sandbox.clearRequests();

		const items = postItems(
			await runMarch({ post: { batchNumbers: 'derived', onChangedJournal: 'differenceJournal' } }),
		);

		expect(items.map((item) => item.status)).toEqual(['alreadyPosted', 'alreadyPosted', 'failed']);
		expect(items[2].error?.code).toBe('BATCH_AMOUNT_UNREADABLE');
		// Each part's first POST under its derived number is refused (the number is taken): nothing booked, no PUT.
		expect(writes().every((entry) => entry.method === 'POST' && entry.status === 400)).toBe(true);
		expect(batchesOf(sandbox)).toHaveLength(before);
	});

	it('Get Posting Status, from the journal’s parts and by reference: the same error, and only reads', async () => {
		const dryRun = await flow.run([marchRunWithTwk()], { post: { mode: 'dryRun' } });
		const parts = dryRun.json(POST_NODE).map((json) => {
			const { visma, ...part } = json;
			void visma;
			return part;
		});
		await runMarch();
		const target = garble(12.345);
		sandbox.clearRequests();

		const fromParts = await runStatusNode({ operation: 'getPostingStatus' }, parts);
		expect(fromParts.slice(0, 2).map((json) => (json.postingStatus as IDataObject).status)).toEqual(
			['posted', 'posted'],
		);
		const error = fromParts[2].error as ItemError;
		expect(error.code).toBe('BATCH_AMOUNT_UNREADABLE');
		expect(error.message).toContain(
			`batch ${target.batchNumber} of this part (2026-03) cannot be read back from Visma.net: on line ${target.lineNumber}`,
		);
		expect(error.message).toContain(
			'the credit amount reads 12.345, which has more than two decimals',
		);
		expect(error.message).toContain(
			'Its posting status cannot be judged without its amounts; nothing was changed.',
		);

		const [byReference] = await runStatusNode({
			operation: 'getPostingStatus',
			source: 'reference',
			companyId: '1234',
			reference: 'R2026-03',
			fromPeriod: '202601',
			toPeriod: '202603',
		});
		expect((byReference.error as ItemError).code).toBe('BATCH_AMOUNT_UNREADABLE');
		expect(writes()).toEqual([]);
	});

	it.each([
		['no account number', { accountNumber: null }, 'has no account number (it reads null)'],
		[
			'segments that are no list',
			{ subaccount: { segments: 'A-B' } },
			'(account ACCOUNT) has subaccount segments that are not a list (it reads "A-B")',
		],
	])(
		'Post, a line read back with %s: BATCH_LINE_UNREADABLE, never left out, nothing sent',
		async (_name, answerAs, read) => {
			await runMarch();
			const target = marchBatch();
			sandbox.amendBatch(target.batchNumber, (batch) => {
				const line = batch.lines.find((candidate) => candidate.lineNumber === target.lineNumber)!;
				line.answerAs = answerAs;
			});
			const before = JSON.stringify(batchesOf(sandbox));
			sandbox.clearRequests();

			const items = postItems(await runMarch({ post: { onChangedJournal: 'differenceJournal' } }));

			expect(items.map((item) => item.status)).toEqual([
				'alreadyPosted',
				'alreadyPosted',
				'failed',
			]);
			const error = items[2].error!;
			expect(error.code).toBe('BATCH_LINE_UNREADABLE');
			expect(error.message).toContain(
				`Journal R2026-03: batch ${target.batchNumber} of this part (2026-03) cannot be read back from Visma.net: line ${target.lineNumber} ${read.replace('ACCOUNT', target.account)}.`,
			);
			expect(error.message).toContain('Nothing was posted');
			expect(writes()).toEqual([]);
			expect(JSON.stringify(batchesOf(sandbox))).toBe(before);
		},
	);
});
