import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	NodeApiError,
} from 'n8n-workflow';

import { VismaNetOAuth2Api } from '../../../credentials/VismaNetOAuth2Api.credentials';
import { checkCustomBaseUrl } from '../../../nodes/transport/customUrl';
import { SERVICE_API_SCOPE } from '../../../nodes/core/vismaNetModel';
import type { WorkflowRunResult } from '../../../scripts/lib/harness/workflowHarness';
import {
	connectChain,
	harnessNode,
	nodeDescription,
	singleNodeWorkflow,
	WorkflowHarness,
} from '../../../scripts/lib/harness/workflowHarness';
import { useNoNetwork } from '../../helpers/noNetwork';

const ROOT = path.resolve(__dirname, '../../..');

const SERVICE_SCOPES = [
	'vismanet_erp_service_api:create',
	'vismanet_erp_service_api:read',
	'vismanet_erp_service_api:update',
];
const INTERACTIVE_SCOPES = [
	'vismanet_erp_interactive_api:create',
	'vismanet_erp_interactive_api:read',
	'vismanet_erp_interactive_api:update',
	'offline_access',
];

const CLIENT_ID = 'payroll-gl-integration';
const CLIENT_SECRET = 's3cr3t-Cl!ent-Secret-value';
const TENANT_ID = 'a1b2c3d4-company-tenant';
const CUSTOM_API = 'http://127.0.0.1:4010';
const CUSTOM_CONNECT = 'http://127.0.0.1:4011';

const credential = new VismaNetOAuth2Api();
const property = (name: string): INodeProperties => {
	const found = credential.properties.find((p) => p.name === name);
	if (!found) throw new Error(`credential has no property ${name}`);
	return found;
};
const optionValues = (name: string) =>
	(property(name).options ?? []).map((option) => ('value' in option ? option.value : undefined));

const serviceCustom: ICredentialDataDecryptedObject = {
	grantType: 'clientCredentials',
	environment: 'custom',
	customApiUrl: `${CUSTOM_API}/`,
	customConnectUrl: `${CUSTOM_CONNECT}//`,
	clientId: CLIENT_ID,
	clientSecret: CLIENT_SECRET,
	tenantId: ` ${TENANT_ID} `,
};
const serviceProduction: ICredentialDataDecryptedObject = {
	grantType: 'clientCredentials',
	environment: 'production',
	clientId: CLIENT_ID,
	clientSecret: CLIENT_SECRET,
	tenantId: TENANT_ID,
};

/**
 * Test-only node: per input item, one authenticated GET through n8n's
 * `httpRequestWithAuthentication` (so n8n-core's OAuth2 code fetches, stores and refreshes the
 * token), honouring Continue On Fail.
 */
class CredentialProbe implements INodeType {
	description = nodeDescription('Visma.net Credential Probe', 'vismaNetCredentialProbe', {
		defaults: { name: 'Probe' },
		credentials: [{ name: 'vismaNetOAuth2Api', required: true }],
		properties: [{ displayName: 'Path', name: 'path', type: 'string', default: '/v1/ledger' }],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const credentials = await this.getCredentials('vismaNetOAuth2Api', itemIndex);
				const base =
					credentials.environment === 'custom'
						? String(credentials.customApiUrl).replace(/\/+$/, '')
						: 'https://api.finance.visma.net';
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'vismaNetOAuth2Api',
					{
						method: 'GET',
						url: `${base}${this.getNodeParameter('path', itemIndex) as string}`,
						json: true,
					},
				)) as IDataObject;
				output.push({ json: { response }, pairedItem: { item: itemIndex } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({
					json: {
						error: (error as Error).message,
						description: (error as NodeApiError).description,
					},
					pairedItem: { item: itemIndex },
				});
			}
		}
		return [output];
	}
}

function newHarness() {
	return new WorkflowHarness({
		nodeTypes: [CredentialProbe],
		credentialTypes: [VismaNetOAuth2Api],
	});
}

function probeWorkflow(ref: INodeCredentialsDetails, extra: Partial<INode> = {}) {
	return {
		nodes: [
			harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
			harnessNode(
				'Probe',
				'n8n-nodes-visma-net-payroll.vismaNetCredentialProbe',
				{},
				{
					credentials: { vismaNetOAuth2Api: ref },
					...extra,
				},
			),
		],
		connections: connectChain('Start', 'Probe'),
	};
}

