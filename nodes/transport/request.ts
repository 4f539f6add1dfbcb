/**
 * The one way to Visma.net: every call of every node goes through `vismaNetRequest`, on n8n's
 * `httpRequestWithAuthentication` with the `vismaNetOAuth2Api` credential (so n8n fetches and
 * refreshes the token). Owns the base URL per environment, paging and error mapping; it retries
 * by the package's one retry policy (retry.ts, shared with the Nmbrs transport): a 429 or a 5xx
 * after its Retry-After, else with backoff and jitter; 5xx and timeouts for reads only.
 */
import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
} from 'n8n-workflow';

import { readVismaErrorBody, toNodeApiError, VismaNetApiError, type Failure } from './errors';
import { knownSecretsOf, serverText } from '../core/redact';
import { VISMA_NET_API_URL, type PageMetadata } from '../core/vismaNetModel';
import { checkCustomBaseUrl } from './customUrl';
import { headerValue, NO_REDIRECTS, redirectTargetHost } from './redirect';
import {
	DEFAULT_RETRY_POLICY,
	causeChain,
	networkCodeOf,
	networkFailureKind,
	retryAfterOf,
	statusFailureKind,
	withRetryPolicy,
	type RetryPolicy,
	type TryOutcome,
} from './retry';
import {
	needsTenantToken,
	tenantOfContext,
	tenantRequest,
	throwIfTenantTokenError,
} from './tenantTokens';

export const CREDENTIAL_TYPE = 'vismaNetOAuth2Api';

export type VismaNetContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface VismaNetRequest {
	readonly method: IHttpRequestMethods;
	/** Path below the API base, e.g. `/v2/journaltransaction`. */
	readonly path: string;
	readonly qs?: IDataObject;
	/** A DTO of Visma.net's model (core/vismaNetModel.ts), sent as JSON. */
	readonly body?: object;
	/** What this call does, in a bookkeeper's words, for error messages. */
	readonly operation: string;
	readonly itemIndex?: number;
	/**
	 * Whether sending the call twice is harmless. Defaults to true for GET. A journal POST is not:
	 * it is never re-sent after a failure whose outcome is unknown.
	 */
	readonly idempotent?: boolean;
	/**
	 * The Visma.net company tenant the call is for (default: the tenant the context was made for
	 * with `withTenant`, else the credential's own). Another tenant than the credential's own is
	 * called with that tenant's own token (tenantTokens.ts).
	 */
	readonly tenantId?: string;
}

export interface VismaNetResponse<T> {
	readonly body: T;
	readonly statusCode: number;
	readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The API base of a credential: production, or the custom URL (a local sandbox, a proxy). */
export function apiBaseUrl(credentials: IDataObject, node: INode): string {
	if (credentials.environment !== 'custom') return VISMA_NET_API_URL;
	const raw = typeof credentials.customApiUrl === 'string' ? credentials.customApiUrl.trim() : '';
	// The token request (with the client secret) goes to the Connect URL: it obeys the same rule.
	if (typeof credentials.customConnectUrl === 'string')
		checkCustomUrl(credentials.customConnectUrl.trim(), 'Connect URL', node);
	return checkCustomUrl(raw, 'API URL', node);
}

/**
 * A custom URL must be https, except on this machine (a local sandbox): journals and tokens
 * never travel unencrypted over a network. No query, fragment or user:password (customUrl.ts).
 */
export function checkCustomUrl(raw: string, label: string, node: INode): string {
	const checked = checkCustomBaseUrl(raw);
	if ('url' in checked) return checked.url;
	throw new NodeOperationError(
		node,
		`The custom ${label} in the Visma.net credential ${checked.problem}`,
		{ description: checked.detail },
	);
}

/** A GL batch number ("000123", "GL/7"): a letter or digit, then letters, digits, ` ._/-`; at most 30. */
const BATCH_NUMBER = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,29}$/;

/**
 * The batch number in a `Location` header (absolute or relative): the segment after
 * `/journaltransaction/`. Anything else (no such segment, a malformed URL or escape, a value that
 * is no batch number) is `undefined`: not a confirmation, so the caller looks the batch up.
 */
export function batchNumberFromLocation(location: unknown): string | undefined {
	const value = Array.isArray(location) ? location[0] : location;
	if (typeof value !== 'string' || value.trim() === '' || value.length > 2048) return undefined;
	let segments: string[];
	try {
		segments = new URL(value.trim(), 'https://placeholder.invalid').pathname.split('/');
		if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
	} catch {
		return undefined;
	}
	const at = segments.length - 2;
	if (at < 0 || segments[at].toLowerCase() !== 'journaltransaction') return undefined;
	let batchNumber: string;
	try {
		batchNumber = decodeURIComponent(segments[at + 1]);
	} catch {
		return undefined;
	}
	return BATCH_NUMBER.test(batchNumber) ? batchNumber : undefined;
}

