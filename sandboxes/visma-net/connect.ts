/**
 * Visma Connect, the OAuth 2 server in front of Visma.net (docs/visma-net-api.md §2): client
 * credentials with `tenant_id` for the Service API, authorization code with PKCE and refresh
 * tokens for the Interactive API, and the bearer-token check every API call makes.
 * Errors follow RFC 6749 as IdentityServer (which Visma Connect runs on) writes them.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from './clock';
import { ippException } from './errors';
import { escapeHtml, html, HttpError, json, redirect, type SandboxResponse } from './http';
import type { ClientData, CompanyData, SandboxData } from './types';

export const SERVICE_SCOPE_PREFIX = 'vismanet_erp_service_api:';
export const INTERACTIVE_SCOPE_PREFIX = 'vismanet_erp_interactive_api:';
const API_SCOPES = ['read', 'create', 'update', 'delete'] as const;
export type ApiPermission = (typeof API_SCOPES)[number];
const KNOWN_SCOPES = new Set([
	...API_SCOPES.map((s) => SERVICE_SCOPE_PREFIX + s),
	...API_SCOPES.map((s) => INTERACTIVE_SCOPE_PREFIX + s),
	`${INTERACTIVE_SCOPE_PREFIX}ui-extension`,
	'openid',
	'profile',
	'email',
	'offline_access',
]);
const CODE_LIFETIME_SECONDS = 300;
const REFRESH_LIFETIME_SECONDS = 30 * 86_400;

export interface AccessToken {
	value: string;
	clientId: string;
	tenantId: string;
	scopes: string[];
	expiresAt: number;
}

interface AuthorizationRequest {
	clientId: string;
	redirectUri: string;
	scopes: string[];
	state?: string;
	codeChallenge?: string;
	codeChallengeMethod?: 'S256' | 'plain';
}

interface AuthorizationCode extends AuthorizationRequest {
	tenantId: string;
	expiresAt: number;
}

interface RefreshToken {
	clientId: string;
	tenantId: string;
	scopes: string[];
	expiresAt: number;
}

function oauthError(status: number, error: string, description: string): HttpError {
	return new HttpError(
		json(
			status,
			{ error, error_description: description },
			{ 'Cache-Control': 'no-store', Pragma: 'no-cache' },
		),
	);
}

function randomToken(bytes = 32): string {
	return randomBytes(bytes).toString('base64url');
}

function sameText(a: string, b: string): boolean {
	const left = Buffer.from(a);
	const right = Buffer.from(b);
	return left.length === right.length && timingSafeEqual(left, right);
}

function appendQuery(uri: string, params: Record<string, string | undefined>): string {
	const url = new URL(uri);
	for (const [key, value] of Object.entries(params))
		if (value !== undefined) url.searchParams.set(key, value);
	return url.toString();
}

export class VismaConnect {
	private accessTokens = new Map<string, AccessToken>();
	private refreshTokens = new Map<string, RefreshToken>();
	private codes = new Map<string, AuthorizationCode>();
	private pending = new Map<string, AuthorizationRequest>();

	constructor(
		private readonly data: SandboxData,
		private readonly clock: Clock,
		public tokenLifetimeSeconds: number,
	) {}

	// -- token endpoint -------------------------------------------------------------------------

	token(form: Record<string, string>, headers: IncomingHttpHeaders): SandboxResponse {
		if (!String(headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
			throw oauthError(
				400,
				'invalid_request',
				'The token request must be application/x-www-form-urlencoded.',
			);
		}
		const grantType = form.grant_type;
		if (!grantType) throw oauthError(400, 'invalid_request', 'grant_type is missing.');
		if (!['client_credentials', 'authorization_code', 'refresh_token'].includes(grantType)) {
			throw oauthError(
				400,
				'unsupported_grant_type',
				`Grant type '${grantType}' is not supported.`,
			);
		}
		const client = this.authenticateClient(form, headers, grantType === 'client_credentials');
		if (grantType === 'client_credentials') return this.clientCredentials(client, form);
		if (grantType === 'authorization_code') return this.authorizationCode(client, form);
		return this.refresh(client, form);
	}

	private authenticateClient(
		form: Record<string, string>,
		headers: IncomingHttpHeaders,
		secretRequired: boolean,
	): ClientData {
		let clientId = form.client_id;
		let secret: string | undefined = form.client_secret;
		const authorization = headers.authorization;
		if (authorization?.startsWith('Basic ')) {
			const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
			clientId = decode(colon < 0 ? decoded : decoded.slice(0, colon));
			secret = colon < 0 ? undefined : decode(decoded.slice(colon + 1));
		}
		if (!clientId) throw oauthError(401, 'invalid_client', 'No client credentials were given.');
		const client = this.data.clients.find((c) => c.clientId === clientId);
		if (!client)
			throw oauthError(401, 'invalid_client', 'Unknown client or invalid client credentials.');
		if (client.clientSecret === undefined) {
			if (secretRequired)
				throw oauthError(400, 'unauthorized_client', 'A public client cannot use this grant type.');
			return client;
		}
		if (!secret || !sameText(secret, client.clientSecret))
			throw oauthError(401, 'invalid_client', 'Unknown client or invalid client credentials.');
		return client;
	}

	private parseScopes(scope: string | undefined): string[] {
		const scopes = (scope ?? '').split(/\s+/).filter(Boolean);
		const unknown = scopes.find((s) => !KNOWN_SCOPES.has(s));
		if (unknown)
			throw oauthError(400, 'invalid_scope', `Scope '${unknown}' is not allowed for this client.`);
		return [...new Set(scopes)];
	}

	/** A scope the application does not have in the Developer Portal (IdentityServer: invalid_scope). */
	private scopeNotAllowed(client: ClientData, scopes: string[]): string | undefined {
		return client.scopes ? scopes.find((s) => !client.scopes!.includes(s)) : undefined;
	}

	private clientCredentials(client: ClientData, form: Record<string, string>): SandboxResponse {
		const scopes = this.parseScopes(form.scope);
		const notAllowed = this.scopeNotAllowed(client, scopes);
		if (notAllowed)
			throw oauthError(
				400,
				'invalid_scope',
				`The client is not allowed to request scope '${notAllowed}'.`,
			);
		if (!scopes.some((s) => s.startsWith(SERVICE_SCOPE_PREFIX))) {
			throw oauthError(
				400,
				'invalid_scope',
				`Request at least one ${SERVICE_SCOPE_PREFIX}* scope.`,
			);
		}
		const userScope = scopes.find((s) => !s.startsWith(SERVICE_SCOPE_PREFIX));
		if (userScope)
			throw oauthError(
				400,
				'invalid_scope',
				`Scope '${userScope}' is not allowed with client_credentials.`,
			);
		const tenantId = form.tenant_id;
		if (!tenantId)
			throw oauthError(400, 'invalid_request', 'tenant_id is missing: give the company tenant id.');
		if (!this.isKnownTenant(tenantId) || (client.tenants && !client.tenants.includes(tenantId))) {
			throw oauthError(
				400,
				'invalid_tenant',
				`The client is not authorised for tenant '${tenantId}'.`,
			);
		}
		return this.tokenResponse(this.issueAccessToken(client.clientId, tenantId, scopes));
	}

	private authorizationCode(client: ClientData, form: Record<string, string>): SandboxResponse {
		const code = form.code ? this.codes.get(form.code) : undefined;
		if (!code || code.clientId !== client.clientId || code.expiresAt <= this.clock.now()) {
			throw oauthError(
				400,
				'invalid_grant',
				'The authorization code is invalid, expired or already used.',
			);
		}
		this.codes.delete(form.code);
		if (form.redirect_uri !== code.redirectUri)
			throw oauthError(
				400,
				'invalid_grant',
				'redirect_uri does not match the authorization request.',
			);
		const verifier = form.code_verifier;
		if (code.codeChallenge) {
			if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
				throw oauthError(400, 'invalid_grant', 'A valid code_verifier is required.');
			const computed =
				code.codeChallengeMethod === 'S256'
					? createHash('sha256').update(verifier).digest('base64url')
					: verifier;
			if (!sameText(computed, code.codeChallenge))
				throw oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge.');
		} else if (verifier) {
			throw oauthError(
				400,
				'invalid_grant',
				'code_verifier was given but the authorization request had no code_challenge.',
			);
		}
		return this.tokenResponse(
			this.issueAccessToken(client.clientId, code.tenantId, code.scopes),
			this.issueRefreshToken(client.clientId, code.tenantId, code.scopes),
		);
	}

	private refresh(client: ClientData, form: Record<string, string>): SandboxResponse {
		const refreshToken = form.refresh_token
			? this.refreshTokens.get(form.refresh_token)
			: undefined;
		if (
			!refreshToken ||
			refreshToken.clientId !== client.clientId ||
			refreshToken.expiresAt <= this.clock.now()
		) {
			throw oauthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
		}
		this.refreshTokens.delete(form.refresh_token);
		const { tenantId, scopes } = refreshToken;
		return this.tokenResponse(
			this.issueAccessToken(client.clientId, tenantId, scopes),
			this.issueRefreshToken(client.clientId, tenantId, scopes),
		);
	}

	private tokenResponse(token: AccessToken, refreshToken?: string): SandboxResponse {
		return json(
			200,
			{
				access_token: token.value,
				expires_in: Math.max(0, Math.round((token.expiresAt - this.clock.now()) / 1000)),
				token_type: 'Bearer',
				...(refreshToken && { refresh_token: refreshToken }),
				scope: token.scopes.join(' '),
			},
			{ 'Cache-Control': 'no-store', Pragma: 'no-cache' },
		);
	}

	/** A token as the token endpoint would give it; also the programmatic shortcut for tests. */
	issueAccessToken(clientId: string, tenantId: string, scopes: string[]): AccessToken {
		const token: AccessToken = {
			value: randomToken(),
			clientId,
			tenantId,
			scopes,
			expiresAt: this.clock.now() + this.tokenLifetimeSeconds * 1000,
		};
		this.accessTokens.set(token.value, token);
		return token;
	}

	private issueRefreshToken(
		clientId: string,
		tenantId: string,
		scopes: string[],
	): string | undefined {
		if (!scopes.includes('offline_access')) return undefined;
		const value = randomToken();
		this.refreshTokens.set(value, {
			clientId,
			tenantId,
			scopes,
			expiresAt: this.clock.now() + REFRESH_LIFETIME_SECONDS * 1000,
		});
		return value;
	}

	private isKnownTenant(tenantId: string): boolean {
		return (
			this.data.companies.some((c) => c.tenantId === tenantId) ||
			this.data.customerTenants.some((c) => c.tenantId === tenantId)
		);
	}

	// -- authorize endpoint and consent page ----------------------------------------------------

	authorize(query: URLSearchParams): SandboxResponse {
		const client = this.data.clients.find((c) => c.clientId === query.get('client_id'));
		if (!client) return errorPage('Unknown client_id.');
		const redirectUri = query.get('redirect_uri') ?? '';
		if (!this.redirectAllowed(client, redirectUri))
			return errorPage('redirect_uri is missing or not registered for this client.');
		const state = query.get('state') ?? undefined;
		const fail = (error: string, description: string) =>
			redirect(appendQuery(redirectUri, { error, error_description: description, state }));
		if (query.get('response_type') !== 'code')
			return fail('unsupported_response_type', 'Only response_type=code is supported.');
		let scopes: string[];
		try {
			scopes = this.parseScopes(query.get('scope') ?? undefined);
		} catch {
			return fail('invalid_scope', 'The scope contains an unknown scope.');
		}
		if (!scopes.some((s) => s.startsWith(INTERACTIVE_SCOPE_PREFIX)))
			return fail('invalid_scope', `Request at least one ${INTERACTIVE_SCOPE_PREFIX}* scope.`);
		if (scopes.some((s) => s.startsWith(SERVICE_SCOPE_PREFIX)))
			return fail('invalid_scope', 'Service API scopes need the client_credentials grant.');
		const notAllowed = this.scopeNotAllowed(client, scopes);
		if (notAllowed)
			return fail('invalid_scope', `The client is not allowed to request scope '${notAllowed}'.`);
		const codeChallenge = query.get('code_challenge') ?? undefined;
		const method = query.get('code_challenge_method') ?? (codeChallenge ? 'plain' : undefined);
		if (method !== undefined && method !== 'S256' && method !== 'plain')
			return fail('invalid_request', 'code_challenge_method must be S256 or plain.');
		if (method && !codeChallenge) return fail('invalid_request', 'code_challenge is missing.');
		if (!codeChallenge && client.clientSecret === undefined)
			return fail('invalid_request', 'A public client must use PKCE (code_challenge).');
		const requestId = randomToken(16);
		this.pending.set(requestId, {
			clientId: client.clientId,
			redirectUri,
			scopes,
			state,
			codeChallenge,
			codeChallengeMethod: method,
		});
		return html(200, consentPage(requestId, client.clientId, scopes, this.data.companies));
	}

	consent(form: Record<string, string>): SandboxResponse {
		const request = this.pending.get(form.request_id ?? '');
		if (!request)
			return errorPage(
				'This sign-in request is unknown or was already answered. Start again from the application.',
			);
		this.pending.delete(form.request_id);
		if (form.decision !== 'approve') {
			return redirect(
				appendQuery(request.redirectUri, {
					error: 'access_denied',
					error_description: 'The user denied access.',
					state: request.state,
				}),
			);
		}
		const company = this.data.companies.find((c) => c.tenantId === form.tenant_id);
		if (!company) return errorPage('Choose one of the listed companies.');
		const code = randomToken();
		this.codes.set(code, {
			...request,
			tenantId: company.tenantId,
			expiresAt: this.clock.now() + CODE_LIFETIME_SECONDS * 1000,
		});
		return redirect(
			appendQuery(request.redirectUri, {
				code,
				scope: request.scopes.join(' '),
				state: request.state,
			}),
		);
	}

	private redirectAllowed(client: ClientData, uri: string): boolean {
		if (client.redirectUris && client.redirectUris.length > 0)
			return client.redirectUris.includes(uri);
		try {
			return ['http:', 'https:'].includes(new URL(uri).protocol);
		} catch {
			return false;
		}
	}

	discovery(baseUrl: string): SandboxResponse {
		return json(200, {
			issuer: baseUrl,
			authorization_endpoint: `${baseUrl}/connect/authorize`,
			token_endpoint: `${baseUrl}/connect/token`,
			scopes_supported: [...KNOWN_SCOPES],
			response_types_supported: ['code'],
			grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
			code_challenge_methods_supported: ['plain', 'S256'],
			token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
		});
	}

	// -- bearer check for the API ---------------------------------------------------------------

	/**
	 * The token of an API call; 401 when it is missing, unknown or expired, or was issued for a
	 * customer tenant; 403 when it lacks the scope the operation needs.
	 */
	authenticate(authorization: string | undefined, permission: ApiPermission): AccessToken {
		const value = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
		const token = value ? this.accessTokens.get(value) : undefined;
		if (!token || token.expiresAt <= this.clock.now()) {
			throw new HttpError(
				ippException(
					401,
					'Authorization has been denied for this request: the access token is missing, invalid or expired.',
					'12001',
				),
			);
		}
		if (!this.data.companies.some((c) => c.tenantId === token.tenantId)) {
			throw new HttpError(
				ippException(
					401,
					'No license for this company. The token was issued for a tenant that is not a company (a customer tenant id?).',
					'12027',
				),
			);
		}
		const allowed = [SERVICE_SCOPE_PREFIX + permission, INTERACTIVE_SCOPE_PREFIX + permission];
		if (!token.scopes.some((s) => allowed.includes(s))) {
			throw new HttpError(
				ippException(
					403,
					`The access token lacks the scope ${allowed.join(' or ')} this operation needs.`,
					'12003',
				),
			);
		}
		return token;
	}

	/** The access token of an Authorization header, if it is one this server issued (valid or not). */
	peek(authorization: string | undefined): AccessToken | undefined {
		const value = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
		return value ? this.accessTokens.get(value) : undefined;
	}

	/** Every access token expires now (refresh tokens stay valid). */
	expireAll(): number {
		const now = this.clock.now();
		for (const token of this.accessTokens.values())
			token.expiresAt = Math.min(token.expiresAt, now);
		return this.accessTokens.size;
	}

	reset(): void {
		this.accessTokens.clear();
		this.refreshTokens.clear();
		this.codes.clear();
		this.pending.clear();
	}
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.4rem 0}button{margin:1rem .5rem 0 0;padding:.5rem 1rem}.note{color:#666;font-size:.9rem}</style>
</head><body>${body}</body></html>`;
}

function errorPage(message: string): SandboxResponse {
	return html(
		400,
		page(
			'Visma Connect (sandbox): error',
			`<h1>Sign-in failed</h1><p id="error">${escapeHtml(message)}</p>`,
		),
	);
}

function consentPage(
	requestId: string,
	clientId: string,
	scopes: string[],
	companies: CompanyData[],
): string {
	const options = companies
		.map(
			(c, i) =>
				`<label><input type="radio" name="tenant_id" value="${escapeHtml(c.tenantId)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(c.name)} <span class="note">(${escapeHtml(c.tenantId)})</span></label>`,
		)
		.join('\n');
	return page(
		'Visma Connect (sandbox): consent',
		`<h1>Visma.net sandbox</h1>
<p>The application <strong>${escapeHtml(clientId)}</strong> asks for: <code>${escapeHtml(scopes.join(' '))}</code></p>
<form method="post" action="/connect/authorize/consent">
<input type="hidden" name="request_id" value="${escapeHtml(requestId)}">
<fieldset><legend>Company</legend>
${options}
</fieldset>
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p class="note">Local sandbox: no password is asked. Signed in as the demo user with the API User role on every company.</p>`,
	);
}
