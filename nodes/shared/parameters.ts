/**
 * Parameters more than one node offers, written once, and the node-description pieces all four
 * share. Defaults come from the core's constants.
 */
import type { IExecuteFunctions, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { DEFAULT_WEEK53, type PayrollCalendarOptions, type Week53Handling } from '../core/period';
import { CREDENTIAL_TYPE } from '../transport';


/** The credential, required only when `parameter` is on (or always, when no parameter is given). */
export function vismaNetCredential(parameter?: string): NonNullable<INodeTypeDescription['credentials']>[number] {
	return {
		name: CREDENTIAL_TYPE,
		required: true,
		...(parameter ? { displayOptions: { show: { [parameter]: [true] } } } : {}),
	};
}

export const week53Option: INodeProperties = {
	displayName: 'Week 53 (4-Weekly Payroll)',
	name: 'week53',
	type: 'options',
	default: DEFAULT_WEEK53,
	options: [
		{ name: 'Own Period (Period 14)', value: 'ownPeriod', description: 'Week 53 is paid as a period of its own, as Dutch wage tax treats it' },
		{ name: 'Part of Period 13', value: 'partOfPeriod13', description: 'Period 13 runs from ISO week 49 to week 53' },
	],
	description: 'How a 4-weekly payroll pays ISO week 53 in a year that has one (2026 does)',
};

export function calendarOptions(context: IExecuteFunctions, itemIndex: number, collection = 'options'): PayrollCalendarOptions {
	const week53 = context.getNodeParameter(`${collection}.week53`, itemIndex, DEFAULT_WEEK53) as Week53Handling;
	return { week53 };
}
