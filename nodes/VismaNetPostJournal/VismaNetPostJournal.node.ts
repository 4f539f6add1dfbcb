import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { searchBranches, searchLedgers } from '../shared/methods/loadOptions';
import { postJournalProperties } from './description';
import { executePostJournal } from './execute';

/**
 * Not offered to AI agents: it books journals in Visma.net, and only nodes that never write are
 * tools (the read-only Visma.net node is). n8n asks every node to decide; `usableAsTool` is set
 * to `undefined` on purpose (n8n-workflow's type has no `false`; n8n offers a node as a tool only
 * when it is set).
 */
export class VismaNetPostJournal implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Post Journal Transaction',
		name: 'vismaNetPostJournal',
		icon: { light: 'file:../../icons/visma-net.svg', dark: 'file:../../icons/visma-net.dark.svg' },
		group: ['output'],
		version: 1,
		usableAsTool: undefined,
		subtitle: '={{ $parameter["mode"] === "dryRun" ? "Dry run" : "Post to Visma.net" }}',
		description:
			'Book a payroll journal part in Visma.net as a general-ledger journal transaction, exactly once',
		defaults: { name: 'Post Journal Transaction' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'vismaNetOAuth2Api', required: true, displayOptions: { show: { mode: ['post'] } } },
		],
		properties: postJournalProperties,
	};

	methods = { listSearch: { searchBranches, searchLedgers } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executePostJournal.call(this);
	}
}
