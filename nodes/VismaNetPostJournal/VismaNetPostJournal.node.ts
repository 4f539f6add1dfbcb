import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { vismaNetCredential } from '../shared/parameters';
import { getBranches, getLedgers } from '../shared/methods/loadOptions';
import { postJournalProperties } from './description';
import { executePostJournal } from './execute';

/**
 * Not offered to AI agents (no `usableAsTool`): it books journals in Visma.net, and only nodes that
 * never write are tools (the read-only Visma.net node is). n8n's rule asks every node for the
 * property; the exception is deliberate.
 */
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
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
