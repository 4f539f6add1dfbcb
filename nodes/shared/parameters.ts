/**
 * Parameters more than one node offers, written once, and the node-description pieces all four
 * share. Defaults come from the core's constants.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readBackRules } from '../core/buildJournalTransaction';
import { DEFAULT_NON_PROJECT_CODE, type ReadBackRules } from '../core/idempotency';
import { DEFAULT_WEEK53, type PayrollCalendarOptions, type Week53Handling } from '../core/period';

/**
 * What each kind of Visma.net credential is for, shown where a node uses the credential (only
 * where the node's credential is shown). n8n gives a new or imported node the
 * credential of that type created last, so a workflow can silently get the wrong kind.
 */
export function credentialKindNotice(
	show?: Record<string, Array<string | boolean>>,
): INodeProperties {
	return {
		displayName:
			'Credential: choose a Visma.net credential with API "Service API (Client Credentials)" for workflows that run on their own (trigger, schedule, webhook) and for Administrations: with the credential\'s Administrations filled, each item books in the Visma.net company of its payroll company; else in the company of its Company Tenant ID. "Interactive API (Sign in as a User)" is for trying things by hand as yourself; with Administrations filled it is refused. n8n preselects the credential created last, so check this one; name credentials by company and kind, e.g. "Visma.net – Bakkerij De Vries (service)".',
		name: 'credentialNotice',
		type: 'notice',
		default: '',
		...(show ? { displayOptions: { show } } : {}),
	};
}

export const week53Option: INodeProperties = {
	displayName: 'Week 53 (4-Weekly Payroll)',
	name: 'week53',
	type: 'options',
	default: DEFAULT_WEEK53,
	options: [
		{
			name: 'Own Period (Period 14)',
			value: 'ownPeriod',
			description: 'Week 53 is paid as a period of its own, as Dutch wage tax treats it',
		},
		{
			name: 'Part of Period 13',
			value: 'partOfPeriod13',
			description: 'Period 13 runs from ISO week 49 to week 53',
		},
	],
	description: 'How a 4-weekly payroll pays ISO week 53 in a year that has one (2026 does)',
};

/** Post's and Get Posting Status' Non-Project Code: how lines without a project read back. */
export const nonProjectCodeParameter: INodeProperties = {
	displayName: 'Non-Project Code',
	name: 'nonProjectCode',
	type: 'string',
	default: DEFAULT_NON_PROJECT_CODE,
	description:
		'Only for journals whose lines name a project: the code Visma.net gives every line without one (Project accounting preferences, PM101000; Visma.net’s default is X). Lines read back with it count as booked without a project.',
};

/** The Non-Project Code parameter as the core compares it; empty is Visma.net's default. */
export function readBackRulesOf(
	context: IExecuteFunctions,
	itemIndex: number,
	name = 'options.nonProjectCode',
): ReadBackRules {
	const code = context.getNodeParameter(name, itemIndex, '') as string;
	return readBackRules(code.trim() || DEFAULT_NON_PROJECT_CODE);
}

export function calendarOptions(
	context: IExecuteFunctions,
	itemIndex: number,
	collection = 'options',
): PayrollCalendarOptions {
	const week53 = context.getNodeParameter(
		`${collection}.week53`,
		itemIndex,
		DEFAULT_WEEK53,
	) as Week53Handling;
	return { week53 };
}
