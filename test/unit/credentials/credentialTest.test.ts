/**
 * "Test credential" in the n8n editor, as n8n 2.40 runs it (packages/cli CredentialsTester
 * runRequestTest): the credential's test request is the routing of a temporary node, run by
 * n8n-core's RoutingNode with the credential; a failed answer becomes the message of the first
 * `rules` entry with its status code, else the bare HTTP status text ("Unauthorized"). Issue 14,
 * item 8: a customer tenant id must get a next step, not "Unauthorized".
 */
import nock from 'nock';
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type IExecuteData,
	type INode,
	type INodeType,
} from 'n8n-workflow';

import { VismaNetOAuth2Api } from '../../../credentials/VismaNetOAuth2Api.credentials';
import {
	harnessNode,
	nodeDescription,
	singleNodeWorkflow,
	WorkflowHarness,
} from '../../../scripts/lib/harness/workflowHarness';
import { useNoNetwork } from '../../helpers/noNetwork';

const API = 'http://127.0.0.1:4010';
const CONNECT = 'http://127.0.0.1:4011';
const CUSTOMER_TENANT = '0f0e0d0c-customer-tenant';

const credentialType = new VismaNetOAuth2Api();

/** CredentialsTester.runRequestTest of n8n 2.40.7 (its 'default' verdict), on the harness. */
async function testCredential(
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const harness = new WorkflowHarness({ credentialTypes: [VismaNetOAuth2Api] });
	const ref = harness.addCredential({ type: 'vismaNetOAuth2Api', data });
	const testRequest = credentialType.test;
	const nodeType: INodeType = {
		description: nodeDescription('Temp', 'temp', {
			description: '',
			credentials: [{ name: 'vismaNetOAuth2Api', required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		}),
	};
	harness.nodeTypes.register({ type: 'temp', nodeType });
	const node: INode = harnessNode(
		'Temp-Node',
		'temp',
		{},
		{ id: 'temp', credentials: { vismaNetOAuth2Api: ref } },
	);
	const workflow = singleNodeWorkflow(node, harness.nodeTypes);
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		harness.createAdditionalData(),
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const decrypted: ICredentialsDecrypted = {
		id: ref.id as string,
		name: ref.name,
		type: 'vismaNetOAuth2Api',
		data,
	};
	try {
		await workflow.expression.acquireIsolate();
		await new RoutingNode(context, nodeType, decrypted).runNode();
	} catch (caught) {
		const error = caught as {
			message: string;
			cause?: { response?: { status: number; statusText?: string }; code?: string };
		};
		if (error.cause?.response) {
			const { status, statusText } = error.cause.response;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status)
					return { status: 'Error', message: rule.properties.message };
			}
			if (status < 199 || status > 299)
				return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: error.message };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	return { status: 'OK', message: 'Connection successful!' };
}

const service = (tenantId: string): ICredentialDataDecryptedObject => ({
	grantType: 'clientCredentials',
	environment: 'custom',
	customApiUrl: API,
	customConnectUrl: CONNECT,
	clientId: 'client',
	clientSecret: 'secret-value-123',
	tenantId,
});

useNoNetwork();

describe('Test credential (as n8n 2.40 runs it): each refusal says what to do', () => {
	it('a customer tenant id (Visma Connect issues a token, Visma.net answers 401): names the company tenant id and where to find it', async () => {
		nock(CONNECT).post('/connect/token').twice().reply(200, {
			access_token: 'token-customer-tenant',
			token_type: 'Bearer',
			expires_in: 3600,
		});
		nock(API)
			.get('/v1/ledger')
			.twice()
			.reply(401, { message: 'Unauthorized' }, { 'content-type': 'application/json' });

		const result = await testCredential(service(CUSTOMER_TENANT));

		expect(result.status).toBe('Error');
		expect(result.message).not.toBe('Unauthorized');
		expect(result.message).toMatch(/CUSTOMER tenant id/);
		expect(result.message).toMatch(
			/COMPANY tenant id from Visma\.net Admin → Company → Edit → Configuration/,
		);
		expect(result.message).toMatch(/API User role/);
	});

	it('403 (scopes or approval) and 404 (API base URL) each name the next step', async () => {
		nock(CONNECT)
			.post('/connect/token')
			.reply(200, { access_token: 'token-a', token_type: 'Bearer', expires_in: 3600 });
		nock(API).get('/v1/ledger').reply(403, { message: 'Forbidden' });
		expect((await testCredential(service('tenant-a'))).message).toMatch(/scopes[\s\S]*approve/);

		nock(CONNECT)
			.post('/connect/token')
			.reply(200, { access_token: 'token-b', token_type: 'Bearer', expires_in: 3600 });
		nock(API).get('/v1/ledger').reply(404, { message: 'Not Found' });
		expect((await testCredential(service('tenant-b'))).message).toMatch(/API Base URL/);
	});

	it('a token request Visma Connect refuses never reaches the rules: n8n shows its own "Failed to acquire OAuth2 access token" text (as measured in the real-n8n test)', async () => {
		nock(CONNECT).post('/connect/token').reply(401, {
			error: 'invalid_client',
			error_description: 'Unknown client or invalid client credentials.',
		});
		const wrongSecret = await testCredential(service('tenant-a'));
		expect(wrongSecret).toEqual({
			status: 'Error',
			message:
				'Failed to acquire OAuth2 access token: Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).',
		});

		nock(CONNECT).post('/connect/token').reply(400, {
			error: 'invalid_scope',
			error_description:
				"The client is not allowed to request scope 'vismanet_erp_service_api:create'.",
		});
		expect((await testCredential(service('tenant-b'))).message).toBe(
			'Failed to acquire OAuth2 access token: The requested scope is invalid, unknown, or malformed.',
		);

		// A code outside RFC 6749's table (Visma's invalid_tenant): n8n shows the server's description.
		nock(CONNECT).post('/connect/token').reply(400, {
			error: 'invalid_tenant',
			error_description: "The client is not authorised for tenant 'tenant-c'.",
		});
		expect((await testCredential(service('tenant-c'))).message).toBe(
			"Failed to acquire OAuth2 access token: The client is not authorised for tenant 'tenant-c'.",
		);
	});

	it('a right credential passes', async () => {
		nock(CONNECT)
			.post('/connect/token')
			.reply(200, { access_token: 'token-ok', token_type: 'Bearer', expires_in: 3600 });
		nock(API).get('/v1/ledger').reply(200, []);
		expect(await testCredential(service('tenant-ok'))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});
});
