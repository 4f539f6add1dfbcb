/**
 * The names other tools rely on (journal-contract §7): node type names, display names, parameter
 * names, option values and defaults, the credential's fields, and the package facts n8n reads
 * when it installs a community node. Workflows written by users refer to these names; a rename
 * after release breaks them, so each one is pinned here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type {
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { VismaNetOAuth2Api } from '../../../credentials/VismaNetOAuth2Api.credentials';
import { Nmbrs } from '../../../packages/n8n-nodes-nmbrs/nodes/Nmbrs/Nmbrs.node';
import { DEFAULT_DIMENSION_OPTIONS } from '../../../nodes/core/mapDimensions';
import { DEFAULT_ROUNDING_TOLERANCE_TEXT } from '../../../nodes/core/validateJournal';
import { VismaNetMapDimensions } from '../../../nodes/VismaNetMapDimensions/VismaNetMapDimensions.node';
import { VismaNet } from '../../../nodes/VismaNet/VismaNet.node';
import { VismaNetPostJournal } from '../../../nodes/VismaNetPostJournal/VismaNetPostJournal.node';
import { VismaNetSplitTwk } from '../../../nodes/VismaNetSplitTwk/VismaNetSplitTwk.node';
import { VismaNetValidateJournal } from '../../../nodes/VismaNetValidateJournal/VismaNetValidateJournal.node';

const ROOT = path.resolve(__dirname, '../../..');
const PACKAGE_NAME = 'n8n-nodes-visma-net-payroll';

interface PackageJson {
	name: string;
	keywords: string[];
	files: string[];
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
}

const packageJson = JSON.parse(
	readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
) as PackageJson;

/** One parameter as §7 names it: its default and, for option lists, every value (default first). */
interface ParameterContract {
	readonly default: unknown;
	readonly values?: readonly string[];
}

interface NodeContract {
	/** The package's folder, when not the root (the Nmbrs package). */
	readonly dir?: string;
	readonly folder: string;
	readonly nodeType: new () => INodeType;
	readonly name: string;
	readonly displayName: string;
	readonly parameters: Readonly<Record<string, ParameterContract>>;
	/** Whether it changes anything in Visma.net: only nodes that never write are offered to AI agents. */
	readonly writes?: boolean;
}

const NODES: readonly NodeContract[] = [
	{
		folder: 'VismaNetValidateJournal',
		nodeType: VismaNetValidateJournal,
		name: 'vismaNetValidateJournal',
		displayName: 'Validate Journal',
		parameters: {
			inputFormat: { default: 'canonical', values: ['canonical', 'nmbrsXml'] },
			xmlField: { default: 'journalXml' },
			roundingAccount: { default: '' },
			roundingTolerance: { default: 0.05 },
			checkInVismaNet: { default: false },
		},
	},
	{
		folder: 'VismaNetSplitTwk',
		nodeType: VismaNetSplitTwk,
		name: 'vismaNetSplitTwk',
		displayName: 'Split TWK by Period',
		parameters: {
			closedPeriodPolicy: { default: 'fail', values: ['fail', 'firstOpenPeriod', 'runPeriod'] },
			readPeriodsFromVismaNet: { default: false },
		},
	},
	{
		folder: 'VismaNetMapDimensions',
		nodeType: VismaNetMapDimensions,
		name: 'vismaNetMapDimensions',
		displayName: 'Map Dimensions',
		parameters: {
			useCostCenters: { default: true },
			costCenterDimension: { default: 'Kostenplaats' },
			useCostUnits: { default: false },
			costUnitDimension: { default: 'Kostendrager' },
			matchValuesBy: { default: 'code', values: ['code', 'description'] },
		},
	},
	{
		folder: 'VismaNetPostJournal',
		nodeType: VismaNetPostJournal,
		name: 'vismaNetPostJournal',
		displayName: 'Post Journal Transaction',
		parameters: {
			mode: { default: 'post', values: ['post', 'dryRun'] },
			hold: { default: false },
			release: { default: false },
			onChangedJournal: { default: 'fail', values: ['fail', 'differenceJournal'] },
			batchNumbers: { default: 'series', values: ['series', 'derived'] },
			// Empty: the company default (resource locators; a plain string of an older workflow still works).
			ledger: { default: '' },
			branch: { default: '' },
		},
		writes: true,
	},
	{
		folder: 'VismaNet',
		nodeType: VismaNet,
		name: 'vismaNet',
		displayName: 'Visma.net',
		parameters: {
			operation: {
				default: 'checkSetup',
				values: ['checkSetup', 'getPostingStatus', 'listPayrollBatches'],
			},
		},
	},
	{
		dir: 'packages/n8n-nodes-nmbrs',
		folder: 'Nmbrs',
		nodeType: Nmbrs,
		name: 'nmbrs',
		displayName: 'Nmbrs',
		parameters: {
			operation: { default: 'getJournal', values: ['getJournal', 'getRuns'] },
			// Resource locators (a plain ID of an older workflow still works).
			companyId: { default: '' },
			runId: { default: '' },
			year: { default: 2026 },
		},
	},
];

