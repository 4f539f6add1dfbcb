import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_DIMENSION_OPTIONS } from '../core/mapDimensions';
import { credentialKindNotice } from '../shared/parameters';

export const mapDimensionsProperties: INodeProperties[] = [
	credentialKindNotice(),
	{
		displayName:
			'Cost centres and cost units are Visma.net SUBACCOUNT segments, found by their description, exactly as written in Visma.net. Segments without a value get zeros.',
		name: 'segmentsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Use Cost Centres',
		name: 'useCostCenters',
		type: 'boolean',
		default: DEFAULT_DIMENSION_OPTIONS.useCostCenters,
		description: 'Whether to book the journal’s cost centres (kostenplaatsen) on a SUBACCOUNT segment',
	},
	{
		displayName: 'Cost Centre Dimension',
		name: 'costCenterDimension',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSegmentDescriptions' },
		default: DEFAULT_DIMENSION_OPTIONS.costCenterDimension,
		displayOptions: { show: { useCostCenters: [true] } },
		description:
			'The description of the SUBACCOUNT segment that holds cost centres, as in Visma.net. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Use Cost Units',
		name: 'useCostUnits',
		type: 'boolean',
		default: DEFAULT_DIMENSION_OPTIONS.useCostUnits,
		description: 'Whether to book the journal’s cost units (kostendragers) on a SUBACCOUNT segment',
	},
	{
		displayName: 'Cost Unit Dimension',
		name: 'costUnitDimension',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSegmentDescriptions' },
		default: DEFAULT_DIMENSION_OPTIONS.costUnitDimension,
		displayOptions: { show: { useCostUnits: [true] } },
		description:
			'The description of the SUBACCOUNT segment that holds cost units, as in Visma.net. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Match Values By',
		name: 'matchValuesBy',
		type: 'options',
		default: DEFAULT_DIMENSION_OPTIONS.matchValuesBy,
		options: [
			{ name: 'Code', value: 'code', description: 'The payroll code (e.g. 100) is the segment value in Visma.net' },
			{
				name: 'Description',
				value: 'description',
				description: 'The payroll description (e.g. Productie) is the description of the segment value; lines without one match by code',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Mappings',
				name: 'mappings',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description: 'Explicit translations that override matching, e.g. payroll cost centre 10 → Visma.net 100',
				options: [
					{
						displayName: 'Mapping',
						name: 'mapping',
						values: [
							{
								displayName: 'Dimension',
								name: 'dimension',
								type: 'options',
								default: 'costCenter',
								options: [
									{ name: 'Cost Centre', value: 'costCenter' },
									{ name: 'Cost Unit', value: 'costUnit' },
								],
							},
							{ displayName: 'Payroll Value', name: 'from', type: 'string', default: '', description: 'The code (or description) in the payroll journal' },
							{ displayName: 'Visma.net Value', name: 'to', type: 'string', default: '', description: 'The segment value in Visma.net' },
						],
					},
				],
			},
			{
				displayName: 'Dimensions on P&L Only',
				name: 'onlyProfitAndLoss',
				type: 'boolean',
				default: false,
				description:
					'Whether balance-sheet accounts (assets, liabilities) get the default segment values instead of cost centre and cost unit, using the account type in Visma.net',
			},
			{
				displayName: 'Segment Defaults',
				name: 'segmentDefaults',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description:
					'Values for segments that get none from the journal (instead of zeros). A default on a cost centre or cost unit segment also takes values Visma.net does not know.',
				options: [
					{
						displayName: 'Default',
						name: 'default',
						values: [
							{
								displayName: 'Segment',
								name: 'segmentId',
								type: 'options',
								typeOptions: { loadOptionsMethod: 'getSegmentIds' },
								default: '',
								description:
									'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
							},
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
		],
	},
];
