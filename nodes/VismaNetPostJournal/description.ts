import type { INodeProperties } from 'n8n-workflow';

import { COMPANY_DEFAULT_NAME } from '../shared/methods/loadOptions';
import { credentialKindNotice, nonProjectCodeParameter, week53Option } from '../shared/parameters';
import { DEFAULT_TIMEOUT_SECONDS } from '../transport';

export const postJournalProperties: INodeProperties[] = [
	credentialKindNotice({ mode: ['post'] }),
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		default: 'post',
		options: [
			{
				name: 'Post',
				value: 'post',
				description: 'Book the journal in Visma.net, once: a rerun posts nothing twice',
			},
			{
				name: 'Dry Run',
				value: 'dryRun',
				description: 'Return the exact request body that would be sent, and send nothing',
			},
		],
	},
	{
		displayName: 'Hold',
		name: 'hold',
		type: 'boolean',
		default: false,
		displayOptions: { show: { mode: ['post'] } },
		description:
			'Whether to save the batch On Hold, so that a bookkeeper reviews it in Visma.net before it can be released',
	},
	{
		displayName: 'Release',
		name: 'release',
		type: 'boolean',
		default: false,
		displayOptions: { show: { mode: ['post'], hold: [false] } },
		description:
			'Whether to release the batch right after posting, so that it updates the ledger balances',
	},
	{
		displayName: 'On Changed Journal',
		name: 'onChangedJournal',
		type: 'options',
		default: 'fail',
		displayOptions: { show: { mode: ['post'] } },
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'Refuse, and name the batch that holds the earlier version',
			},
			{
				name: 'Post Difference Journal',
				value: 'differenceJournal',
				description:
					'Book only the difference per account and subaccount, balanced, under the same reference',
			},
		],
		description:
			'What to do when Visma.net already holds this run and period with other amounts (the payroll was recalculated)',
	},
	{
		displayName: 'Batch Numbers',
		name: 'batchNumbers',
		type: 'options',
		default: 'series',
		options: [
			{
				name: 'Visma.net’s Number Series',
				value: 'series',
				description:
					'Visma.net numbers each batch; the node reads the period’s batches before posting',
			},
			{
				name: 'Derived From the Journal',
				value: 'derived',
				description:
					'Each part gets a fixed 15-character number (P…), so Visma.net itself refuses a second copy and a first post is one call. Needs Allow Manual Numbering on Imports on the GL batch number series (Number series, CS201010).',
			},
		],
		description:
			'Who numbers the batches. Derived does not read the period before a first post, so it does not see a journal posted earlier with Visma.net’s number series: after switching, do not post such a journal again.',
	},
	{
		displayName: 'Ledger',
		name: 'ledger',
		type: 'resourceLocator',
		// Empty: Visma.net's default. Not required, so n8n shows no issue for it; the list's
		// placeholder and first entry say "(Company default)".
		default: { __rl: true, mode: 'list', value: '' },
		description:
			'The ledger to book in; (Company default), or empty, uses the branch’s posting ledger',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: COMPANY_DEFAULT_NAME,
				typeOptions: { searchListMethod: 'searchLedgers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. ACTUAL (empty: company default)',
			},
		],
	},
	{
		displayName: 'Branch',
		name: 'branch',
		type: 'resourceLocator',
		default: { __rl: true, mode: 'list', value: '' },
		description:
			'The branch whose balances the journal updates; (Company default), or empty, uses the company’s default branch',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: COMPANY_DEFAULT_NAME,
				typeOptions: { searchListMethod: 'searchBranches', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. MAIN (empty: company default)',
			},
		],
	},
	{
		displayName: 'Administrations',
		name: 'administrations',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Administration',
		description:
			'Older table, kept so existing workflows work: prefer Administrations in the Visma.net credential (one credential then books every listed company, each in its own Visma.net company). When this table is filled, a journal whose company is missing here, or maps here to another tenant than the one it books in, is refused before anything is sent.',
		options: [
			{
				displayName: 'Administration',
				name: 'administration',
				values: [
					{
						displayName: 'Payroll Company ID',
						name: 'companyId',
						type: 'string',
						default: '',
						description: 'The company ID in the payroll system (company.ID in Nmbrs)',
					},
					{
						displayName: 'Visma.net Tenant ID',
						name: 'tenantId',
						type: 'string',
						default: '',
						description: 'The company tenant ID of the Visma.net administration it books in',
					},
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'For people reading the workflow, e.g. Bakkerij De Vries BV',
					},
				],
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
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TIMEOUT_SECONDS,
				description:
					'How long to wait for one Visma.net answer. A post that is not answered in time is never sent again blindly: the node looks in Visma.net first.',
			},
			week53Option,
			nonProjectCodeParameter,
		],
	},
];
