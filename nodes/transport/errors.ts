/**
 * Visma.net's two error envelopes turned into one `NodeApiError` a bookkeeper can act on:
 * what went wrong, in Visma.net's own words, Visma's request id (VismaId) for its support desk,
 * and the next step. The only place where Visma.net failures become n8n errors.
 *
 * Nothing secret passes through here: the error is built from the status, Visma's message and
 * ids only, never from the request (which carries the Authorization header).
 */
import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { serverText } from '../core/redact';
import type { FailureKind } from './retry';

/** What Visma.net said, read from either envelope (visma-net-api.md §6.1). */
export interface VismaErrorBody {
	/** Visma's own text, with the "VismaId: ..." prefix removed. */
	readonly message?: string;
	readonly vismaId?: string;
	readonly faultCode?: string;
	readonly exceptionType?: string;
	/**
	 * The text is Visma.net's own account of what was wrong: its message envelope with a VismaId
	 * and an `Error ...: <detail>` text, as Visma.net writes validation refusals (also under a 5xx,
	 * visma-net-api.md §6.1), not a gateway's or a bare server error's.
	 */
	readonly validationText?: boolean;
}

/** Visma's request id: a GUID, nothing longer (a server could put anything after "VismaId:"). */
const VISMA_ID_PREFIX =
	/^\s*VismaId:\s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.?\s*/;
const VISMA_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Visma.net's validation wording after the VismaId: "Error creating document. Error: <detail>". Bounded, linear. */
const VISMA_VALIDATION_TEXT = /^Error\b[^:]{0,100}:\s*\S/;

/**
 * Reads `{"message": "VismaId: <id>. Error ..."}` or the IPP exception envelope. Every text is
 * server text: redacted (the known secrets and anything token-shaped) and bounded (core/redact).
 */
export function readVismaErrorBody(
	body: unknown,
	knownSecrets: readonly string[] = [],
): VismaErrorBody {
	let data = body;
	if (Buffer.isBuffer(data)) data = data.toString('utf8');
	if (typeof data === 'string') {
		const raw = data;
		try {
			data = JSON.parse(raw.length > 1_000_000 ? '' : raw);
		} catch {
			const message = serverText(raw, knownSecrets);
			return message ? { message } : {};
		}
	}
	if (data === null || typeof data !== 'object') return {};
	const record = data as Record<string, unknown>;
	const text = (key: string): string | undefined => {
		const value = record[key] ?? record[key.charAt(0).toUpperCase() + key.slice(1)];
		return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
	};
	const rawMessage =
		text('message') ?? text('exceptionMessage') ?? text('error_description') ?? text('error');
	const messageId = text('exceptionMessageID');
	let vismaId = messageId && VISMA_ID.test(messageId) ? messageId : undefined;
	let message = rawMessage;
	let validationText = false;
	const prefix = rawMessage ? VISMA_ID_PREFIX.exec(rawMessage.slice(0, 200)) : null;
	if (prefix && rawMessage) {
		vismaId = prefix[1];
		message = rawMessage.slice(prefix[0].length);
		validationText = VISMA_VALIDATION_TEXT.test(message.slice(0, 200));
	}
	if (vismaId && knownSecrets.includes(vismaId)) vismaId = undefined;
	const safe = (value: string | undefined) => serverText(value, knownSecrets);
	const faultCode = safe(text('exceptionFaultCode'));
	const exceptionType = safe(text('exceptionType'));
	const safeMessage = safe(message);
	return {
		...(safeMessage ? { message: safeMessage } : {}),
		...(vismaId ? { vismaId } : {}),
		...(faultCode ? { faultCode: faultCode.slice(0, 100) } : {}),
		...(exceptionType ? { exceptionType: exceptionType.slice(0, 200) } : {}),
		...(validationText && safeMessage ? { validationText: true } : {}),
	};
}

/** A 5xx that carries Visma.net's own text of what was wrong: a refusal, though its outcome is not certain. */
function isServerRefusal(failure: Failure): boolean {
	return (
		failure.statusCode !== undefined &&
		failure.statusCode >= 500 &&
		failure.body?.validationText === true
	);
}

export interface FailureContext {
	/** What we were doing, in a bookkeeper's words: "posting journal R2026-03 for 2026-03". */
	readonly operation: string;
	readonly method: string;
	readonly path: string;
	readonly itemIndex?: number;
	readonly attempts: number;
}

export interface Failure {
	readonly kind: FailureKind;
	readonly statusCode?: number;
	/** A network error code such as ECONNRESET or ETIMEDOUT. */
	readonly networkCode?: string;
	readonly body?: VismaErrorBody;
	readonly retryAfterMs?: number;
	/** For a token request answered with something else than a token or an OAuth error: its HTTP status. */
	readonly tokenStatus?: number;
	/** For a refused token request: the OAuth error code (`invalid_client`, ...). */
	readonly oauthError?: string;
	/** For a 3xx: the host the redirect pointed to (never followed). */
	readonly redirectHost?: string;
}

