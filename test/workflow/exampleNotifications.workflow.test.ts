/**
 * The shipped month-end example (workflows/month-end.json), unchanged, run by n8n-core's
 * WorkflowExecute against the Visma.net sandbox: the Nmbrs Trigger's items start it (as n8n runs
 * a polled workflow), and the HTTP Request nodes that notify the bookkeeper are a stand-in that
 * records what they would send (or fails like an unreachable host). What the bookkeeper receives
 * must name journal, company, period, code and next step, for every node that can refuse an item
 * (issue 14, items 1, 4 and 7), and a notification that cannot be sent must fail the execution.
 */
import fs from 'node:fs';
import path from 'node:path';

import {
	NodeApiError,
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { NmbrsApi } from '../../packages/n8n-nodes-nmbrs/credentials/NmbrsApi.credentials';
import { VismaNetOAuth2Api } from '../../credentials/VismaNetOAuth2Api.credentials';
import { NmbrsTrigger } from '../../packages/n8n-nodes-nmbrs/nodes/NmbrsTrigger/NmbrsTrigger.node';
import { marchRunWithTwk } from '../helpers/journals';
import {
	batchesOf,
	NODE_TYPES,
	sandboxCredentialData,
} from '../../scripts/lib/harness/payrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import {
	nodeDescription,
	WorkflowHarness,
	type HarnessWorkflow,
	type WorkflowRunResult,
} from '../../scripts/lib/harness/workflowHarness';

const WORKFLOW = path.resolve(__dirname, '..', '..', 'workflows', 'month-end.json');

interface Sent {
	readonly node: string;
	readonly url: string;
	readonly body: IDataObject;
}

const sent: Sent[] = [];
let failNotifications = false;