function describeNode(contract: NodeContract): INodeTypeDescription {
	return new contract.nodeType().description;
}

function topLevelParameter(properties: readonly INodeProperties[], name: string): INodeProperties {
	const found = properties.filter((property) => property.name === name);
	expect(found).toHaveLength(1);
	return found[0];
}

function optionValues(property: INodeProperties): unknown[] {
	return ((property.options ?? []) as INodePropertyOptions[]).map((option) => option.value);
}

describe.each(NODES)('node $name (journal-contract §7)', (contract) => {
	const description = describeNode(contract);
	const packageDir = path.join(ROOT, contract.dir ?? '.');
	const nodePackage = contract.dir
		? (JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as PackageJson)
		: packageJson;
	const nodeFolder = path.join(packageDir, 'nodes', contract.folder);

	it('has the contract’s type name and display name', () => {
		expect(description.name).toBe(contract.name);
		expect(description.displayName).toBe(contract.displayName);
		expect(description.defaults.name).toBe(contract.displayName);
	});

	it.each(Object.entries(contract.parameters))(
		'offers %s with the contract’s default and values',
		(name, expected) => {
			const parameter = topLevelParameter(description.properties, name);
			// A resource locator's default is { __rl, mode, value }: the contract names its value.
			const value =
				parameter.type === 'resourceLocator'
					? (parameter.default as { value: unknown }).value
					: parameter.default;
			expect(value).toEqual(expected.default);
			if (expected.values) {
				expect(parameter.type).toBe('options');
				expect(optionValues(parameter)).toEqual(expected.values);
			}
		},
	);

	it(
		contract.writes
			? 'is not offered to AI agents (it writes to Visma.net)'
			: 'is usable as an AI tool (it never writes)',
		() => {
			expect(description.usableAsTool ?? false).toBe(!contract.writes);
		},
	);

	it('has a light and a dark icon, both on disk (relative to the node folder) and different', () => {
		const icon = description.icon as { light: string; dark: string };
		expect(icon.light).toMatch(/^file:.+\.svg$/);
		expect(icon.dark).toMatch(/^file:.+\.svg$/);
		const light = path.resolve(nodeFolder, icon.light.slice('file:'.length));
		const dark = path.resolve(nodeFolder, icon.dark.slice('file:'.length));
		expect(existsSync(light)).toBe(true);
		expect(existsSync(dark)).toBe(true);
		expect(light).not.toBe(dark);
		expect(readFileSync(light, 'utf8')).not.toBe(readFileSync(dark, 'utf8'));
	});

	it('has a codex file that names it under the package', () => {
		const codexPath = path.join(nodeFolder, `${contract.folder}.node.json`);
		expect(existsSync(codexPath)).toBe(true);
		const codex = JSON.parse(readFileSync(codexPath, 'utf8')) as { node: string };
		expect(codex.node).toBe(`${nodePackage.name}.${contract.name}`);
	});

	it('is listed in package.json n8n.nodes as its built dist/ file', () => {
		expect(nodePackage.n8n.nodes).toContain(
			`dist/nodes/${contract.folder}/${contract.folder}.node.js`,
		);
	});
});

/**
 * Loads a node description with one core module's constants replaced: a description that reads
 * the constant follows the change, one that repeats the value as a literal does not.
 */
function descriptionWithCore(
	corePath: string,
	constants: Record<string, unknown>,
	nodePath: string,
): INodeTypeDescription {
	let description: INodeTypeDescription | undefined;
	jest.isolateModules(() => {
		jest.doMock(corePath, () => ({ ...jest.requireActual<object>(corePath), ...constants }));
		const loaded = jest.requireActual<Record<string, new () => INodeType>>(nodePath);
		description = new (Object.values(loaded)[0])().description;
	});
	jest.dontMock(corePath);
	if (!description) throw new Error(`could not load ${nodePath}`);
	return description;
}

