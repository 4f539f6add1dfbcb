import type { INodeProperties } from 'n8n-workflow';

import {
	blockedDebtorCompaniesProperty,
	referenceFormatProperty,
	testCompaniesProperty,
} from '../NmbrsTrigger/description';

const journalOnly = { show: { operation: ['getJournal'] } };

export const nmbrsProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Get Journal',
				value: 'getJournal',
				action: 'Get the journal of a payroll run',
				description: 'The canonical payroll journal of one run, ready for Validate Journal',
			},
			{
				name: 'Get Runs',
				value: 'getRuns',
				action: 'Get the payroll runs of a year',
				description: 'The payroll runs of a company in a year, one item per run',
			},
		],
		default: 'getJournal',
	},
	{
		displayName: 'Company',
		name: 'companyId',
		type: 'resourceLocator',
		default: { __rl: true, mode: 'list', value: '' },
		// Not `required`: a new node shows no issue before the user has picked anything (n8n marks a
		// required empty picker); running with no company stops the item with "No company chosen".
		description:
			'The Nmbrs company: picked from the list (search by name or ID) or entered by its ID',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a company…',
				typeOptions: { searchListMethod: 'searchNmbrsCompanies', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 1234',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '\\s*[0-9]{1,10}\\s*',
							errorMessage: 'An Nmbrs company ID is a whole number, e.g. 1234',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Year',
		name: 'year',
		type: 'number',
		default: 2026,
		required: true,
		typeOptions: { minValue: 2000, maxValue: 2100 },
		description: 'The payroll year of the run',
	},
	{
		displayName: 'Run',
		name: 'runId',
		type: 'resourceLocator',
		default: { __rl: true, mode: 'list', value: '' },
		// Not `required`, as Company above.
		// A run belongs to one company and year: choosing another one empties the Run (n8n's editor).
		typeOptions: { loadOptionsDependsOn: ['companyId.value', 'year'] },
		description:
			'The payroll run of the company and year, locked runs first, each with its period and run date; its ID is the Nmbrs RunInfo ID',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a run…',
				typeOptions: { searchListMethod: 'searchNmbrsRuns', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 88121',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '\\s*[0-9]{1,10}\\s*',
							errorMessage: 'An Nmbrs run ID is a whole number, e.g. 88121',
						},
					},
				],
			},
		],
		displayOptions: journalOnly,
	},
	{ ...referenceFormatProperty, displayOptions: journalOnly },
	{ ...testCompaniesProperty, displayOptions: journalOnly },
	{ ...blockedDebtorCompaniesProperty, displayOptions: journalOnly },
];