/**
 * The one error of a Visma.net failure: n8n's `NodeApiError` (so n8n shows, routes and stores it
 * as every node API error; its `name` stays `NodeApiError`), with what the package decides on
 * typed rather than stashed in its `context`:
 * - `vismaId`: Visma's request id for its support desk (also in the message and `context.vismaId`);
 * - `outcomeUnknown`: Visma.net may or may not have carried the request out (a timeout, a dropped
 *   connection, a 5xx, a redirect of a call that changes data): the caller must look in Visma.net
 *   before sending anything again;
 * - `refusedWithVismaText`: a 5xx carrying Visma.net's own text of what was wrong (its validation
 *   wording): still an unknown outcome for a POST, but a plain rerun gets the same answer, so the
 *   advice is the error's own description, not "run the workflow again".
 */
export class VismaNetApiError extends NodeApiError {
	readonly vismaId: string | undefined;
	readonly outcomeUnknown: boolean;
	readonly refusedWithVismaText: boolean;

	constructor(
		node: INode,
		response: JsonObject,
		options: ConstructorParameters<typeof NodeApiError>[2],
		flags: { vismaId?: string; outcomeUnknown?: boolean; refusedWithVismaText?: boolean } = {},
	) {
		super(node, response, options);
		// n8n tells its own errors by name (WorkflowExecute rethrows a node error by it), and stores it.
		Object.defineProperty(this, 'name', {
			value: 'NodeApiError',
			writable: true,
			enumerable: true,
			configurable: true,
		});
		this.vismaId = flags.vismaId;
		this.outcomeUnknown = flags.outcomeUnknown === true;
		this.refusedWithVismaText = flags.refusedWithVismaText === true;
		if (flags.vismaId) (this.context as Record<string, unknown>).vismaId = flags.vismaId;
	}
}

/** True when Visma.net may or may not have carried out the request that failed. */
export function isOutcomeUnknown(error: unknown): boolean {
	return error instanceof VismaNetApiError && error.outcomeUnknown;
}

/** True for a 5xx answer carrying Visma.net's own text of what was wrong (see `VismaNetApiError`). */
export function isRefusedWithVismaText(error: unknown): boolean {
	return error instanceof VismaNetApiError && error.refusedWithVismaText;
}

/** The HTTP status of a Visma.net failure, when there was an answer. */
export function failureStatus(error: unknown): number | undefined {
	if (!(error instanceof NodeApiError) || error.httpCode === null) return undefined;
	const status = Number(error.httpCode);
	return Number.isFinite(status) ? status : undefined;
}

/** A redirect to a call that changes data: Visma.net (or a proxy) may have acted before sending it on. */
function redirectLeavesOutcomeUnknown(failure: Failure, context: FailureContext): boolean {
	return failure.kind === 'redirected' && context.method !== 'GET';
}

const CREDENTIAL_STEPS: Readonly<Record<string, string>> = {
	invalid_scope:
		'The application in the Visma Developer Portal is not granted the Visma.net ERP scopes this credential asks for: add them to the application (and have the company approve it), then run the workflow again.',
	invalid_grant:
		'Open the Visma.net credential and connect it again (sign in), then run the workflow again.',
	invalid_tenant:
		'Check the company tenant ID in the credential, and that the company approved the application (for the interactive API: that the user has the API User role); then run the workflow again.',
};

function credentialStep(failure: Failure): string {
	if (failure.tokenStatus !== undefined) {
		return 'Check the Visma Connect base URL in the credential (production: https://connect.visma.com; tokens are requested at <base>/connect/token), and the client ID and secret; then run the workflow again. Nothing was sent to Visma.net.';
	}
	return (
		(failure.oauthError && CREDENTIAL_STEPS[failure.oauthError]) ||
		'Check the client ID and client secret in the Visma.net credential (Visma Developer Portal → your application → Credentials; a secret that was regenerated or expired must be entered again) and the company tenant ID; then run the workflow again. Nothing was sent to Visma.net.'
	);
}

function nextStep(failure: Failure, context: FailureContext): string {
	const status = failure.statusCode;
	if (failure.kind === 'credential') return credentialStep(failure);
	if (failure.kind === 'redirected') {
		const where =
			'Check the API URL in the Visma.net credential: it must be the address of the Visma.net API itself, or of a proxy that forwards calls rather than redirecting them.';
		return redirectLeavesOutcomeUnknown(failure, context)
			? `${where} It is not known whether the call was carried out: after correcting the URL, run the workflow again; the journal is looked up before anything is sent again, so it is never booked twice.`
			: `${where} Nothing was changed.`;
	}
	if (status === 401) {
		return 'Check in the credential that the tenant id is the company tenant id (not the customer tenant id), that the application has the Visma.net ERP scopes and, for the interactive API, that the user has the API User role; then reconnect the credential.';
	}
	if (status === 403)
		return 'Ask the Visma.net administrator to grant the application or user access to this company.';
	if (status === 404) return 'Check the number or id in Visma.net.';
	if (status === 429) {
		return 'Visma.net limits calls per company and application per hour. Run the workflow again later, or spread companies over time.';
	}
	if (isServerRefusal(failure)) {
		const correct =
			"Visma.net's own text says what was wrong: correct the journal or the data in Visma.net as it says";
		return context.method === 'GET'
			? `${correct}, then run the workflow again; nothing was changed.`
			: `${correct} before running the workflow again (unchanged, it is refused the same way). Visma.net answered with a server error, so it is not certain that nothing was booked: the next run looks in Visma.net first, so the journal is never booked twice.`;
	}
	if (failure.kind === 'outcomeUnknown') {
		return context.method === 'GET'
			? 'Visma.net did not answer in time. Run the workflow again; nothing was changed.'
			: 'It is not known whether Visma.net carried it out. Run the workflow again: the journal is looked up before anything is sent again, so it is never booked twice.';
	}
	if (failure.kind === 'notSent')
		return 'Check the API URL in the credential and the network; nothing was sent.';
	return 'Correct the journal or the data in Visma.net and run the workflow again.';
}

