/**
 * What a new user meets in the n8n editor (issue 14): labels that fit, the trigger listed by what
 * it does, a notice on which Visma.net credential kind to choose, and Ledger and Branch dropdowns
 * whose default (empty: the company's default) is one of their options.
 */
import type { ILoadOptionsFunctions, INodeProperties, INodeType } from 'n8n-workflow';

jest.mock('../../../nodes/transport', () => ({
	...jest.requireActual('../../../nodes/transport'),
	listLedgers: jest.fn(async () => [{ number: 'ACTUAL', description: 'Actual ledger', balanceType: 'Actual' }]),
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
	]),
}));

import { Nmbrs } from '../../../packages/n8n-nodes-nmbrs/nodes/Nmbrs/Nmbrs.node';
import { NmbrsTrigger } from '../../../packages/n8n-nodes-nmbrs/nodes/NmbrsTrigger/NmbrsTrigger.node';
import { VismaNetMapDimensions } from '../../../nodes/VismaNetMapDimensions/VismaNetMapDimensions.node';
import { VismaNetPostJournal } from '../../../nodes/VismaNetPostJournal/VismaNetPostJournal.node';
import { VismaNetSplitTwk } from '../../../nodes/VismaNetSplitTwk/VismaNetSplitTwk.node';
import { VismaNetValidateJournal } from '../../../nodes/VismaNetValidateJournal/VismaNetValidateJournal.node';
import { getBranches, getLedgers, searchSegmentDescriptions } from '../../../nodes/shared/methods/loadOptions';
import { VismaNetOAuth2Api } from '../../../credentials/VismaNetOAuth2Api.credentials';

const NODES: INodeType[] = [new Nmbrs(), new NmbrsTrigger(), new VismaNetValidateJournal(), new VismaNetSplitTwk(), new VismaNetMapDimensions(), new VismaNetPostJournal()];

function allProperties(properties: readonly INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => [
		property,
		...(property.options ?? []).flatMap((option) =>
			'values' in option ? allProperties(option.values) : 'type' in option ? allProperties([option as INodeProperties]) : [],
		),
	]);
}

describe('labels', () => {
	// n8n's parameter panel cuts labels at about 30 characters ("Companies With a Blocked Debto…").
	it.each(NODES.map((node) => [node.description.displayName, node] as const))('%s: no label is cut off; a dropdown from a service says "Name or ID" as n8n asks', (_name, node) => {
		for (const property of allProperties(node.description.properties)) {
			if (property.type === 'notice') continue;
			expect({ label: property.displayName, fits: property.displayName.length <= 28 }).toEqual({ label: property.displayName, fits: true });
			// n8n's verification scanner: a list loaded from the service may also take an expression
			// with an ID, and its label says so (a searchable resource locator needs no such suffix).
			const dynamic = property.typeOptions?.loadOptionsMethod !== undefined;
			const suffix = property.type === 'multiOptions' ? / Names or IDs$/ : / Name or ID$/;
			if (dynamic) expect(property.displayName).toMatch(suffix);
			else expect(property.displayName).not.toMatch(/Names? or IDs?$/);
		}
	});

	it('the Nmbrs Trigger is listed by what it does: the n8n 2.40 node panel takes the action of its Event options', () => {
		// n8n-editor-ui 2.40.7: a trigger with a property labelled Event, Events or Trigger On is
		// listed by its options (`action`, else "On <name>"); without one, as "On new <name> event".
		const trigger = new NmbrsTrigger().description;
		const event = trigger.properties.find((property) => ['event', 'events', 'trigger on'].includes(property.displayName.toLowerCase()));
		expect(event).toBeDefined();
		const listed = (event!.options ?? []).map((option) => ('action' in option && option.action ? option.action : `On ${option.name}`));
		expect(listed).toEqual(['On newly locked payroll run']);
		expect(event!.default).toBe('runLocked');
	});
});

describe('which Visma.net credential kind', () => {
	const notice = (node: INodeType) => node.description.properties.find((property) => property.type === 'notice' && /Service API/.test(property.displayName));

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
		const notices = new VismaNetOAuth2Api().properties.filter((property) => property.type === 'notice').map((property) => property.displayName).join('\n');
		expect(notices).toMatch(/Service API \(Client Credentials\): for workflows that run on their own/);
		expect(notices).toMatch(/Interactive API: for working by hand/);
		expect(notices).toMatch(/Name it by company and kind/);
	});
});

describe('Ledger and Branch: "(Company default)" is an option, so the default is valid and one can go back to it', () => {
	const context = {} as ILoadOptionsFunctions;
	const post = new VismaNetPostJournal().description.properties;

	it.each([
		['ledger', getLedgers, ['', 'ACTUAL']],
		['branch', getBranches, ['', 'MAIN']],
	] as const)('%s', async (name, load, values) => {
		const options = await load.call(context);
		expect(options.map((option) => option.value)).toEqual(values);
		expect(options[0].name).toBe('(Company default)');
		expect(post.find((property) => property.name === name)?.default).toBe(options[0].value);
	});
});

describe('Map Dimensions: the cost centre and cost unit dimensions are searchable resource locators', () => {
	const context = {} as ILoadOptionsFunctions;
	const map = new VismaNetMapDimensions().description;

	it('lists every SUBACCOUNT segment by description, and a search narrows the list (case-insensitive, by description or number)', async () => {
		expect((await searchSegmentDescriptions.call(context)).results.map((result) => result.value)).toEqual(['Kostenplaats', 'Kostendrager', 'Project']);
		expect((await searchSegmentDescriptions.call(context, 'KOSTEN')).results.map((result) => result.value)).toEqual(['Kostenplaats', 'Kostendrager']);
		expect((await searchSegmentDescriptions.call(context, 'segment 3')).results.map((result) => result.value)).toEqual(['Project']);
		expect((await searchSegmentDescriptions.call(context, 'nothing like it')).results).toEqual([]);
	});

	it.each(['costCenterDimension', 'costUnitDimension'])('%s: from the list (searchable) or typed by description; the node lists with searchSegmentDescriptions', (name) => {
		const property = map.properties.find((candidate) => candidate.name === name);
		expect(property?.type).toBe('resourceLocator');
		expect(property?.modes?.map((mode) => [mode.name, mode.type])).toEqual([
			['list', 'list'],
			['description', 'string'],
		]);
		expect(property?.modes?.[0].typeOptions?.searchListMethod).toBe('searchSegmentDescriptions');
		expect(Object.keys(new VismaNetMapDimensions().methods.listSearch)).toContain('searchSegmentDescriptions');
	});
});

describe('every Visma.net node names the package’s credential type (written as a literal for n8n’s scanner)', () => {
	it.each(NODES.filter((node) => node.description.name.startsWith('vismaNet')).map((node) => [node.description.displayName, node] as const))('%s', (_name, node) => {
		expect(node.description.credentials?.map((credential) => credential.name)).toEqual([new VismaNetOAuth2Api().name]);
	});
});