/** `n8n-nodes-base.httpRequest` 4.2 as the examples use it: POST `jsonBody` to `url`. Records it. */
class NotifyStandIn implements INodeType {
	description = nodeDescription('HTTP Request (stand-in)', 'httpRequest', {
		group: ['output'],
		version: [4.2],
		description: 'Records the request instead of sending it',
		defaults: { name: 'HTTP Request' },
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Send Body', name: 'sendBody', type: 'boolean', default: false },
			{ displayName: 'Specify Body', name: 'specifyBody', type: 'string', default: 'json' },
			{ displayName: 'JSON', name: 'jsonBody', type: 'string', default: '' },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const url = this.getNodeParameter('url', itemIndex) as string;
			try {
				if (failNotifications)
					throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${new URL(url).hostname}`), {
						code: 'ENOTFOUND',
					});
				sent.push({
					node: this.getNode().name,
					url,
					body: JSON.parse(this.getNodeParameter('jsonBody', itemIndex) as string) as IDataObject,
				});
				output.push({ json: { ok: true }, pairedItem: { item: itemIndex } });
			} catch (error) {
				// As n8n's HTTP Request node: Continue On Fail gives an error item, else the node fails.
				if (this.continueOnFail()) {
					output.push({
						json: { error: (error as Error).message },
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				throw new NodeApiError(
					this.getNode(),
					{ message: (error as Error).message, code: 'ENOTFOUND' },
					{ itemIndex },
				);
			}
		}
		return [output];
	}
}

/** `n8n-nodes-base.webhook` 2: its items are the start node's data (as n8n runs a webhook). */
class WebhookStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook (stand-in)',
		name: 'webhook',
		group: ['trigger'],
		version: [2],
		description: 'Starts the workflow with the items given to the harness',
		defaults: { name: 'Webhook' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'HTTP Method', name: 'httpMethod', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '' },
			{ displayName: 'Respond', name: 'responseMode', type: 'string', default: 'onReceived' },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return { workflowData: [[{ json: {} }]] };
	}
}

const answers: IDataObject[] = [];

/** `n8n-nodes-base.respondToWebhook` 1.1: records the first item it would answer with. */
class RespondStandIn implements INodeType {
	description = nodeDescription('Respond to Webhook (stand-in)', 'respondToWebhook', {
		group: ['transform'],
		version: [1.1],
		description: 'Records the answer',
		defaults: { name: 'Respond to Webhook' },
		properties: [
			{
				displayName: 'Respond With',
				name: 'respondWith',
				type: 'string',
				default: 'firstIncomingItem',
			},
			{ displayName: 'Response Body', name: 'responseBody', type: 'string', default: '' },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		answers.push(items[0]?.json ?? {});
		return [items];
	}
}

const sandbox = useVismaSandbox();

beforeEach(() => {
	sent.length = 0;
	answers.length = 0;
	failNotifications = false;
});

/** Runs month-end.json as shipped, with these journals as what the Nmbrs Trigger emitted. */
async function runMonthEnd(journals: object[]): Promise<WorkflowRunResult> {
	const harness = new WorkflowHarness({
		nodeTypes: [
			...NODE_TYPES,
			NmbrsTrigger,
			{ type: 'n8n-nodes-base.httpRequest', nodeType: NotifyStandIn },
		],
		credentialTypes: [VismaNetOAuth2Api, NmbrsApi],
	});
	harness.addCredential({
		type: 'vismaNetOAuth2Api',
		data: sandboxCredentialData(sandbox),
	});
	harness.addCredential({
		type: 'nmbrsApi',
		data: { username: 'user@example.com', token: 'token', environment: 'production' },
	});
	const workflow = JSON.parse(fs.readFileSync(WORKFLOW, 'utf8')) as HarnessWorkflow;
	return await harness.run(workflow, {
		startNode: 'Nmbrs Trigger',
		triggerItems: journals.map((json) => ({ json: json as IDataObject })),
	});
}

function notifications(): IDataObject[] {
	return sent.map((entry) => entry.body);
}

describe('month-end.json as shipped: every refusal reaches the bookkeeper, naming journal, company, period, code and next step', () => {
	it('a part Visma.net refuses (Post’s error output): the message names the journal, company, period, VISMA_NET_ERROR and the next step; the other parts are booked', async () => {
		const journal = marchRunWithTwk();
		journal.lines[0].account = '4999'; // a March line: Visma.net has no account 4999
		const result = await runMonthEnd([journal]);

		expect(result.status).toBe('success');
		expect(batchesOf(sandbox).map((batch) => batch.financialPeriod)).toEqual(['202601', '202602']);
		const [failed] = result.json('Post Journal Transaction', 1);
		// n8n gave the error output the journal back, with the node's error, message and details.
		expect(failed).toMatchObject({
			reference: 'R2026-03',
			company: { id: '1234', name: 'Bakkerij De Vries BV' },
			financialPeriod: '202603',
			error: { code: 'VISMA_NET_ERROR' },
		});
		expect(failed.message).toMatch(
			/^Journal R2026-03 of Bakkerij De Vries BV \(company 1234\), period 2026-03 was not booked: \[VISMA_NET_ERROR\] /,
		);
		expect((failed.details as IDataObject).visma).toMatchObject({ status: 'failed' });

		expect(notifications()).toHaveLength(1);
		const [notice] = notifications();
		expect(notice).toMatchObject({
			kind: 'postFailed',
			reference: 'R2026-03',
			companyId: '1234',
			financialPeriod: '202603',
			codes: ['VISMA_NET_ERROR'],
		});
		const text = notice.text as string;
		expect(text).toContain(
			'Payroll journal R2026-03 of Bakkerij De Vries BV (company 1234), period 2026-03, was NOT booked in Visma.net:',
		);
		expect(text).toMatch(
			/- \[VISMA_NET_ERROR\] .*4999.* Correct the journal or the data in Visma\.net and run the workflow again\. VismaId: /,
		);
		expect(text).toMatch(/Next step: .*parts already booked are skipped/);
		expect(text).not.toMatch(/\?|undefined|null/);
	});

	it('an unknown cost centre (Map Dimensions’ error output) reaches the notification, its message once; the other parts are booked', async () => {
		const journal = marchRunWithTwk();
		journal.lines[2].costCenter = '999';
		const result = await runMonthEnd([journal]);

		expect(result.status).toBe('success');
		expect(batchesOf(sandbox).map((batch) => batch.financialPeriod)).toEqual(['202601', '202602']);
		expect(notifications()).toHaveLength(1);
		const [notice] = notifications();
		expect(notice).toMatchObject({
			kind: 'journalInvalid',
			reference: 'R2026-03',
			companyId: '1234',
			financialPeriod: '202603',
			codes: ['UNMAPPED_COST_CENTER'],
		});
		const text = notice.text as string;
		expect(text).toContain(
			'Payroll journal R2026-03 of Bakkerij De Vries BV (company 1234), period 2026-03, was NOT booked in Visma.net:',
		);
		const problem = /Cost centre "999" is not a value of the Visma.net segment "Kostenplaats"/;
		expect(text).toMatch(problem);
		expect(text.split('\n').filter((line) => problem.test(line))).toHaveLength(1);
		expect(text).toMatch(/Next step: nothing was sent to Visma.net/);
	});

	it('a refused journal (Validate’s Invalid output: test company) reaches the notification', async () => {
		const journal = marchRunWithTwk();
		journal.company.testCompany = true;
		const result = await runMonthEnd([journal]);
		// The problems first in the Invalid output (Table view), before the wide `lines`.
		expect(Object.keys(result.json('Validate Journal', 1)[0])[0]).toBe('errors');
		expect(notifications()).toEqual([
			expect.objectContaining({
				kind: 'journalInvalid',
				reference: 'R2026-03',
				companyId: '1234',
				codes: ['COMPANY_TEST'],
			}),
		]);
		expect(notifications()[0].text).toMatch(
			/Payroll journal R2026-03 of Bakkerij De Vries BV \(company 1234\), payroll period 2026-03, was NOT booked/,
		);
		expect(batchesOf(sandbox)).toHaveLength(0);
	});

	it('a notification that cannot be sent fails the execution (no green run), after the booking', async () => {
		failNotifications = true;
		const journal = marchRunWithTwk();
		journal.lines[2].costCenter = '999';
		const result = await runMonthEnd([journal]);

		expect(result.status).toBe('error');
		// n8n's words for ENOTFOUND, as its HTTP Request node reports it.
		expect(result.nodes['Notify bookkeeper (refused)'].error?.message).toMatch(
			/connection cannot be established/,
		);
		expect(batchesOf(sandbox).map((batch) => batch.financialPeriod)).toEqual(['202601', '202602']);
	});
});

describe('nmbrs-xml-webhook.json as shipped: the answer lists every refusal, Map’s included', () => {
	async function post(xml: string): Promise<WorkflowRunResult> {
		const harness = new WorkflowHarness({
			nodeTypes: [
				...NODE_TYPES,
				{ type: 'n8n-nodes-base.webhook', nodeType: WebhookStandIn },
				{ type: 'n8n-nodes-base.respondToWebhook', nodeType: RespondStandIn },
			],
			credentialTypes: [VismaNetOAuth2Api],
		});
		harness.addCredential({
			type: 'vismaNetOAuth2Api',
			data: sandboxCredentialData(sandbox),
		});
		const workflow = JSON.parse(
			fs.readFileSync(
				path.resolve(__dirname, '..', '..', 'workflows', 'nmbrs-xml-webhook.json'),
				'utf8',
			),
		) as HarnessWorkflow;
		const query = {
			reference: 'XML2026-03',
			companyId: '1234',
			companyName: 'Bakkerij De Vries BV',
			runId: '88121',
			year: '2026',
			period: '3',
		};
		return await harness.run(workflow, {
			startNode: 'Webhook',
			triggerItems: [
				{
					json: { query, headers: {} },
					binary: {
						data: {
							data: Buffer.from(xml, 'utf8').toString('base64'),
							mimeType: 'application/xml',
						},
					},
				},
			],
		});
	}
	const fixture = () =>
		fs.readFileSync(
			path.resolve(__dirname, '..', 'fixtures', 'nmbrs', 'run-2026-03-twk.xml'),
			'utf8',
		);

	it('books the file and answers ok with three posted parts', async () => {
		const result = await post(fixture());
		expect(result.status).toBe('success');
		expect(answers[0]).toMatchObject({ ok: true, errors: [] });
		expect(
			(answers[0].parts as IDataObject[]).map((part) => [part.financialPeriod, part.status]),
		).toEqual([
			['202601', 'posted'],
			['202602', 'posted'],
			['202603', 'posted'],
		]);
	});

	it('an unknown cost centre: the answer is not ok and names the code and the cost centre; the other parts are booked', async () => {
		const result = await post(fixture().replace('<dim2>100</dim2>', '<dim2>999</dim2>'));
		expect(result.status).toBe('success');
		expect(answers[0].ok).toBe(false);
		expect(answers[0].errors).toEqual([
			expect.stringMatching(
				/^Journal XML2026-03 of Bakkerij De Vries BV \(company 1234\), period 2026-0\d was not booked: \[UNMAPPED_COST_CENTER\] Cost centre "999" is not a value/,
			),
		]);
		expect((answers[0].parts as IDataObject[]).every((part) => part.status === 'posted')).toBe(
			true,
		);
	});
});
