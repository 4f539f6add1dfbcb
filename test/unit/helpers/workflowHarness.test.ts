import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	connectChain,
	harnessNode,
	NMBRS_PACKAGE_NAME,
	nodeDescription,
	PACKAGE_NAME,
	packageOfNode,
	runWorkflow,
	WorkflowHarness,
} from '../../../scripts/lib/harness/workflowHarness';

/** Fails on items whose `fail` is true; honours Continue On Fail with an error item. */
class Picky implements INodeType {
	description = nodeDescription('Picky', 'picky');

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, itemIndex) => {
				if (item.json.fail !== true)
					return { json: { ...item.json, ok: true }, pairedItem: { item: itemIndex } };
				const error = new NodeOperationError(
					this.getNode(),
					`item ${itemIndex + 1} is not welcome`,
					{ itemIndex },
				);
				if (!this.continueOnFail()) throw error;
				return { json: { ...item.json, error: error.message }, pairedItem: { item: itemIndex } };
			}),
		];
	}
}

const input = (jsCode: string) => harnessNode('Input', 'n8n-nodes-base.code', { jsCode });

describe('workflow harness', () => {
	it('runs Manual Trigger → Code → our node and reports items with pairedItem, in execution order', async () => {
		const result = await runWorkflow(
			{
				nodes: [
					harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
					input('return [{ n: 1 }, { n: 2 }];'),
					harnessNode('Picky', 'n8n-nodes-visma-net-payroll.picky'),
				],
				connections: connectChain('Start', 'Input', 'Picky'),
			},
			{ nodeTypes: [Picky] },
		);
		expect(result.status).toBe('success');
		expect(result.executionOrder).toEqual(['Start', 'Input', 'Picky']);
		expect(result.nodes.Start.items).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
		expect(result.nodes.Picky.items).toEqual([
			{ json: { n: 1, ok: true }, pairedItem: { item: 0 } },
			{ json: { n: 2, ok: true }, pairedItem: { item: 1 } },
		]);
	});

	it('Code node sees $input, $json and $() like n8n, per item with pairing', async () => {
		const result = await runWorkflow({
			nodes: [
				harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
				input('return [{ n: 1 }, { n: 2 }];'),
				harnessNode('Each', 'n8n-nodes-base.code', {
					mode: 'runOnceForEachItem',
					jsCode:
						'return { twice: $json.n * 2, count: $("Input").all().length, first: $input.first().json.n };',
				}),
			],
			connections: connectChain('Start', 'Input', 'Each'),
		});
		expect(result.nodes.Each.items).toEqual([
			{ json: { twice: 2, count: 2, first: 1 }, pairedItem: { item: 0 } },
			{ json: { twice: 4, count: 2, first: 1 }, pairedItem: { item: 1 } },
		]);
	});

	it('reports the failing node and the workflow error; later nodes do not run', async () => {
		const result = await runWorkflow(
			{
				nodes: [
					harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
					input('return [{ fail: false }, { fail: true }];'),
					harnessNode('Picky', 'n8n-nodes-visma-net-payroll.picky'),
					harnessNode('After', 'n8n-nodes-base.noOp'),
				],
				connections: connectChain('Start', 'Input', 'Picky', 'After'),
			},
			{ nodeTypes: [Picky] },
		);
		expect(result.status).toBe('error');
		expect(result.nodes.Picky.error).toMatchObject({ message: 'item 2 is not welcome' });
		expect(result.error).toMatchObject({ message: 'item 2 is not welcome' });
		expect(result.nodes.After).toBeUndefined();
	});

	it('Continue On Fail (onError) turns the failure into an error item that keeps pairedItem', async () => {
		const harness = new WorkflowHarness({ nodeTypes: [Picky] });
		const result = await harness.run({
			nodes: [
				harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
				input('return [{ fail: true }];'),
				harnessNode(
					'Picky',
					'n8n-nodes-visma-net-payroll.picky',
					{},
					{ onError: 'continueRegularOutput' },
				),
			],
			connections: connectChain('Start', 'Input', 'Picky'),
		});
		expect(result.status).toBe('success');
		expect(result.nodes.Picky.items).toEqual([
			{ json: { fail: true, error: 'item 1 is not welcome' }, pairedItem: { item: 0 } },
		]);
	});

	it('trigger mode starts from given items', async () => {
		const result = await runWorkflow(
			{
				nodes: [
					harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
					harnessNode('Pass', 'n8n-nodes-base.noOp'),
				],
				connections: connectChain('Start', 'Pass'),
			},
			{ triggerItems: [{ json: { reference: 'R2026-03' } }] },
		);
		expect(result.json('Pass')).toEqual([{ reference: 'R2026-03' }]);
	});

	it('a Code node that throws fails with its message', async () => {
		const result = await runWorkflow({
			nodes: [
				harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
				input('throw new Error("check failed: 2 lines");'),
			],
			connections: connectChain('Start', 'Input'),
		});
		expect(result.status).toBe('error');
		expect(result.nodes.Input.error?.message).toContain('check failed: 2 lines');
	});

	it('names an unknown node type', async () => {
		await expect(
			runWorkflow({ nodes: [harnessNode('X', 'n8n-nodes-base.httpRequest')], connections: {} }),
		).rejects.toThrow(/Unknown node type "n8n-nodes-base.httpRequest"/);
	});

	it('registers each node under the package that ships it (scripts/packages.json, each package.json n8n.nodes)', () => {
		for (const name of ['nmbrs', 'nmbrsTrigger'])
			expect(packageOfNode(name)).toBe(NMBRS_PACKAGE_NAME);
		for (const name of [
			'vismaNet',
			'vismaNetValidateJournal',
			'vismaNetSplitTwk',
			'vismaNetMapDimensions',
			'vismaNetPostJournal',
		])
			expect(packageOfNode(name)).toBe(PACKAGE_NAME);
		// A test's own node type (Picky above) counts as the Visma.net package's.
		expect(packageOfNode('picky')).toBe(PACKAGE_NAME);
	});
});
