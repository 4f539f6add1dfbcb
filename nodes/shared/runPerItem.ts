/**
 * The only item loop of this package: every node hands each input item to `runPerItem` with one
 * handler. It sets `pairedItem` on every output item, turns the core's issues into a
 * `NodeOperationError` that names the item, and implements Continue On Fail the same way for
 * every node: the error item keeps the input json, adds `error: { code, message, path }` (and
 * `errors`, all of them) and carries `pairedItem`. With "Continue (using error output)" it also
 * carries n8n's item-level `error`, which n8n needs to route it to the error output (and n8n then
 * reduces its json to `{ error: message }`; see `routesToErrorOutput`).
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { summarizeIssues, type Issue } from '../core/issues';

/** Thrown by a handler when the item itself is wrong: the core's issues, every one of them. */
export class ItemIssuesError extends Error {
	/** Fields to add to the error item under Continue On Fail (e.g. Post's `visma.status: failed`). */
	itemJson?: IDataObject;

	constructor(readonly issues: readonly Issue[]) {
		super(issues[0]?.message ?? 'The item is not valid');
		this.name = 'ItemIssuesError';
	}
}

/** One item to emit: its json and the output it goes to (0 when the node has one output). */
export interface Emission {
	readonly json: IDataObject;
	readonly output?: number;
	readonly binary?: INodeExecutionData['binary'];
}

export interface RunPerItemOptions {
	/** How many outputs the node has. */
	readonly outputs?: number;
	/** Where Continue On Fail puts error items; default the first output. */
	readonly errorOutput?: number;
}

export type ItemHandler = (item: INodeExecutionData, itemIndex: number) => Promise<readonly Emission[]>;

/** The `{ code, message, path }` form of an issue in items. */
export function toErrorJson(issue: Issue): IDataObject {
	return {
		code: issue.code,
		message: issue.message,
		path: issue.path,
		...(issue.line === undefined ? {} : { line: issue.line }),
		...(issue.field === undefined ? {} : { field: issue.field }),
	};
}

/** The node error for an item's issues: the first as message, every one listed in the description. */
export function issuesToNodeError(context: IExecuteFunctions, issues: readonly Issue[], itemIndex: number): NodeOperationError {
	const { message, description } = summarizeIssues(issues);
	const error = new NodeOperationError(context.getNode(), message, { itemIndex, description });
	(error.context as IDataObject).issues = issues.map(toErrorJson);
	return error;
}

function errorCodeOf(error: NodeApiError | NodeOperationError): string {
	const context = error.context as IDataObject;
	if (typeof context.code === 'string') return context.code;
	return error instanceof NodeApiError ? 'VISMA_NET_ERROR' : 'NODE_ERROR';
}

/** Whether n8n routes error items to a separate error output (node setting On Error). */
function routesToErrorOutput(context: IExecuteFunctions): boolean {
	return context.getNode().onError === 'continueErrorOutput';
}

export async function runPerItem(
	this: IExecuteFunctions,
	handler: ItemHandler,
	options: RunPerItemOptions = {},
): Promise<INodeExecutionData[][]> {
	const outputs: INodeExecutionData[][] = Array.from({ length: options.outputs ?? 1 }, () => []);
	const errorOutput = options.errorOutput ?? 0;
	const items = this.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		try {
			const emissions = await handler(items[itemIndex], itemIndex);
			for (const emission of emissions) {
				outputs[emission.output ?? 0].push({
					json: emission.json,
					pairedItem,
					...(emission.binary ? { binary: emission.binary } : {}),
				});
			}
		} catch (caught) {
			let error: NodeApiError | NodeOperationError;
			let errorJson: IDataObject[];
			if (caught instanceof ItemIssuesError) {
				error = issuesToNodeError(this, caught.issues, itemIndex);
				errorJson = caught.issues.map(toErrorJson);
			} else if (caught instanceof NodeApiError || caught instanceof NodeOperationError) {
				error = caught;
				if ((error.context as IDataObject).itemIndex === undefined) (error.context as IDataObject).itemIndex = itemIndex;
				errorJson = [{ code: errorCodeOf(error), message: error.message, ...(error.description ? { description: error.description } : {}) }];
			} else {
				// A bug, not bad input: say so, with the item, rather than crash the whole run.
				error = new NodeOperationError(this.getNode(), caught instanceof Error ? caught : String(caught), {
					itemIndex,
					description: 'This is a fault in the node, not in the journal. Please report it with the journal that caused it.',
				});
				errorJson = [{ code: 'INTERNAL_ERROR', message: error.message }];
			}
			if (!this.continueOnFail()) {
				if (error instanceof NodeApiError) throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
				throw new NodeOperationError(this.getNode(), error);
			}
			const itemJson = caught instanceof ItemIssuesError ? caught.itemJson : ((error.context as IDataObject).itemJson as IDataObject | undefined);
			outputs[errorOutput].push({
				json: { ...items[itemIndex].json, ...itemJson, error: errorJson[0], errors: errorJson },
				// n8n's engine replaces the json of every item that carries an item-level `error`
				// with `{ error: message }` (WorkflowExecute.normalizeNodeErrors), which would lose the
				// input, the code and Post's `visma`. So the item-level error is only attached where
				// n8n needs it: to route the item to the error output ("Continue (using error output)").
				...(routesToErrorOutput(this) ? { error } : {}),
				pairedItem,
			});
		}
	}
	return outputs;
}
