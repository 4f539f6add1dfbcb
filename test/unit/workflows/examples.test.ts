/**
 * The example workflows in workflows/*.json: valid, importable n8n 2.40 JSON that uses only nodes
 * n8n ships (the list below) or this package's nodes with their real parameter names. The smoke
 * test (test/n8n/smoke.mjs) imports them into a real n8n and runs every one of them.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodeType } from 'n8n-workflow';

import { OUR_NODES } from '../../helpers/ourNodes';
import { NMBRS_PACKAGE_NAME, packageOfNode } from '../../../scripts/lib/harness/workflowHarness';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DIR = path.join(ROOT, 'workflows');
const PREFIX = 'n8n-nodes-visma-net-payroll.';

/** The n8n core nodes the examples use, with the typeVersions checked in n8n 2.40.7. */
const BASE_NODES: Record<string, number[]> = {
	'n8n-nodes-base.manualTrigger': [1],
	'n8n-nodes-base.code': [2],
	'n8n-nodes-base.httpRequest': [4.2],
	'n8n-nodes-base.noOp': [1],
	'n8n-nodes-base.switch': [3.2],
	'n8n-nodes-base.webhook': [2],
	'n8n-nodes-base.respondToWebhook': [1.1],
	'n8n-nodes-base.convertToFile': [1.1],
};

/** Our node types as workflow JSON names them: `<package>.<name>` (the Nmbrs nodes ship in n8n-nodes-nmbrs). */
const byType = new Map(
	OUR_NODES.map((node) => [
		`${packageOfNode(node.description.name)}.${node.description.name}`,
		node,
	]),
);
const ours = (type: string) => byType.get(type);
const isOurs = (type: string) =>
	type.startsWith(PREFIX) || type.startsWith(`${NMBRS_PACKAGE_NAME}.`);

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	>;
}

const files = fs
	.readdirSync(DIR)
	.filter((file) => file.endsWith('.json'))
	.sort();

/** Every parameter name a node's description can hold (top level), plus n8n's own polling parameter. */
function parameterNames(node: INodeType): Set<string> {
	const names = new Set(
		node.description.properties.map((property: INodeProperties) => property.name),
	);
	if (node.description.polling) names.add('pollTimes');
	return names;
}

/** The collection/fixedCollection children of a property: their names, for one level down. */
function childNames(node: INodeType, parameter: string): Set<string> | undefined {
	const property = node.description.properties.find((p) => p.name === parameter);
	if (!property || !Array.isArray(property.options)) return undefined;
	const names = new Set<string>();
	for (const option of property.options) {
		if ('name' in option) names.add(option.name);
	}
	return property.type === 'collection' || property.type === 'fixedCollection' ? names : undefined;
}

