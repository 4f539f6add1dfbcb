import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { validateJournalProperties } from './description';
import { executeValidateJournal } from './execute';

export class VismaNetValidateJournal implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Validate Journal',
		name: 'vismaNetValidateJournal',
		icon: { light: 'file:../../icons/visma-net.svg', dark: 'file:../../icons/visma-net.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["inputFormat"] === "nmbrsXml" ? "Nmbrs journal XML" : "Payroll journal" }}',
		description:
			'Check a payroll journal before anything is sent to Visma.net: every problem at once, in words a bookkeeper understands',
		defaults: { name: 'Validate Journal' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Valid', 'Invalid'],
		usableAsTool: true,
		credentials: [
			{
				name: 'vismaNetOAuth2Api',
				required: true,
				displayOptions: { show: { checkInVismaNet: [true] } },
			},
		],
		properties: validateJournalProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeValidateJournal.call(this);
	}
}
