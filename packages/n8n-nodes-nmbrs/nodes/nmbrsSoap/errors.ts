/**
 * Nmbrs failures → n8n errors. Only Nmbrs' own fault text, the operation and the next step go in:
 * never the request (whose SOAP header holds the API token) nor n8n's underlying error object.
 */
import { NodeApiError, type INode } from 'n8n-workflow';

import { serverText } from '../core/redact';
import type { SoapFault } from './soapReader';

export interface NmbrsCallContext {
	/** What the call does, in a bookkeeper's words: "list the payroll runs of company 1234 in 2026". */
	readonly what: string;
	readonly operation: string;
	readonly itemIndex?: number;
	readonly attempts?: number;
	/** The credential's secrets (API token): never repeated in a message, whatever Nmbrs echoes. */
	readonly secrets?: readonly string[];
}

const CREDENTIAL_STEP =
	'Check the username, API token and domain in the Nmbrs credential (Nmbrs: My account → API), then try again.';

/** The next step for a fault, from Nmbrs' own words. */
export function nextStepForFault(message: string): string {
	if (
		/token|password|user ?name|username|login|log in|authenticat|credential|unauthori[sz]ed|domain/i.test(
			message,
		)
	)
		return CREDENTIAL_STEP;
	if (
		/not found|unknown|does not exist|doesn't exist|no company|no run|invalid (company|run)/i.test(
			message,
		)
	) {
		return 'Check the company id, run id and year: the company list and the runs of a year are in Nmbrs (or in the Nmbrs node, operation Get Runs).';
	}
	if (/access|permission|not allowed|rights/i.test(message)) {
		return 'The Nmbrs user of the credential has no access to this company. Give the user access in Nmbrs or choose another company.';
	}
	return 'Check the values sent; if they are right, try again later or contact Nmbrs support with this message.';
}

/** A SOAP fault: Nmbrs refused the call. */
export function faultToNodeApiError(
	node: INode,
	fault: SoapFault,
	context: NmbrsCallContext,
	statusCode?: number,
): NodeApiError {
	const code = serverText(fault.code, context.secrets)?.slice(0, 100);
	const text = serverText(fault.message, context.secrets) || code || 'no fault text';
	return new NodeApiError(
		node,
		{ message: text, faultcode: code ?? null, operation: context.operation },
		{
			message: `Nmbrs refused to ${context.what}: ${text}`,
			description: `${nextStepForFault(text)} (SOAP operation ${context.operation}${code ? `, fault ${code}` : ''})`,
			...(statusCode === undefined ? {} : { httpCode: String(statusCode) }),
			...(context.itemIndex === undefined ? {} : { itemIndex: context.itemIndex }),
		},
	);
}

/**
 * Nmbrs could not be reached, or answered with an HTTP error and no SOAP fault. `retryAfterMs`:
 * how long the answer asked to wait (Retry-After), said in the message.
 */
export function unreachableToNodeApiError(
	node: INode,
	context: NmbrsCallContext,
	detail: {
		statusCode?: number;
		networkCode?: string;
		redirectHost?: string;
		retryAfterMs?: number;
	},
): NodeApiError {
	const wait =
		detail.retryAfterMs === undefined
			? ''
			: ` and asked to wait ${Math.ceil(detail.retryAfterMs / 1000)} s`;
	const how =
		detail.redirectHost !== undefined
			? `answered HTTP ${detail.statusCode ?? '3xx'}, a redirect to ${detail.redirectHost}, which was not followed (the API token stays with Nmbrs),`
			: detail.statusCode === 429
				? `answered HTTP 429 (too many calls)${wait}`
				: detail.statusCode !== undefined
					? `answered HTTP ${detail.statusCode}${wait}`
					: `could not be reached (${detail.networkCode ?? 'no answer'})`;
	const tries = context.attempts && context.attempts > 1 ? ` after ${context.attempts} tries` : '';
	const step =
		detail.redirectHost !== undefined
			? 'Check the URL in the Nmbrs credential: it must be the address of the Nmbrs SOAP API itself (https://api.nmbrs.nl/soap/v3), or of a proxy that forwards calls rather than redirecting them.'
			: detail.statusCode === 404
				? 'Check the URL in the Nmbrs credential: the SOAP service was not found there.'
				: detail.statusCode === 429
					? 'Nmbrs limits how many calls it takes in a while; the trigger tries again at its next poll, or run the workflow again later.'
					: 'Nmbrs may be busy or down; the trigger tries again at its next poll. Check the URL in the Nmbrs credential if this persists.';
	return new NodeApiError(
		node,
		{ message: how, operation: context.operation },
		{
			message: `Nmbrs ${how}${tries} while trying to ${context.what}`,
			description: `${step} (SOAP operation ${context.operation})`,
			...(detail.statusCode === undefined ? {} : { httpCode: String(detail.statusCode) }),
			...(context.itemIndex === undefined ? {} : { itemIndex: context.itemIndex }),
		},
	);
}

/** The answer is not the SOAP answer expected. */
export function unexpectedAnswerToNodeApiError(
	node: INode,
	context: NmbrsCallContext,
	rawProblem: string,
): NodeApiError {
	const problem = serverText(rawProblem, context.secrets) ?? 'no details';
	return new NodeApiError(
		node,
		{ message: problem, operation: context.operation },
		{
			message: `Nmbrs gave an answer that cannot be read while trying to ${context.what}: ${problem}`,
			description: `Check the URL in the Nmbrs credential (it must point at the SOAP API, e.g. https://api.nmbrs.nl/soap/v3). (SOAP operation ${context.operation})`,
			...(context.itemIndex === undefined ? {} : { itemIndex: context.itemIndex }),
		},
	);
}