/** Everything n8n keeps of a run (items, errors with their own properties and causes) as text. */
function serialize(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, function (_key, v: unknown) {
		if (typeof v === 'object' && v !== null) {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
			if (v instanceof Error) {
				const copy: Record<string, unknown> = { message: v.message, stack: v.stack };
				for (const key of Object.getOwnPropertyNames(v))
					copy[key] = (v as unknown as Record<string, unknown>)[key];
				if ('cause' in v) copy.cause = (v as { cause?: unknown }).cause;
				return copy;
			}
		}
		return v;
	});
}

function expectNoSecrets(result: WorkflowRunResult, secrets: string[]) {
	const text = serialize({
		nodes: result.nodes,
		error: result.error,
		runData: result.run.data.resultData,
	});
	for (const secret of secrets) expect(text).not.toContain(secret);
}

/** Parses an x-www-form-urlencoded token request body. */
const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

/** A nock body matcher that accepts any token request and keeps its (parsed) body in `sent`. */
function recordedForm() {
	const recorded = {
		sent: {} as Record<string, string>,
		match: (body: string | Record<string, string>) => {
			recorded.sent = typeof body === 'string' ? form(body) : body;
			return true;
		},
	};
	return recorded;
}

/** Visma Connect at CUSTOM_CONNECT hands out these access tokens, one per token request, in turn. */
function tokensInTurn(...accessTokens: string[]) {
	const scope = nock(CUSTOM_CONNECT);
	for (const access_token of accessTokens)
		scope
			.post('/connect/token')
			.reply(200, { access_token, token_type: 'Bearer', expires_in: 3600 });
	return scope;
}

/** The ledger read answered 401 for `oldToken`, then `body` for `newToken` (the one retry). */
function expiredThenRetried(oldToken: string, newToken: string, body: unknown[]) {
	return {
		expired: nock(CUSTOM_API, { reqheaders: { authorization: `Bearer ${oldToken}` } })
			.get('/v1/ledger')
			.reply(401, { message: 'Unauthorized' }),
		retried: nock(CUSTOM_API, { reqheaders: { authorization: `Bearer ${newToken}` } })
			.get('/v1/ledger')
			.reply(200, body),
	};
}

useNoNetwork();

