/**
 * Dropdowns and searchable lists filled from Visma.net (n8n loadOptions and listSearch):
 * SUBACCOUNT segments, ledgers, branches.
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { getSubaccountDimension, listBranches, listLedgers } from '../../transport';
import { searchOptions } from '../listSearch';

/** Segment descriptions, as Map Dimensions matches them ("the same description as in Visma.net"). */
export async function getSegmentDescriptions(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const dimension = await getSubaccountDimension.call(this);
	return (dimension.segments ?? []).map((segment) => ({
		name: segment.description ?? `Segment ${segment.segmentId}`,
		value: segment.description ?? '',
		description: `Segment ${segment.segmentId}, ${segment.length ?? '?'} characters`,
	}));
}

/**
 * The same, for a resource locator's list (Map Dimensions' cost centre and cost unit dimensions):
 * segments whose description or number ("Segment 3") contains the search text, case-insensitively.
 */
export async function searchSegmentDescriptions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const options = (await getSegmentDescriptions.call(this)).filter((option) => option.value !== '');
	return searchOptions(options, filter, paginationToken, {
		alsoMatch: (option) => option.description ?? '',
	});
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
 * The first choice of the Ledger and Branch lists: empty, Visma.net's default. Picking it sets the
 * resource locator's value back to '' (its default), which n8n does not mark as an issue (the
 * parameters are not required); the list mode's placeholder shows the same words while the value
 * is empty. (As dropdowns, n8n marked a value missing from the options: "The value "" is not
 * supported!", so the default had to be an option; it still is, so one can go back to it.)
 */
export const COMPANY_DEFAULT_NAME = '(Company default)';

function companyDefault(description: string): INodePropertyOptions {
	return { name: COMPANY_DEFAULT_NAME, value: '', description };
}

export async function getLedgers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const ledgers = await listLedgers.call(this);
	return [
		companyDefault('Visma.net chooses: the posting ledger of the branch'),
		...ledgers.map((ledger) => ({
			name: ledger.description ? `${ledger.number} – ${ledger.description}` : ledger.number,
			value: ledger.number,
			...(ledger.balanceType ? { description: ledger.balanceType } : {}),
		})),
	];
}

export async function getBranches(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const branches = await listBranches.call(this);
	return [
		companyDefault('Visma.net chooses: the company’s default branch'),
		...branches
			.filter((branch) => branch.isActive !== false)
			.map((branch) => ({
				name: branch.name ? `${branch.number} – ${branch.name}` : branch.number,
				value: branch.number,
			})),
	];
}

/** Post Journal Transaction's Ledger: "(Company default)", then the ledgers whose number or name contains the search text. */
export async function searchLedgers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchOptions(await getLedgers.call(this), filter, paginationToken);
}

/** Post Journal Transaction's Branch: "(Company default)", then the active branches whose number or name contains the search text. */
export async function searchBranches(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchOptions(await getBranches.call(this), filter, paginationToken);
}
