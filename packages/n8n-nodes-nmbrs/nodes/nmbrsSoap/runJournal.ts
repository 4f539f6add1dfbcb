/**
 * Fetches one run's journal from Nmbrs and converts it to the canonical journal, with what it
 * needs per company (period type, cost centres, cost units) read once and cached per poll.
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import { summarizeIssues } from '../core/issues';
import { toCanonicalJournal, type CompanyFlags } from './canonicalJournal';
import {
	getCurrentPeriod,
	getRunJournalXml,
	listCostCenters,
	listCostUnits,
	periodTypeFromCurrentPeriod,
	periodTypeFromWageTaxPeriod,
	type NmbrsCodeDescription,
	type NmbrsCompany,
	type NmbrsRun,
	type PayrollPeriodType,
} from './operations';
import type { NmbrsContext } from './request';

interface CompanyDetails {
	periodType: PayrollPeriodType;
	costCenters: NmbrsCodeDescription[];
	costUnits: NmbrsCodeDescription[];
}

/** Company details read once per poll or execution. */
export class CompanyDetailsCache {
	private readonly details = new Map<string, Promise<CompanyDetails>>();

	get(context: NmbrsContext, company: NmbrsCompany, itemIndex?: number): Promise<CompanyDetails> {
		let entry = this.details.get(company.id);
		if (!entry) {
			entry = readCompanyDetails(context, company, itemIndex);
			// A failed read is not kept: the next run of this company asks again.
			entry.catch(() => this.details.delete(company.id));
			this.details.set(company.id, entry);
		}
		return entry;
	}
}

async function readCompanyDetails(
	context: NmbrsContext,
	company: NmbrsCompany,
	itemIndex?: number,
): Promise<CompanyDetails> {
	const companyId = Number(company.id);
	let periodType = periodTypeFromWageTaxPeriod(company.wageTaxPeriod);
	if (periodType === undefined) {
		const current = await getCurrentPeriod.call(context, companyId, itemIndex);
		periodType = periodTypeFromCurrentPeriod(current);
		if (periodType === undefined) {
			throw new NodeOperationError(
				context.getNode(),
				`Company ${company.name || company.id} (${company.id}): its payroll period type is not known (wage-tax period "${company.wageTaxPeriod}", current period "${current}")`,
				{
					description:
						'Only monthly, 4-weekly and weekly payrolls can be booked. Check the company’s wage-tax period (loonaangiftetijdvak) in Nmbrs.',
					itemIndex,
				},
			);
		}
	}
	const [costCenters, costUnits] = await Promise.all([
		listCostCenters.call(context, companyId, itemIndex),
		listCostUnits.call(context, companyId, itemIndex),
	]);
	return { periodType, costCenters, costUnits };
}

export interface RunJournalRequest {
	readonly company: NmbrsCompany;
	readonly run: NmbrsRun;
	readonly flags: CompanyFlags;
	readonly reference: string;
	readonly cache: CompanyDetailsCache;
	readonly itemIndex?: number;
}

/** The canonical journal of a run; throws a NodeApiError / NodeOperationError naming the run. */
export async function fetchRunJournal(
	this: NmbrsContext,
	request: RunJournalRequest,
): Promise<IDataObject> {
	const { company, run, itemIndex } = request;
	const details = await request.cache.get(this, company, itemIndex);
	const journalXml = await getRunJournalXml.call(
		this,
		Number(company.id),
		Number(run.id),
		run.year,
		itemIndex,
	);
	const converted = toCanonicalJournal({
		company,
		run,
		journalXml,
		...details,
		flags: request.flags,
		reference: request.reference,
	});
	if ('issues' in converted) {
		const { message, description } = summarizeIssues(converted.issues);
		throw new NodeOperationError(
			this.getNode(),
			`The journal of payroll run ${run.number} of ${run.year} (id ${run.id}) of company ${company.name || company.id} cannot be read: ${message}`,
			{ description, itemIndex },
		);
	}
	return converted.journal;
}
