import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listCompanies } from './operations';

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
