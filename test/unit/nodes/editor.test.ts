/**
 * What a new user meets in the n8n editor (issue 14): labels that fit, the trigger listed by what
 * it does, a notice on which Visma.net credential kind to choose, pickers (searchable resource
 * locators) instead of typed IDs, and Ledger and Branch whose default (empty: the company's
 * default) is a choice of their list that n8n does not mark as an issue.
 */
import {
	NodeHelpers,
	type ILoadOptionsFunctions,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
} from 'n8n-workflow';

jest.mock('../../../nodes/transport', () => ({
	...jest.requireActual('../../../nodes/transport'),
	listLedgers: jest.fn(async () => [
		{ number: 'ACTUAL', description: 'Actual ledger', balanceType: 'Actual' },
		{ number: 'BUDGET', description: 'Begroting 2026', balanceType: 'Budget' },
	]),
	getSubaccountDimension: jest.fn(async () => ({
		segments: [
			{ segmentId: 1, description: 'Kostenplaats', length: 3 },
			{ segmentId: 2, description: 'Kostendrager', length: 4 },
			{ segmentId: 3, description: 'Project', length: 5 },
		],
	})),
	listBranches: jest.fn(async () => [
		{ number: 'MAIN', name: 'Hoofdvestiging', isActive: true },
		{ number: 'OLD', name: 'Gesloten', isActive: false },
		{ number: 'WEST', name: 'Filiaal Utrecht', isActive: true },
	]),
}));

import { Nmbrs } from '../../../packages/n8n-nodes-nmbrs/nodes/Nmbrs/Nmbrs.node';
import { NmbrsTrigger } from '../../../packages/n8n-nodes-nmbrs/nodes/NmbrsTrigger/NmbrsTrigger.node';
import { VismaNetMapDimensions } from '../../../nodes/VismaNetMapDimensions/VismaNetMapDimensions.node';
import { VismaNetPostJournal } from '../../../nodes/VismaNetPostJournal/VismaNetPostJournal.node';
import { VismaNetSplitTwk } from '../../../nodes/VismaNetSplitTwk/VismaNetSplitTwk.node';
import { VismaNetValidateJournal } from '../../../nodes/VismaNetValidateJournal/VismaNetValidateJournal.node';
import {
	COMPANY_DEFAULT_NAME,
	getBranches,
	getLedgers,
	searchBranches,
	searchLedgers,
	searchSegmentDescriptions,
} from '../../../nodes/shared/methods/loadOptions';
import { VismaNetOAuth2Api } from '../../../credentials/VismaNetOAuth2Api.credentials';
import { OUR_NODES } from '../../helpers/ourNodes';

const NODES = OUR_NODES;

function allProperties(properties: readonly INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...(property.options ?? []).flatMap((option) =>
			'values' in option
				? allProperties(option.values)
				: 'type' in option
					? allProperties([option as INodeProperties])
					: [],
		),
	]);
}

/** The parameters that are pickers: searchable resource locators, each with its list method. */
const PICKERS: ReadonlyArray<
	readonly [node: string, name: string, label: string, listMethod: string]
> = [
	['Nmbrs', 'companyId', 'Company', 'searchNmbrsCompanies'],
	['Nmbrs', 'runId', 'Run', 'searchNmbrsRuns'],
	['Map Dimensions', 'costCenterDimension', 'Cost Centre Dimension', 'searchSegmentDescriptions'],
	['Map Dimensions', 'costUnitDimension', 'Cost Unit Dimension', 'searchSegmentDescriptions'],
	['Post Journal Transaction', 'ledger', 'Ledger', 'searchLedgers'],
	['Post Journal Transaction', 'branch', 'Branch', 'searchBranches'],
];

