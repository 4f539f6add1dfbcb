/**
 * Tokens per Visma.net company (tenant) for one service integration (docs/visma-net-api.md §2.2):
 * n8n's OAuth2 machinery keeps one token per credential, for the credential's own tenant. A
 * credential whose Administrations map payroll companies to other tenants needs a token for each
 * of them; this module obtains them itself from the credential's client id and secret:
 *
 * - `POST <Visma Connect base>/connect/token`, `grant_type=client_credentials`, the service scopes
 *   the credential asks for, `tenant_id`; the client secret in a Basic header for a custom Connect
 *   URL and in the form for production (as the credential does); redirects are never followed;
 * - kept in this process's memory only, at most for the token's lifetime (`expires_in`, less a
 *   margin; a token without a lifetime is used for one request and not kept), under a key made
 *   from the token URL, client id, client secret, scopes and tenant, so that different
 *   credentials, secrets or tenants never share a token; never written anywhere;
 * - dropped and fetched again once when Visma.net answers 401;
 * - a request for tenant T always carries T's token: the token is looked up for the request's
 *   own tenant, every time.
 *
 * A tenant Visma Connect refuses (`invalid_tenant`: the company has not approved the integration)
 * is a clear error that says what the company's administrator must do; nothing is sent to
 * Visma.net. Every text from Visma Connect passes through the redaction (core/redact.ts).
 */
import { createHash } from 'node:crypto';

import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
} from 'n8n-workflow';

import { sameTenant } from '../core/administrations';
import { knownSecretsOf, serverText } from '../core/redact';
import { SERVICE_API_SCOPE, VISMA_CONNECT_PATHS, VISMA_CONNECT_URL } from '../core/vismaNetModel';
import { toNodeApiError, VismaNetApiError } from './errors';
import { NO_REDIRECTS } from './redirect';
import { networkCodeOf } from './retry';
import type { VismaNetContext } from './request';
import { checkCustomBaseUrl } from './customUrl';

/** A token is dropped this long before Visma Connect says it expires (at most a tenth of its lifetime). */
const EXPIRY_MARGIN_MS = 60_000;

/** At most this many tokens are kept (an office with hundreds of companies, several credentials). */
const MAX_CACHED = 2000;

const TOKEN_TIMEOUT_MS = 30_000;

interface CachedToken {
	readonly token: string;
	readonly expiresAt: number;
}

const cache = new Map<string, CachedToken>();
const inFlight = new Map<string, Promise<CachedToken>>();

/** The tenant a derived context works in (see `withTenant`). */
const TENANT = Symbol('vismaNetTenant');

/**
 * The node's context, working in Visma.net company tenant `tenantId`: every call made through it
 * (reference data, batches, posting, release) goes to that tenant. `undefined` is the credential's
 * own tenant (n8n's OAuth2 token), so the context is returned as it is.
 */
export function withTenant<T extends VismaNetContext>(context: T, tenantId: string | undefined): T {
	if (tenantId === undefined || tenantId.trim() === '') return context;
	return Object.create(context, { [TENANT]: { value: tenantId.trim(), enumerable: false } }) as T;
}

/** The tenant a context was made for by `withTenant`, if any. */
export function tenantOfContext(context: object): string | undefined {
	const value = (context as { [TENANT]?: unknown })[TENANT];
	return typeof value === 'string' ? value : undefined;
}

/**
 * Whether a call for `tenantId` needs a token of this module: a tenant other than the
 * credential's own. The interactive API has no such tokens (a user's token is bound to the
 * company the user picked): a call for another tenant through it is refused.
 */
export function needsTenantToken(
	credentials: IDataObject,
	tenantId: string | undefined,
	node: INode,
): boolean {
	if (tenantId === undefined || tenantId.trim() === '') return false;
	const own = typeof credentials.tenantId === 'string' ? credentials.tenantId : undefined;
	if (sameTenant(tenantId, own)) return false;
	if (credentials.grantType !== undefined && credentials.grantType !== 'clientCredentials') {
		throw new NodeOperationError(
			node,
			'A Visma.net credential for the Interactive API serves only the company its user signed in to',
			{
				description:
					'Administrations (one credential, several companies) need the Service API (client credentials). Use one credential per company with the Interactive API.',
			},
		);
	}
	return true;
}

function tokenUrlOf(credentials: IDataObject, node: INode): string {
	if (credentials.environment !== 'custom')
		return `${VISMA_CONNECT_URL}${VISMA_CONNECT_PATHS.token}`;
	const raw =
		typeof credentials.customConnectUrl === 'string' ? credentials.customConnectUrl.trim() : '';
	const checked = checkCustomBaseUrl(raw);
	if ('url' in checked) return `${checked.url}${VISMA_CONNECT_PATHS.token}`;
	throw new NodeOperationError(
		node,
		`The custom Connect URL in the Visma.net credential ${checked.problem}`,
		{ description: checked.detail },
	);
}

