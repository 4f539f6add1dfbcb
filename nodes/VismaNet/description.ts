import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_COST_CENTER_DIMENSION, DEFAULT_COST_UNIT_DIMENSION } from '../core/mapDimensions';
import { nonProjectCodeParameter } from '../shared/parameters';

const operations = ['checkSetup'];
const periodRange = (operation: string[]): INodeProperties[] => [
	{
		displayName: 'From Period',
		name: 'fromPeriod',
		type: 'string',
		default: '',
		placeholder: '202601',
		displayOptions: { show: { operation } },
		description: 'First financial period (YYYYMM) to look in. Empty: two periods before today’s.',
	},
	{
		displayName: 'To Period',
		name: 'toPeriod',
		type: 'string',
		default: '',
		placeholder: '202603',
		displayOptions: { show: { operation } },
		description:
			'Last financial period (YYYYMM) to look in. Empty: today’s. At most 24 periods in all.',
	},
];

export const vismaNetProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'checkSetup',
		options: [
			{
				name: 'Check Setup',
				value: 'checkSetup',
				action: 'Check a company is ready for a month end',
				description:
					'Read accounts, dimensions, periods, ledgers and branches, and list everything that would stop a month-end run',
			},
			{
				name: 'Get Posting Status',
				value: 'getPostingStatus',
				action: 'Get the posting status of a payroll journal',
				description:
					'Per part of a journal: missing, on hold, posted, released, changed or duplicated, with batch numbers',
			},
			{
				name: 'List Payroll Batches',
				value: 'listPayrollBatches',
				action: 'List the payroll batches in a range of periods',
				description:
					'The GL batches this package posted (and copies that stood down) in a range of financial periods',
			},
		],
	},
	{
		displayName:
			'Reads only, never writes. With a journal in the input item (canonical JSON with lines), its accounts are checked; otherwise the accounts of recent payroll batches.',
		name: 'checkSetupNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: operations } },
	},
	{
		displayName: 'Use Cost Centres',
		name: 'useCostCenters',
		type: 'boolean',
		default: true, // DEFAULT_USE_COST_CENTERS: n8n's scanner wants a literal boolean; a test keeps them equal
		displayOptions: { show: { operation: operations } },
		description: 'Whether the month end books cost centres (as in Map Dimensions)',
	},
	{
		displayName: 'Cost Centre Dimension',
		name: 'costCenterDimension',
		type: 'string',
		default: DEFAULT_COST_CENTER_DIMENSION,
		displayOptions: { show: { operation: operations, useCostCenters: [true] } },
		description:
			'The description of the SUBACCOUNT segment that holds cost centres, as in Map Dimensions',
	},
	{
		displayName: 'Use Cost Units',
		name: 'useCostUnits',
		type: 'boolean',
		default: false, // DEFAULT_USE_COST_UNITS (as above)
		displayOptions: { show: { operation: operations } },
		description: 'Whether the month end books cost units (as in Map Dimensions)',
	},
	{
		displayName: 'Cost Unit Dimension',
		name: 'costUnitDimension',
		type: 'string',
		default: DEFAULT_COST_UNIT_DIMENSION,
		displayOptions: { show: { operation: operations, useCostUnits: [true] } },
		description:
			'The description of the SUBACCOUNT segment that holds cost units, as in Map Dimensions',
	},
	{
		displayName: 'Look Up',
		name: 'source',
		type: 'options',
		default: 'items',
		displayOptions: { show: { operation: ['getPostingStatus'] } },
		options: [
			{
				name: 'Journal Parts in the Input',
				value: 'items',
				description:
					'Each input item is a journal part as Post Journal Transaction receives it (after Map Dimensions): its status, changed amounts included',
			},
			{
				name: 'Company and Reference',
				value: 'reference',
				description:
					'A payroll company ID and run reference, in a range of periods: what Visma.net holds of it',
			},
		],
	},
	{
		displayName: 'Company ID',
		name: 'companyId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1234',
		displayOptions: { show: { operation: ['getPostingStatus'], source: ['reference'] } },
		description: 'The payroll company ID, as the journal gives it (its company ID)',
	},
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'R2026-03',
		displayOptions: { show: { operation: ['getPostingStatus'], source: ['reference'] } },
		description: 'The payroll run’s reference, as in the journal’s reference',
	},
	{
		...nonProjectCodeParameter,
		displayOptions: { show: { operation: ['getPostingStatus'], source: ['items'] } },
	},
	...periodRange(['listPayrollBatches']),
	...periodRange(['getPostingStatus']).map((property) => ({
		...property,
		displayOptions: { show: { operation: ['getPostingStatus'], source: ['reference'] } },
	})),
	{
		displayName: 'Reference Filter',
		name: 'referenceFilter',
		type: 'string',
		default: '',
		displayOptions: { show: { operation: ['listPayrollBatches'] } },
		description: 'Only batches whose lines carry this run reference. Empty: every payroll batch.',
	},
];
