/**
 * Tokens per tenant (nodes/transport/tenantTokens.ts) against the Visma.net sandbox, whose Visma
 * Connect issues a token per tenant and whose API serves the company of the token's tenant (its
 * request log names the tenant of every call). The credential's own tenant keeps n8n's OAuth2
 * path (`httpRequestWithAuthentication`); any other tenant gets its own token from the package.
 */
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import nock from 'nock';
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import {
	listLedgers,
	vismaNetRequest,
	withTenant,
	clearTenantTokens,
} from '../../../nodes/transport';
import { cachedTenantTokenCount } from '../../../nodes/transport/tenantTokens';
import { startSandbox, type Sandbox } from '../../../sandboxes/visma-net/server';
import { TEST_NODE } from '../../helpers/requestContext';
import { useNoNetwork } from '../../helpers/noNetwork';

const BAKKERIJ = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e01';
const JANSEN = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e02';
const BAKKER = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e03';

interface Sent {
	via: 'n8n' | 'package';
	method: string;
	url: string;
	authorization?: string;
	body?: unknown;
}

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	clearTenantTokens();
	sandbox.reset({ tokens: true });
	sandbox.clearRequests();
});

function credentialsFor(overrides: IDataObject = {}): IDataObject {
	return {
		grantType: 'clientCredentials',
		environment: 'custom',
		customApiUrl: sandbox.url,
		customConnectUrl: sandbox.url,
		clientId: 'sandbox-demo-client',
		clientSecret: 'sandbox-demo-secret',
		tenantId: BAKKERIJ,
		...overrides,
	};
}

/** A node context: n8n's OAuth2 path signs with a token of the credential's own tenant; `httpRequest` is n8n's plain client. */
function contextFor(credentials: IDataObject) {
	const sent: Sent[] = [];
	const http = Container.get(OutboundHttp).requests();
	const ownToken = sandbox.issueToken({
		tenantId: String(credentials.tenantId),
		clientId: String(credentials.clientId),
	});
	const context = {
		getNode: () => TEST_NODE,
		getCredentials: async () => credentials,
		helpers: {
			async httpRequest(options: IHttpRequestOptions) {
				const headers = (options.headers ?? {}) as Record<string, string>;
				sent.push({
					via: 'package',
					method: String(options.method),
					url: String(options.url),
					authorization: headers.Authorization,
					body: options.body,
				});
				return await http.request(options);
			},
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				const signed = {
					...options,
					headers: { ...options.headers, Authorization: `Bearer ${ownToken}` },
				};
				sent.push({
					via: 'n8n',
					method: String(options.method),
					url: String(options.url),
					authorization: signed.headers.Authorization,
				});
				try {
					return await http.request(signed);
				} catch (error) {
					throw new NodeApiError(TEST_NODE, error as JsonObject);
				}
			},
		},
	};
	return { context: context as unknown as IExecuteFunctions, sent, ownToken };
}

const apiCalls = () => sandbox.requests().filter((entry) => !entry.path.startsWith('/connect/'));
const tokenRequests = () => sandbox.requests().filter((entry) => entry.path === '/connect/token');

