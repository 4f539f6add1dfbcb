import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MATCH_VALUES_BY } from '../core/mapDimensions';
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
		default: true, // DEFAULT_USE_COST_CENTERS: n8n's scanner wants a literal boolean; a test keeps them equal
		description:
			'Whether to book the journal’s cost centres (kostenplaatsen) on a SUBACCOUNT segment',
	},
	{
		displayName: 'Cost Centre Dimension',
		name: 'costCenterDimension',
		type: 'resourceLocator',
		default: { __rl: true, mode: 'list', value: 'Kostenplaats' }, // DEFAULT_COST_CENTER_DIMENSION (literal for n8n's scanner; a test keeps them equal)
		displayOptions: { show: { useCostCenters: [true] } },
		description:
			'The SUBACCOUNT segment that holds cost centres, by its description as written in Visma.net',
		// A SUBACCOUNT segment, picked from Visma.net's list (searchable) or typed by its description.
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a segment…',
				typeOptions: { searchListMethod: 'searchSegmentDescriptions', searchable: true },
			},
			{
				displayName: 'By Description',
				name: 'description',
				type: 'string',
				placeholder: 'e.g. Kostenplaats',
			},
		],
	},
	{
		displayName: 'Use Cost Units',
		name: 'useCostUnits',
		type: 'boolean',
		default: false, // DEFAULT_USE_COST_UNITS (as above)
		description: 'Whether to book the journal’s cost units (kostendragers) on a SUBACCOUNT segment',
	},
	{
		displayName: 'Cost Unit Dimension',
		name: 'costUnitDimension',
		type: 'resourceLocator',
		default: { __rl: true, mode: 'list', value: 'Kostendrager' }, // DEFAULT_COST_UNIT_DIMENSION (as above)
		displayOptions: { show: { useCostUnits: [true] } },
		description:
			'The SUBACCOUNT segment that holds cost units, by its description as written in Visma.net',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a segment…',
				typeOptions: { searchListMethod: 'searchSegmentDescriptions', searchable: true },
			},
			{
				displayName: 'By Description',
				name: 'description',
				type: 'string',
				placeholder: 'e.g. Kostendrager',
			},
		],
	},
	{
		displayName: 'Match Values By',
		name: 'matchValuesBy',
		type: 'options',
		default: DEFAULT_MATCH_VALUES_BY,
		options: [
			{
				name: 'Code',
				value: 'code',
				description: 'The payroll code (e.g. 100) is the segment value in Visma.net',
			},
			{
				name: 'Description',
				value: 'description',
				description:
					'The payroll description (e.g. Productie) is the description of the segment value; lines without one match by code',
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
				description:
					'Explicit translations that override matching, e.g. payroll cost centre 10 → Visma.net 100',
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
							{
								displayName: 'Payroll Value',
								name: 'from',
								type: 'string',
								default: '',
								description: 'The code (or description) in the payroll journal',
							},
							{
								displayName: 'Visma.net Value',
								name: 'to',
								type: 'string',
								default: '',
								description: 'The segment value in Visma.net',
							},
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
								displayName: 'Segment Name or ID',
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
