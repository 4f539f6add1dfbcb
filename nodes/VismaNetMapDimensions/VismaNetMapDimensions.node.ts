import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { getSegmentIds, searchSegmentDescriptions } from '../shared/methods/loadOptions';
import { mapDimensionsProperties } from './description';
import { executeMapDimensions } from './execute';

export class VismaNetMapDimensions implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Map Dimensions',
		name: 'vismaNetMapDimensions',
		icon: { light: 'file:../../icons/visma-net.svg', dark: 'file:../../icons/visma-net.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "Match by " + $parameter["matchValuesBy"] }}',
		description:
			'Give every journal line its Visma.net subaccount: cost centre and cost unit mapped onto the SUBACCOUNT segments',
		defaults: { name: 'Map Dimensions' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'vismaNetOAuth2Api', required: true }],
		properties: mapDimensionsProperties,
	};

	methods = { loadOptions: { getSegmentIds }, listSearch: { searchSegmentDescriptions } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeMapDimensions.call(this);
	}
}
