/**
 * Fuzzing each of the four nodes through n8n's engine (Continue On Fail on) with batches of
 * broken journal items: mutations of the seed's March run at the stage each node takes it
 * (canonical for Validate and Split, split parts for Map, mapped parts for Post), fed as trigger
 * items so that NaN and Infinity reach the node as they are. For every node and every batch:
 * the workflow never crashes, every broken item comes out with a structured error whose code is
 * one of the contract's, and — Post in `post` mode against the local sandbox — no journal POST
 * is sent for an item the node can judge invalid itself, and no batch is booked for any of them.
 */
import fc from 'fast-check';
import nock from 'nock';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { ISSUE_CODES } from '../../nodes/core/issues';
import { createFaultFlow, targetOf, tokensOf } from '../faults/flow';
import { sourceFlowTypes } from '../faults/sourceTypes';
import { marchRunWithTwk } from '../helpers/journals';
import { sandboxCredentialData } from '../../scripts/lib/harness/payrollFlow';
import { journalPosts, findLeaks, readablePlaces } from '../helpers/workflowChecks';
import {
	harnessNode,
	PACKAGE_NAME,
	WorkflowHarness,
	type WorkflowRunResult,
} from '../../scripts/lib/harness/workflowHarness';
import { startSandbox, type Sandbox } from '../../sandboxes/visma-net/server';
import { MUTATIONS, type JsonRecord, type NodeKey, type Pick } from './mutations';
import { FUZZ_SCALE as SCALE } from './scale';

const SEED = 20260407;
const KNOWN_CODES: ReadonlySet<string> = new Set(ISSUE_CODES);
/** A full run multiplies the harness runs: FUZZ_SCALE=20 npx jest test/fuzz. */
/** Harness runs per node, items per run. */
const RUNS = 6 * SCALE;
const ITEMS = 150;

interface NodeUnderTest {
	key: NodeKey;
	type: string;
	parameters: INodeParameters;
	/** The output broken items leave by (Validate: Invalid). */
	errorOutput: number;
}

const NODES: readonly NodeUnderTest[] = [
	{
		key: 'validate',
		type: 'vismaNetValidateJournal',
		parameters: { inputFormat: 'canonical', checkInVismaNet: true },
		errorOutput: 1,
	},
	{ key: 'split', type: 'vismaNetSplitTwk', parameters: {}, errorOutput: 0 },
	{ key: 'map', type: 'vismaNetMapDimensions', parameters: {}, errorOutput: 0 },
	{ key: 'post', type: 'vismaNetPostJournal', parameters: { mode: 'post' }, errorOutput: 0 },
];

let sandbox: Sandbox;
let harness: WorkflowHarness;
let credential: { id: string; name: string };
/** Well-formed items at the stage each node takes: canonical, split parts, mapped parts. */
const stageItems: Record<NodeKey, JsonRecord[]> = { validate: [], split: [], map: [], post: [] };
const results: WorkflowRunResult[] = [];
const totals = { inputs: 0, crashes: 0 };

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sandbox = await startSandbox({ port: 0 });
	// The stages of the seed journal, from one clean dry run of the chain.
	const flow = createFaultFlow(targetOf(sandbox));
	const clean = await flow.run([marchRunWithTwk()], { post: { mode: 'dryRun' } });
	stageItems.validate = [marchRunWithTwk() as JsonRecord];
	stageItems.split = [marchRunWithTwk() as JsonRecord];
	stageItems.map = clean.json('Split TWK by Period') as JsonRecord[];
	stageItems.post = clean.json('Map Dimensions') as JsonRecord[];
	harness = new WorkflowHarness(sourceFlowTypes());
	credential = harness.addCredential({
		type: 'vismaNetOAuth2Api',
		data: sandboxCredentialData(sandbox),
	}) as { id: string; name: string };
	expect(stageItems.post).toHaveLength(3);
	// Keep the harness's tokens from the dry run too, for the secrets scan.
	(globalThis as { faultFlowTokens?: string[] }).faultFlowTokens = tokensOf(flow);
});
afterAll(async () => {
	await sandbox.close();
	process.stdout.write(
		`Node fuzzing: ${totals.inputs} broken items through the four nodes, ${totals.crashes} crashes\n`,
	);
});

const pickFrom = (numbers: readonly number[]): Pick => {
	let index = 0;
	return (n) => (n <= 1 ? 0 : numbers[index++ % numbers.length] % n);
};

interface BrokenItem {
	json: JsonRecord;
	mutation: (typeof MUTATIONS)[number];
}

function breakItems(node: NodeUnderTest, seed: number): BrokenItem[] {
	const mutations = MUTATIONS.filter((mutation) => mutation.refusedBy.includes(node.key));
	const sample = fc.sample(
		fc.tuple(
			fc.nat({ max: mutations.length - 1 }),
			fc.nat({ max: 100 }),
			fc.array(fc.nat({ max: 1_000_000 }), { minLength: 8, maxLength: 8 }),
		),
		{ seed, numRuns: ITEMS },
	);
	return sample.map(([mutationIndex, stageIndex, numbers]) => {
		const stage = stageItems[node.key];
		const json = structuredClone(stage[stageIndex % stage.length]);
		const mutation = mutations[mutationIndex];
		mutation.apply(json, pickFrom(numbers));
		return { json, mutation };
	});
}

