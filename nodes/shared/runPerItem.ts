/**
 * The only item loop of this package: every node hands each input item to `runPerItem` with one
 * handler. It sets `pairedItem` on every output item, turns the core's issues into a
 * `NodeOperationError` that names the item, and implements Continue On Fail the same way for
 * every node: the error item keeps the input json, adds `error: { code, message, path }` (and
 * `errors`, all of them) and carries `pairedItem`. With "Continue (using error output)" n8n's
 * rules decide its shape: see `errorOutputJson`.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { referenceOf, summarizeIssues, type Issue } from '../core/issues';

/** Thrown by a handler when the item itself is wrong: the core's issues, every one of them. */
export class ItemIssuesError extends Error {
	/** Fields to add to the error item under Continue On Fail (e.g. Post's `visma.status: failed`). */
	itemJson?: IDataObject;

	constructor(
		readonly issues: readonly Issue[],
		itemJson?: IDataObject,
	) {
		super(issues[0]?.message ?? 'The item is not valid');
		this.name = 'ItemIssuesError';
		if (itemJson) this.itemJson = itemJson;
	}
}

/**
 * Thrown by a handler when a call failed (`error`: Visma.net's, or n8n's) and the item's output
 * still has something to say (`itemJson`, e.g. Post's `visma`): the error as it is, the fields
 * beside it, nothing stashed in the error's context.
 */
export class ItemCallError extends Error {
	constructor(
		readonly error: NodeApiError | NodeOperationError,
		readonly itemJson: IDataObject,
	) {
		super(error.message);
		this.name = 'ItemCallError';
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

export type ItemHandler = (
	item: INodeExecutionData,
	itemIndex: number,
) => Promise<readonly Emission[]>;

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
export function issuesToNodeError(
	context: IExecuteFunctions,
	issues: readonly Issue[],
	itemIndex: number,
): NodeOperationError {
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

/** The input json without some keys, in its own order. */
export function withoutKeys(json: IDataObject, keys: readonly string[]): IDataObject {
	const rest: IDataObject = {};
	for (const [key, value] of Object.entries(json)) if (!keys.includes(key)) rest[key] = value;
	return rest;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== ''
		? value.trim()
		: typeof value === 'number'
			? String(value)
			: undefined;
}

/**
 * Which journal an item is, for people: `journal R2026-03 of Bakkerij De Vries BV (company 1234),
 * period 2026-01` (the financial period of a split part, else the run's payroll period).
 */
export function describeJournal(json: IDataObject): string {
	const company = (
		json.company && typeof json.company === 'object' ? json.company : {}
	) as IDataObject;
	const run = (json.run && typeof json.run === 'object' ? json.run : {}) as IDataObject;
	const reference = referenceOf(json) ?? '(no reference)';
	const companyId = text(company.id);
	const companyName = text(company.name);
	const who = companyName
		? ` of ${companyName}${companyId ? ` (company ${companyId})` : ''}`
		: companyId
			? ` of company ${companyId}`
			: '';
	const financialPeriod = text(json.financialPeriod);
	const period =
		financialPeriod && /^\d{6}$/.test(financialPeriod)
			? `, period ${financialPeriod.slice(0, 4)}-${financialPeriod.slice(4)}`
			: text(run.year) && text(run.period)
				? `, payroll period ${text(run.year)}-${String(text(run.period)).padStart(2, '0')}`
				: '';
	return `journal ${reference}${who}${period}`;
}

/** One line a bookkeeper can act on: which journal, the code, what is wrong and what to do. */
export function notBookedMessage(json: IDataObject, errors: readonly IDataObject[]): string {
	const [first] = errors;
	const journal = describeJournal(json);
	const reference = referenceOf(json);
	let message = String(first?.message ?? 'The item is not valid');
	// The core's messages start with "Journal <reference>, " or "Journal <reference>: "; the headline says it already.
	for (const prefix of reference ? [`Journal ${reference}, `, `Journal ${reference}: `] : []) {
		if (message.startsWith(prefix)) message = message.slice(prefix.length);
	}
	const more =
		errors.length > 1
			? ` (and ${errors.length - 1} more problem${errors.length === 2 ? '' : 's'})`
			: '';
	return `${journal.charAt(0).toUpperCase()}${journal.slice(1)} was not booked: [${String(first?.code ?? 'NODE_ERROR')}] ${message}${more}`;
}

/**
 * The error item under "Continue (using error output)". n8n 2.40 (n8n-core WorkflowExecute
 * handleNodeErrorOutput) moves an item to the error output only when it carries an item-level
 * `error`, or when its json holds nothing but `error`, `message` and `details`; and it replaces the
 * json of every item with an item-level `error` by `{ error: message }` (normalizeNodeErrors),
 * which loses the journal. So the item is routed by its json: `error` (the first problem, with its
 * code), `message` (naming journal, company, period and code) and `details` (`errors`, all of them,
 * and what the node adds, e.g. Post's `visma`). n8n then adds back the fields of the input item it
 * is paired with, so the error output holds the journal, its `error`, `message` and `details`.
 */
export function errorOutputJson(
	input: IDataObject,
	errors: readonly IDataObject[],
	itemJson?: IDataObject,
): IDataObject {
	return {
		error: errors[0],
		message: notBookedMessage(input, errors),
		details: { errors: [...errors], ...itemJson },
	};
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
		} catch (thrown) {
			const caught = thrown instanceof ItemCallError ? thrown.error : thrown;
			let error: NodeApiError | NodeOperationError;
			let errorJson: IDataObject[];
			if (caught instanceof ItemIssuesError) {
				error = issuesToNodeError(this, caught.issues, itemIndex);
				errorJson = caught.issues.map(toErrorJson);
			} else if (caught instanceof NodeApiError || caught instanceof NodeOperationError) {
				error = caught;
				if ((error.context as IDataObject).itemIndex === undefined)
					(error.context as IDataObject).itemIndex = itemIndex;
				errorJson = [
					{
						code: errorCodeOf(error),
						message: error.message,
						...(error.description ? { description: error.description } : {}),
					},
				];
			} else {
				// A bug, not bad input: say so, with the item, rather than crash the whole run.
				error = new NodeOperationError(
					this.getNode(),
					caught instanceof Error ? caught : String(caught),
					{
						itemIndex,
						description:
							'This is a fault in the node, not in the journal. Please report it with the journal that caused it.',
					},
				);
				errorJson = [{ code: 'INTERNAL_ERROR', message: error.message }];
			}
			if (!this.continueOnFail()) throw error;
			const itemJson =
				thrown instanceof ItemCallError
					? thrown.itemJson
					: caught instanceof ItemIssuesError
						? caught.itemJson
						: undefined;
			const input = items[itemIndex].json;
			if (routesToErrorOutput(this)) {
				outputs[errorOutput].push({
					json: errorOutputJson(input, errorJson, itemJson),
					pairedItem,
				});
			} else {
				// The result first (Table view shows the first keys), then the input item.
				outputs[errorOutput].push({
					json: {
						error: errorJson[0],
						errors: errorJson,
						...itemJson,
						...withoutKeys(input, ['error', 'errors', ...Object.keys(itemJson ?? {})]),
					},
					pairedItem,
				});
			}
		}
	}
	return outputs;
}
