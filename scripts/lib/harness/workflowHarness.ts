/**
 * Workflow harness: runs a workflow (nodes + connections, as n8n exports it) in-process through
 * n8n-core's `WorkflowExecute`, the same engine n8n uses, with
 * - node types: our own nodes (given as classes or instances) plus minimal built-ins under their
 *   real n8n names (`n8n-nodes-base.manualTrigger`, `.noOp`, `.code`; see builtinNodes.ts);
 * - credentials held in memory by {@link InMemoryCredentialsHelper}, which applies credential-type
 *   defaults, `extends` (a copy of n8n's `oAuth2Api` is built in) and `$self` expressions like
 *   n8n does, and stores OAuth2 tokens written back by n8n-core;
 * - the DI services n8n-core needs (InstanceSettings in a throw-away folder, LockService for the
 *   OAuth2 token refresh lock).
 * HTTP is real: intercept it with nock (`nock.disableNetConnect()` in the test).
 *
 * @example
 * ```ts
 * const harness = new WorkflowHarness({
 *   nodeTypes: [VismaNetPostJournal],
 *   credentialTypes: [VismaNetOAuth2Api],
 * });
 * const visma = harness.addCredential({ type: 'vismaNetOAuth2Api', data: { ... } });
 * const result = await harness.run({
 *   nodes: [
 *     harnessNode('Start', 'n8n-nodes-base.manualTrigger'),
 *     harnessNode('Input', 'n8n-nodes-base.code', { jsCode: 'return [{ reference: "R1" }]' }),
 *     harnessNode('Post', 'n8n-nodes-visma-net-payroll.vismaNetPostJournal', { mode: 'dryRun' },
 *       { credentials: { vismaNetOAuth2Api: visma } }),
 *   ],
 *   connections: connectChain('Start', 'Input', 'Post'),
 * });
 * expect(result.nodes.Post.error).toBeUndefined();
 * expect(result.json('Post')).toEqual([...]);
 * ```
 */
import { LockService } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, ExternalSecretsProxy, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INode,
	INodeCredentials,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IPairedItemData,
	IPinData,
	IRun,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, NodeHelpers, UnexpectedError, Workflow } from 'n8n-workflow';
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { BUILTIN_NODE_TYPES } from './builtinNodes';
import type { CredentialTypeInput, NewCredential, StoredCredential } from './credentials';
import { HarnessCredentialTypes, InMemoryCredentialsHelper } from './credentials';

export { CodeNode, ManualTriggerNode, NoOpNode } from './builtinNodes';
export {
	HarnessCredentialTypes,
	InMemoryCredentialsHelper,
	OAUTH_PINNED_FIELDS,
} from './credentials';
export type { CredentialTypeInput, NewCredential, StoredCredential } from './credentials';
export { OAuth2ApiCredential } from './oAuth2ApiCredential';
export { harnessNode, nodeDescription, singleNodeWorkflow } from './harnessNode';

/** The npm package names; n8n prefixes a node's type name with its package's in workflow JSON. */
export const PACKAGE_NAME = 'n8n-nodes-visma-net-payroll';
export const NMBRS_PACKAGE_NAME = 'n8n-nodes-nmbrs';

const ROOT = path.resolve(__dirname, '..', '..', '..');

let nodePackages: Map<string, string> | undefined;

/**
 * Each node type of this repository by its name (`description.name`), with the npm package it
 * ships in: the packages are scripts/packages.json's, their nodes those each package.json tells
 * n8n to load (`n8n.nodes`, `dist/nodes/X/X.node.js`), named by the codex file beside each node's
 * source (`nodes/X/X.node.json`: `<package>.<name>`, held to the node's name by
 * test/unit/nodes/contract.test.ts).
 */