describe('defaults the core owns come from the core’s constants', () => {
	it('Validate Journal’s rounding tolerance is DEFAULT_ROUNDING_TOLERANCE_TEXT (0.05)', () => {
		expect(DEFAULT_ROUNDING_TOLERANCE_TEXT).toBe('0.05');
		const changed = descriptionWithCore(
			'../../../nodes/core/validateJournal',
			{ DEFAULT_ROUNDING_TOLERANCE_TEXT: '0.07' },
			'../../../nodes/VismaNetValidateJournal/VismaNetValidateJournal.node',
		);
		expect(topLevelParameter(changed.properties, 'roundingTolerance').default).toBe(0.07);
	});

	it.each([
		[
			'Map Dimensions',
			VismaNetMapDimensions,
			'../../../nodes/VismaNetMapDimensions/VismaNetMapDimensions.node',
		],
		['Visma.net (Check Setup)', VismaNet, '../../../nodes/VismaNet/VismaNet.node'],
	] as const)(
		'%s’ dimension defaults are DEFAULT_DIMENSION_OPTIONS',
		(_label, nodeType, nodePath) => {
			const names = [
				'useCostCenters',
				'costCenterDimension',
				'useCostUnits',
				'costUnitDimension',
				'matchValuesBy',
			] as const;
			const properties = new nodeType().description.properties;
			const defaultOf = (property: INodeProperties) =>
				property.type === 'resourceLocator'
					? (property.default as { value: unknown }).value
					: property.default;
			for (const name of names) {
				const found = properties.filter((property) => property.name === name);
				if (found.length) expect(defaultOf(found[0])).toBe(DEFAULT_DIMENSION_OPTIONS[name]);
			}
			// Where n8n's scanner accepts a name (a text default), the description reads the core's
			// constant; booleans and resource locators must be literals, kept equal by the loop above.
			const changed = descriptionWithCore(
				'../../../nodes/core/mapDimensions',
				{
					DEFAULT_COST_CENTER_DIMENSION: 'Afdeling',
					DEFAULT_COST_UNIT_DIMENSION: 'Project',
					DEFAULT_MATCH_VALUES_BY: 'description',
				},
				nodePath,
			);
			const followed = changed.properties.filter(
				(property) =>
					['costCenterDimension', 'costUnitDimension', 'matchValuesBy'].includes(property.name) &&
					property.type !== 'resourceLocator',
			);
			expect(followed.length).toBeGreaterThan(0);
			for (const property of followed)
				expect(['Afdeling', 'Project', 'description']).toContain(property.default);
		},
	);
});

describe('credential vismaNetOAuth2Api (journal-contract §7)', () => {
	const credential = new VismaNetOAuth2Api();

	it('is named vismaNetOAuth2Api and extends n8n’s oAuth2Api', () => {
		expect(credential.name).toBe('vismaNetOAuth2Api');
		expect(credential.extends).toEqual(['oAuth2Api']);
	});

	it.each([
		'grantType',
		'clientId',
		'clientSecret',
		'tenantId',
		'environment',
		'customApiUrl',
		'customConnectUrl',
	])('has the field %s', (name) => {
		expect(credential.properties.filter((property) => property.name === name)).toHaveLength(1);
	});

	it('offers client credentials as the grant type by default, and an interactive grant', () => {
		const grantType = topLevelParameter(credential.properties, 'grantType');
		expect(grantType.default).toBe('clientCredentials');
		const values = optionValues(grantType);
		expect(values[0]).toBe('clientCredentials');
		expect(values.some((value) => value === 'authorizationCode' || value === 'pkce')).toBe(true);
	});

	it('offers the environments production (default) and custom', () => {
		const environment = topLevelParameter(credential.properties, 'environment');
		expect(environment.default).toBe('production');
		expect(optionValues(environment)).toEqual(['production', 'custom']);
	});

	it('is listed in package.json n8n.credentials as its built dist/ file', () => {
		expect(packageJson.n8n.credentials).toContain(
			'dist/credentials/VismaNetOAuth2Api.credentials.js',
		);
	});
});

describe.each([
	{
		dir: '.',
		name: PACKAGE_NAME,
		nodes: [
			'VismaNetValidateJournal',
			'VismaNetSplitTwk',
			'VismaNetMapDimensions',
			'VismaNetPostJournal',
			'VismaNet',
		],
		credentials: ['VismaNetOAuth2Api'],
	},
	{
		dir: 'packages/n8n-nodes-nmbrs',
		name: 'n8n-nodes-nmbrs',
		nodes: ['NmbrsTrigger', 'Nmbrs'],
		credentials: ['NmbrsApi'],
	},
])(
	'package.json of $name as n8n reads a community node package',
	({ dir, name, nodes, credentials }) => {
		const pkg =
			dir === '.'
				? packageJson
				: (JSON.parse(readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')) as PackageJson);

		it('has its name and the community-node keyword', () => {
			expect(pkg.name).toBe(name);
			expect(pkg.keywords).toContain('n8n-community-node-package');
		});

		it('is strict, lists exactly its nodes and credentials as built dist/ files, and ships only what n8n loads', () => {
			expect(pkg.n8n.strict).toBe(true);
			expect([...pkg.n8n.nodes].sort()).toEqual(
				nodes.map((node) => `dist/nodes/${node}/${node}.node.js`).sort(),
			);
			expect(pkg.n8n.credentials).toEqual(
				credentials.map((credential) => `dist/credentials/${credential}.credentials.js`),
			);
			expect(pkg.files).toEqual(['dist/nodes', 'dist/credentials', 'dist/icons']);
		});

		it('has no runtime dependencies, and n8n-workflow as its only peer', () => {
			expect(pkg.dependencies).toBeUndefined();
			expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		});

		it('has a codex file per node, naming it under this package', () => {
			for (const node of nodes) {
				const codex = JSON.parse(
					readFileSync(path.join(ROOT, dir, 'nodes', node, `${node}.node.json`), 'utf8'),
				) as { node: string };
				expect(codex.node).toBe(
					`${name}.${new (jest.requireActual<Record<string, new () => INodeType>>(path.join(ROOT, dir, 'nodes', node, `${node}.node`))[node])().description.name}`,
				);
			}
		});
	},
);
