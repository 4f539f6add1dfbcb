import { createHash, randomBytes } from 'node:crypto';
import { startSandbox, type Sandbox } from '../../../sandboxes/visma-net/server';
import { call, SERVICE_SCOPES, serviceToken, tokenRequest } from './helpers';

const INTERACTIVE =
	'openid vismanet_erp_interactive_api:read vismanet_erp_interactive_api:create offline_access';
const REDIRECT = 'http://localhost:5678/rest/oauth2-credential/callback';

describe('sandbox: Visma Connect', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(() => sandbox.close());

	const clientCredentials = (extra: Record<string, string> = {}) => ({
		grant_type: 'client_credentials',
		client_id: sandbox.demo.clientId,
		client_secret: sandbox.demo.clientSecret,
		tenant_id: sandbox.demo.tenantId,
		scope: SERVICE_SCOPES,
		...extra,
	});

	it('gives a service token for client credentials in the body or as HTTP Basic', async () => {
		const inBody = await tokenRequest(sandbox, clientCredentials());
		expect(inBody.status).toBe(200);
		expect(inBody.body).toEqual({
			access_token: expect.any(String),
			token_type: 'Bearer',
			expires_in: 3600,
			scope: SERVICE_SCOPES,
		});
		const withoutSecret: Record<string, string> = clientCredentials();
		delete withoutSecret.client_id;
		delete withoutSecret.client_secret;
		const basic = await tokenRequest(sandbox, withoutSecret, [
			sandbox.demo.clientId,
			sandbox.demo.clientSecret,
		]);
		expect(basic.status).toBe(200);
		const accounts = await call(sandbox, 'GET', '/v1/account', {
			token: basic.body.access_token as string,
		});
		expect(accounts.status).toBe(200);
	});

	it('answers OAuth errors as IdentityServer does', async () => {
		const error = async (form: Record<string, string>, status: number, code: string) => {
			const response = await tokenRequest(sandbox, form);
			expect(response.status).toBe(status);
			expect(response.body).toEqual({ error: code, error_description: expect.any(String) });
		};
		await error(clientCredentials({ client_secret: 'wrong' }), 401, 'invalid_client');
		await error(clientCredentials({ client_id: 'nobody' }), 401, 'invalid_client');
		await error(clientCredentials({ grant_type: 'password' }), 400, 'unsupported_grant_type');
		await error(clientCredentials({ scope: 'openid' }), 400, 'invalid_scope');
		await error(
			clientCredentials({ scope: 'vismanet_erp_service_api:everything' }),
			400,
			'invalid_scope',
		);
		await error(clientCredentials({ tenant_id: '' }), 400, 'invalid_request');
		await error(clientCredentials({ tenant_id: 'not-a-tenant' }), 400, 'invalid_tenant');
		await error(
			{ ...clientCredentials(), client_id: 'sandbox-demo-public', client_secret: '' },
			400,
			'unauthorized_client',
		);
	});

	it('refuses a scope the application does not have in the Developer Portal (invalid_scope), for client credentials and at authorize', async () => {
		// sandbox-readonly-client has only the read scopes: the package's credential asks for read, create and update.
		const readonly = {
			client_id: 'sandbox-readonly-client',
			client_secret: 'sandbox-readonly-secret',
		};
		const refused = await tokenRequest(sandbox, clientCredentials(readonly));
		expect(refused.status).toBe(400);
		expect(refused.body).toEqual({
			error: 'invalid_scope',
			error_description:
				"The client is not allowed to request scope 'vismanet_erp_service_api:create'.",
		});
		const readOnly = await tokenRequest(
			sandbox,
			clientCredentials({ ...readonly, scope: 'vismanet_erp_service_api:read' }),
		);
		expect(readOnly.status).toBe(200);
		expect(
			(await call(sandbox, 'GET', '/v1/ledger', { token: readOnly.body.access_token as string }))
				.status,
		).toBe(200);
		// Without a scope list (the demo client) every known scope may be asked for.
		expect(
			(
				await tokenRequest(
					sandbox,
					clientCredentials({ scope: `${SERVICE_SCOPES} vismanet_erp_service_api:delete` }),
				)
			).status,
		).toBe(200);

		const authorize = (scope: string) =>
			fetch(
				`${sandbox.url}/connect/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'sandbox-readonly-client', redirect_uri: REDIRECT, scope, state: 's1', code_challenge: 'c'.repeat(43), code_challenge_method: 'S256' })}`,
				{ redirect: 'manual' },
			);
		const interactive = await authorize(
			'vismanet_erp_interactive_api:read vismanet_erp_interactive_api:update offline_access',
		);
		expect(interactive.status).toBe(302);
		const location = new URL(interactive.headers.get('location') as string);
		expect(location.searchParams.get('error')).toBe('invalid_scope');
		expect(location.searchParams.get('error_description')).toBe(
			"The client is not allowed to request scope 'vismanet_erp_interactive_api:update'.",
		);
		expect(location.searchParams.get('state')).toBe('s1');
		expect((await authorize('vismanet_erp_interactive_api:read offline_access')).status).toBe(200); // the consent page
	});

	it('answers 401 in the IPP envelope without a token, with an unknown token and with a customer-tenant token', async () => {
		const envelope = {
			ExceptionType: 'IPPException',
			ExceptionMessage: expect.any(String),
			ExceptionFaultCode: expect.any(String),
			ExceptionMessageID: expect.any(String),
			ExceptionDetails: expect.any(String),
		};
		const none = await call(sandbox, 'GET', '/v1/account');
		expect(none.status).toBe(401);
		expect(none.body).toEqual(envelope);
		expect((await call(sandbox, 'GET', '/v1/account', { token: 'made-up' })).status).toBe(401);
		const customerToken = await serviceToken(sandbox, sandbox.demo.customerTenantId);
		const customer = await call<Record<string, string>>(sandbox, 'GET', '/v1/account', {
			token: customerToken,
		});
		expect(customer.status).toBe(401);
		expect(customer.body).toEqual(envelope);
		expect(customer.body.ExceptionMessage).toContain('No license for this company');
	});

	it('needs the scope of the operation', async () => {
		const readOnly = await tokenRequest(
			sandbox,
			clientCredentials({ scope: 'vismanet_erp_service_api:read' }),
		);
		const response = await call(sandbox, 'POST', '/v2/journaltransaction', {
			token: readOnly.body.access_token as string,
			body: {},
		});
		expect(response.status).toBe(403);
	});

	it('expires tokens after expires_in and on demand', async () => {
		sandbox.configure({ tokenLifetimeSeconds: 60 });
		try {
			const token = await serviceToken(sandbox);
			expect((await call(sandbox, 'GET', '/v1/ledger', { token })).status).toBe(200);
			sandbox.advanceClock(61);
			expect((await call(sandbox, 'GET', '/v1/ledger', { token })).status).toBe(401);
		} finally {
			sandbox.configure({ tokenLifetimeSeconds: 3600 });
		}
		const token = await serviceToken(sandbox);
		expect(sandbox.expireTokens()).toBeGreaterThan(0);
		expect((await call(sandbox, 'GET', '/v1/ledger', { token })).status).toBe(401);
		const fresh = await serviceToken(sandbox);
		expect((await call(sandbox, 'GET', '/v1/ledger', { token: fresh })).status).toBe(200);
	});

	describe('authorization code with PKCE', () => {
		const verifier = randomBytes(32).toString('base64url');
		const challenge = createHash('sha256').update(verifier).digest('base64url');

		async function consent(
			params: Record<string, string>,
			decision = 'approve',
			tenantIndex = 1,
		): Promise<URL> {
			const page = await fetch(`${sandbox.url}/connect/authorize?${new URLSearchParams(params)}`);
			expect(page.status).toBe(200);
			const html = await page.text();
			expect(html).toContain('Bakkerij De Vries BV');
			expect(html).toContain('Installatiebedrijf Jansen BV');
			const requestId = html.match(/name="request_id" value="([^"]+)"/)?.[1] as string;
			const tenantId = sandbox.demo.companies[tenantIndex].tenantId;
			const answer = await fetch(`${sandbox.url}/connect/authorize/consent`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					request_id: requestId,
					tenant_id: tenantId,
					decision,
				}).toString(),
				redirect: 'manual',
			});
			expect(answer.status).toBe(302);
			return new URL(answer.headers.get('location') as string);
		}

		const authorizeParams = (extra: Record<string, string> = {}) => ({
			response_type: 'code',
			client_id: sandbox.demo.clientId,
			redirect_uri: REDIRECT,
			scope: INTERACTIVE,
			state: 'xyz-123',
			code_challenge: challenge,
			code_challenge_method: 'S256',
			...extra,
		});

		it('runs authorize, consent, redirect with code, token exchange and refresh end to end', async () => {
			const redirect = await consent(authorizeParams());
			expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
			expect(redirect.searchParams.get('state')).toBe('xyz-123');
			const code = redirect.searchParams.get('code') as string;
			const exchange = (extra: Record<string, string> = {}) =>
				tokenRequest(
					sandbox,
					{
						grant_type: 'authorization_code',
						code,
						redirect_uri: REDIRECT,
						code_verifier: verifier,
						...extra,
					},
					[sandbox.demo.clientId, sandbox.demo.clientSecret],
				);
			const tokens = await exchange();
			expect(tokens.status).toBe(200);
			expect(tokens.body).toMatchObject({
				token_type: 'Bearer',
				expires_in: 3600,
				refresh_token: expect.any(String),
				scope: INTERACTIVE,
			});
			// The token works on the chosen company (Jansen), whose numbering starts at 000500.
			const periods = await call<unknown[]>(sandbox, 'GET', '/v1/financialPeriod/202601', {
				token: tokens.body.access_token as string,
			});
			expect(periods.body).toMatchObject({ closedInGeneralLedger: true });
			expect((await exchange()).body).toMatchObject({ error: 'invalid_grant' }); // a code works once

			const refreshed = await tokenRequest(sandbox, {
				grant_type: 'refresh_token',
				refresh_token: tokens.body.refresh_token as string,
				client_id: sandbox.demo.clientId,
				client_secret: sandbox.demo.clientSecret,
			});
			expect(refreshed.status).toBe(200);
			expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token);
			sandbox.expireTokens();
			expect(
				(await call(sandbox, 'GET', '/v1/ledger', { token: tokens.body.access_token as string }))
					.status,
			).toBe(401);
			const again = await tokenRequest(
				sandbox,
				{ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token as string },
				[sandbox.demo.clientId, sandbox.demo.clientSecret],
			);
			expect(
				(await call(sandbox, 'GET', '/v1/ledger', { token: again.body.access_token as string }))
					.status,
			).toBe(200);
			const reused = await tokenRequest(
				sandbox,
				{ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token as string },
				[sandbox.demo.clientId, sandbox.demo.clientSecret],
			);
			expect(reused.body).toMatchObject({ error: 'invalid_grant' });
		});

		it('checks the verifier, the redirect URI and supports the plain method and public clients', async () => {
			const badVerifier = await consent(authorizeParams());
			const wrong = await tokenRequest(sandbox, {
				grant_type: 'authorization_code',
				code: badVerifier.searchParams.get('code') as string,
				redirect_uri: REDIRECT,
				code_verifier: 'x'.repeat(43),
				client_id: sandbox.demo.clientId,
				client_secret: sandbox.demo.clientSecret,
			});
			expect(wrong.body).toMatchObject({ error: 'invalid_grant' });

			const otherRedirect = await consent(authorizeParams());
			const mismatch = await tokenRequest(sandbox, {
				grant_type: 'authorization_code',
				code: otherRedirect.searchParams.get('code') as string,
				redirect_uri: 'http://elsewhere/cb',
				code_verifier: verifier,
				client_id: sandbox.demo.clientId,
				client_secret: sandbox.demo.clientSecret,
			});
			expect(mismatch.body).toMatchObject({ error: 'invalid_grant' });

			const plain = await consent(
				authorizeParams({
					client_id: 'sandbox-demo-public',
					code_challenge: verifier,
					code_challenge_method: 'plain',
					scope: 'vismanet_erp_interactive_api:read',
				}),
			);
			const publicTokens = await tokenRequest(sandbox, {
				grant_type: 'authorization_code',
				code: plain.searchParams.get('code') as string,
				redirect_uri: REDIRECT,
				code_verifier: verifier,
				client_id: 'sandbox-demo-public',
			});
			expect(publicTokens.status).toBe(200);
			expect(publicTokens.body.refresh_token).toBeUndefined(); // no offline_access asked

			const noPkce = await fetch(
				`${sandbox.url}/connect/authorize?${new URLSearchParams(authorizeParams({ client_id: 'sandbox-demo-public', code_challenge: '', code_challenge_method: '' }))}`,
				{ redirect: 'manual' },
			);
			expect(new URL(noPkce.headers.get('location') as string).searchParams.get('error')).toBe(
				'invalid_request',
			);
		});

		it('redirects with access_denied when the user denies, and refuses service scopes and unknown clients', async () => {
			const denied = await consent(authorizeParams(), 'deny');
			expect(denied.searchParams.get('error')).toBe('access_denied');
			expect(denied.searchParams.get('state')).toBe('xyz-123');
			const serviceScope = await fetch(
				`${sandbox.url}/connect/authorize?${new URLSearchParams(authorizeParams({ scope: 'vismanet_erp_service_api:read' }))}`,
				{ redirect: 'manual' },
			);
			expect(
				new URL(serviceScope.headers.get('location') as string).searchParams.get('error'),
			).toBe('invalid_scope');
			const unknown = await fetch(
				`${sandbox.url}/connect/authorize?${new URLSearchParams(authorizeParams({ client_id: 'nobody' }))}`,
			);
			expect(unknown.status).toBe(400);
		});
	});

	it('publishes an OpenID discovery document', async () => {
		const discovery = await call<Record<string, unknown>>(
			sandbox,
			'GET',
			'/.well-known/openid-configuration',
		);
		expect(discovery.body).toMatchObject({
			token_endpoint: `${sandbox.url}/connect/token`,
			authorization_endpoint: `${sandbox.url}/connect/authorize`,
		});
	});
});