function packagesOfNodes(): Map<string, string> {
	if (nodePackages) return nodePackages;
	const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;
	const { PACKAGE_DIRS } = read(path.join(ROOT, 'scripts', 'packages.json')) as {
		PACKAGE_DIRS: string[];
	};
	nodePackages = new Map();
	for (const dir of PACKAGE_DIRS) {
		const { name: packageName, n8n } = read(path.join(ROOT, dir, 'package.json')) as {
			name: string;
			n8n: { nodes: string[] };
		};
		for (const built of n8n.nodes) {
			const codex = path.join(ROOT, dir, built.replace(/^dist\//, '').replace(/\.js$/, '.json'));
			const { node } = read(codex) as { node: string };
			if (!node.startsWith(`${packageName}.`))
				throw new UnexpectedError(`${codex} names ${node}, not a node of ${packageName}`);
			nodePackages.set(node.slice(packageName.length + 1), packageName);
		}
	}
	return nodePackages;
}

/**
 * The package a node type of this repository ships in; a node type of no package (a test's own)
 * counts as the Visma.net package's.
 */
export function packageOfNode(name: string): string {
	return packagesOfNodes().get(name) ?? PACKAGE_NAME;
}

type AnyNodeType = INodeType | IVersionedNodeType;

/** A node type for the harness: a class, an instance, or an explicit `{ type, nodeType }`. */
export type NodeTypeInput =
	| AnyNodeType
	| (new () => AnyNodeType)
	| { type: string; nodeType: AnyNodeType | (new () => AnyNodeType) };

export interface WorkflowHarnessOptions {
	/**
	 * Our node types. Each is registered as `<its package>.<description.name>` (the name n8n gives
	 * it in workflow JSON: `n8n-nodes-visma-net-payroll.…` or `n8n-nodes-nmbrs.…`) and as the bare
	 * `<description.name>`, unless given with an explicit `type`.
	 */
	nodeTypes?: NodeTypeInput[];
	/** Credential types (`oAuth2Api` is built in). */
	credentialTypes?: CredentialTypeInput[];
	/** Credentials to store up front; see {@link WorkflowHarness.addCredential}. */
	credentials?: NewCredential[];
}

/** A workflow as n8n exports it; node ids, versions and positions may be left out. */
export interface HarnessWorkflow {
	name?: string;
	nodes: Array<
		Omit<INode, 'id' | 'typeVersion' | 'position'> &
			Partial<Pick<INode, 'id' | 'typeVersion' | 'position'>>
	>;
	connections: IConnections;
	settings?: IWorkflowSettings;
	pinData?: IPinData;
}

export interface RunOptions {
	/**
	 * n8n execution mode. Default `'manual'` (the Manual Trigger emits one empty item), or
	 * `'trigger'` when `triggerItems` are given.
	 */
	mode?: WorkflowExecuteMode;
	/** Name of the node to start from. Default: n8n's choice (the trigger). */
	startNode?: string;
	/** Items the start node emits (as if its trigger fired with them). Not with mode `'manual'`. */
	triggerItems?: INodeExecutionData[];
}

/** An output item as the harness reports it. */
export interface HarnessItem {
	json: IDataObject;
	pairedItem?: IPairedItemData | IPairedItemData[] | number;
	binary?: INodeExecutionData['binary'];
}

/** One run of one node. */
export interface NodeRun {
	/** Items per main output (index 0 = first output). Empty when the node failed. */
	outputs: HarnessItem[][];
	error?: ExecutionError;
	executionStatus?: ExecutionStatus;
}

/** What happened to one node: its last run up front, all runs in `runs`. */
export interface NodeResult extends NodeRun {
	/** Items of the first main output of the last run. */
	items: HarnessItem[];
	runs: NodeRun[];
}

export interface WorkflowRunResult {
	status: ExecutionStatus;
	finished: boolean;
	/** The error that stopped the workflow, if any (same object as the failing node's `error`). */
	error?: ExecutionError;
	/** Per executed node, by node name. Nodes that did not run are absent. */
	nodes: Record<string, NodeResult>;
	/** Node names in the order they finished. */
	executionOrder: string[];
	/** `json` of each item of a node's output (default: first output of the last run). */
	json(nodeName: string, outputIndex?: number): IDataObject[];
	/** n8n's raw result, for anything else. */
	run: IRun;
}

/** Registry of node types (n8n's `INodeTypes`). */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	constructor(inputs: NodeTypeInput[] = []) {
		for (const [type, nodeType] of Object.entries(BUILTIN_NODE_TYPES))
			this.types.set(type, nodeType);
		for (const input of inputs) this.register(input);
	}

	register(input: NodeTypeInput): void {
		const instantiate = (value: AnyNodeType | (new () => AnyNodeType)) =>
			typeof value === 'function' ? new value() : value;
		if ('type' in input && 'nodeType' in input) {
			this.types.set(input.type, instantiate(input.nodeType));
			return;
		}
		const nodeType = instantiate(input as AnyNodeType | (new () => AnyNodeType));
		const { name } = nodeType.description;
		this.types.set(`${packageOfNode(name)}.${name}`, nodeType);
		this.types.set(name, nodeType);
	}

	getByName(nodeType: string): AnyNodeType {
		const found = this.types.get(nodeType);
		if (!found) {
			throw new UnexpectedError(
				`Unknown node type "${nodeType}". Known: ${[...this.types.keys()].join(', ')}`,
			);
		}
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

let diReady = false;

/**
 * Prepares what n8n-core takes from its DI container: `InstanceSettings` (built by the container
 * from N8N_USER_FOLDER, pointed at <tmp>/n8n-harness-<jest worker> so nothing is written to
 * ~/.n8n), n8n's
 * `Logger` (N8N_LOG_LEVEL defaults to `silent` here; set it to `debug` to see n8n-core's OAuth2
 * messages) and `LockService` (in-process lock `requestOAuth2` takes around a token refresh).
 * Environment variables already set win.
 */
export function ensureN8nContainer(): void {
	if (diReady) return;
	if (process.env.N8N_USER_FOLDER === undefined) {
		// One folder per jest worker, reused across runs, so they do not pile up in /tmp.
		const folder = path.join(tmpdir(), `n8n-harness-${process.env.JEST_WORKER_ID ?? process.pid}`);
		mkdirSync(folder, { recursive: true });
		process.env.N8N_USER_FOLDER = folder;
	}
	process.env.N8N_LOG_LEVEL ??= 'silent';
	Container.get(LockService);
	diReady = true;
}

const notInHarness = (what: string) => async () => {
	throw new UnexpectedError(`${what} is not available in the workflow harness`);
};

/** Connections for a straight line of nodes: main output 0 of each into input 0 of the next. */
export function connectChain(...nodeNames: string[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i + 1 < nodeNames.length; i++) {
		connections[nodeNames[i]] = {
			main: [[{ node: nodeNames[i + 1], type: 'main', index: 0 }]],
		};
	}
	return connections;
}

function toHarnessItem(item: INodeExecutionData): HarnessItem {
	const result: HarnessItem = { json: item.json };
	if (item.pairedItem !== undefined) result.pairedItem = item.pairedItem;
	if (item.binary !== undefined && Object.keys(item.binary).length > 0) result.binary = item.binary;
	return result;
}

function toNodeRun(task: ITaskData): NodeRun {
	const outputs = (task.data?.main ?? []).map((output) => (output ?? []).map(toHarnessItem));
	return { outputs, error: task.error, executionStatus: task.executionStatus };
}

/** Runs workflows through n8n-core's `WorkflowExecute`; see the file header. */
export class WorkflowHarness {
	readonly nodeTypes: HarnessNodeTypes;

	readonly credentialTypes: HarnessCredentialTypes;

	readonly credentialsHelper: InMemoryCredentialsHelper;

	private executionCounter = 0;

	constructor(options: WorkflowHarnessOptions = {}) {
		ensureN8nContainer();
		this.nodeTypes = new HarnessNodeTypes(options.nodeTypes);
		this.credentialTypes = new HarnessCredentialTypes(options.credentialTypes);
		this.credentialsHelper = new InMemoryCredentialsHelper(this.credentialTypes);
		for (const credential of options.credentials ?? []) this.addCredential(credential);
	}

	/**
	 * Stores a credential and returns the `{ id, name }` to put in a node's `credentials`
	 * (`{ credentials: { vismaNetOAuth2Api: ref } }`). A node whose credential id is unknown gets
	 * the only stored credential of the asked type.
	 */
	addCredential(credential: NewCredential): INodeCredentialsDetails {
		return this.credentialsHelper.addCredential(credential);
	}

	/** A copy of a stored credential (by id, or by type when there is one of it). */
	getStoredCredential(idOrType: string): StoredCredential | undefined {
		return this.credentialsHelper.getStored(idOrType);
	}

	/**
	 * What a node would receive for this credential data outside a node context: defaults applied
	 * and `={{ ... }}` expressions resolved with `$self`, as n8n's credentials helper does.
	 */
	async resolveCredential(
		type: string,
		data: ICredentialDataDecryptedObject,
		mode: WorkflowExecuteMode = 'internal',
	): Promise<ICredentialDataDecryptedObject> {
		return await this.credentialsHelper.applyDefaultsAndOverwrites(
			this.createAdditionalData(),
			structuredClone(data),
			type,
			mode,
		);
	}

	/** The `additionalData` n8n-core gets; hooks are added by `run`. */
	createAdditionalData(hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
		const baseUrl = 'http://localhost:5678';
		const additionalData: IWorkflowExecuteAdditionalData = {
			credentialsHelper: this.credentialsHelper,
			hooks,
			executionId: hooks?.executionId,
			externalSecretsProxy: new ExternalSecretsProxy(),
			executeWorkflow: notInHarness('Execute Workflow'),
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			currentNodeExecutionIndex: 0,
			restApiUrl: `${baseUrl}/rest`,
			instanceBaseUrl: baseUrl,
			formBaseUrl: `${baseUrl}/form`,
			formWaitingBaseUrl: `${baseUrl}/form-waiting`,
			formTestBaseUrl: `${baseUrl}/form-test`,
			webhookBaseUrl: `${baseUrl}/webhook`,
			webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
			webhookTestBaseUrl: `${baseUrl}/webhook-test`,
			mcpBaseUrl: `${baseUrl}/mcp`,
			mcpTestBaseUrl: `${baseUrl}/mcp-test`,
			variables: {},
			logAiEvent: () => undefined,
			startRunnerTask: notInHarness('The task runner'),
		} as IWorkflowExecuteAdditionalData;
		return additionalData;
	}

	/** Runs a workflow to its end and reports every node's output items and error. */
	async run(workflowInput: HarnessWorkflow, options: RunOptions = {}): Promise<WorkflowRunResult> {
		const mode: WorkflowExecuteMode = options.mode ?? (options.triggerItems ? 'trigger' : 'manual');
		if (mode === 'manual' && options.triggerItems) {
			throw new UnexpectedError(
				'triggerItems are ignored by a manual run (the Manual Trigger emits one empty item); use mode "trigger"',
			);
		}

		const nodes: INode[] = workflowInput.nodes.map((node) => ({
			typeVersion: 1,
			position: [0, 0] as [number, number],
			...node,
			id: node.id ?? `${node.name.replace(/\W+/g, '-').toLowerCase()}-id`,
		}));
		const executionId = String(++this.executionCounter);
		const workflowData: IWorkflowBase = {
			id: 'harness-workflow',
			name: workflowInput.name ?? 'Harness workflow',
			active: false,
			isArchived: false,
			activeVersionId: null,
			nodes,
			connections: workflowInput.connections,
			settings: workflowInput.settings,
			pinData: workflowInput.pinData,
			createdAt: new Date(),
			updatedAt: new Date(),
		};
		const workflow = new Workflow({
			id: workflowData.id,
			name: workflowData.name,
			nodes,
			connections: workflowInput.connections,
			nodeTypes: this.nodeTypes,
			settings: workflowInput.settings,
			pinData: workflowInput.pinData,
			active: false,
		});

		const startNode = options.startNode
			? workflow.getNode(options.startNode)
			: workflow.getStartNode();
		if (!startNode) {
			throw new UnexpectedError(
				`No start node found (asked: ${options.startNode ?? 'any trigger'})`,
			);
		}

		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		const executionOrder: string[] = [];
		hooks.addHandler('nodeExecuteAfter', (nodeName) => {
			executionOrder.push(nodeName);
		});
		const additionalData = this.createAdditionalData(hooks);

		const runExecutionData = createRunExecutionData({
			resultData: { runData: {}, pinData: workflowInput.pinData },
			executionData: {
				nodeExecutionStack: [
					{
						node: startNode,
						data: { main: [options.triggerItems ?? [{ json: {} }]] },
						source: null,
					},
				],
			},
		});

		const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
		const run = await workflowExecute.processRunExecutionData(workflow);

		const nodeResults: Record<string, NodeResult> = {};
		for (const [nodeName, tasks] of Object.entries(run.data.resultData.runData)) {
			const runs = tasks.map(toNodeRun);
			const last = runs[runs.length - 1] ?? { outputs: [] };
			nodeResults[nodeName] = { ...last, items: last.outputs[0] ?? [], runs };
		}

		return {
			status: run.status,
			finished: run.finished === true,
			error: run.data.resultData.error,
			nodes: nodeResults,
			executionOrder,
			run,
			json(nodeName: string, outputIndex = 0) {
				const result = nodeResults[nodeName];
				if (!result) {
					throw new UnexpectedError(
						`Node "${nodeName}" did not run. Ran: ${Object.keys(nodeResults).join(', ') || 'none'}`,
					);
				}
				return (result.outputs[outputIndex] ?? []).map((item) => item.json);
			},
		};
	}
}

/** One-shot: a new harness, one run. */
export async function runWorkflow(
	workflow: HarnessWorkflow,
	options: WorkflowHarnessOptions & RunOptions = {},
): Promise<WorkflowRunResult> {
	const { mode, startNode, triggerItems, ...harnessOptions } = options;
	return await new WorkflowHarness(harnessOptions).run(workflow, { mode, startNode, triggerItems });
}

/** Credentials for a node: `{ [type]: ref }`. */
export function nodeCredentials(type: string, ref: INodeCredentialsDetails): INodeCredentials {
	return { [type]: ref };
}