describe('VismaNetOAuth2Api: names and options of journal-contract §7', () => {
	it('is vismaNetOAuth2Api, extends oAuth2Api, with a documentation URL and two distinct icons', () => {
		expect(credential.name).toBe('vismaNetOAuth2Api');
		expect(credential.displayName).toBe('Visma.net OAuth2 API');
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(credential.documentationUrl).toMatch(/^https:\/\/docs\.vismasoftware\.no\//);
		const icon = credential.icon as { light: string; dark: string };
		expect(icon.light).not.toBe(icon.dark);
		for (const file of [icon.light, icon.dark]) {
			const iconPath = path.resolve(ROOT, 'credentials', file.replace(/^file:/, ''));
			expect(existsSync(iconPath)).toBe(true);
			expect(readFileSync(iconPath, 'utf8')).toMatch(/^<svg[\s>]/);
		}
	});

	it('has the contract fields: grantType, clientId, clientSecret, tenantId, environment, custom URLs', () => {
		expect(property('grantType').type).toBe('options');
		expect(optionValues('grantType')).toEqual(['clientCredentials', 'pkce']);
		expect(property('grantType').default).toBe('clientCredentials');
		expect(optionValues('environment')).toEqual(['production', 'custom']);
		expect(property('environment').default).toBe('production');
		expect(property('clientId').type).toBe('string');
		expect(property('clientSecret').typeOptions?.password).toBe(true);
		expect(property('tenantId').type).toBe('string');
		expect(property('tenantId').displayOptions?.show).toEqual({ grantType: ['clientCredentials'] });
		for (const name of ['customApiUrl', 'customConnectUrl']) {
			expect(property(name).displayOptions?.show).toEqual({ environment: ['custom'] });
			expect(property(name).required).toBe(true);
		}
	});

	it('derives every OAuth field n8n pins (hidden) from visible fields, never from a stored value', () => {
		for (const name of [
			'authUrl',
			'accessTokenUrl',
			'scope',
			'authQueryParameters',
			'authentication',
			'additionalBodyProperties',
		]) {
			expect(property(name).type).toBe('hidden');
		}
		for (const name of ['authUrl', 'accessTokenUrl', 'scope', 'additionalBodyProperties']) {
			expect(String(property(name).default)).toMatch(/^=\{\{[\s\S]*\$self\[[\s\S]*\}\}$/);
		}
		expect(String(property('authentication').default)).toMatch(
			/^=\{\{[\s\S]*\$self\["environment"\][\s\S]*\}\}$/,
		);
	});

	it('asks only for the scopes the package uses (never :delete) and says which scopes the Developer Portal application needs', () => {
		const notice = String(property('scopesNotice').displayName);
		for (const scope of [...SERVICE_SCOPES, ...INTERACTIVE_SCOPES]) expect(notice).toContain(scope);
		expect(notice).toMatch(/Developer Portal/);
		expect(String(property('scope').default)).not.toMatch(/:delete/);
	});

	it('mentions the company tenant (not the customer tenant), the API User role and one company per credential', () => {
		expect(property('tenantId').description).toMatch(
			/COMPANY tenant ID[\s\S]*Not the customer tenant[\s\S]*401/,
		);
		expect(property('apiUserRoleNotice').displayName).toMatch(/API User role/);
		expect(property('oneCompanyNotice').displayName).toMatch(
			/ONE Visma\.net company[\s\S]*one credential per company/,
		);
		expect(property('oneCompanyNotice').displayOptions).toEqual({ show: { grantType: ['pkce'] } });
	});

	it('starts with the office case: one integration, many companies, through the Administrations list (contract §7)', () => {
		const first = credential.properties[0];
		expect(first.name).toBe('officeNotice');
		expect(first.displayName).toMatch(
			/^An office that books payroll for many companies needs ONE credential: one service integration[\s\S]*Administrations[\s\S]*empty, the Company Tenant ID below serves every company/,
		);
		const administrations = property('administrations');
		expect(administrations.type).toBe('fixedCollection');
		expect(administrations.typeOptions?.multipleValues).toBe(true);
		expect(administrations.default).toEqual({});
		expect(administrations.displayOptions).toEqual({ show: { grantType: ['clientCredentials'] } });
		const [entry] = administrations.options as Array<{ name: string; values: INodeProperties[] }>;
		expect(entry.name).toBe('administration');
		expect(entry.values.map((value) => value.name)).toEqual(['companyId', 'tenantId', 'name']);
		expect(entry.values.every((value) => value.required !== true)).toBe(true);
	});

	it("the package's own tenant tokens ask for exactly the service scopes the credential asks for", () => {
		expect(SERVICE_API_SCOPE.split(' ').sort()).toEqual([...SERVICE_SCOPES].sort());
	});
});

describe('VismaNetOAuth2Api: derived fields as n8n resolves them', () => {
	const harness = newHarness();

	it('production, service API: Visma Connect URLs, service scopes, tenant_id in the token body', async () => {
		const resolved = await harness.resolveCredential('vismaNetOAuth2Api', serviceProduction);
		expect(resolved).toMatchObject({
			grantType: 'clientCredentials',
			authUrl: 'https://connect.visma.com/connect/authorize',
			accessTokenUrl: 'https://connect.visma.com/connect/token',
			scope: SERVICE_SCOPES.join(' '),
			authentication: 'body',
			authQueryParameters: '',
			tenantId: TENANT_ID,
		});
		expect(JSON.parse(String(resolved.additionalBodyProperties))).toEqual({ tenant_id: TENANT_ID });
		expect(resolved).not.toHaveProperty('customApiUrl');
	});

	it('custom: token and authorize URLs under customConnectUrl, trailing slashes and blanks removed', async () => {
		const resolved = await harness.resolveCredential('vismaNetOAuth2Api', serviceCustom);
		expect(resolved.accessTokenUrl).toBe(`${CUSTOM_CONNECT}/connect/token`);
		expect(resolved.authUrl).toBe(`${CUSTOM_CONNECT}/connect/authorize`);
		// A custom Connect URL: the client secret in the Authorization header, which n8n's token
		// client drops when a redirect leads to another host (the form body would follow it).
		expect(resolved.authentication).toBe('header');
		expect(JSON.parse(String(resolved.additionalBodyProperties))).toEqual({ tenant_id: TENANT_ID });
	});

	it('interactive API: PKCE, interactive scopes with offline_access, no tenant_id body', async () => {
		const resolved = await harness.resolveCredential('vismaNetOAuth2Api', {
			...serviceProduction,
			grantType: 'pkce',
		});
		expect(resolved.grantType).toBe('pkce');
		expect(resolved.scope).toBe(INTERACTIVE_SCOPES.join(' '));
		expect(resolved.additionalBodyProperties).toBe('');
		expect(resolved.authUrl).toBe('https://connect.visma.com/connect/authorize');
		expect(resolved).not.toHaveProperty('tenantId');
	});

	it('ignores stored values of hidden OAuth fields (as n8n does)', async () => {
		const resolved = await harness.resolveCredential('vismaNetOAuth2Api', {
			...serviceProduction,
			accessTokenUrl: 'https://attacker.example/token',
			authUrl: 'https://attacker.example/authorize',
			scope: 'everything',
			authentication: 'header',
			additionalBodyProperties: '{"tenant_id":"customer-tenant"}',
		});
		expect(resolved.accessTokenUrl).toBe('https://connect.visma.com/connect/token');
		expect(resolved.authUrl).toBe('https://connect.visma.com/connect/authorize');
		expect(resolved.scope).toBe(SERVICE_SCOPES.join(' '));
		expect(resolved.authentication).toBe('body');
		expect(JSON.parse(String(resolved.additionalBodyProperties))).toEqual({ tenant_id: TENANT_ID });
	});

	it('credential test request: GET <API base>/v1/ledger for production and custom', async () => {
		const test = credential.test.request;
		expect(test).toMatchObject({ method: 'GET', url: '/v1/ledger' });
		const node = harnessNode('Test', 'n8n-nodes-base.noOp');
		const workflow = singleNodeWorkflow(node, harness.nodeTypes);
		const baseUrlFor = async (data: ICredentialDataDecryptedObject) => {
			const $credentials = await harness.resolveCredential('vismaNetOAuth2Api', data);
			return workflow.expression.getSimpleParameterValue(node, String(test.baseURL), 'internal', {
				$credentials,
			});
		};
		expect(await baseUrlFor(serviceProduction)).toBe('https://api.finance.visma.net');
		expect(await baseUrlFor(serviceCustom)).toBe(CUSTOM_API);
	});
});

/**
 * URLs for the custom-URL rule: accepted and refused ones, tricky ones (user:password@, a
 * backslash before @, a query or fragment, plain http to a LAN address, a numeric last label,
 * ports out of range, upper case, blanks, trailing slashes).
 */
const CUSTOM_URL_TABLE = [
	'http://127.0.0.1:4010',
	'http://127.0.0.1:4010/',
	' http://localhost:4011// ',
	'http://LOCALHOST',
	'http://[::1]:4010/connect',
	'http://127.255.0.9',
	'https://connect.example.com',
	'HTTPS://Connect.Example.COM/base/',
	'https://proxy.example.com:8443/visma',
	'https://proxy.example.com:443',
	'https://xn--bcher-kva.example/a_b~c!$&()*+,;=:@%20/',
	'https://10.0.0.5',
	'https://example.com./x',
	'https://a-b.c-d.example',
	'http://10.0.0.5',
	'http://192.168.1.20:4010',
	'http://proxy.example.com',
	'http://127.0.0.1.evil.example',
	'http://127.0.0.256',
	'http://127.1',
	'http://0x7f.0.0.1',
	'http://localhost.evil.example',
	'ftp://127.0.0.1',
	'https://user:pw@connect.example.com',
	'https://user@connect.example.com',
	'https://connect.example.com:pw@evil.example',
	'https://evil.example\\@connect.example.com',
	'https://connect.example.com\\evil',
	'http://127.0.0.1:4010@evil.example',
	'https://connect.example.com/?x=1',
	'https://connect.example.com?',
	'https://connect.example.com/#frag',
	'https://connect.example.com#',
	'https://connect.example.com/a b',
	'https://connect.example.com:99999',
	'https://connect.example.com:0',
	'https://connect.example.com:',
	'https://1.2.3.999',
	'https://1.2.3',
	'https://29x.0x/1',
	'https://a.0xff',
	'https://a.0xfg',
	'https://connect.example.com\t/x',
	'https:///connect.example.com',
	'https:/connect.example.com',
	'//connect.example.com',
	'connect.example.com',
	'',
	'   ',
	`https://${'a'.repeat(70)}.example`,
];

describe('VismaNetOAuth2Api: the custom-URL rule in the credential expressions (test request, token and authorize URLs)', () => {
	const harness = newHarness();
	const node = harnessNode('Test', 'n8n-nodes-base.noOp');
	const workflow = singleNodeWorkflow(node, harness.nodeTypes);
	/** The address an expression gives: for a refused URL one that cannot be reached. */
	const agrees = (raw: string, resolved: unknown, path: string) => {
		const checked = checkCustomBaseUrl(raw);
		const address = String(resolved);
		if ('problem' in checked) {
			return new URL(address).hostname.endsWith('.invalid');
		}
		return new URL(address).href === new URL(`${checked.url}${path}`).href;
	};

	it.each(CUSTOM_URL_TABLE)('%j: accepted or refused as checkCustomBaseUrl does', async (raw) => {
		const resolved = await harness.resolveCredential('vismaNetOAuth2Api', {
			...serviceCustom,
			customApiUrl: raw,
			customConnectUrl: raw,
		});
		const baseURL = await workflow.expression.getSimpleParameterValue(
			node,
			String(credential.test.request.baseURL),
			'internal',
			{ $credentials: resolved },
		);
		expect({
			accessTokenUrl: agrees(raw, resolved.accessTokenUrl, '/connect/token'),
			authUrl: agrees(raw, resolved.authUrl, '/connect/authorize'),
			testBaseUrl: agrees(raw, baseURL, ''),
		}).toEqual({ accessTokenUrl: true, authUrl: true, testBaseUrl: true });
	});

	it('a refused URL gives an unreachable https address that says why', async () => {
		const resolved = await harness.resolveCredential('vismaNetOAuth2Api', {
			...serviceCustom,
			customConnectUrl: 'http://10.0.0.5',
			customApiUrl: 'https://u:p@api.example.com',
		});
		const baseURL = await workflow.expression.getSimpleParameterValue(
			node,
			String(credential.test.request.baseURL),
			'internal',
			{ $credentials: resolved },
		);
		for (const address of [resolved.accessTokenUrl, resolved.authUrl, baseURL]) {
			const url = new URL(String(address));
			expect(url.protocol).toBe('https:');
			expect(url.hostname).toMatch(/^custom-url-refused.*\.invalid$/);
			expect(String(address)).not.toContain('10.0.0.5');
			expect(String(address)).not.toContain('u:p');
		}
	});
});

describe('VismaNetOAuth2Api in a workflow: n8n-core OAuth2 flows', () => {
	it('requests the token at <customConnectUrl>/connect/token with tenant_id and service scopes, then calls the API with it', async () => {
		const harness = newHarness();
		const ref = harness.addCredential({ type: 'vismaNetOAuth2Api', data: serviceCustom });
		const tokenBody = recordedForm();
		let tokenAuthorization: string | undefined;
		const tokenScope = nock(CUSTOM_CONNECT)
			.post('/connect/token', tokenBody.match)
			.matchHeader('authorization', (value) => {
				tokenAuthorization = value ?? undefined;
				return true;
			})
			.reply(200, { access_token: 'token-custom-1', token_type: 'Bearer', expires_in: 3600 });
		let authorization: string | undefined;
		const apiScope = nock(CUSTOM_API)
			.get('/v1/ledger')
			.matchHeader('authorization', (value) => {
				authorization = value ?? undefined;
				return true;
			})
			.reply(200, [{ number: 'L', description: 'Actual ledger' }]);

		const result = await harness.run(probeWorkflow(ref));

		expect(result.nodes.Probe.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(tokenScope.isDone()).toBe(true);
		expect(apiScope.isDone()).toBe(true);
		expect(tokenBody.sent.grant_type).toBe('client_credentials');
		expect(tokenBody.sent.tenant_id).toBe(TENANT_ID);
		expect(tokenBody.sent.scope.split(' ').sort()).toEqual([...SERVICE_SCOPES].sort());
		// A custom Connect URL: client_secret_basic, so the secret is never in a body a redirect re-sends.
		expect(tokenBody.sent.client_secret).toBeUndefined();
		expect(tokenAuthorization).toBe(
			`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
		);
		expect(authorization).toBe('Bearer token-custom-1');
		expect(result.nodes.Probe.items).toEqual([
			{
				json: { response: [{ number: 'L', description: 'Actual ledger' }] },
				pairedItem: { item: 0 },
			},
		]);
		expect(harness.getStoredCredential(ref.id!)?.data.oauthTokenData).toMatchObject({
			access_token: 'token-custom-1',
		});
	});

	it('production goes to https://connect.visma.com/connect/token and https://api.finance.visma.net', async () => {
		const harness = newHarness();
		const ref = harness.addCredential({ type: 'vismaNetOAuth2Api', data: serviceProduction });
		const tokenBody = recordedForm();
		const tokenScope = nock('https://connect.visma.com')
			.post('/connect/token', tokenBody.match)
			.reply(200, { access_token: 'token-prod-1', token_type: 'Bearer', expires_in: 3600 });
		const apiScope = nock('https://api.finance.visma.net', {
			reqheaders: { authorization: 'Bearer token-prod-1' },
		})
			.get('/v1/ledger')
			.reply(200, []);

		const result = await harness.run(probeWorkflow(ref));

		expect(result.nodes.Probe.error).toBeUndefined();
		expect(tokenScope.isDone()).toBe(true);
		expect(apiScope.isDone()).toBe(true);
		expect(tokenBody.sent).toMatchObject({
			grant_type: 'client_credentials',
			tenant_id: TENANT_ID,
		});
	});

	it('reuses the stored token in the next run without asking Visma Connect again', async () => {
		const harness = newHarness();
		const ref = harness.addCredential({ type: 'vismaNetOAuth2Api', data: serviceCustom });
		const tokenScope = nock(CUSTOM_CONNECT)
			.post('/connect/token')
			.once()
			.reply(200, { access_token: 'token-reused', token_type: 'Bearer', expires_in: 3600 });
		const apiScope = nock(CUSTOM_API, { reqheaders: { authorization: 'Bearer token-reused' } })
			.get('/v1/ledger')
			.twice()
			.reply(200, []);

		const first = await harness.run(probeWorkflow(ref));
		const second = await harness.run(probeWorkflow(ref));

		expect(first.nodes.Probe.error).toBeUndefined();
		expect(second.nodes.Probe.error).toBeUndefined();
		expect(tokenScope.isDone()).toBe(true);
		expect(apiScope.isDone()).toBe(true);
		expect(harness.credentialsHelper.oauthTokenUpdates).toHaveLength(1);
	});

	it('on a 401 fetches a new client-credentials token and retries the call once', async () => {
		const harness = newHarness();
		const ref = harness.addCredential({ type: 'vismaNetOAuth2Api', data: serviceCustom });
		const tokenScope = tokensInTurn('token-old', 'token-new');
		const { expired, retried } = expiredThenRetried('token-old', 'token-new', [{ number: 'L' }]);

		const result = await harness.run(probeWorkflow(ref));

		expect(result.nodes.Probe.error).toBeUndefined();
		expect(result.json('Probe')).toEqual([{ response: [{ number: 'L' }] }]);
		expect(tokenScope.isDone()).toBe(true);
		expect(expired.isDone()).toBe(true);
		expect(retried.isDone()).toBe(true);
		expect(harness.getStoredCredential(ref.id!)?.data.oauthTokenData).toMatchObject({
			access_token: 'token-new',
		});
	});

	it('interactive API (PKCE): on a 401 refreshes the signed-in user token at <customConnectUrl>/connect/token', async () => {
		const harness = newHarness();
		const ref = harness.addCredential({
			type: 'vismaNetOAuth2Api',
			data: {
				...serviceCustom,
				grantType: 'pkce',
				oauthTokenData: {
					access_token: 'user-old',
					refresh_token: 'refresh-1',
					token_type: 'Bearer',
				},
			},
		});
		const refreshBody = recordedForm();
		const refresh = nock(CUSTOM_CONNECT).post('/connect/token', refreshBody.match).reply(200, {
			access_token: 'user-new',
			refresh_token: 'refresh-2',
			token_type: 'Bearer',
			expires_in: 3600,
		});
		const { expired, retried } = expiredThenRetried('user-old', 'user-new', []);

		const result = await harness.run(probeWorkflow(ref));

		expect(result.nodes.Probe.error).toBeUndefined();
		expect(refresh.isDone()).toBe(true);
		expect(expired.isDone()).toBe(true);
		expect(retried.isDone()).toBe(true);
		expect(refreshBody.sent).toMatchObject({
			grant_type: 'refresh_token',
			refresh_token: 'refresh-1',
		});
		expect(refreshBody.sent).not.toHaveProperty('tenant_id');
		expect(harness.getStoredCredential(ref.id!)?.data.oauthTokenData).toMatchObject({
			access_token: 'user-new',
			refresh_token: 'refresh-2',
		});
	});

	it('a 401 that persists (e.g. customer tenant ID) fails the node after one re-fetch, leaking neither secret nor token', async () => {
		const harness = newHarness();
		const ref = harness.addCredential({ type: 'vismaNetOAuth2Api', data: serviceCustom });
		const tokenScope = tokensInTurn('token-wrong-tenant-1', 'token-wrong-tenant-2');
		const api = nock(CUSTOM_API).get('/v1/ledger').twice().reply(401, { message: 'Unauthorized' });

		const result = await harness.run(probeWorkflow(ref));

		expect(tokenScope.isDone()).toBe(true);
		expect(api.isDone()).toBe(true);
		expect(result.status).toBe('error');
		// n8n keeps errors in the run data as plain objects, not class instances.
		expect(result.nodes.Probe.error).toMatchObject({
			name: 'NodeApiError',
			httpCode: '401',
			message: 'Authorization failed - please check your credentials',
		});
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '401' });
		expectNoSecrets(result, [CLIENT_SECRET, 'token-wrong-tenant-1', 'token-wrong-tenant-2']);
	});

	it('under Continue On Fail the error item carries no secret or token either', async () => {
		const harness = newHarness();
		const ref = harness.addCredential({ type: 'vismaNetOAuth2Api', data: serviceCustom });
		nock(CUSTOM_CONNECT)
			.post('/connect/token')
			.twice()
			.reply(200, { access_token: 'token-cof', token_type: 'Bearer', expires_in: 3600 });
		nock(CUSTOM_API).get('/v1/ledger').twice().reply(401, { message: 'Unauthorized' });

		const result = await harness.run(probeWorkflow(ref, { onError: 'continueRegularOutput' }));

		expect(result.status).toBe('success');
		expect(result.nodes.Probe.items).toHaveLength(1);
		expect(result.nodes.Probe.items[0].json.error).toEqual(expect.any(String));
		expect(result.nodes.Probe.items[0].pairedItem).toEqual({ item: 0 });
		expectNoSecrets(result, [CLIENT_SECRET, 'token-cof']);
	});

	it('a refused token request (invalid_client) fails the node without echoing the client secret', async () => {
		const harness = newHarness();
		const ref = harness.addCredential({ type: 'vismaNetOAuth2Api', data: serviceCustom });
		nock(CUSTOM_CONNECT).post('/connect/token').reply(400, { error: 'invalid_client' });

		const result = await harness.run(probeWorkflow(ref));

		expect(result.status).toBe('error');
		expect(serialize(result.nodes.Probe.error)).toMatch(/invalid_client|access token/i);
		expectNoSecrets(result, [CLIENT_SECRET]);
	});

	it('successful output contains neither the client secret nor the token', async () => {
		const harness = newHarness();
		const ref = harness.addCredential({ type: 'vismaNetOAuth2Api', data: serviceCustom });
		nock(CUSTOM_CONNECT)
			.post('/connect/token')
			.reply(200, { access_token: 'token-quiet', token_type: 'Bearer', expires_in: 3600 });
		nock(CUSTOM_API)
			.get('/v1/ledger')
			.reply(200, [{ number: 'L' }]);

		const result = await harness.run(probeWorkflow(ref));

		expect(result.status).toBe('success');
		expectNoSecrets(result, [CLIENT_SECRET, 'token-quiet']);
	});
});
