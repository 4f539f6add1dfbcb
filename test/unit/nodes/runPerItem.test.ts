/**
 * The one item loop every node uses (nodes/shared/runPerItem.ts), against a minimal fake of n8n's
 * execute context, without HTTP: pairedItem on every output item, the core's issues as a
 * NodeOperationError that names the item, Continue On Fail, and bugs reported as bugs.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type NodeParameterValueType,
} from 'n8n-workflow';

import { createIssue, type Issue } from '../../../nodes/core/issues';
import {
	ItemIssuesError,
	runPerItem,
	type ItemHandler,
	type RunPerItemOptions,
} from '../../../nodes/shared/runPerItem';
import { harnessNode } from '../../../scripts/lib/harness/harnessNode';

type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

const NODE: INode = harnessNode(
	'Split TWK by Period',
	'n8n-nodes-visma-net-payroll.vismaNetSplitTwk',
	{},
	{ id: 'node-1' },
);

/** The part of IExecuteFunctions runPerItem uses; On Error as the node's setting in n8n. */
function fakeContext(
	items: INodeExecutionData[],
	onError: OnError = 'stopWorkflow',
): IExecuteFunctions {
	const node: INode = { ...NODE, ...(onError === 'stopWorkflow' ? {} : { onError }) };
	const context: Pick<
		IExecuteFunctions,
		'getInputData' | 'getNode' | 'continueOnFail' | 'getNodeParameter'
	> = {
		getInputData: () => items,
		getNode: () => node,
		continueOnFail: () => onError !== 'stopWorkflow',
		getNodeParameter: ((_name: string, _itemIndex: number, fallback?: NodeParameterValueType) =>
			fallback) as IExecuteFunctions['getNodeParameter'],
	};
	return context as IExecuteFunctions;
}

const journals = (...references: string[]): INodeExecutionData[] =>
	references.map((reference) => ({ json: { reference, lines: [] } }));

async function run(
	items: INodeExecutionData[],
	handler: ItemHandler,
	options: { onError?: OnError } & RunPerItemOptions = {},
): Promise<INodeExecutionData[][]> {
	const { onError, ...runOptions } = options;
	return await runPerItem.call(fakeContext(items, onError), handler, runOptions);
}

async function thrownBy(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to fail');
}

const bothSides: Issue = createIssue(
	'LINE_BOTH_SIDES',
	{ reference: 'R2026-03', lineIndex: 16, account: '4000', field: 'debit' },
	'debit 4250.00 and credit 12.00 are both filled.',
	'Keep one side; a negative amount books on the other side.',
);
const tooPrecise: Issue = createIssue(
	'AMOUNT_TOO_PRECISE',
	{ reference: 'R2026-03', lineIndex: 3, account: '4050', field: 'credit' },
	'credit 10.001 has more than two decimals.',
	'Round the amount to cents.',
);

const failWithIssues: ItemHandler = async (item) => {
	if (item.json.reference === 'R-bad') throw new ItemIssuesError([bothSides, tooPrecise]);
	return [{ json: { ...item.json, ok: true } }];
};