describe('tokens per tenant', () => {
	it("a call for tenant T carries T's token, every time: interleaved calls never read one company with another's token", async () => {
		const { context, sent, ownToken } = contextFor(credentialsFor());
		const order = [BAKKERIJ, JANSEN, BAKKER, JANSEN, BAKKERIJ, BAKKER, JANSEN];
		for (const tenant of order) await listLedgers.call(withTenant(context, tenant));
		// The sandbox serves the company of the token's tenant: each call reached the tenant it was for.
		expect(apiCalls().map((entry) => [entry.path, entry.tenantId, entry.status])).toEqual(
			order.map((tenant) => ['/v1/ledger', tenant, 200]),
		);
		// The credential's own tenant went through n8n's OAuth2 path, with n8n's token; the others with their own.
		const calls = sent.filter((entry) => entry.url.endsWith('/v1/ledger'));
		expect(calls.map((entry) => entry.via)).toEqual(
			order.map((tenant) => (tenant === BAKKERIJ ? 'n8n' : 'package')),
		);
		const tokenOf = new Map<string, Set<string>>();
		calls.forEach((entry, index) =>
			tokenOf.set(
				order[index],
				new Set([...(tokenOf.get(order[index]) ?? []), String(entry.authorization)]),
			),
		);
		expect([...tokenOf.values()].map((tokens) => tokens.size)).toEqual([1, 1, 1]);
		const [bakkerij, jansen, bakker] = [BAKKERIJ, JANSEN, BAKKER].map(
			(tenant) => [...(tokenOf.get(tenant) as Set<string>)][0],
		);
		expect(bakkerij).toBe(`Bearer ${ownToken}`);
		expect(new Set([bakkerij, jansen, bakker]).size).toBe(3);
		// One token request per other tenant, each for its own tenant, with the service scopes, never for the own tenant.
		const forms = sent
			.filter((entry) => entry.url.endsWith('/connect/token'))
			.map((entry) => new URLSearchParams(String(entry.body)));
		expect(forms.map((form) => form.get('tenant_id'))).toEqual([JANSEN, BAKKER]);
		expect(
			forms.every(
				(form) =>
					form.get('grant_type') === 'client_credentials' &&
					/vismanet_erp_service_api:create/.test(String(form.get('scope'))),
			),
		).toBe(true);
		// A custom Connect URL: the secret travels in a Basic header, not in the form.
		expect(forms.every((form) => !form.has('client_secret'))).toBe(true);
		expect(tokenRequests().map((entry) => entry.status)).toEqual([200, 200]);
	});

	it("an explicit tenantId on the request wins; the credential's own tenant (in any case) keeps n8n's OAuth2 path", async () => {
		const { context, sent } = contextFor(credentialsFor());
		await vismaNetRequest.call(context, {
			method: 'GET',
			path: '/v1/ledger',
			operation: 'reading the ledgers',
			tenantId: BAKKER,
		});
		await vismaNetRequest.call(withTenant(context, BAKKERIJ.toUpperCase()), {
			method: 'GET',
			path: '/v1/ledger',
			operation: 'reading the ledgers',
		});
		expect(apiCalls().map((entry) => entry.tenantId)).toEqual([BAKKER, BAKKERIJ]);
		expect(
			sent.filter((entry) => entry.url.endsWith('/v1/ledger')).map((entry) => entry.via),
		).toEqual(['package', 'n8n']);
	});

	it('a token is kept for its lifetime only, then fetched again (no 401 needed)', async () => {
		const { context } = contextFor(credentialsFor());
		const start = Date.now();
		const now = jest.spyOn(Date, 'now').mockReturnValue(start);
		try {
			await listLedgers.call(withTenant(context, JANSEN));
			await listLedgers.call(withTenant(context, JANSEN));
			expect(tokenRequests()).toHaveLength(1);
			expect(cachedTenantTokenCount()).toBe(1);
			// The sandbox's tokens live 3600 s; the package drops them a minute early.
			now.mockReturnValue(start + 3_541_000);
			await listLedgers.call(withTenant(context, JANSEN));
			expect(tokenRequests()).toHaveLength(2);
		} finally {
			now.mockRestore();
		}
	});

	it('a token that expired early (401) is dropped and fetched again once; the call then succeeds', async () => {
		const { context, sent } = contextFor(credentialsFor());
		await listLedgers.call(withTenant(context, JANSEN));
		sandbox.expireTokens();
		await listLedgers.call(withTenant(context, JANSEN));
		expect(apiCalls().map((entry) => entry.status)).toEqual([200, 401, 200]);
		expect(tokenRequests()).toHaveLength(2);
		const authorizations = sent
			.filter((entry) => entry.url.endsWith('/v1/ledger'))
			.map((entry) => entry.authorization);
		expect(authorizations[1]).toBe(authorizations[0]);
		expect(authorizations[2]).not.toBe(authorizations[1]);
	});

	it('a 401 that persists is an error after one new token, and repeats neither token nor secret', async () => {
		const { context } = contextFor(credentialsFor());
		// A customer tenant: Visma Connect gives a token, the API answers 401 with it.
		const error = await vismaNetRequest
			.call(withTenant(context, '7e0c9a13-2d4b-4f6a-8b1c-0a9b8c7d6f00'), {
				method: 'GET',
				path: '/v1/ledger',
				operation: 'reading the ledgers',
			})
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/401/);
		expect(apiCalls().map((entry) => entry.status)).toEqual([401, 401]);
		expect(tokenRequests()).toHaveLength(2);
		expect(
			JSON.stringify({
				message: (error as NodeApiError).message,
				description: (error as NodeApiError).description,
			}),
		).not.toMatch(/sandbox-demo-secret/);
	});

	it('different credentials, secrets or tenants never share a token', async () => {
		const first = contextFor(credentialsFor());
		const other = contextFor(
			credentialsFor({ clientId: 'sandbox-office-client', clientSecret: 'sandbox-office-secret' }),
		);
		await listLedgers.call(withTenant(first.context, JANSEN));
		await listLedgers.call(withTenant(other.context, JANSEN));
		await listLedgers.call(withTenant(first.context, JANSEN));
		expect(tokenRequests()).toHaveLength(2);
		expect(apiCalls().map((entry) => [entry.tenantId, entry.clientId])).toEqual([
			[JANSEN, 'sandbox-demo-client'],
			[JANSEN, 'sandbox-office-client'],
			[JANSEN, 'sandbox-demo-client'],
		]);
		// A wrong secret for the same client id: its own token request, refused, nothing sent to the API.
		const wrong = contextFor(credentialsFor({ clientSecret: 'not-the-secret-xyz' }));
		const error = await listLedgers
			.call(withTenant(wrong.context, JANSEN))
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(
			/Visma Connect refused the credential[\s\S]*invalid_client/,
		);
		expect(
			JSON.stringify([(error as NodeApiError).message, (error as NodeApiError).description]),
		).not.toMatch(/not-the-secret-xyz/);
		expect(apiCalls()).toHaveLength(3);
	});

	it('a company that has not approved the integration: a clear error saying what its administrator must do; nothing sent to the API', async () => {
		const { context } = contextFor(
			credentialsFor({ clientId: 'sandbox-office-client', clientSecret: 'sandbox-office-secret' }),
		);
		const error = await listLedgers
			.call(withTenant(context, BAKKER))
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(
			new RegExp(
				`^Visma Connect gives no token for Visma\\.net company tenant ${BAKKER}: that company has not approved this integration \\(invalid_tenant\\)[\\s\\S]*Nothing was sent to it\\.$`,
			),
		);
		expect((error as NodeApiError).description).toMatch(
			/administrator of that Visma\.net company must approve the integration \(the application with client id sandbox-office-client\)[\s\S]*COMPANY tenant id/,
		);
		expect(
			JSON.stringify([(error as NodeApiError).message, (error as NodeApiError).description]),
		).not.toMatch(/sandbox-office-secret/);
		expect(tokenRequests().map((entry) => entry.status)).toEqual([400]);
		expect(apiCalls()).toEqual([]);
	});

	it('the interactive API cannot serve another tenant (a user token is bound to one company)', async () => {
		const { context } = contextFor(credentialsFor({ grantType: 'pkce' }));
		await expect(listLedgers.call(withTenant(context, JANSEN))).rejects.toThrow(
			/Interactive API serves only the company its user signed in to/,
		);
		expect(sandbox.requests()).toEqual([]);
	});
});

