/**
 * Runs the Nmbrs Trigger's poll as n8n does: n8n-core's real PollContext on a Workflow whose
 * static data is kept between polls. n8n saves a workflow's static data after each poll and
 * loads it on the next (also after a restart); `poll()` does the same with a JSON copy, so only
 * what survives serialisation survives here too.
 */
import { PollContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { NmbrsApi } from '../../packages/n8n-nodes-nmbrs/credentials/NmbrsApi.credentials';
import { VismaNetOAuth2Api } from '../../credentials/VismaNetOAuth2Api.credentials';
import { Nmbrs } from '../../packages/n8n-nodes-nmbrs/nodes/Nmbrs/Nmbrs.node';
import { NmbrsTrigger } from '../../packages/n8n-nodes-nmbrs/nodes/NmbrsTrigger/NmbrsTrigger.node';
import {
	createPayrollFlow,
	monthEndChain,
	NODE_TYPES,
	type FlowTypes,
} from './harness/payrollFlow';
import type { WorkflowRunResult } from './harness/workflowHarness';
import type { Sandbox } from '../../sandboxes/visma-net/server';
import { harnessNode, NMBRS_PACKAGE_NAME, WorkflowHarness } from './harness/workflowHarness';
import type { NmbrsSandbox } from '../../sandboxes/nmbrs/server';

export const TRIGGER_NAME = 'Nmbrs Trigger';

export interface TriggerRunner {
	readonly harness: WorkflowHarness;
	readonly node: INode;
	/** The static data as n8n stored it after the last poll. */
	staticData: IDataObject;
	poll(mode?: WorkflowExecuteMode): Promise<INodeExecutionData[][] | null>;
	/** The journals a poll emitted (empty when it returned null). */
	pollJournals(mode?: WorkflowExecuteMode): Promise<IDataObject[]>;
}

export function nmbrsCredentialData(sandbox: NmbrsSandbox): IDataObject {
	return { ...sandbox.demo, environment: 'custom', customUrl: sandbox.url };
}

export function createTriggerRunner(
	sandbox: NmbrsSandbox,
	parameters: INodeParameters = {},
	harness?: WorkflowHarness,
): TriggerRunner {
	const workflowHarness =
		harness ??
		new WorkflowHarness({
			nodeTypes: [NmbrsTrigger, Nmbrs, ...NODE_TYPES],
			credentialTypes: [NmbrsApi, VismaNetOAuth2Api],
		});
	const credential = workflowHarness.addCredential({
		type: 'nmbrsApi',
		data: nmbrsCredentialData(sandbox) as never,
	});
	const node = harnessNode(TRIGGER_NAME, `${NMBRS_PACKAGE_NAME}.nmbrsTrigger`, parameters, {
		credentials: { nmbrsApi: credential },
	});
	const runner: TriggerRunner = {
		harness: workflowHarness,
		node,
		staticData: {},
		async poll(mode = 'trigger') {
			const workflow = new Workflow({
				id: 'nmbrs-trigger-workflow',
				name: 'Nmbrs trigger',
				nodes: [node],
				connections: {},
				nodeTypes: workflowHarness.nodeTypes,
				active: true,
				staticData: structuredClone(runner.staticData),
			});
			const context = new PollContext(
				workflow,
				node,
				workflowHarness.createAdditionalData(),
				mode,
				mode === 'manual' ? 'manual' : 'activate',
			);
			// The trigger as the harness knows it: the source class in tests, the built one in the demo.
			const trigger = workflowHarness.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			if (!trigger.poll) throw new Error(`${node.type} has no poll()`);
			const result = await trigger.poll.call(context);
			if (mode !== 'manual')
				runner.staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			return result;
		},
		async pollJournals(mode) {
			const result = await runner.poll(mode);
			return (result?.[0] ?? []).map((item) => item.json);
		},
	};
	return runner;
}

export interface TriggerChain {
	readonly runner: TriggerRunner;
	/** Runs the month-end chain from the trigger, as n8n runs a polled workflow: the items are the trigger's. */
	run(journals: IDataObject[]): Promise<WorkflowRunResult>;
}

/** The Nmbrs Trigger and the month-end chain in one harness, with a Visma.net and an Nmbrs credential. */
export function createTriggerChain(
	visma: Sandbox,
	nmbrs: NmbrsSandbox,
	parameters: INodeParameters,
	types: FlowTypes = {
		nodeTypes: [...NODE_TYPES, NmbrsTrigger],
		credentialTypes: [VismaNetOAuth2Api, NmbrsApi],
	},
): TriggerChain {
	const flow = createPayrollFlow(visma, visma.demo.tenantId, types);
	const runner = createTriggerRunner(nmbrs, parameters, flow.harness);
	const chain = monthEndChain(TRIGGER_NAME, flow.credentials);
	const nodes = [runner.node, ...chain.nodes];
	return {
		runner,
		run: async (journals) =>
			await flow.harness.run(
				{ nodes, connections: chain.connections },
				{
					mode: 'trigger',
					startNode: TRIGGER_NAME,
					triggerItems: journals.map((json) => ({ json })),
				},
			),
	};
}
