/** The Nmbrs sandbox over HTTP (faults, controls) and the Nmbrs node against it. */
import type { IDataObject, INode } from 'n8n-workflow';

import {
	buildSoapEnvelope,
	insertAuthHeader,
	soapAction,
} from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapEnvelope';
import { harnessNode, NMBRS_PACKAGE_NAME } from '../../../scripts/lib/harness/workflowHarness';
import { createTriggerRunner } from '../../../scripts/lib/triggerRunner';
import { useNmbrsSandbox } from '../../helpers/sandboxes';

const sandbox = useNmbrsSandbox();

async function call(
	operation: string,
	parameters: [string, number][],
	auth = sandbox.demo,
	action?: string,
) {
	const envelope = insertAuthHeader(
		buildSoapEnvelope({ service: 'CompanyService', operation, parameters }),
		auth,
	);
	const response = await fetch(`${sandbox.url}/soap/v3/CompanyService.asmx`, {
		method: 'POST',
		headers: {
			'Content-Type': 'text/xml; charset=utf-8',
			SOAPAction: `"${action ?? soapAction({ service: 'CompanyService', operation })}"`,
		},
		body: envelope,
	});
	return { status: response.status, text: await response.text() };
}

describe('Nmbrs sandbox', () => {
	it('answers Journals_GetByRunCompany_v2 with the journal XML escaped inside the result', async () => {
		const { status, text } = await call('Journals_GetByRunCompany_v2', [
			['CompanyId', 1234],
			['RunId', 88121],
			['intYear', 2026],
		]);
		expect(status).toBe(200);
		expect(text).toContain(
			'<Journals_GetByRunCompany_v2Response xmlns="https://api.nmbrs.nl/soap/v3/CompanyService"><Journals_GetByRunCompany_v2Result>&lt;?xml',
		);
		expect(text).toContain('&lt;dim1&gt;4000&lt;/dim1&gt;');
	});

	it('answers SOAP 1.1 faults with HTTP 500 for bad auth, unknown ids and a wrong SOAPAction', async () => {
		const badAuth = await call('List_GetAll', [], { ...sandbox.demo, token: 'nope' });
		expect(badAuth.status).toBe(500);
		expect(badAuth.text).toMatch(
			/<faultcode>soap:Server<\/faultcode><faultstring>Invalid authentication/,
		);
		expect(
			(
				await call('Run_GetList', [
					['CompanyId', 9999],
					['Year', 2026],
				])
			).text,
		).toContain('Company 9999 not found');
		expect(
			(
				await call('Journals_GetByRunCompany_v2', [
					['CompanyId', 1234],
					['RunId', 1],
					['intYear', 2026],
				])
			).text,
		).toContain('Run 1 not found');
		expect(
			(
				await call(
					'List_GetAll',
					[],
					sandbox.demo,
					'https://api.nmbrs.nl/soap/v3/CompanyService/Other',
				)
			).text,
		).toContain('SOAPAction');
	});

	it('locks runs and plans faults through /_sandbox controls', async () => {
		await fetch(`${sandbox.url}/_sandbox/runs/lock`, {
			method: 'POST',
			body: JSON.stringify({ companyId: 1234, runId: 88131 }),
		});
		const state = (await (await fetch(`${sandbox.url}/_sandbox/state`)).json()) as {
			companies: { id: number; runs: { id: number; isLocked: boolean }[] }[];
		};
		expect(state.companies[0].runs.find((run) => run.id === 88131)?.isLocked).toBe(true);
		await fetch(`${sandbox.url}/_sandbox/faults`, {
			method: 'POST',
			body: JSON.stringify({ operation: 'List_GetAll', times: 1, kind: 'http503' }),
		});
		expect((await call('List_GetAll', [])).status).toBe(503);
		expect((await call('List_GetAll', [])).status).toBe(200);
	});
});

const rl = (value: string, mode = 'list') => ({ __rl: true, mode, value });

/** The Nmbrs node `name` running `operation` for `companyId` and `runId` of 2026. */
const nmbrsNode = (
	name: string,
	operation: 'getJournal' | 'getRuns',
	companyId: string | ReturnType<typeof rl>,
	runId: string | ReturnType<typeof rl>,
	credentials: INode['credentials'],
) =>
	harnessNode(
		name,
		`${NMBRS_PACKAGE_NAME}.nmbrs`,
		{ operation, companyId, runId, year: 2026 },
		{ credentials },
	);

describe('Nmbrs node', () => {
	// Company and Run are resource locators; an older workflow's plain ID still works.
	it.each([
		['plain IDs (older workflows)', '1234', '88121'],
		['resource locators, from the list', rl('1234'), rl('88121')],
		['resource locators, by ID', rl('1234', 'id'), rl(' 88121 ', 'id')],
	])(
		'Get Journal returns the same canonical journal as the trigger; Get Runs lists the runs: %s',
		async (_how, companyId, runId) => {
			const runner = createTriggerRunner(sandbox, {
				companyScope: 'selected',
				companyIds: ['1234'],
				years: 'specific',
				specificYears: '2026',
				onFirstPoll: 'emitExisting',
			});
			const [fromTrigger] = await runner.pollJournals();
			const credentials = runner.node.credentials;
			const result = await runner.harness.run({
				nodes: [
					harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
					nmbrsNode('Journal', 'getJournal', companyId, runId, credentials),
					// Run is not shown for Get Runs: a value left in it is not read (n8n cannot extract a hidden one).
					nmbrsNode('Runs', 'getRuns', companyId, runId, credentials),
				],
				connections: {
					Start: {
						main: [
							[
								{ node: 'Journal', type: 'main', index: 0 },
								{ node: 'Runs', type: 'main', index: 0 },
							],
						],
					},
				},
			});
			expect(result.json('Journal')).toEqual([fromTrigger]);
			expect(result.json('Runs').map((run: IDataObject) => [run.id, run.isLocked])).toEqual([
				['88121', true],
				['88131', false],
			]);
		},
	);

	// Company and Run are not `required` (a new node shows no issue in the editor); left empty, the
	// item stops with what to do, and nothing is asked of Nmbrs.
	it.each([
		['no company', rl(''), rl('88121'), 'No company chosen'],
		['no run', rl('1234'), rl(''), 'No run chosen'],
	])('Get Journal with %s stops the item saying so', async (_how, companyId, runId, message) => {
		const runner = createTriggerRunner(sandbox, { companyScope: 'selected', companyIds: ['1234'] });
		const result = await runner.harness.run({
			nodes: [
				harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
				nmbrsNode('Journal', 'getJournal', companyId, runId, runner.node.credentials),
			],
			connections: { Start: { main: [[{ node: 'Journal', type: 'main', index: 0 }]] } },
		});
		expect(result.nodes.Journal.error?.message).toBe(message);
		expect(result.nodes.Journal.error?.description).toMatch(
			/^Pick the (company|run) from the list, or enter its Nmbrs ID/,
		);
	});
});
