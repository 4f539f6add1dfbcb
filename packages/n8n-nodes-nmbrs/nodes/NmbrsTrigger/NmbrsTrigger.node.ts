import type {
	IPollFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getNmbrsCompanies } from '../methods/loadOptions';
import { nmbrsTriggerProperties } from './description';
import { pollNmbrsTrigger } from './poll';

export class NmbrsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nmbrs Trigger',
		name: 'nmbrsTrigger',
		icon: { light: 'file:../../icons/nmbrs.svg', dark: 'file:../../icons/nmbrs.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["companyScope"] === "all" ? "All companies" : "Selected companies" }}',
		description:
			'Starts the workflow with the payroll journal of every newly locked Nmbrs payroll run, once per run',
		defaults: { name: 'Nmbrs Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'nmbrsApi', required: true }],
		properties: nmbrsTriggerProperties,
	};

	methods = { loadOptions: { getNmbrsCompanies } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollNmbrsTrigger.call(this);
	}
}
