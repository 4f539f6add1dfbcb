/**
 * The search of a resource locator's list (n8n `listSearch` methods): the options of a former
 * dropdown, narrowed by what the user types, a page at a time. Shared by both packages (linked
 * into packages/n8n-nodes-nmbrs/nodes/shared).
 */
import type {
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

/** Entries per answer; n8n's editor asks for the next page (the pagination token) when one scrolls down. */
export const LIST_SEARCH_PAGE_SIZE = 100;

/**
 * The options whose name or value (the ID) contains the search text, case-insensitively, in
 * their order: at most `pageSize` from where `paginationToken` (returned with the page before)
 * says, so each answer is one pass over the options from there and bounded in size. `alsoMatch`
 * adds text to search in, e.g. a number that is neither name nor value.
 */
export function searchOptions(
	options: readonly INodePropertyOptions[],
	filter?: string,
	paginationToken?: string,
	{
		pageSize = LIST_SEARCH_PAGE_SIZE,
		alsoMatch,
	}: { pageSize?: number; alsoMatch?: (option: INodePropertyOptions) => string } = {},
): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	const start = /^\d{1,9}$/.test(paginationToken ?? '') ? Number(paginationToken) : 0;
	const results: INodeListSearchItems[] = [];
	for (let index = start; index < options.length; index++) {
		const option = options[index];
		const value = String(option.value);
		if (
			wanted &&
			!`${option.name}\n${value}\n${alsoMatch?.(option) ?? ''}`.toLowerCase().includes(wanted)
		)
			continue;
		if (results.length === pageSize) return { results, paginationToken: String(index) };
		results.push({
			name: option.name,
			value,
			...(option.description ? { description: option.description } : {}),
		});
	}
	return { results };
}
