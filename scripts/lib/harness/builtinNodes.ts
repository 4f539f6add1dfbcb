import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { nodeDescription } from './harnessNode';

/*
 * Minimal stand-ins for the n8n-nodes-base nodes our workflows use, under their real type names,
 * so a workflow exported from n8n (workflows/*.json) runs unchanged in the harness.
 * They are NOT n8n's implementations: only the behaviour documented on each class.
 */

/** `n8n-nodes-base.manualTrigger`: emits one empty item when the workflow is run by hand. */
export class ManualTriggerNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		eventTriggerDescription: '',
		maxNodes: 1,
		defaults: { name: "When clicking 'Execute workflow'" },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};
		return { manualTriggerFunction };
	}
}

/** `n8n-nodes-base.noOp`: passes its input through. */
export class NoOpNode implements INodeType {
	description = nodeDescription('No Operation, do nothing', 'noOp', {
		group: ['organization'],
		description: 'No Operation',
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

type CodeResult = IDataObject | INodeExecutionData | Array<IDataObject | INodeExecutionData>;

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
	...args: string[]
) => (...values: unknown[]) => Promise<CodeResult | undefined>;

function toItem(value: IDataObject | INodeExecutionData): INodeExecutionData {
	if (
		value !== null &&
		typeof value === 'object' &&
		'json' in value &&
		typeof value.json === 'object'
	) {
		return value as INodeExecutionData;
	}
	return { json: value as IDataObject };
}

function toItems(result: CodeResult | undefined): INodeExecutionData[] {
	if (result === undefined || result === null) return [];
	return (Array.isArray(result) ? result : [result]).map(toItem);
}

/**
 * `n8n-nodes-base.code` (JavaScript only, run in-process, NOT sandboxed): the code sees n8n's
 * workflow data proxy (`$input`, `$json`, `$('Node')`, `$node`, `$execution`, ...) plus `items`
 * (all input items) and `item` (per-item mode). Modes `runOnceForAllItems` (default: return an
 * array of items or plain objects) and `runOnceForEachItem` (return one item/object; it is paired
 * with its input item). A thrown error fails the node, or becomes an error item under Continue
 * On Fail. Test code only: never give it untrusted input.
 */
export class CodeNode implements INodeType {
	description = nodeDescription('Code', 'code', {
		group: ['transform'],
		version: [1, 2],
		defaultVersion: 2,
		description: 'Run custom JavaScript code',
		defaults: { name: 'Code' },
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				options: [
					{ name: 'Run Once for All Items', value: 'runOnceForAllItems' },
					{ name: 'Run Once for Each Item', value: 'runOnceForEachItem' },
				],
				default: 'runOnceForAllItems',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				options: [{ name: 'JavaScript', value: 'javaScript' }],
				default: 'javaScript',
			},
			{
				displayName: 'JavaScript',
				name: 'jsCode',
				type: 'string',
				typeOptions: { editor: 'codeNodeEditor' },
				default: 'return $input.all();',
				noDataExpression: true,
			},
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const mode = this.getNodeParameter('mode', 0) as string;
		const code = this.getNodeParameter('jsCode', 0) as string;
		const items = this.getInputData();

		const run = async (itemIndex: number, extra: Record<string, unknown>) => {
			const proxy = this.getWorkflowDataProxy(itemIndex);
			const scope: Record<string, unknown> = { ...proxy, items, ...extra };
			const names = Object.keys(scope).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
			const fn = new AsyncFunction(...names, code);
			return await fn(...names.map((name) => scope[name]));
		};

		const fail = (error: unknown, itemIndex?: number) =>
			new NodeOperationError(this.getNode(), error as Error, { itemIndex });

		if (mode === 'runOnceForEachItem') {
			const output: INodeExecutionData[] = [];
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				try {
					const result = await run(itemIndex, { item: items[itemIndex] });
					if (result === undefined || result === null) continue;
					if (Array.isArray(result)) {
						throw new Error('In "Run Once for Each Item" mode, return a single item, not an array');
					}
					output.push({ pairedItem: { item: itemIndex }, ...toItem(result) });
				} catch (error) {
					if (!this.continueOnFail()) throw fail(error, itemIndex);
					output.push({
						json: { error: (error as Error).message },
						pairedItem: { item: itemIndex },
					});
				}
			}
			return [output];
		}

		try {
			return [toItems(await run(0, {}))];
		} catch (error) {
			if (!this.continueOnFail()) throw fail(error);
			return [[{ json: { error: (error as Error).message } }]];
		}
	}
}

/** The built-in node types, keyed by their full n8n type name. */
export const BUILTIN_NODE_TYPES: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTriggerNode(),
	'n8n-nodes-base.noOp': new NoOpNode(),
	'n8n-nodes-base.code': new CodeNode(),
};