/** An OAuth error code as RFC 6749 §5.2 writes them: `invalid_client`, `invalid_grant`, ... */
const OAUTH_ERROR_CODE = /^[a-z_]{1,40}$/;

/**
 * Visma Connect refused the token request: n8n-core throws "Failed to acquire OAuth2 access
 * token" around @n8n/client-oauth2's AuthError (code EAUTH, the OAuth error body). That is the
 * credential, not the network: never tried again, never called a broken connection.
 */
function credentialFailure(
	chain: readonly object[],
	secrets: readonly string[],
): Failure | undefined {
	for (const link of chain) {
		const record = link as { code?: unknown; body?: unknown };
		const body =
			record.body && typeof record.body === 'object'
				? (record.body as Record<string, unknown>)
				: undefined;
		const oauthError =
			typeof body?.error === 'string' && OAUTH_ERROR_CODE.test(body.error) ? body.error : undefined;
		if (record.code !== 'EAUTH' && oauthError === undefined) continue;
		const description = serverText(body?.error_description, secrets);
		return {
			kind: 'credential',
			...(oauthError ? { oauthError } : {}),
			body: description ? { message: description } : {},
		};
	}
	// The token request got an answer that is no token and no OAuth error (an HTML page, a 404,
	// a 3xx without Location): the Connect URL or the credential is wrong. n8n-core says so with
	// "Failed to acquire OAuth2 access token" around @n8n/client-oauth2's ResponseError (code
	// ESTATUS, the HTTP status), which would otherwise read as a network code.
	const tokenRequestFailed = chain.some(
		(link) =>
			link instanceof Error && link.message.startsWith('Failed to acquire OAuth2 access token'),
	);
	const answered = chain.find((link): link is { code: string; status: number } => {
		const record = link as { code?: unknown; status?: unknown };
		return record.code === 'ESTATUS' && typeof record.status === 'number';
	});
	if (tokenRequestFailed && answered && answered.status < 500) {
		return { kind: 'credential', tokenStatus: answered.status, body: {} };
	}
	return undefined;
}

/** Classifies an error thrown by n8n's request helper (network failures, the 401 it lets through, a refused token request). */
function failureFromThrown(error: unknown, secrets: readonly string[]): Failure {
	const chain = causeChain(error);
	const credential = credentialFailure(chain, secrets);
	if (credential) return credential;
	let statusCode: number | undefined;
	let body: unknown;
	for (const candidate of chain) {
		const record = candidate as {
			httpCode?: unknown;
			response?: { status?: unknown; data?: unknown };
		};
		if (statusCode === undefined && typeof record.response?.status === 'number')
			statusCode = record.response.status;
		if (
			statusCode === undefined &&
			typeof record.httpCode === 'string' &&
			/^\d{3}$/.test(record.httpCode)
		) {
			statusCode = Number(record.httpCode);
		}
		if (body === undefined && record.response?.data !== undefined) body = record.response.data;
	}
	if (statusCode !== undefined) return failureFromStatus(statusCode, body, {}, secrets);
	const networkCode = networkCodeOf(error) ?? 'ECONNRESET';
	return { kind: networkFailureKind(networkCode), networkCode };
}

/** n8n's own word that the credential cannot be used ("needs to be reconnected"), even when n8n wrapped it in a NodeApiError. */
function credentialRefusedByN8n(error: unknown): NodeOperationError | undefined {
	return causeChain(error).find(
		(link): link is NodeOperationError => link instanceof NodeOperationError,
	);
}

function failureFromStatus(
	statusCode: number,
	body: unknown,
	headers: VismaNetResponse<unknown>['headers'],
	secrets: readonly string[],
	requestUrl = VISMA_NET_API_URL,
): Failure {
	const kind = statusFailureKind(statusCode);
	if (kind === 'redirected') {
		return {
			kind,
			statusCode,
			redirectHost: redirectTargetHost(headerValue(headers, 'location'), requestUrl),
		};
	}
	const retryAfterMs = retryAfterOf(headers);
	return {
		kind,
		statusCode,
		body: readVismaErrorBody(body, secrets),
		...(retryAfterMs === undefined ? {} : { retryAfterMs }),
	};
}

/**
 * Sends one call to Visma.net and returns its full response, trying again where that is safe.
 * Failures become a `VismaNetApiError` from `errors.ts`; one whose outcome is unknown says so
 * (`isOutcomeUnknown`), and the caller must look in Visma.net before sending anything again.
 */
