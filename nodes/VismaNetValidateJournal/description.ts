import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_ROUNDING_DESCRIPTION,
	DEFAULT_ROUNDING_TOLERANCE_TEXT,
} from '../core/validateJournal';
import { credentialKindNotice, week53Option } from '../shared/parameters';

export const validateJournalProperties: INodeProperties[] = [
	{
		displayName: 'Input Format',
		name: 'inputFormat',
		type: 'options',
		noDataExpression: true,
		default: 'canonical',
		options: [
			{
				name: 'Payroll Journal (JSON)',
				value: 'canonical',
				description: 'One journal per item: reference, company, run and lines',
			},
			{
				name: 'Nmbrs Journal XML',
				value: 'nmbrsXml',
				description: 'The XML of Journals_GetByRunCompany_v2, beside reference, company and run',
			},
		],
	},
	{
		displayName: 'XML Source',
		name: 'xmlSource',
		type: 'options',
		default: 'jsonField',
		displayOptions: { show: { inputFormat: ['nmbrsXml'] } },
		options: [
			{ name: 'JSON Field', value: 'jsonField' },
			{ name: 'Binary File', value: 'binary' },
		],
	},
	{
		displayName: 'XML Field',
		name: 'xmlField',
		type: 'string',
		default: 'journalXml',
		displayOptions: { show: { inputFormat: ['nmbrsXml'], xmlSource: ['jsonField'] } },
		description: 'The item field that holds the Nmbrs journal XML text',
	},
	{
		displayName: 'Binary Property',
		name: 'binaryProperty',
		type: 'string',
		default: 'data',
		displayOptions: { show: { inputFormat: ['nmbrsXml'], xmlSource: ['binary'] } },
		description:
			'The binary property that holds the XML file, for example from a Webhook or Read File node',
	},
	{
		displayName: 'Rounding Account',
		name: 'roundingAccount',
		type: 'string',
		default: '',
		placeholder: 'e.g. 8990',
		description:
			'Visma.net account that takes a rounding difference of a few cents from percentage cost allocation. Leave empty to refuse every difference.',
	},
	{
		displayName: 'Rounding Tolerance',
		name: 'roundingTolerance',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: Number(DEFAULT_ROUNDING_TOLERANCE_TEXT),
		displayOptions: { hide: { roundingAccount: [''] } },
		description:
			'The largest difference per period booked on the rounding account; more is an error',
	},
	{
		displayName: 'Check in Visma.net',
		name: 'checkInVismaNet',
		type: 'boolean',
		default: false,
		description:
			'Whether to check in Visma.net that every account exists, is active and takes journal entries, that every period exists and is open, and that every branch a line names exists and is active. Projects and tasks cannot be checked through Visma.net’s API: Visma.net refuses an unknown one when Post sends it.',
	},
	credentialKindNotice({ checkInVismaNet: [true] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Closed Periods',
				name: 'allowClosedPeriods',
				type: 'boolean',
				default: false,
				description:
					'Whether a closed Visma.net period passes, because Split TWK by Period books such parts in another period (its Closed Period Policy)',
			},
			{
				displayName: 'Rounding Line Description',
				name: 'roundingDescription',
				type: 'string',
				default: DEFAULT_ROUNDING_DESCRIPTION,
			},
			week53Option,
		],
	},
];
