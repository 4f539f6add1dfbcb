import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listCompanies, listRuns, toNmbrsId } from './operations';

/** The companies of the credential's user, for dropdowns: "Bakkerij De Vries BV (1234)". */
export async function getNmbrsCompanies(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const companies = await listCompanies.call(this);
	return companies
		.map((company) => ({
			name: `${company.name || 'Company'} (${company.id})`,
			value: company.id,
			description: company.number === undefined ? `Nmbrs company ${company.id}` : `Company number ${company.number}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The payroll runs of the chosen company and year, for the Run dropdown of Get Journal: the
 * locked runs first (the ones to book), newest first: "Maart 2026 (run 3)".
 * Until a company is chosen the list is empty.
 */
export async function getNmbrsRuns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const company = this.getCurrentNodeParameter('companyId');
	const year = Number(this.getCurrentNodeParameter('year'));
	if (company === undefined || company === '' || !Number.isInteger(year)) return [];
	const runs = await listRuns.call(this, toNmbrsId(this, company, 'company id'), year);
	return [...runs]
		.sort((a, b) => Number(b.isLocked) - Number(a.isLocked) || b.periodEnd - a.periodEnd || b.number - a.number)
		.map((run) => ({
			name: `${run.description || `Run ${run.number}`} (run ${run.number}${run.isLocked ? '' : ', not locked yet'})`,
			value: run.id,
			description: `Run ID ${run.id}, periods ${run.periodStart}–${run.periodEnd}${run.runAt ? `, run at ${run.runAt.slice(0, 10)}` : ''}`,
		}));
}