describe('example workflows (workflows/*.json)', () => {
	it('the folder holds the four examples', () => {
		expect(files).toEqual([
			'dry-run-preview.json',
			'month-end.json',
			'multi-company.json',
			'nmbrs-xml-webhook.json',
		]);
	});

	const { PACKAGE_DIRS } = JSON.parse(
		fs.readFileSync(path.join(ROOT, 'scripts', 'packages.json'), 'utf8'),
	) as { PACKAGE_DIRS: string[] };
	const credentialFiles = PACKAGE_DIRS.flatMap(
		(dir) =>
			(
				JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as {
					n8n: { credentials: string[] };
				}
			).n8n.credentials,
	);
	const credentialTypes = new Set(
		credentialFiles.map((file) => {
			const base = path.basename(file, '.credentials.js');
			return base.charAt(0).toLowerCase() + base.slice(1);
		}),
	);

	describe.each(files)('%s', (file) => {
		const text = fs.readFileSync(path.join(DIR, file), 'utf8');
		const workflow = JSON.parse(text) as Workflow;

		it('is a workflow n8n imports: id, name, nodes with unique names and ids, connections', () => {
			expect(typeof workflow.id).toBe('string');
			expect(workflow.id.length).toBeGreaterThan(0);
			expect(workflow.id.length).toBeLessThanOrEqual(21);
			expect(typeof workflow.name).toBe('string');
			expect(Array.isArray(workflow.nodes)).toBe(true);
			const names = workflow.nodes.map((n) => n.name);
			expect(new Set(names).size).toBe(names.length);
			expect(new Set(workflow.nodes.map((n) => n.id)).size).toBe(names.length);
		});

		it('uses only known n8n core nodes or this package’s nodes (typeVersion 1, real parameter names)', () => {
			for (const node of workflow.nodes) {
				if (isOurs(node.type)) {
					const ours = byType.get(node.type);
					expect({ node: node.name, known: Boolean(ours) }).toEqual({
						node: node.name,
						known: true,
					});
					expect({ node: node.name, typeVersion: node.typeVersion }).toEqual({
						node: node.name,
						typeVersion: 1,
					});
					const allowed = parameterNames(ours as INodeType);
					for (const parameter of Object.keys(node.parameters)) {
						expect({ node: node.name, parameter, known: allowed.has(parameter) }).toEqual({
							node: node.name,
							parameter,
							known: true,
						});
						const children = childNames(ours as INodeType, parameter);
						const value = node.parameters[parameter];
						if (children && value && typeof value === 'object' && !Array.isArray(value)) {
							for (const child of Object.keys(value)) {
								expect({
									node: node.name,
									parameter: `${parameter}.${child}`,
									known: children.has(child),
								}).toEqual({
									node: node.name,
									parameter: `${parameter}.${child}`,
									known: true,
								});
							}
						}
					}
				} else {
					expect({ node: node.name, type: node.type, versions: BASE_NODES[node.type] }).toEqual({
						node: node.name,
						type: node.type,
						versions: expect.arrayContaining([node.typeVersion]),
					});
				}
			}
		});

		it('sets every picker (resource locator) as n8n 2.40 saves one: { __rl: true, value, mode } with a mode of the parameter', () => {
			for (const node of workflow.nodes.filter((candidate) => ours(candidate.type))) {
				for (const property of (ours(node.type) as INodeType).description.properties.filter(
					(candidate) => candidate.type === 'resourceLocator',
				)) {
					const value = node.parameters[property.name];
					if (value === undefined) continue;
					expect({ node: node.name, parameter: property.name, value }).toEqual({
						node: node.name,
						parameter: property.name,
						value: expect.objectContaining({
							__rl: true,
							value: expect.any(String),
							mode: expect.stringMatching(
								new RegExp(`^(${(property.modes ?? []).map((mode) => mode.name).join('|')})$`),
							),
						}),
					});
				}
			}
		});

		it('connects only existing nodes, and every node but the start is reached', () => {
			const names = new Set(workflow.nodes.map((n) => n.name));
			const reached = new Set<string>();
			for (const [from, connection] of Object.entries(workflow.connections)) {
				expect(names.has(from)).toBe(true);
				for (const output of connection.main) {
					for (const edge of output) {
						expect({ from, to: edge.node, exists: names.has(edge.node) }).toEqual({
							from,
							to: edge.node,
							exists: true,
						});
						expect(edge.type).toBe('main');
						reached.add(edge.node);
					}
				}
			}
			const starts = workflow.nodes.filter((n) => !reached.has(n.name)).map((n) => n.type);
			expect(starts).toHaveLength(1);
			expect(starts[0]).toMatch(/(manualTrigger|webhook|nmbrsTrigger)$/);
		});

		it('references only credential types this package declares, and our nodes declare them', () => {
			for (const node of workflow.nodes) {
				for (const [type, reference] of Object.entries(node.credentials ?? {})) {
					expect(credentialTypes.has(type)).toBe(true);
					expect(typeof reference.id).toBe('string');
					expect(typeof reference.name).toBe('string');
					if (isOurs(node.type)) {
						const declared = (ours(node.type)?.description.credentials ?? []).map((c) => c.name);
						expect(declared).toContain(type);
					}
				}
			}
		});

		it('routes the Invalid output of Validate Journal and the error output of every posting Post node to a notification', () => {
			for (const node of workflow.nodes) {
				if (node.type === `${PREFIX}vismaNetValidateJournal`) {
					expect(workflow.connections[node.name]?.main?.[1]?.length ?? 0).toBeGreaterThan(0);
				}
				if (node.type === `${PREFIX}vismaNetPostJournal` && node.parameters.mode === 'post') {
					expect((node as unknown as { onError?: string }).onError).toBe('continueErrorOutput');
					expect(workflow.connections[node.name]?.main?.[1]?.length ?? 0).toBeGreaterThan(0);
				}
			}
		});

		it('every node that can refuse an item after Validate (Split, Map, Post) sends it on its error output to a message', () => {
			for (const node of workflow.nodes) {
				if (
					![
						`${PREFIX}vismaNetSplitTwk`,
						`${PREFIX}vismaNetMapDimensions`,
						`${PREFIX}vismaNetPostJournal`,
					].includes(node.type)
				)
					continue;
				expect({
					node: node.name,
					onError: (node as unknown as { onError?: string }).onError,
				}).toEqual({ node: node.name, onError: 'continueErrorOutput' });
				expect({
					node: node.name,
					errorOutput: (workflow.connections[node.name]?.main?.[1]?.length ?? 0) > 0,
				}).toEqual({ node: node.name, errorOutput: true });
			}
		});

		it('a notification that cannot be sent fails its step (no On Error: Continue), and the target to fill in is said plainly', () => {
			for (const node of workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.httpRequest')) {
				expect({
					node: node.name,
					onError: (node as unknown as { onError?: string }).onError,
				}).toEqual({ node: node.name, onError: undefined });
				expect(node.parameters.url).toMatch(/PAYROLL_NOTIFY_URL/);
				expect(node.parameters.url).not.toMatch(/example\.com/);
				expect((node as unknown as { notes?: string }).notes).toMatch(/^FILL IN: /);
			}
		});
	});

	it('multi-company: one chain (trigger for all companies → Validate → Split → Map → Post) with one Visma.net credential, no routing per company', () => {
		const workflow = JSON.parse(
			fs.readFileSync(path.join(DIR, 'multi-company.json'), 'utf8'),
		) as Workflow;
		const ofType = (type: string) =>
			workflow.nodes.filter((n) => n.type === `${packageOfNode(type)}.${type}`);
		expect(workflow.nodes.some((n) => n.type === 'n8n-nodes-base.switch')).toBe(false);
		const [trigger] = ofType('nmbrsTrigger');
		expect(trigger.parameters.companyScope).toBe('all');
		const chain = [
			trigger,
			...[
				'vismaNetValidateJournal',
				'vismaNetSplitTwk',
				'vismaNetMapDimensions',
				'vismaNetPostJournal',
			].map((type) => {
				const nodes = ofType(type);
				expect(nodes).toHaveLength(1);
				return nodes[0];
			}),
		];
		for (let index = 1; index < chain.length; index++) {
			expect(workflow.connections[chain[index - 1].name].main[0].map((c) => c.node)).toEqual([
				chain[index].name,
			]);
		}
		// One credential for every company: the credential's Administrations decide the Visma.net company per item.
		const credentialIds = new Set(
			workflow.nodes.flatMap((n) =>
				n.credentials?.vismaNetOAuth2Api ? [n.credentials.vismaNetOAuth2Api.id] : [],
			),
		);
		expect([...credentialIds]).toEqual(['VismaSmokeCredOffice']);
		const post = chain[4];
		expect(post.parameters.administrations).toBeUndefined();
		// A journal Map cannot work on (a company without an administration) reaches a notification.
		const map = chain[3] as WorkflowNode & { onError?: string };
		expect(map.onError).toBe('continueErrorOutput');
		expect(workflow.connections[map.name].main[1].map((c) => c.node)).toEqual([
			'Message: journal refused',
		]);
	});
});