export async function vismaNetRequest<T = unknown>(
	this: VismaNetContext,
	request: VismaNetRequest,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<VismaNetResponse<T>> {
	const node = this.getNode();
	const credentials = (await this.getCredentials(
		CREDENTIAL_TYPE,
		request.itemIndex,
	)) as IDataObject;
	const baseUrl = apiBaseUrl(credentials, node);
	const idempotent = request.idempotent ?? request.method === 'GET';
	const tenantId = request.tenantId ?? tenantOfContext(this);
	const tenant = needsTenantToken(credentials, tenantId, node) ? (tenantId as string) : undefined;
	let tenantToken: string | undefined;
	// The secrets an error text must not repeat: read again on a failure, as n8n may have
	// fetched a new token during the call.
	const secretsNow = async (): Promise<string[]> => {
		let latest: IDataObject = {};
		try {
			latest = (await this.getCredentials(CREDENTIAL_TYPE, request.itemIndex)) as IDataObject;
		} catch {
			// The first reading's secrets still apply.
		}
		return [
			...knownSecretsOf(credentials),
			...knownSecretsOf(latest),
			...(tenantToken ? [tenantToken] : []),
		];
	};
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		// Every status comes back as a response, except 401, which n8n needs to see as an error
		// to fetch a fresh token and try once more.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		timeout: policy.timeoutMs,
		headers: { Accept: 'application/json' },
		// A 3xx is an answer, never followed: the token and the journal stay with Visma.net.
		...NO_REDIRECTS,
		...(request.qs ? { qs: request.qs } : {}),
		...(request.body ? { body: request.body as IDataObject } : {}),
	};

	const attempt = async (): Promise<TryOutcome<VismaNetResponse<T>, Failure>> => {
		try {
			const response = (
				tenant === undefined
					? await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
							...options,
							headers: { ...options.headers },
						})
					: await tenantRequest(this, credentials, tenant, options, {
							operation: request.operation,
							itemIndex: request.itemIndex,
							timeoutMs: policy.timeoutMs,
						}).then((answer) => {
							tenantToken = answer.token;
							return answer;
						})
			) as { body: T; statusCode: number; headers: VismaNetResponse<T>['headers'] };
			if (response.statusCode >= 200 && response.statusCode < 300) {
				return {
					ok: true,
					value: {
						body: response.body,
						statusCode: response.statusCode,
						headers: response.headers ?? {},
					},
				};
			}
			return {
				ok: false,
				failure: failureFromStatus(
					response.statusCode,
					response.body,
					response.headers ?? {},
					await secretsNow(),
					options.url,
				),
			};
		} catch (error) {
			// A tenant's token refused or not obtained: nothing was sent to Visma.net; said as it is.
			throwIfTenantTokenError(error);
			const refused = credentialRefusedByN8n(error);
			if (refused) {
				// n8n's own word that the credential cannot be used (not connected, must reconnect).
				const secrets = await secretsNow();
				throw new NodeOperationError(
					node,
					serverText(refused.message, secrets) ?? 'The Visma.net credential cannot be used',
					{
						description: serverText(refused.description ?? undefined, secrets),
						...(request.itemIndex === undefined ? {} : { itemIndex: request.itemIndex }),
					},
				);
			}
			return { ok: false, failure: failureFromThrown(error, await secretsNow()) };
		}
	};
	return await withRetryPolicy({
		policy,
		idempotent,
		attempt,
		giveUp: (failure, attempts) =>
			toNodeApiError(node, failure, {
				operation: request.operation,
				method: request.method,
				path: request.path,
				itemIndex: request.itemIndex,
				attempts,
			}),
		wait: sleep,
	});
}

/**
 * Reads every page of a list. Visma.net puts `metadata.totalCount` on each returned DTO; on the
 * journal list it counts lines, not batches, so `countOf` says how much one DTO counts.
 *
 * The spec does not say how every list pages (`/v1/account` declares no paging at all), so the
 * list ends on whichever of these comes first:
 * - an empty page, or an empty answer (204, no body);
 * - the count (`metadata.totalCount`) reached;
 * - a short page: fewer than a full page, a full page being the size asked for capped at
 *   `metadata.maxPageSize`, or, without metadata, the largest page seen before (a first short page
 *   without metadata is confirmed by one more page: a server may cap the size silently);
 * - a page repeating the previous one (the server ignores `pageNumber`): it is not added again.
 *   A repeated page of exactly the size asked for is an error: the server may hold more than it
 *   shows. (A server that pages at a smaller size of its own, says nothing of it and ignores
 *   `pageNumber` cannot be told from an unpaged list: nothing could read it whole.)
 * A list that has not ended after `maxPages` pages is an error, never returned in part: a period
 * read short would miss batches, and a part already booked would be posted again.
 */
