import type { INodeProperties } from 'n8n-workflow';

import { blockedDebtorCompaniesProperty, referenceFormatProperty, testCompaniesProperty } from '../NmbrsTrigger/description';

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
		displayName: 'Company Name or ID',
		name: 'companyId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getNmbrsCompanies' },
		default: '',
		required: true,
		description:
			'The Nmbrs company. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Run Name or ID',
		name: 'runId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getNmbrsRuns', loadOptionsDependsOn: ['companyId', 'year'] },
		default: '',
		required: true,
		description:
			'The payroll run of the company and year, locked runs first; its ID is the Nmbrs RunInfo ID. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: journalOnly,
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
	{ ...referenceFormatProperty, displayOptions: journalOnly },
	{ ...testCompaniesProperty, displayOptions: journalOnly },
	{ ...blockedDebtorCompaniesProperty, displayOptions: journalOnly },
];
