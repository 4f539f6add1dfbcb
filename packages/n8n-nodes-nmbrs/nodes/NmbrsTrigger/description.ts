import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_REFERENCE_FORMAT } from '../nmbrsSoap/canonicalJournal';

/** Parameters shared by the Nmbrs Trigger and the Nmbrs node. */
export const referenceFormatProperty: INodeProperties = {
	displayName: 'Reference Format',
	name: 'referenceFormat',
	type: 'string',
	default: DEFAULT_REFERENCE_FORMAT,
	placeholder: DEFAULT_REFERENCE_FORMAT,
	description:
		'The journal reference, the same for every part of the run. Placeholders: {year}, {period} (the run’s payroll period), {run} (run number in the year), {runId}, {companyId}, {companyNumber}; add :02 to pad with zeros. Default R{year}-{period:02} gives R2026-03; with two runs in one period use e.g. R{year}-{period:02}-{run}.',
};

export const testCompaniesProperty: INodeProperties = {
	displayName: 'Test Company Names or IDs',
	name: 'testCompanyIds',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getNmbrsCompanies' },
	default: [],
	description:
		'Companies that are test companies (testbedrijf) in Nmbrs. The Nmbrs API does not tell this, so choose them here: their journals carry company.testCompany = true and Validate Journal refuses them. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const blockedDebtorCompaniesProperty: INodeProperties = {
	displayName: 'Blocked-Debtor Names or IDs',
	name: 'blockedDebtorCompanyIds',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getNmbrsCompanies' },
	default: [],
	description:
		'Companies whose debtor (client account) is blocked in Nmbrs. The Nmbrs API does not tell this, so choose them here: their journals carry company.debtorBlocked = true and Validate Journal refuses them. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const nmbrsTriggerProperties: INodeProperties[] = [
	{
		// n8n's node panel lists a trigger by the options of its "Event" parameter (their `action`);
		// without it the trigger would be listed as "On new Nmbrs event".
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Payroll Run Locked',
				value: 'runLocked',
				action: 'On newly locked payroll run',
				description:
					'A payroll run of a watched company was locked in Nmbrs: its journal starts the workflow, once per run',
			},
		],
		default: 'runLocked',
	},
	{
		displayName: 'Companies',
		name: 'companyScope',
		type: 'options',
		options: [
			{
				name: 'All Companies',
				value: 'all',
				description: 'Every company the Nmbrs user of the credential can see',
			},
			{ name: 'Selected Companies', value: 'selected' },
		],
		default: 'all',
	},
	{
		displayName: 'Watched Company Names or IDs',
		name: 'companyIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getNmbrsCompanies' },
		default: [],
		required: true,
		description:
			'The companies whose locked payroll runs start the workflow. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { companyScope: ['selected'] } },
	},
	{
		displayName: 'Years',
		name: 'years',
		type: 'options',
		options: [
			{
				name: 'Current and Previous Year',
				value: 'currentAndPrevious',
				description: 'Also catches runs of last year locked in January',
			},
			{ name: 'Current Year', value: 'current' },
			{ name: 'Specific Years', value: 'specific' },
		],
		default: 'currentAndPrevious',
		description:
			'Payroll years whose runs are watched; the current year is that of the workflow’s time zone',
	},
	{
		displayName: 'Specific Years',
		name: 'specificYears',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2025, 2026',
		description: 'Payroll years to watch, separated by commas',
		displayOptions: { show: { years: ['specific'] } },
	},
	{
		displayName: 'On First Poll',
		name: 'onFirstPoll',
		type: 'options',
		options: [
			{
				name: 'Remember Runs Already Locked',
				value: 'skipExisting',
				description:
					'Start with the runs locked from now on; runs locked before activation are not emitted (they were booked before)',
			},
			{
				name: 'Emit Runs Already Locked',
				value: 'emitExisting',
				description:
					'Emit every locked run of the watched years once, e.g. to book runs that are not yet in Visma.net',
			},
		],
		default: 'skipExisting',
		description:
			'What the first poll after activation does with runs that are already locked. Each run is emitted at most once either way.',
	},
	referenceFormatProperty,
	testCompaniesProperty,
	blockedDebtorCompaniesProperty,
];
