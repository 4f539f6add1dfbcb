/**
 * One promise across every node (journal-contract §4, style-anchors §5): under Continue On Fail,
 * a bad journal comes out of each of the four nodes, run by n8n's engine, as the same kind of
 * item: the input json kept (as n8n hands it on), the problems as `errors: [{ code, message,
 * path }]` naming the line and field, `pairedItem` back to the input; the workflow goes on. The
 * three nodes that fail an item also carry `error` (the first problem); Validate Journal sends
 * an invalid journal to its Invalid output with `errors` instead (§4).
 *
 * No Visma.net is involved: Map Dimensions reads the SUBACCOUNT key once per execution, which is
 * answered by nock; the other nodes refuse the item before any call.
 */
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { VismaNetOAuth2Api } from '../../../credentials/VismaNetOAuth2Api.credentials';
import { marchRunWithTwk } from '../../helpers/journals';
import { NODE_TYPES } from '../../../scripts/lib/harness/payrollFlow';
import {
	connectChain,
	harnessNode,
	PACKAGE_NAME,
	WorkflowHarness,
} from '../../../scripts/lib/harness/workflowHarness';
import { useNoNetwork } from '../../helpers/noNetwork';

const API = 'http://127.0.0.1:4010';
const TENANT_ID = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e01';

interface NodeUnderTest {
	readonly type: string;
	readonly parameters: INodeParameters;
	/** The output the bad item leaves by. */
	readonly output: number;
	/** Whether the item carries `error` (a failed item) or only `errors` (Validate's Invalid output). */
	readonly failsTheItem: boolean;
}

const NODES: readonly NodeUnderTest[] = [
	{ type: 'vismaNetValidateJournal', parameters: {}, output: 1, failsTheItem: false },
	{ type: 'vismaNetSplitTwk', parameters: {}, output: 0, failsTheItem: true },
	{ type: 'vismaNetMapDimensions', parameters: {}, output: 0, failsTheItem: true },
	{ type: 'vismaNetPostJournal', parameters: { mode: 'post' }, output: 0, failsTheItem: true },
];

/** The seed's March run with line 2's debit one decimal too precise. */
function badJournal(): IDataObject {
	const journal = marchRunWithTwk();
	journal.lines[1].debit = '2100.001';
	return journal as IDataObject;
}

function mockSubaccountKey(): void {
	nock(API)
		.post('/connect/token')
		.reply(200, { access_token: 'test-token', token_type: 'Bearer', expires_in: 3600 });
	nock(API)
		.get('/v1/dimension/SUBACCOUNT')
		.query(true)
		.reply(200, {
			id: 'SUBACCOUNT',
			description: 'Subaccount',
			length: 7,
			segments: [
				{
					segmentId: 1,
					description: 'Kostenplaats',
					length: 3,
					validate: true,
					segmentValues: [{ value: '100', description: 'Productie', active: true }],
				},
				{
					segmentId: 2,
					description: 'Kostendrager',
					length: 4,
					validate: true,
					segmentValues: [{ value: 'P001', description: 'Brood', active: true }],
				},
			],
		});
}

useNoNetwork();

describe('Continue On Fail gives the same error item from every node (through n8n’s engine)', () => {
	it.each(NODES)(
		'$type: keeps the input, lists the problems with code and path, pairs the item, goes on with the next',
		async (node) => {
			const harness = new WorkflowHarness({
				nodeTypes: NODE_TYPES,
				credentialTypes: [VismaNetOAuth2Api],
			});
			const credential = harness.addCredential({
				type: 'vismaNetOAuth2Api',
				data: {
					grantType: 'clientCredentials',
					environment: 'custom',
					customApiUrl: API,
					customConnectUrl: API,
					clientId: 'client',
					clientSecret: 'secret',
					tenantId: TENANT_ID,
				},
			});
			if (node.type === 'vismaNetMapDimensions') mockSubaccountKey();
			const bad = badJournal();

			const result = await harness.run({
				nodes: [
					harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
					harnessNode('Journals', 'n8n-nodes-base.code', {
						jsCode: `return ${JSON.stringify([{ json: bad }, { json: { ...bad, reference: 'R2026-04' } }])};`,
					}),
					harnessNode('Node', `${PACKAGE_NAME}.${node.type}`, node.parameters, {
						credentials: { vismaNetOAuth2Api: credential },
						onError: 'continueRegularOutput',
					}),
				],
				connections: connectChain('Start', 'Journals', 'Node'),
			});

			expect(result.status).toBe('success');
			expect(result.nodes.Node.error).toBeUndefined();
			const items = result.nodes.Node.outputs[node.output];
			// Both bad journals come out, each as an error item: the first does not stop the second.
			expect(items.map((item) => [item.json.reference, item.pairedItem])).toEqual([
				['R2026-03', { item: 0 }],
				['R2026-04', { item: 1 }],
			]);
			const [item] = items;

			// The input json is still there (not reduced to n8n's { error: message }).
			expect(item.json.reference).toBe('R2026-03');
			expect(item.json.company).toEqual(bad.company);
			expect(item.json.lines).toEqual(bad.lines);
			// Every problem with its code, a message naming journal, line and account, and a path.
			const errors = item.json.errors as IDataObject[];
			expect(errors[0]).toMatchObject({
				code: 'AMOUNT_TOO_PRECISE',
				path: 'lines[1].debit',
				line: 2,
				field: 'debit',
			});
			expect(errors[0].message).toMatch(/^Journal R2026-03, line 2 \(account 4000\): /);
			for (const error of errors)
				expect(Object.keys(error)).toEqual(expect.arrayContaining(['code', 'message', 'path']));
			if (node.failsTheItem) expect(item.json.error).toEqual(errors[0]);
			else expect(item.json.error).toBeUndefined();
		},
	);
});