describe('runPerItem: the item loop of every node', () => {
	describe('pairedItem', () => {
		it('points every output item, on every output, back to the input item it came from', async () => {
			const outputs = await run(
				journals('R1', 'R2', 'R3'),
				async (item, itemIndex) =>
					itemIndex === 1
						? [
								{ json: { part: 1 }, output: 0 },
								{ json: { part: 2 }, output: 0 },
							]
						: [{ json: item.json, output: itemIndex === 2 ? 1 : 0 }],
				{ outputs: 2 },
			);
			expect(outputs.map((output) => output.map((item) => item.pairedItem))).toEqual([
				[{ item: 0 }, { item: 1 }, { item: 1 }],
				[{ item: 2 }],
			]);
		});
	});

	describe('without Continue On Fail', () => {
		it('turns the core’s issues into a NodeOperationError naming the item: the first issue as message, its code and the others in the description (no message twice)', async () => {
			const error = await thrownBy(run(journals('R-ok', 'R-bad'), failWithIssues));

			expect(error).toBeInstanceOf(NodeOperationError);
			const nodeError = error as NodeOperationError;
			expect(nodeError.context.itemIndex).toBe(1);
			expect(nodeError.message).toBe(`${bothSides.message} (and 1 more problem)`);
			expect(nodeError.description).toContain('Code: LINE_BOTH_SIDES');
			expect(nodeError.description).toContain(`[AMOUNT_TOO_PRECISE] ${tooPrecise.message}`);
			// n8n shows the message as headline and the description under it: the first only once.
			expect(nodeError.description).not.toContain(bothSides.message);
			expect((nodeError.context.issues as IDataObject[]).map((issue) => issue.code)).toEqual([
				'LINE_BOTH_SIDES',
				'AMOUNT_TOO_PRECISE',
			]);
		});

		it('with one problem, the description gives its code only, not the message again', async () => {
			const error = await thrownBy(
				run(journals('R1'), async () => {
					throw new ItemIssuesError([bothSides]);
				}),
			);
			expect(error.message).toBe(bothSides.message);
			expect((error as NodeOperationError).description).toBe('Code: LINE_BOTH_SIDES');
		});

		it('reports a bug (a plain Error) as a fault in the node, with the item, not as bad input', async () => {
			const error = await thrownBy(
				run(journals('R1'), async () => {
					throw new TypeError("Cannot read properties of undefined (reading 'lines')");
				}),
			);

			expect(error).toBeInstanceOf(NodeOperationError);
			const nodeError = error as NodeOperationError;
			expect(nodeError.message).toContain("Cannot read properties of undefined (reading 'lines')");
			expect(nodeError.description).toContain('fault in the node, not in the journal');
			expect(nodeError.context.itemIndex).toBe(0);
		});

		it('lets a Visma.net failure through as a NodeApiError', async () => {
			const error = await thrownBy(
				run(journals('R1'), async () => {
					throw new NodeApiError(
						NODE,
						{ message: 'Service Unavailable' },
						{ message: 'Visma.net had an internal error (503)', httpCode: '503' },
					);
				}),
			);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Visma.net had an internal error (503)');
		});
	});

	describe('with Continue On Fail', () => {
		it('emits an error item that keeps the input json, adds error and errors, and carries pairedItem; the other items go on', async () => {
			const outputs = await run(journals('R-ok', 'R-bad', 'R-ok2'), failWithIssues, {
				onError: 'continueRegularOutput',
			});

			expect(outputs).toHaveLength(1);
			expect(outputs[0].map((item) => [item.json.reference, item.pairedItem])).toEqual([
				['R-ok', { item: 0 }],
				['R-bad', { item: 1 }],
				['R-ok2', { item: 2 }],
			]);
			const failed = outputs[0][1];
			expect(failed.json).toEqual({
				reference: 'R-bad',
				lines: [],
				error: {
					code: 'LINE_BOTH_SIDES',
					message: bothSides.message,
					path: 'lines[16].debit',
					line: 17,
					field: 'debit',
				},
				errors: [
					{
						code: 'LINE_BOTH_SIDES',
						message: bothSides.message,
						path: 'lines[16].debit',
						line: 17,
						field: 'debit',
					},
					{
						code: 'AMOUNT_TOO_PRECISE',
						message: tooPrecise.message,
						path: 'lines[3].credit',
						line: 4,
						field: 'credit',
					},
				],
			});
			expect(Object.keys(failed.json).slice(0, 2)).toEqual(['error', 'errors']);
			// n8n replaces the json of an item with an item-level error by { error: message }, so
			// on the regular output the item carries none.
			expect(failed.error).toBeUndefined();
		});

		it('with "Continue (using error output)", emits the json n8n routes to the error output without reducing it: error, message naming the journal, details', async () => {
			const items: INodeExecutionData[] = [
				{
					json: {
						reference: 'R2026-03',
						company: { id: '1234', name: 'Bakkerij De Vries BV' },
						financialPeriod: '202601',
						lines: [],
					},
				},
			];
			const outputs = await run(
				items,
				async () => {
					const error = new ItemIssuesError([bothSides, tooPrecise]);
					error.itemJson = { visma: { status: 'failed' } };
					throw error;
				},
				{ onError: 'continueErrorOutput' },
			);

			const [failed] = outputs[0];
			// No item-level error: n8n would replace the json by { error: message } (normalizeNodeErrors).
			expect(failed.error).toBeUndefined();
			// Only these keys: n8n (handleNodeErrorOutput) routes such an item and adds the input back.
			expect(Object.keys(failed.json).sort()).toEqual(['details', 'error', 'message']);
			expect(failed.json.error).toMatchObject({
				code: 'LINE_BOTH_SIDES',
				message: bothSides.message,
			});
			expect(failed.json.message).toBe(
				`Journal R2026-03 of Bakkerij De Vries BV (company 1234), period 2026-01 was not booked: [LINE_BOTH_SIDES] ${bothSides.message.replace(/^Journal R2026-03, /, '')} (and 1 more problem)`,
			);
			expect(failed.json.details).toEqual({
				errors: [
					expect.objectContaining({ code: 'LINE_BOTH_SIDES' }),
					expect.objectContaining({ code: 'AMOUNT_TOO_PRECISE' }),
				],
				visma: { status: 'failed' },
			});
			expect(failed.pairedItem).toEqual({ item: 0 });
		});

		it('puts the error item on the configured error output (Validate Journal’s Invalid output)', async () => {
			const outputs = await run(journals('R-ok', 'R-bad'), failWithIssues, {
				outputs: 2,
				errorOutput: 1,
				onError: 'continueRegularOutput',
			});

			expect(outputs[0].map((item) => item.json.reference)).toEqual(['R-ok']);
			expect(
				outputs[1].map((item) => [
					item.json.reference,
					(item.json.error as IDataObject).code,
					item.pairedItem,
				]),
			).toEqual([['R-bad', 'LINE_BOTH_SIDES', { item: 1 }]]);
		});

		it('adds what the handler asks to the error item (Post’s visma.status: failed)', async () => {
			const outputs = await run(
				journals('R1'),
				async () => {
					const error = new ItemIssuesError([bothSides]);
					error.itemJson = { visma: { status: 'failed', batchNumber: null } };
					throw error;
				},
				{ onError: 'continueRegularOutput' },
			);
			expect(outputs[0][0].json.visma).toEqual({ status: 'failed', batchNumber: null });
		});

		it('gives a Visma.net failure the code VISMA_NET_ERROR (or the error’s own code) and its description', async () => {
			const outputs = await run(
				journals('R1'),
				async () => {
					throw new NodeApiError(
						NODE,
						{ message: 'Service Unavailable' },
						{
							message: 'Visma.net had an internal error (503)',
							description: 'Run the workflow again.',
						},
					);
				},
				{ onError: 'continueRegularOutput' },
			);
			expect(outputs[0][0].json.error).toEqual({
				code: 'VISMA_NET_ERROR',
				message: 'Visma.net had an internal error (503)',
				description: 'Run the workflow again.',
			});
		});

		it('gives a bug the code INTERNAL_ERROR and goes on with the next item', async () => {
			const outputs = await run(
				journals('R1', 'R2'),
				async (item) => {
					if (item.json.reference === 'R1') throw new RangeError('Invalid array length');
					return [{ json: item.json }];
				},
				{ onError: 'continueRegularOutput' },
			);
			expect(
				outputs[0].map((item) => [
					item.json.reference,
					(item.json.error as IDataObject | undefined)?.code,
				]),
			).toEqual([
				['R1', 'INTERNAL_ERROR'],
				['R2', undefined],
			]);
			expect((outputs[0][0].json.error as IDataObject).message).toContain('Invalid array length');
		});
	});
});
