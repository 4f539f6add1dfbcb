/**
 * The Nmbrs transport retries by the package's one retry policy (nodes/transport/retry.ts, issue
 * 15): a 429 or 503 with Retry-After is waited out as it says, a Retry-After beyond the cap is not
 * waited for (the call fails at once, saying how long Nmbrs asked), as on the Visma.net side; the
 * errors keep the Nmbrs wording. Before, the Nmbrs loop ignored Retry-After (backoff only).
 * nmbrsSoapRequest with nock and a fast policy; the Nmbrs Trigger against the Nmbrs sandbox in
 * trigger.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import nock from 'nock';
import {
	NodeApiError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { NmbrsApi } from '../../../packages/n8n-nodes-nmbrs/credentials/NmbrsApi.credentials';
import { nmbrsSoapRequest } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/request';
import { failureOf, FAST_RETRY_POLICY, useNockOnly } from '../../helpers/requestContext';
import { soapResponse } from '../../../sandboxes/nmbrs/soap';
import { harnessNode } from '../../../scripts/lib/harness/harnessNode';

const NMBRS = 'http://127.0.0.1:4020';
const SERVICE = '/soap/v3/CompanyService.asmx';
const FAST = FAST_RETRY_POLICY;
const NODE: INode = harnessNode('Nmbrs', 'n8n-nodes-nmbrs.nmbrs', {}, { id: 'nmbrs-1' });
const CALL = {
	service: 'CompanyService',
	operation: 'List_GetAll',
	what: 'list the companies',
} as const;
const ANSWER = soapResponse('List_GetAll', '<Company><ID>1234</ID></Company>');

/** A context whose requests go through the Nmbrs credential's `authenticate` and n8n's real HTTP client. */
function nmbrsContext(url = NMBRS) {
	const credentials = {
		username: 'payroll@example.nl',
		token: 'test-token',
		domain: '',
		environment: 'custom',
		customUrl: url,
	};
	const http = Container.get(OutboundHttp).requests();
	let requests = 0;
	const context = {
		getNode: () => NODE,
		getCredentials: async () => credentials,
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				requests++;
				const signed = await new NmbrsApi().authenticate(credentials, options);
				try {
					return await http.request(signed);
				} catch (error) {
					throw new NodeApiError(NODE, error as JsonObject);
				}
			},
		},
	};
	return { context: context as unknown as IExecuteFunctions, requests: () => requests };
}

describe('Nmbrs transport: Retry-After, by the one retry policy (nock)', () => {
	useNockOnly();

	it.each([429, 503])(
		'a %i with Retry-After 1 is waited out as it says (not the backoff of a few ms), then the call succeeds',
		async (status) => {
			const { context, requests } = nmbrsContext();
			nock(NMBRS).post(SERVICE).reply(status, 'Busy', { 'Retry-After': '1' });
			nock(NMBRS).post(SERVICE).reply(200, ANSWER, { 'Content-Type': 'text/xml; charset=utf-8' });
			const started = Date.now();
			const result = await nmbrsSoapRequest.call(context, CALL, FAST);
			expect(result?.name).toBe('List_GetAllResult');
			expect(requests()).toBe(2);
			expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		},
	);

	it('a 429 asking to wait beyond the cap is not waited for: one try, and the error says how long Nmbrs asked', async () => {
		const { context, requests } = nmbrsContext();
		nock(NMBRS).post(SERVICE).reply(429, 'Too Many Requests', { 'Retry-After': '3600' });
		const started = Date.now();
		const error = await failureOf(nmbrsSoapRequest.call(context, CALL, FAST));
		expect(Date.now() - started).toBeLessThan(1000);
		expect(requests()).toBe(1);
		expect(error.message).toBe(
			'Nmbrs answered HTTP 429 (too many calls) and asked to wait 3600 s while trying to list the companies',
		);
		expect(error.description).toBe(
			'Nmbrs limits how many calls it takes in a while; the trigger tries again at its next poll, or run the workflow again later. (SOAP operation List_GetAll)',
		);
		expect(error.httpCode).toBe('429');
	});

	it('a 503 asking to wait beyond the cap: the same, in the wording of a 503', async () => {
		const { context, requests } = nmbrsContext();
		nock(NMBRS).post(SERVICE).reply(503, 'Service Unavailable', { 'Retry-After': '600' });
		const error = await failureOf(nmbrsSoapRequest.call(context, CALL, FAST));
		expect(requests()).toBe(1);
		expect(error.message).toBe(
			'Nmbrs answered HTTP 503 and asked to wait 600 s while trying to list the companies',
		);
		expect(error.description).toContain('Nmbrs may be busy or down');
	});

	it('without Retry-After: backoff, at most maxAttempts tries, the wording as before', async () => {
		const { context, requests } = nmbrsContext();
		nock(NMBRS).post(SERVICE).times(4).reply(503, 'Service Unavailable');
		const error = await failureOf(nmbrsSoapRequest.call(context, CALL, FAST));
		expect(requests()).toBe(4);
		expect(error.message).toBe(
			'Nmbrs answered HTTP 503 after 4 tries while trying to list the companies',
		);
	});

	it('a dropped connection (a network error in the causes n8n wraps) is tried again', async () => {
		// A real server on this machine that drops the first call unanswered.
		let hits = 0;
		const server: Server = createServer((request, response) => {
			request.resume();
			request.on('end', () => {
				hits++;
				if (hits === 1) request.socket.destroy();
				else response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(ANSWER);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		nock.enableNetConnect(`127.0.0.1:${port}`);
		try {
			const { context, requests } = nmbrsContext(`http://127.0.0.1:${port}`);
			expect((await nmbrsSoapRequest.call(context, CALL, FAST))?.name).toBe('List_GetAllResult');
			expect(requests()).toBe(2);
			expect(hits).toBe(2);
		} finally {
			nock.disableNetConnect();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