function headline(failure: Failure, context: FailureContext): string {
	const what = failure.body?.message;
	const status = failure.statusCode;
	if (failure.kind === 'credential' && failure.tokenStatus !== undefined) {
		return `Visma Connect gave no token while ${context.operation}: the token request was answered with HTTP ${failure.tokenStatus} and no token`;
	}
	if (failure.kind === 'credential') {
		return `Visma Connect refused the credential while ${context.operation}${failure.oauthError ? ` (${failure.oauthError})` : ''}${what ? `: ${what}` : ''}`;
	}
	if (failure.kind === 'redirected') {
		return `Visma.net answered ${status} (a redirect to ${failure.redirectHost ?? 'another address'}) while ${context.operation}; the redirect was not followed, so neither the credential nor the journal went there`;
	}
	if (status === 401)
		return `Visma.net refused the credential while ${context.operation} (401 Unauthorized)${what ? `: ${what}` : ''}`;
	if (status === 429) {
		const wait =
			failure.retryAfterMs === undefined
				? ''
				: ` It asks to wait ${Math.ceil(failure.retryAfterMs / 1000)} s.`;
		return `Visma.net's rate limit was reached while ${context.operation}, ${context.attempts} tr${context.attempts === 1 ? 'y' : 'ies'}.${wait}`;
	}
	if (isServerRefusal(failure))
		return `Visma.net refused ${context.operation} (${status})${what ? `: ${what}` : ''}`;
	if (status !== undefined && status >= 500) {
		return `Visma.net had an internal error (${status}) while ${context.operation}${what ? `: ${what}` : ''}`;
	}
	if (status !== undefined)
		return `Visma.net refused ${context.operation} (${status})${what ? `: ${what}` : ''}`;
	if (failure.networkCode === 'ETIMEDOUT' || failure.networkCode === 'ECONNABORTED') {
		return `Visma.net did not answer in time while ${context.operation}`;
	}
	// Network codes (ECONNRESET...) stay out of the message: n8n would replace such a message
	// with its generic text. They go into the description.
	if (failure.kind === 'notSent')
		return `Visma.net could not be reached while ${context.operation}`;
	return `The connection to Visma.net broke off while ${context.operation}`;
}

/** Builds the one error the nodes throw for a Visma.net failure. */
export function toNodeApiError(
	node: INode,
	failure: Failure,
	context: FailureContext,
): VismaNetApiError {
	const details: string[] = [nextStep(failure, context)];
	if (failure.body?.vismaId)
		details.push(`VismaId: ${failure.body.vismaId} (quote it to Visma support).`);
	if (failure.body?.faultCode) details.push(`Visma fault code: ${failure.body.faultCode}.`);
	if (
		failure.statusCode !== undefined &&
		failure.statusCode >= 500 &&
		failure.retryAfterMs !== undefined
	) {
		details.push(
			`Visma.net asked to wait ${Math.ceil(failure.retryAfterMs / 1000)} s before trying again.`,
		);
	}
	if (failure.networkCode) details.push(`Network error: ${failure.networkCode}.`);
	details.push(
		`Request: ${context.method} ${context.path}${context.attempts > 1 ? `, ${context.attempts} tries` : ''}.`,
	);
	const response: JsonObject = {
		message: failure.body?.message ?? null,
		vismaId: failure.body?.vismaId ?? null,
		faultCode: failure.body?.faultCode ?? null,
		status: failure.statusCode ?? null,
		networkCode: failure.networkCode ?? null,
		method: context.method,
		path: context.path,
	};
	// The VismaId in the message itself: it travels wherever the message does (item errors, logs).
	const vismaId = failure.body?.vismaId ? ` (VismaId ${failure.body.vismaId})` : '';
	return new VismaNetApiError(
		node,
		response,
		{
			message: `${headline(failure, context)}${vismaId}`,
			description: details.join(' '),
			...(failure.statusCode === undefined ? {} : { httpCode: String(failure.statusCode) }),
			...(context.itemIndex === undefined ? {} : { itemIndex: context.itemIndex }),
		},
		{
			...(failure.body?.vismaId ? { vismaId: failure.body.vismaId } : {}),
			outcomeUnknown:
				failure.kind === 'outcomeUnknown' || redirectLeavesOutcomeUnknown(failure, context),
			refusedWithVismaText: isServerRefusal(failure),
		},
	);
}
