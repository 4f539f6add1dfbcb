/**
 * A minimal execution context for transport tests: n8n's real outbound HTTP client underneath
 * (so nock sees real requests and errors have n8n's real shape), with authentication reduced to
 * a fixed bearer token and errors wrapped in `NodeApiError` as n8n-core's
 * `httpRequestWithAuthentication` does. The OAuth2 path itself is exercised by the workflow tests.
 */
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import { NodeApiError, type IDataObject, type IExecuteFunctions, type IHttpRequestOptions, type INode, type JsonObject } from 'n8n-workflow';

export const TEST_NODE: INode = {
	id: 'node-1',
	name: 'Post Journal Transaction',
	type: 'n8n-nodes-visma-net-payroll.vismaNetPostJournal',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface RecordedRequest {
	method: string;
	url: string;
	headers: Record<string, unknown>;
	body?: unknown;
}

export function createRequestContext(credentials: IDataObject = { environment: 'custom', customApiUrl: 'http://127.0.0.1:4010' }) {
	const requests: RecordedRequest[] = [];
	const http = Container.get(OutboundHttp).requests();
	const context = {
		getNode: () => TEST_NODE,
		getCredentials: async () => credentials,
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				const signed = { ...options, headers: { ...options.headers, Authorization: 'Bearer test-access-token' } };
				requests.push({ method: String(signed.method ?? 'GET'), url: String(signed.url), headers: signed.headers, body: signed.body });
				try {
					return await http.request(signed);
				} catch (error) {
					throw new NodeApiError(TEST_NODE, error as JsonObject);
				}
			},
		},
	};
	return { context: context as unknown as IExecuteFunctions, requests };
}