function cacheKey(tokenUrl: string, credentials: IDataObject, tenantId: string): string {
	// A hash: the key holds no secret in readable form; the fields are joined unambiguously.
	return createHash('sha256')
		.update(
			JSON.stringify([
				tokenUrl,
				String(credentials.clientId ?? ''),
				String(credentials.clientSecret ?? ''),
				SERVICE_API_SCOPE,
				tenantId.trim().toLowerCase(),
			]),
		)
		.digest('hex');
}

function remember(key: string, entry: CachedToken): void {
	if (cache.size >= MAX_CACHED) {
		const now = Date.now();
		for (const [other, cached] of cache) if (cached.expiresAt <= now) cache.delete(other);
		while (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
	}
	cache.set(key, entry);
}

/** Forgets every token (tests; a process that wants to start clean). */
export function clearTenantTokens(): void {
	cache.clear();
	inFlight.clear();
}

/** How many tokens are kept now (tests). */
export function cachedTenantTokenCount(): number {
	return cache.size;
}

export interface TenantCall {
	readonly operation: string;
	readonly itemIndex?: number;
	readonly timeoutMs?: number;
}

/** The seconds of `expires_in`, when it is a sensible number. */
function lifetimeMs(value: unknown): number | undefined {
	const seconds =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\d{1,9}$/.test(value.trim())
				? Number(value)
				: NaN;
	return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
	let data = body;
	if (Buffer.isBuffer(data)) data = data.toString('utf8');
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data.length > 100_000 ? '' : data);
		} catch {
			return undefined;
		}
	}
	return data && typeof data === 'object' && !Array.isArray(data)
		? (data as Record<string, unknown>)
		: undefined;
}

/** An error this module raised about a token: thrown on as it is (already said well), never retried by the transport. */
export function throwIfTenantTokenError(error: unknown): void {
	if (
		(error instanceof NodeApiError || error instanceof NodeOperationError) &&
		(error.context as Record<string, unknown>).vismaNetTenantToken === true
	)
		throw error;
}

function marked<E extends NodeApiError | NodeOperationError>(error: E): E {
	(error.context as Record<string, unknown>).vismaNetTenantToken = true;
	return error;
}

async function fetchToken(
	context: VismaNetContext,
	credentials: IDataObject,
	tenantId: string,
	tokenUrl: string,
	call: TenantCall,
): Promise<CachedToken> {
	const node = context.getNode();
	const secrets = knownSecretsOf(credentials);
	const clientId = String(credentials.clientId ?? '').trim();
	const clientSecret = String(credentials.clientSecret ?? '');
	const form = new URLSearchParams({
		grant_type: 'client_credentials',
		scope: SERVICE_API_SCOPE,
		tenant_id: tenantId,
	});
	const headers: Record<string, string> = {
		'Content-Type': 'application/x-www-form-urlencoded',
		Accept: 'application/json',
	};
	if (credentials.environment === 'custom') {
		// As the credential: a custom Connect URL gets client_secret_basic (see its `authentication` field).
		headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`, 'utf8').toString('base64')}`;
	} else {
		form.set('client_id', clientId);
		form.set('client_secret', clientSecret);
	}
	const operation = `obtaining a token for Visma.net company tenant ${tenantId} (${call.operation})`;
	const itemIndex = call.itemIndex === undefined ? {} : { itemIndex: call.itemIndex };
	let response: { body: unknown; statusCode: number };
	try {
		response = (await context.helpers.httpRequest({
			method: 'POST',
			url: tokenUrl,
			body: form.toString(),
			headers,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: call.timeoutMs ?? TOKEN_TIMEOUT_MS,
			...NO_REDIRECTS,
		} as IHttpRequestOptions)) as { body: unknown; statusCode: number };
	} catch (error) {
		const networkCode = networkCodeOf(error) ?? 'ECONNRESET';
		// The API call itself was not sent: whatever happened to the token request, nothing changed in Visma.net.
		throw marked(
			toNodeApiError(
				node,
				{ kind: 'notSent', networkCode },
				{ operation, method: 'POST', path: VISMA_CONNECT_PATHS.token, attempts: 1, ...itemIndex },
			),
		);
	}
	const body = parseBody(response.body);
	const accessToken = typeof body?.access_token === 'string' ? body.access_token.trim() : '';
	if (
		response.statusCode >= 200 &&
		response.statusCode < 300 &&
		accessToken !== '' &&
		accessToken.length <= 16_384
	) {
		const lifetime = lifetimeMs(body?.expires_in);
		const expiresAt =
			lifetime === undefined
				? 0
				: Date.now() + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 10);
		return { token: accessToken, expiresAt };
	}
	const oauthError =
		typeof body?.error === 'string' && /^[a-z_]{1,40}$/.test(body.error) ? body.error : undefined;
	if (oauthError === 'invalid_tenant') {
		const said = serverText(body?.error_description, secrets)?.replace(/[.\s]+$/, '');
		throw marked(
			new VismaNetApiError(
				node,
				{ error: oauthError, tenantId, status: response.statusCode },
				{
					message: `Visma Connect gives no token for Visma.net company tenant ${tenantId}: that company has not approved this integration (${oauthError})${said ? `: ${said}` : ''}. Nothing was sent to it.`,
					description: `The administrator of that Visma.net company must approve the integration (the application with client id ${clientId}) for the company in Visma.net, with the Visma.net ERP service API scopes; then run the workflow again. Also check that the tenant id in the credential's Administrations is the COMPANY tenant id of that company (Visma.net Admin → Company → Edit → Configuration → Tenant id), not the customer tenant id.`,
					httpCode: String(response.statusCode),
					...itemIndex,
				},
			),
		);
	}
	const failure = oauthError
		? {
				kind: 'credential' as const,
				oauthError,
				body: ((said) => (said ? { message: said } : {}))(
					serverText(body?.error_description, secrets),
				),
			}
		: { kind: 'credential' as const, tokenStatus: response.statusCode, body: {} };
	throw marked(
		toNodeApiError(node, failure, {
			operation,
			method: 'POST',
			path: VISMA_CONNECT_PATHS.token,
			attempts: 1,
			...itemIndex,
		}),
	);
}

