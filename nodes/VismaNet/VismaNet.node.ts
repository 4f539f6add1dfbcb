import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { vismaNetProperties } from './description';
import { executeVismaNet } from './execute';

/** Looking, not writing: Check Setup, Get Posting Status, List Payroll Batches (journal-contract §7). */
export class VismaNet implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Visma.net',
		name: 'vismaNet',
		icon: { light: 'file:../../icons/visma-net.svg', dark: 'file:../../icons/visma-net.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle:
			'={{ { checkSetup: "Check Setup", getPostingStatus: "Get Posting Status", listPayrollBatches: "List Payroll Batches" }[$parameter["operation"]] }}',
		description:
			'Read a Visma.net company: is it ready for a month end, where does a payroll journal stand, which payroll batches are there. Never writes.',
		defaults: { name: 'Visma.net' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'vismaNetOAuth2Api', required: true }],
		properties: vismaNetProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeVismaNet.call(this);
	}
}