describe('tokens per tenant: redirects and secrets (production URLs, nock)', () => {
	useNoNetwork();

	/** A client-credentials context against production (Bakkerij's tenant), secret office-secret-1234567. */
	function productionContext() {
		const credentials = {
			grantType: 'clientCredentials',
			environment: 'production',
			clientId: 'office-client',
			clientSecret: 'office-secret-1234567',
			tenantId: BAKKERIJ,
		};
		const { context } = contextFor({ ...credentials, clientId: 'sandbox-demo-client' });
		(context as unknown as { getCredentials: () => Promise<IDataObject> }).getCredentials =
			async () => credentials;
		return context;
	}

	it('a redirecting token endpoint is not followed: the secret does not go there, and the error repeats no secret', async () => {
		const context = productionContext();
		const token = nock('https://connect.visma.com')
			.post(
				'/connect/token',
				(body: Record<string, string>) =>
					body.tenant_id === JANSEN && body.client_secret === 'office-secret-1234567',
			)
			.reply(307, '', { Location: 'https://evil.example/steal' });
		const evil = nock('https://evil.example')
			.post('/steal')
			.reply(200, { access_token: 'x', expires_in: 3600 });
		const error = await listLedgers
			.call(withTenant(context, JANSEN))
			.catch((caught: unknown) => caught);
		expect(token.isDone()).toBe(true);
		expect(evil.isDone()).toBe(false);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).message).toMatch(/Visma Connect gave no token[\s\S]*HTTP 307/);
		expect(
			JSON.stringify([(error as NodeApiError).message, (error as NodeApiError).description]),
		).not.toMatch(/office-secret-1234567/);
	});

	it('Visma Connect echoing the secret in its error text: redacted', async () => {
		const context = productionContext();
		nock('https://connect.visma.com').post('/connect/token').reply(400, {
			error: 'invalid_tenant',
			error_description: 'client office-client with secret office-secret-1234567 is not approved',
		});
		const error = (await listLedgers
			.call(withTenant(context, JANSEN))
			.catch((caught: unknown) => caught)) as NodeApiError;
		expect(error.message).toMatch(/has not approved this integration \(invalid_tenant\)/);
		expect(JSON.stringify([error.message, error.description])).not.toMatch(/office-secret-1234567/);
	});
});