/** The token of `tenantId` for this credential: kept while valid, else fetched (one fetch shared by concurrent callers). */
export async function tenantAccessToken(
	context: VismaNetContext,
	credentials: IDataObject,
	tenantId: string,
	call: TenantCall,
): Promise<string> {
	const tokenUrl = tokenUrlOf(credentials, context.getNode());
	const key = cacheKey(tokenUrl, credentials, tenantId);
	const cached = cache.get(key);
	if (cached && cached.expiresAt > Date.now()) return cached.token;
	if (cached) cache.delete(key);
	let pending = inFlight.get(key);
	if (!pending) {
		pending = fetchToken(context, credentials, tenantId.trim(), tokenUrl, call).finally(() =>
			inFlight.delete(key),
		);
		inFlight.set(key, pending);
	}
	const fetched = await pending;
	if (fetched.expiresAt > Date.now()) remember(key, fetched);
	return fetched.token;
}

/** Forgets `token` for this credential and tenant (Visma.net answered 401 with it). */
export function dropTenantToken(
	context: VismaNetContext,
	credentials: IDataObject,
	tenantId: string,
	token: string,
): void {
	const key = cacheKey(tokenUrlOf(credentials, context.getNode()), credentials, tenantId);
	if (cache.get(key)?.token === token) cache.delete(key);
}

export interface TenantResponse {
	readonly body: unknown;
	readonly statusCode: number;
	readonly headers: Readonly<Record<string, string | string[] | undefined>>;
	/** The token the (last) request carried: a secret that no error text may repeat. */
	readonly token: string;
}

/**
 * Sends one API call to Visma.net company tenant `tenantId` with that tenant's token. A 401 drops
 * the token and the call is sent once more with a fresh one (a 401 means the call was not carried
 * out, so this holds for a journal POST too). Every status comes back as a response.
 */
export async function tenantRequest(
	context: VismaNetContext,
	credentials: IDataObject,
	tenantId: string,
	options: IHttpRequestOptions,
	call: TenantCall,
): Promise<TenantResponse> {
	for (let attempt = 1; ; attempt++) {
		const token = await tenantAccessToken(context, credentials, tenantId, call);
		const response = (await context.helpers.httpRequest({
			...options,
			headers: { ...options.headers, Authorization: `Bearer ${token}` },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			...NO_REDIRECTS,
		})) as { body: unknown; statusCode: number; headers?: TenantResponse['headers'] };
		if (response.statusCode === 401 && attempt === 1) {
			dropTenantToken(context, credentials, tenantId, token);
			continue;
		}
		return {
			body: response.body,
			statusCode: response.statusCode,
			headers: response.headers ?? {},
			token,
		};
	}
}