describe('labels', () => {
	// n8n's parameter panel cuts labels at about 30 characters ("Companies With a Blocked Debto…").
	it.each(NODES.map((node) => [node.description.displayName, node] as const))(
		'%s: no label is cut off; a dropdown from a service says "Name or ID" as n8n asks, a picker (resource locator) does not',
		(_name, node) => {
			for (const property of allProperties(node.description.properties)) {
				if (property.type === 'notice') continue;
				expect({ label: property.displayName, fits: property.displayName.length <= 28 }).toEqual({
					label: property.displayName,
					fits: true,
				});
				// n8n's verification scanner: a dropdown loaded from the service may also take an
				// expression with an ID, and its label says so. A searchable resource locator has a
				// mode to enter the ID, so its label is the plain noun (Company, Run, Ledger, Branch).
				const dynamic = property.typeOptions?.loadOptionsMethod !== undefined;
				const suffix = property.type === 'multiOptions' ? / Names or IDs$/ : / Name or ID$/;
				if (dynamic) expect(property.displayName).toMatch(suffix);
				else expect(property.displayName).not.toMatch(/Names? or IDs?$/);
			}
		},
	);

	it.each(PICKERS)(
		'%s: %s is a picker labelled "%s": a searchable list (%s, the default mode) or typed in',
		(nodeName, name, label, listMethod) => {
			const node = NODES.find((candidate) => candidate.description.displayName === nodeName)!;
			const property = node.description.properties.find((candidate) => candidate.name === name)!;
			expect(property.displayName).toBe(label);
			expect(property.type).toBe('resourceLocator');
			expect(property.typeOptions?.loadOptionsMethod).toBeUndefined();
			expect((property.default as { __rl: boolean; mode: string }).__rl).toBe(true);
			expect((property.default as { mode: string }).mode).toBe('list');
			const [list, ...others] = property.modes ?? [];
			expect([list.name, list.type, list.typeOptions]).toEqual([
				'list',
				'list',
				{ searchListMethod: listMethod, searchable: true },
			]);
			expect(others.map((mode) => mode.type)).toEqual(['string']);
			expect(
				typeof (node.methods?.listSearch as Record<string, unknown> | undefined)?.[listMethod],
			).toBe('function');
		},
	);

	it.each(NODES.map((node) => [node.description.displayName, node] as const))(
		'%s: a parameter whose list depends on others comes after them (Year before Run), so a user fills the form top down',
		(_name, node) => {
			const order = node.description.properties.map((property) => property.name);
			for (const property of node.description.properties) {
				for (const dependency of property.typeOptions?.loadOptionsDependsOn ?? []) {
					const root = dependency.split('.')[0];
					if (!order.includes(root)) continue; // a parameter of an enclosing collection
					expect({ [property.name]: `after ${root}` }).toEqual({
						[property.name]:
							order.indexOf(root) < order.indexOf(property.name)
								? `after ${root}`
								: `before ${root}`,
					});
				}
			}
		},
	);

	it('every resource locator of the packages is one of the pickers above', () => {
		const found = NODES.flatMap((node) =>
			allProperties(node.description.properties)
				.filter((property) => property.type === 'resourceLocator')
				.map((property) => `${node.description.displayName}.${property.name}`),
		);
		expect(found.sort()).toEqual(PICKERS.map(([node, name]) => `${node}.${name}`).sort());
	});

	it('the Nmbrs Trigger is listed by what it does: the n8n 2.40 node panel takes the action of its Event options', () => {
		// n8n-editor-ui 2.40.7: a trigger with a property labelled Event, Events or Trigger On is
		// listed by its options (`action`, else "On <name>"); without one, as "On new <name> event".
		const trigger = new NmbrsTrigger().description;
		const event = trigger.properties.find((property) =>
			['event', 'events', 'trigger on'].includes(property.displayName.toLowerCase()),
		);
		expect(event).toBeDefined();
		const listed = (event!.options ?? []).map((option) =>
			'action' in option && option.action ? option.action : `On ${option.name}`,
		);
		expect(listed).toEqual(['On newly locked payroll run']);
		expect(event!.default).toBe('runLocked');
	});
});

