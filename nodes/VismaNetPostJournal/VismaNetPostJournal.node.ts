import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { vismaNetCredential } from '../shared/parameters';
import { getBranches, getLedgers } from '../shared/methods/loadOptions';
import { postJournalProperties } from './description';
import { executePostJournal } from './execute';

export class VismaNetPostJournal implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Post Journal Transaction',
		name: 'vismaNetPostJournal',
		icon: { light: 'file:../../icons/visma-net.svg', dark: 'file:../../icons/visma-net.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["mode"] === "dryRun" ? "Dry run" : "Post to Visma.net" }}',
		description: 'Book a payroll journal part in Visma.net as a general-ledger journal transaction, exactly once',
		defaults: { name: 'Post Journal Transaction' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ ...vismaNetCredential(), displayOptions: { show: { mode: ['post'] } } }],
		properties: postJournalProperties,
	};

	methods = { loadOptions: { getBranches, getLedgers } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executePostJournal.call(this);
	}
}