export async function vismaNetRequestAllPages<T extends { metadata?: PageMetadata | null }>(
	this: VismaNetContext,
	request: Omit<VismaNetRequest, 'method'> & {
		readonly pageSize?: number;
		readonly maxPages?: number;
	},
	countOf: (item: T) => number = () => 1,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T[]> {
	const pageSize = request.pageSize ?? 1000;
	const maxPages = request.maxPages ?? MAX_PAGES;
	const items: T[] = [];
	let counted = 0;
	let previous: unknown[] | undefined;
	let largestPage = 0;
	for (let pageNumber = 1; pageNumber <= maxPages; pageNumber++) {
		const { body } = await vismaNetRequest.call<
			VismaNetContext,
			[VismaNetRequest, RetryPolicy],
			Promise<VismaNetResponse<T[] | undefined>>
		>(this, { ...request, method: 'GET', qs: { ...request.qs, pageNumber, pageSize } }, policy);
		if (isEmptyAnswer(body)) return items;
		if (!Array.isArray(body)) {
			throw new VismaNetApiError(
				this.getNode(),
				{ message: 'Visma.net returned something other than a list', path: request.path },
				{
					message: `Visma.net answered ${request.operation} with something other than a list`,
					description: 'This is unexpected; check the API URL in the credential.',
				},
			);
		}
		if (body.length === 0) return items;
		let pageCount = 0;
		for (const item of body) pageCount += countOf(item);
		const metadata = body[0]?.metadata;
		const maxPageSize =
			typeof metadata?.maxPageSize === 'number' && metadata.maxPageSize > 0
				? metadata.maxPageSize
				: undefined;
		const fullPage =
			maxPageSize !== undefined
				? Math.min(pageSize, maxPageSize)
				: largestPage > 0
					? largestPage
					: undefined;
		if (previous !== undefined && samePage(previous, body)) {
			// Exactly the size asked for: the server may page and ignore the page number, holding more.
			if (pageCount === (maxPageSize !== undefined ? Math.min(pageSize, maxPageSize) : pageSize))
				throw unreadableList(this.getNode(), request, pageNumber);
			return items;
		}
		// One by one: `items.push(...body)` overflows the stack on a long page.
		for (const item of body) items.push(item);
		counted += pageCount;
		const totalCount = metadata?.totalCount;
		if (typeof totalCount === 'number' && counted >= totalCount) return items;
		if (fullPage !== undefined && pageCount < fullPage) return items;
		previous = body;
		largestPage = Math.max(largestPage, pageCount);
	}
	throw new VismaNetApiError(
		this.getNode(),
		{ message: `The list did not end within ${maxPages} pages`, path: request.path },
		{
			message: `Visma.net's answer to ${request.operation} did not end within ${maxPages} pages of ${pageSize}: more than ${maxPages} pages, so the list was not read whole`,
			description: `${PART_NEVER_USED} Check in Visma.net why the period holds so many lines, or ask the package maintainers to raise the limit.`,
			...(request.itemIndex === undefined ? {} : { itemIndex: request.itemIndex }),
		},
	);
}

const PART_NEVER_USED =
	'A list read in part is never used: nothing is decided or posted on it (a batch on a page not read could be posted a second time).';

/** No list at all: 204 No Content, or a 2xx with an empty body. */
function isEmptyAnswer(body: unknown): boolean {
	return (
		body === undefined ||
		body === null ||
		(typeof body === 'string' && body.trim() === '') ||
		(Buffer.isBuffer(body) && body.length === 0)
	);
}

/** The same items in the same order: the server answered the previous page again. */
function samePage(previous: readonly unknown[], page: readonly unknown[]): boolean {
	if (previous.length !== page.length) return false;
	for (let index = 0; index < page.length; index++) {
		if (JSON.stringify(previous[index]) !== JSON.stringify(page[index])) return false;
	}
	return true;
}

function unreadableList(
	node: INode,
	request: { path: string; operation: string; itemIndex?: number },
	pageNumber: number,
): VismaNetApiError {
	return new VismaNetApiError(
		node,
		{ message: 'The list repeated a full page', path: request.path },
		{
			message: `Visma.net gave the same page twice while ${request.operation} (page ${pageNumber} repeated page ${pageNumber - 1}, a full page): it ignores the page number, so the list cannot be read whole`,
			description: `${PART_NEVER_USED} Ask Visma.net support or the package maintainers: the endpoint ${request.path} does not page as documented.`,
			...(request.itemIndex === undefined ? {} : { itemIndex: request.itemIndex }),
		},
	);
}

/** A guard against a list that never ends (1,000 pages of 1,000 lines is a million lines). */
const MAX_PAGES = 1000;