describe('which Visma.net credential kind', () => {
	const notice = (node: INodeType) =>
		node.description.properties.find(
			(property) => property.type === 'notice' && /Service API/.test(property.displayName),
		);

	it.each([
		['Post Journal Transaction', new VismaNetPostJournal(), { mode: ['post'] }],
		['Map Dimensions', new VismaNetMapDimensions(), undefined],
		['Validate Journal', new VismaNetValidateJournal(), { checkInVismaNet: [true] }],
		['Split TWK by Period', new VismaNetSplitTwk(), { readPeriodsFromVismaNet: [true] }],
	])('%s explains service vs interactive where it uses the credential', (_name, node, show) => {
		const found = notice(node);
		expect(found?.displayName).toMatch(/Service API \(Client Credentials\)[\s\S]*Administrations/);
		expect(found?.displayName).toMatch(/Interactive API[\s\S]*by hand/);
		expect(found?.displayName).toMatch(/created last/);
		expect(found?.displayName).toMatch(/e\.g\. "Visma\.net – Bakkerij De Vries \(service\)"/);
		expect(found?.displayOptions?.show).toEqual(show);
	});

	it('the credential says what each kind is for and suggests a name', () => {
		const notices = new VismaNetOAuth2Api().properties
			.filter((property) => property.type === 'notice')
			.map((property) => property.displayName)
			.join('\n');
		expect(notices).toMatch(
			/Service API \(Client Credentials\): for workflows that run on their own/,
		);
		expect(notices).toMatch(/Interactive API: for working by hand/);
		expect(notices).toMatch(/Name it by company and kind/);
	});
});

describe('Ledger and Branch: "(Company default)" is their default and the first choice of their lists, and n8n shows no issue for it', () => {
	const context = {} as ILoadOptionsFunctions;
	const post = new VismaNetPostJournal().description;
	const property = (name: string) => post.properties.find((candidate) => candidate.name === name)!;

	/** The issues n8n's editor shows for a parameter: n8n-workflow's getParameterIssues, which n8n 2.40.7's editor bundles unchanged. */
	function issuesOf(name: string, value: unknown): string[] {
		const parameters: INodeParameters = { mode: 'post', [name]: value as INodeParameters[string] };
		const node = {
			name: 'Post',
			type: 'n8n-nodes-visma-net-payroll.vismaNetPostJournal',
			typeVersion: 1,
			parameters,
		} as unknown as INode;
		return (
			NodeHelpers.getParameterIssues(property(name), parameters, '', node, post).parameters?.[
				name
			] ?? []
		);
	}

	it.each([
		['ledger', getLedgers, searchLedgers, ['', 'ACTUAL', 'BUDGET']],
		['branch', getBranches, searchBranches, ['', 'MAIN', 'WEST']],
	] as const)('%s', async (name, load, search, values) => {
		// The list: "(Company default)" (value '') first, then what Visma.net holds (active branches only).
		const listed = await search.call(context);
		expect(listed.results.map((entry) => entry.value)).toEqual(values);
		expect(listed.results[0].name).toBe(COMPANY_DEFAULT_NAME);
		expect(listed.results.map((entry) => [entry.name, entry.value])).toEqual(
			(await load.call(context)).map((option) => [option.name, option.value]),
		);
		// The default is that first choice, shown by the list mode's placeholder while the value is empty.
		expect(property(name).default).toEqual({ __rl: true, mode: 'list', value: '' });
		expect(property(name).required ?? false).toBe(false);
		expect(property(name).modes?.[0].placeholder).toBe(COMPANY_DEFAULT_NAME);
		expect(property(name).modes?.[1].validation).toBeUndefined();
		// No issue for the default, for "(Company default)" picked from the list, for an empty ID, or for a value.
		expect(issuesOf(name, property(name).default)).toEqual([]);
		expect(
			issuesOf(name, {
				__rl: true,
				mode: 'list',
				value: '',
				cachedResultName: COMPANY_DEFAULT_NAME,
			}),
		).toEqual([]);
		expect(issuesOf(name, { __rl: true, mode: 'id', value: '' })).toEqual([]);
		expect(issuesOf(name, { __rl: true, mode: 'list', value: values[1] })).toEqual([]);
		expect(issuesOf(name, values[1])).toEqual([]);
	});

	it('a search narrows the lists by name or ID, case-insensitively; "(Company default)" is found by its name', async () => {
		const values = async (search: typeof searchLedgers, filter: string) =>
			(await search.call(context, filter)).results.map((entry) => entry.value);
		expect(await values(searchLedgers, 'actual')).toEqual(['ACTUAL']);
		expect(await values(searchLedgers, 'begroting')).toEqual(['BUDGET']);
		expect(await values(searchLedgers, 'DEFAULT')).toEqual(['']);
		expect(await values(searchBranches, 'utrecht')).toEqual(['WEST']);
		expect(await values(searchBranches, 'main')).toEqual(['MAIN']);
		expect(await values(searchBranches, 'gesloten')).toEqual([]);
		expect(await values(searchBranches, 'nothing like it')).toEqual([]);
	});

	it("the Nmbrs node's Company at its default shows no issue; the same picker made required would be marked (the check works)", () => {
		const nmbrs = new Nmbrs().description;
		const company = nmbrs.properties.find((candidate) => candidate.name === 'companyId')!;
		const parameters: INodeParameters = {
			operation: 'getJournal',
			companyId: { __rl: true, mode: 'list', value: '' },
		};
		const node = {
			name: 'Nmbrs',
			type: 'n8n-nodes-nmbrs.nmbrs',
			typeVersion: 1,
			parameters,
		} as unknown as INode;
		expect(
			NodeHelpers.getParameterIssues(company, parameters, '', node, nmbrs).parameters?.companyId,
		).toBeUndefined();
		const required = { ...company, required: true };
		expect(
			NodeHelpers.getParameterIssues(required, parameters, '', node, nmbrs).parameters?.companyId,
		).toEqual(['Parameter "Company" is required.']);
	});
});

