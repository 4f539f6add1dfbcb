/**
 * A workflow node for tests (the harness's workflows, and the `INode` a unit test hands to n8n's
 * errors or a fake execution context). Kept apart from workflowHarness.ts so that a unit test
 * needing only a node does not load n8n-core.
 */
import {
	NodeConnectionTypes,
	Workflow,
	type INode,
	type INodeParameters,
	type INodeTypeDescription,
	type INodeTypes,
} from 'n8n-workflow';

/** Builds a workflow node; id, version and position get defaults. */
export function harnessNode(
	name: string,
	type: string,
	parameters: INodeParameters = {},
	extra: Partial<Omit<INode, 'name' | 'type' | 'parameters'>> = {},
): INode {
	return {
		id: extra.id ?? `${name.replace(/\W+/g, '-').toLowerCase()}-id`,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...extra,
	};
}

/** A workflow of `node` alone (inactive, no connections): to evaluate its expressions, or test a credential. */
export function singleNodeWorkflow(node: INode, nodeTypes: INodeTypes): Workflow {
	return new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
}

/**
 * The description of a test's own node type (or a stand-in): version 1, one main input and one
 * main output, `defaults.name` its display name, no properties; `overrides` sets any field.
 */
export function nodeDescription(
	displayName: string,
	name: string,
	overrides: Partial<INodeTypeDescription> = {},
): INodeTypeDescription {
	return {
		displayName,
		name,
		group: ['transform'],
		version: 1,
		description: 'Test only',
		defaults: { name: displayName },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
		...overrides,
	};
}