async function runNode(node: NodeUnderTest, items: BrokenItem[]): Promise<WorkflowRunResult> {
	const nodeName = 'Node under test';
	const triggerItems: INodeExecutionData[] = items.map((item) => ({
		json: item.json as IDataObject,
	}));
	return await harness.run(
		{
			nodes: [
				harnessNode('Trigger', 'n8n-nodes-base.manualTrigger'),
				harnessNode(nodeName, `${PACKAGE_NAME}.${node.type}`, node.parameters, {
					credentials: { vismaNetOAuth2Api: credential },
					continueOnFail: true,
				}),
			],
			connections: { Trigger: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
		},
		{ mode: 'trigger', triggerItems },
	);
}

describe.each(NODES)('$type on broken items (Continue On Fail, through n8n’s engine)', (node) => {
	it(
		`never crashes and gives every one of ${RUNS * ITEMS} broken items a structured error with a contract code`,
		async () => {
			for (let run = 0; run < RUNS; run++) {
				sandbox.clearRequests();
				const items = breakItems(node, SEED + run * 31 + node.key.length);
				const result = await runNode(node, items);
				results.push(result);
				totals.inputs += items.length;
				const nodeResult = result.nodes['Node under test'];
				if (nodeResult.error) totals.crashes++;
				expect(nodeResult.error).toBeUndefined();
				expect(result.status).toBe('success');

				const out = nodeResult.outputs[node.errorOutput] ?? [];
				const byInput = new Map<number, IDataObject>();
				for (const item of out) {
					const paired = item.pairedItem as { item: number } | undefined;
					if (paired) byInput.set(paired.item, item.json);
				}
				const wrong: string[] = [];
				items.forEach((item, index) => {
					const json = byInput.get(index);
					const errors = (json?.errors ?? (json?.error ? [json.error] : undefined)) as
						| IDataObject[]
						| undefined;
					const codes = (errors ?? []).map((error) => String(error.code));
					if (!json || codes.length === 0)
						wrong.push(
							`item ${index} (${item.mutation.name}) passed: ${JSON.stringify(item.json).slice(0, 200)}`,
						);
					else if (!codes.every((code) => KNOWN_CODES.has(code)))
						wrong.push(`item ${index} (${item.mutation.name}) has codes ${codes.join(', ')}`);
					else if (!codes.some((code) => item.mutation.codes.includes(code as never)))
						wrong.push(
							`item ${index} (${item.mutation.name}) has ${codes.join(', ')}, expected one of ${item.mutation.codes.join(', ')}`,
						);
				});
				expect(wrong).toEqual([]);

				if (node.key === 'post') {
					// Nothing of an invalid journal reaches Visma.net, nothing is booked.
					expect(journalPosts(sandbox)).toEqual([]);
					expect(sandbox.state().tenants.flatMap((tenant) => tenant.batches)).toEqual([]);
				}
			}
		},
		60_000 * SCALE,
	);
});

describe('broken items that only Visma.net can judge (Post in post mode)', () => {
	it('sends an unknown account or segment value to Visma.net, which refuses it (4xx): nothing is booked, the item has an error', async () => {
		sandbox.clearRequests();
		const items = stageItems.post.flatMap((part, index) => {
			const unknownAccount = structuredClone(part);
			(unknownAccount.lines as JsonRecord[])[0].account = '4999';
			const unknownSegment = structuredClone(part);
			(unknownSegment.lines as JsonRecord[])[0].subaccount = [
				{ segmentId: 1, segmentValue: '999' },
				{ segmentId: 2, segmentValue: '0000' },
			];
			return [unknownAccount, unknownSegment].map((json) => ({ json, mutation: MUTATIONS[index] }));
		});
		const result = await runNode(NODES[3], items);
		results.push(result);
		const out = result.nodes['Node under test'].outputs[0];
		expect(out).toHaveLength(items.length);
		for (const item of out) expect(item.json.error).toMatchObject({ code: 'VISMA_NET_ERROR' });
		// Post does not read the chart or the segment values itself: it relies on Visma.net's refusal.
		expect(journalPosts(sandbox).map((entry) => entry.status)).toEqual(items.map(() => 400));
		expect(sandbox.state().tenants.flatMap((tenant) => tenant.batches)).toEqual([]);
	});
});

describe('secrets after fuzzing', () => {
	it('shows no client secret or access token in any item, error, run data or the request log', () => {
		const tokens = [
			...((globalThis as { faultFlowTokens?: string[] }).faultFlowTokens ?? []),
			...harness.credentialsHelper.oauthTokenUpdates.flatMap((update) => {
				const data = update.oauthTokenData as IDataObject;
				return [data.access_token, data.refresh_token].filter(
					(token): token is string => typeof token === 'string',
				);
			}),
		];
		const secrets = [sandbox.demo.clientSecret, ...tokens];
		expect(tokens.length).toBeGreaterThan(0);
		expect(findLeaks(readablePlaces(results, sandbox), secrets)).toEqual([]);
	});
});
