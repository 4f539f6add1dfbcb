/**
 * The month-end chain (Validate → Split → Map → Post) run through n8n's engine against the local
 * Visma.net sandbox, for the workflow tests, the demo and the trigger runner. Journals enter through a Code node, as they would from a
 * trigger; the credential points at the sandbox (`environment: custom`).
 */
import type {
	ICredentialDataDecryptedObject,
	IConnections,
	INode,
	INodeParameters,
} from 'n8n-workflow';

import { VismaNetOAuth2Api } from '../../../credentials/VismaNetOAuth2Api.credentials';
import { VismaNetMapDimensions } from '../../../nodes/VismaNetMapDimensions/VismaNetMapDimensions.node';
import { VismaNetPostJournal } from '../../../nodes/VismaNetPostJournal/VismaNetPostJournal.node';
import { VismaNetSplitTwk } from '../../../nodes/VismaNetSplitTwk/VismaNetSplitTwk.node';
import { VismaNetValidateJournal } from '../../../nodes/VismaNetValidateJournal/VismaNetValidateJournal.node';
import type { Sandbox } from '../../../sandboxes/visma-net/server';
import { harnessNode, WorkflowHarness, type WorkflowRunResult } from './workflowHarness';

export const NODE_TYPES = [
	VismaNetValidateJournal,
	VismaNetSplitTwk,
	VismaNetMapDimensions,
	VismaNetPostJournal,
];

const PREFIX = 'n8n-nodes-visma-net-payroll.';

export interface FlowParameters {
	validate?: INodeParameters;
	split?: INodeParameters;
	map?: INodeParameters;
	post?: INodeParameters;
	/** Continue On Fail on every node of the chain. */
	continueOnFail?: boolean;
}

export interface PayrollFlow {
	readonly harness: WorkflowHarness;
	/** The node credentials of the Visma.net credential this flow added. */
	readonly credentials: INode['credentials'];
	/** Runs the chain on these journals (one item each). */
	run(journals: readonly object[], parameters?: FlowParameters): Promise<WorkflowRunResult>;
}

/** Which classes to run: the TypeScript sources (tests) or the built package in dist/ (the demo). */
export interface FlowTypes {
	nodeTypes: ConstructorParameters<typeof WorkflowHarness>[0] extends infer O
		? O extends { nodeTypes?: infer N }
			? N
			: never
		: never;
	credentialTypes: ConstructorParameters<typeof WorkflowHarness>[0] extends infer O
		? O extends { credentialTypes?: infer C }
			? C
			: never
		: never;
}

/**
 * A Visma.net credential's data for the sandbox: its demo client (client credentials), both custom
 * URLs at `sandbox.url`, and `tenantId` (default: the first company's); `extra` adds to or
 * replaces fields, e.g. `administrations` or another client.
 */
export function sandboxCredentialData(
	sandbox: Pick<Sandbox, 'url' | 'demo'>,
	tenantId: string = sandbox.demo.tenantId,
	extra: Record<string, unknown> = {},
): ICredentialDataDecryptedObject {
	return {
		grantType: 'clientCredentials',
		environment: 'custom',
		customApiUrl: sandbox.url,
		customConnectUrl: sandbox.url,
		clientId: sandbox.demo.clientId,
		clientSecret: sandbox.demo.clientSecret,
		tenantId,
		...extra,
	} as ICredentialDataDecryptedObject;
}

/**
 * A harness with our nodes and one Visma.net credential for `tenantId` in the sandbox;
 * `credentialData` adds to (or replaces) its fields, e.g. `administrations` or another client.
 */
export function createPayrollFlow(
	sandbox: Sandbox,
	tenantId: string = sandbox.demo.tenantId,
	types: FlowTypes = { nodeTypes: NODE_TYPES, credentialTypes: [VismaNetOAuth2Api] },
	credentialData: Record<string, unknown> = {},
): PayrollFlow {
	const harness = new WorkflowHarness(types);
	const credential = harness.addCredential({
		type: 'vismaNetOAuth2Api',
		data: sandboxCredentialData(sandbox, tenantId, credentialData),
	});
	const credentials = { vismaNetOAuth2Api: credential };
	return {
		harness,
		credentials,
		async run(journals, parameters = {}) {
			const chain = monthEndChain('Journals', credentials, parameters);
			const nodes: INode[] = [
				harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
				harnessNode('Journals', 'n8n-nodes-base.code', {
					jsCode: `return ${JSON.stringify(journals.map((json) => ({ json })))};`,
				}),
				...chain.nodes,
			];
			const connections: IConnections = {
				Start: { main: [[{ node: 'Journals', type: 'main', index: 0 }]] },
				...chain.connections,
			};
			return await harness.run({ nodes, connections });
		},
	};
}

/**
 * Validate Journal → Split TWK by Period → Map Dimensions → Post Journal Transaction, fed by the
 * node named `from` (a Code node, or the Nmbrs Trigger); Validate's Invalid output ends there.
 */
export function monthEndChain(
	from: string,
	credentials: INode['credentials'],
	parameters: FlowParameters = {},
): { nodes: INode[]; connections: IConnections } {
	const extra = { credentials, ...(parameters.continueOnFail ? { continueOnFail: true } : {}) };
	return {
		nodes: [
			harnessNode(
				'Validate Journal',
				`${PREFIX}vismaNetValidateJournal`,
				{ inputFormat: 'canonical', ...parameters.validate },
				extra,
			),
			harnessNode(
				'Split TWK by Period',
				`${PREFIX}vismaNetSplitTwk`,
				{ ...parameters.split },
				extra,
			),
			harnessNode('Map Dimensions', `${PREFIX}vismaNetMapDimensions`, { ...parameters.map }, extra),
			harnessNode(
				'Post Journal Transaction',
				`${PREFIX}vismaNetPostJournal`,
				{ mode: 'post', ...parameters.post },
				extra,
			),
		],
		connections: {
			[from]: { main: [[{ node: 'Validate Journal', type: 'main', index: 0 }]] },
			'Validate Journal': { main: [[{ node: 'Split TWK by Period', type: 'main', index: 0 }], []] },
			'Split TWK by Period': { main: [[{ node: 'Map Dimensions', type: 'main', index: 0 }]] },
			'Map Dimensions': { main: [[{ node: 'Post Journal Transaction', type: 'main', index: 0 }]] },
		},
	};
}

/** The batches the sandbox holds for a tenant. */
export function batchesOf(sandbox: Sandbox, tenantId: string = sandbox.demo.tenantId) {
	return sandbox.state().tenants.find((tenant) => tenant.tenantId === tenantId)?.batches ?? [];
}
