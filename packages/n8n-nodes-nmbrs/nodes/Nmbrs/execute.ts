import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { formatReference } from '../nmbrsSoap/canonicalJournal';
import {
	idList,
	listCompanies,
	listRuns,
	toNmbrsId,
	type NmbrsCompany,
} from '../nmbrsSoap/operations';
import { CompanyDetailsCache, fetchRunJournal } from '../nmbrsSoap/runJournal';
import { runPerItem } from '../shared/runPerItem';

export async function executeNmbrs(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const cache = new CompanyDetailsCache();
	let companies: Promise<Map<string, NmbrsCompany>> | undefined;
	const companyById = async (companyId: number, itemIndex: number): Promise<NmbrsCompany> => {
		companies ??= listCompanies
			.call(this)
			.then((list) => new Map(list.map((company) => [company.id, company])));
		const company = (await companies).get(String(companyId));
		if (!company) {
			throw new NodeOperationError(
				this.getNode(),
				`Nmbrs does not list company ${companyId} for the credential's user`,
				{
					description:
						'Check the company id, and that the Nmbrs user of the credential has access to it.',
					itemIndex,
				},
			);
		}
		return company;
	};

	return await runPerItem.call(this, async (_item, itemIndex) => {
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		// Resource locators, read while shown (Run only for Get Journal); an older workflow's plain ID passes through.
		const companyId = toNmbrsId(
			this,
			this.getNodeParameter('companyId', itemIndex, '', { extractValue: true }),
			'company id',
			itemIndex,
		);
		const year = Number(this.getNodeParameter('year', itemIndex));
		const runs = await listRuns.call(this, companyId, year, itemIndex);
		if (operation === 'getRuns') {
			return runs.map((run) => ({ json: { companyId: String(companyId), ...run } as IDataObject }));
		}
		const runId = String(
			toNmbrsId(
				this,
				this.getNodeParameter('runId', itemIndex, '', { extractValue: true }),
				'run id',
				itemIndex,
			),
		);
		const run = runs.find((candidate) => candidate.id === runId);
		if (!run) {
			throw new NodeOperationError(
				this.getNode(),
				`Company ${companyId} has no payroll run ${runId} in ${year}`,
				{
					description:
						'Check the run id and the year; operation Get Runs lists the runs of a year.',
					itemIndex,
				},
			);
		}
		const company = await companyById(companyId, itemIndex);
		const formatted = formatReference(
			String(this.getNodeParameter('referenceFormat', itemIndex, 'R{year}-{period:02}')),
			company,
			run,
		);
		if ('problem' in formatted)
			throw new NodeOperationError(this.getNode(), formatted.problem, { itemIndex });
		const flags = {
			testCompany: idList(this.getNodeParameter('testCompanyIds', itemIndex, [])).includes(
				company.id,
			),
			debtorBlocked: idList(
				this.getNodeParameter('blockedDebtorCompanyIds', itemIndex, []),
			).includes(company.id),
		};
		const journal = await fetchRunJournal.call(this, {
			company,
			run,
			flags,
			reference: formatted.reference,
			cache,
			itemIndex,
		});
		return [{ json: { ...journal, ...(run.isLocked ? {} : { runLocked: false }) } }];
	});
}
