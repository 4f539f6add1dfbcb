import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { getNmbrsCompanies, searchNmbrsCompanies, searchNmbrsRuns } from '../methods/loadOptions';
import { nmbrsProperties } from './description';
import { executeNmbrs } from './execute';

export class Nmbrs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Nmbrs',
		name: 'nmbrs',
		icon: { light: 'file:../../icons/nmbrs.svg', dark: 'file:../../icons/nmbrs.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "getRuns" ? "Get runs" : "Get journal" }}',
		description: 'Read payroll runs and their journals from Nmbrs, as canonical payroll journals',
		defaults: { name: 'Nmbrs' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'nmbrsApi', required: true }],
		properties: nmbrsProperties,
	};

	methods = {
		loadOptions: { getNmbrsCompanies },
		listSearch: { searchNmbrsCompanies, searchNmbrsRuns },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeNmbrs.call(this);
	}
}
