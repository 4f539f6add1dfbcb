import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { searchOptions } from '../shared/listSearch';
import { listCompanies, listRuns, toNmbrsId, type NmbrsRun } from '../nmbrsSoap/operations';

/** The companies of the credential's user, for dropdowns: "Bakkerij De Vries BV (1234)". */
export async function getNmbrsCompanies(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const companies = await listCompanies.call(this);
	return companies
		.map((company) => ({
			name: `${company.name || 'Company'} (${company.id})`,
			value: company.id,
			description:
				company.number === undefined
					? `Nmbrs company ${company.id}`
					: `Company number ${company.number}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The Nmbrs node's Company list: the companies whose name or ID contains the search text. */
export async function searchNmbrsCompanies(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchOptions(await getNmbrsCompanies.call(this), filter, paginationToken);
}

/** "period 3" (or "periods 3–4"), and the day it was run: what tells two runs of a year apart. */
function runDetails(run: NmbrsRun): string {
	const periods =
		run.periodStart === run.periodEnd
			? `period ${run.periodStart}`
			: `periods ${run.periodStart}–${run.periodEnd}`;
	return run.runAt ? `${periods}, run on ${run.runAt.slice(0, 10)}` : periods;
}

/**
 * The payroll runs of the chosen company and year, for the Run of Get Journal: the locked runs
 * first (the ones to book), newest first, each with its period and run date, as n8n's list shows
 * only names: "Maart 2026 (run 3) – period 3, run on 2026-03-25". The company is the Company
 * parameter's value (a resource locator, or the plain ID of an older workflow); until one is
 * chosen the list is empty.
 */
export async function getNmbrsRuns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const company = this.getCurrentNodeParameter('companyId', { extractValue: true });
	const year = Number(this.getCurrentNodeParameter('year'));
	if (
		company === undefined ||
		company === null ||
		String(company).trim() === '' ||
		!Number.isInteger(year)
	)
		return [];
	const runs = await listRuns.call(this, toNmbrsId(this, company, 'company id'), year);
	return [...runs]
		.sort(
			(a, b) =>
				Number(b.isLocked) - Number(a.isLocked) || b.periodEnd - a.periodEnd || b.number - a.number,
		)
		.map((run) => ({
			name: `${run.description || `Run ${run.number}`} (run ${run.number}${run.isLocked ? '' : ', not locked yet'}) – ${runDetails(run)}`,
			value: run.id,
			description: `Run ID ${run.id}`,
		}));
}

/** The Nmbrs node's Run list: the runs of getNmbrsRuns whose name or run ID contains the search text. */
export async function searchNmbrsRuns(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return searchOptions(await getNmbrsRuns.call(this), filter, paginationToken);
}
