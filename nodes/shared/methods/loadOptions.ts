/**
 * Dropdowns filled from Visma.net (n8n loadOptions): SUBACCOUNT segments, ledgers, branches.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { getSubaccountDimension, listBranches, listLedgers } from '../../transport';

/** Segment descriptions, as Map Dimensions matches them ("the same description as in Visma.net"). */
export async function getSegmentDescriptions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const dimension = await getSubaccountDimension.call(this);
	return (dimension.segments ?? []).map((segment) => ({
		name: segment.description ?? `Segment ${segment.segmentId}`,
		value: segment.description ?? '',
		description: `Segment ${segment.segmentId}, ${segment.length ?? '?'} characters`,
	}));
}

/**
 * The same, for a resource locator's list (Map Dimensions' cost centre and cost unit dimensions):
 * segments whose description or number contains the search text, case-insensitively.
 */
export async function searchSegmentDescriptions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').trim().toLowerCase();
	const options = await getSegmentDescriptions.call(this);
	const results = options
		.filter((option) => option.value !== '' && (!wanted || `${option.name} ${option.description ?? ''}`.toLowerCase().includes(wanted)))
		.map((option) => ({ name: option.name, value: option.value as string, description: option.description }));
	return { results };
}

export async function getSegmentIds(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const dimension = await getSubaccountDimension.call(this);
	return (dimension.segments ?? []).map((segment) => ({
		name: `${segment.segmentId}: ${segment.description ?? ''}`,
		value: segment.segmentId,
		description: `${segment.length ?? '?'} characters`,
	}));
}

/**
 * The first choice of the Ledger and Branch dropdowns: empty, Visma.net's default. n8n marks a
 * dropdown whose value is not among its options ("The value "" is not supported!"), so the
 * default must be an option, and it lets a user go back to it after picking one.
 */
export const COMPANY_DEFAULT_NAME = '(Company default)';

function companyDefault(description: string): INodePropertyOptions {
	return { name: COMPANY_DEFAULT_NAME, value: '', description };
}

export async function getLedgers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const ledgers = await listLedgers.call(this);
	return [companyDefault('Visma.net chooses: the posting ledger of the branch'), ...ledgers.map((ledger) => ({
		name: ledger.description ? `${ledger.number} – ${ledger.description}` : ledger.number,
		value: ledger.number,
		...(ledger.balanceType ? { description: ledger.balanceType } : {}),
	}))];
}

export async function getBranches(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const branches = await listBranches.call(this);
	return [
		companyDefault('Visma.net chooses: the company’s default branch'),
		...branches
			.filter((branch) => branch.isActive !== false)
			.map((branch) => ({ name: branch.name ? `${branch.number} – ${branch.name}` : branch.number, value: branch.number })),
	];
}
