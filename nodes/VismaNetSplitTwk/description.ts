import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_BATCH_DESCRIPTION_TEMPLATE,
	DEFAULT_LINE_DESCRIPTION_TEMPLATE,
} from '../core/descriptionTemplate';
import { credentialKindNotice, week53Option } from '../shared/parameters';

export const splitTwkProperties: INodeProperties[] = [
	{
		displayName: 'Read Periods From Visma.net',
		name: 'readPeriodsFromVismaNet',
		type: 'boolean',
		default: false,
		description:
			'Whether to place each line in Visma.net’s own financial periods (13-period years included) and see which are closed. Off: periods are calendar months.',
	},
	credentialKindNotice({ readPeriodsFromVismaNet: [true] }),
	{
		displayName: 'Closed Period Policy',
		name: 'closedPeriodPolicy',
		type: 'options',
		default: 'fail',
		displayOptions: { show: { readPeriodsFromVismaNet: [true] } },
		options: [
			{
				name: 'Fail',
				value: 'fail',
				description: 'Refuse the journal and say which period is closed',
			},
			{
				name: 'First Open Period',
				value: 'firstOpenPeriod',
				description:
					'Book the part in the first open period after the closed one; its description says where it came from',
			},
			{
				name: 'Run Period',
				value: 'runPeriod',
				description:
					'Book the part in the run’s own period; its description says where it came from',
			},
		],
		description: 'What to do with a part whose financial period is closed in Visma.net',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Description',
				name: 'batchDescription',
				type: 'string',
				default: DEFAULT_BATCH_DESCRIPTION_TEMPLATE,
				placeholder: DEFAULT_BATCH_DESCRIPTION_TEMPLATE,
				description:
					'The description of each part’s batch in Visma.net. Placeholders: {reference}, {period} (the period the part concerns, 2026-01), {twk} ("TWK " on a correction part), {twkPeriod}, {bookedIn} (the period it is booked in), {companyId}, {companyName}. A part moved out of a closed period always gets "(periode gesloten, geboekt in …)" added.',
			},
			{
				displayName: 'Line Description',
				name: 'lineDescription',
				type: 'string',
				default: DEFAULT_LINE_DESCRIPTION_TEMPLATE,
				placeholder: DEFAULT_LINE_DESCRIPTION_TEMPLATE,
				description:
					'The description of each line in Visma.net. Placeholders: those of Batch Description and {description} (the payroll line’s own), {account}, {costCenter}, {costUnit}; e.g. {description} {twk}{twkPeriod}.',
			},
			week53Option,
		],
	},
];