describe('Map Dimensions: the cost centre and cost unit dimensions are searchable resource locators', () => {
	const context = {} as ILoadOptionsFunctions;
	const map = new VismaNetMapDimensions().description;

	it('lists every SUBACCOUNT segment by description, and a search narrows the list (case-insensitive, by description or number)', async () => {
		expect(
			(await searchSegmentDescriptions.call(context)).results.map((result) => result.value),
		).toEqual(['Kostenplaats', 'Kostendrager', 'Project']);
		expect(
			(await searchSegmentDescriptions.call(context, 'KOSTEN')).results.map(
				(result) => result.value,
			),
		).toEqual(['Kostenplaats', 'Kostendrager']);
		expect(
			(await searchSegmentDescriptions.call(context, 'segment 3')).results.map(
				(result) => result.value,
			),
		).toEqual(['Project']);
		expect((await searchSegmentDescriptions.call(context, 'nothing like it')).results).toEqual([]);
	});

	it.each(['costCenterDimension', 'costUnitDimension'])(
		'%s: from the list (searchable) or typed by description',
		(name) => {
			const property = map.properties.find((candidate) => candidate.name === name);
			expect(property?.modes?.map((mode) => [mode.name, mode.type])).toEqual([
				['list', 'list'],
				['description', 'string'],
			]);
		},
	);
});

describe('every Visma.net node names the package’s credential type (written as a literal for n8n’s scanner)', () => {
	it.each(
		NODES.filter((node) => node.description.name.startsWith('vismaNet')).map(
			(node) => [node.description.displayName, node] as const,
		),
	)('%s', (_name, node) => {
		expect(node.description.credentials?.map((credential) => credential.name)).toEqual([
			new VismaNetOAuth2Api().name,
		]);
	});
});
