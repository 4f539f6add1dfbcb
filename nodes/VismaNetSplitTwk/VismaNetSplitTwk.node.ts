import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { splitTwkProperties } from './description';
import { executeSplitTwk } from './execute';

export class VismaNetSplitTwk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Split TWK by Period',
		name: 'vismaNetSplitTwk',
		icon: { light: 'file:../../icons/visma-net.svg', dark: 'file:../../icons/visma-net.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["readPeriodsFromVismaNet"] ? "Closed periods: " + $parameter["closedPeriodPolicy"] : "Calendar-month periods" }}',
		description:
			'Split a payroll journal into one balanced part per financial period: retroactive corrections (TWK) are booked in the period they concern, under the run’s reference',
		defaults: { name: 'Split TWK by Period' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{
				name: 'vismaNetOAuth2Api',
				required: true,
				displayOptions: { show: { readPeriodsFromVismaNet: [true] } },
			},
		],
		properties: splitTwkProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeSplitTwk.call(this);
	}
}
