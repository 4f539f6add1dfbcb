import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { toCanonicalHeaderJson, toCanonicalLineJson } from '../core/journal';
import { toFinancialPeriodText } from '../core/period';
import { splitJournal, type ClosedPeriodPolicy } from '../core/splitTwk';
import { calendarOptions } from '../shared/parameters';
import { ItemIssuesError, runPerItem } from '../shared/runPerItem';
import { companyIdOf, itemTenants, perTenant } from '../shared/tenants';
import { loadFinancialPeriods } from '../shared/vismaReference';

/** Fields of a part that a split item sets itself; the rest of the input item is kept. */
const PART_FIELDS = ['reference', 'company', 'run', 'currency', 'lines', 'financialPeriod', 'transactionDate', 'isTwk', 'movedFrom', 'description', 'part', 'financialPeriodDates'];

export async function executeSplitTwk(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const readPeriods = this.getNodeParameter('readPeriodsFromVismaNet', 0, false) as boolean;
	// Once per tenant per execution; with the credential's own tenant for every company (no
	// Administrations), before the items.
	const tenants = readPeriods ? await itemTenants(this) : undefined;
	const periodsOf = perTenant(async (tenant) => await loadFinancialPeriods.call((tenants as NonNullable<typeof tenants>).context(this, tenant)));
	const ownPeriods = tenants && !tenants.filled ? await periodsOf({ tenantId: undefined, own: true }) : undefined;

	return await runPerItem.call(this, async (item, itemIndex) => {
		let financialPeriods = ownPeriods;
		if (tenants && !financialPeriods) {
			const resolution = tenants.resolve(companyIdOf(item.json), item.json.reference);
			if (!resolution.ok) throw new ItemIssuesError([resolution.issue]);
			financialPeriods = await periodsOf(resolution.tenant);
		}
		const closedPeriodPolicy = (readPeriods ? this.getNodeParameter('closedPeriodPolicy', itemIndex, 'fail') : 'fail') as ClosedPeriodPolicy;
		const { parts, issues } = splitJournal(item.json, {
			...calendarOptions(this, itemIndex),
			closedPeriodPolicy,
			...(financialPeriods ? { financialPeriods } : {}),
		});
		if (issues.length > 0) throw new ItemIssuesError(issues);
		const extra: IDataObject = {};
		for (const [key, value] of Object.entries(item.json)) if (!PART_FIELDS.includes(key) && key !== 'validation') extra[key] = value;
		return parts.map((part, index) => ({
			json: {
				...extra,
				...toCanonicalHeaderJson(part.journal),
				financialPeriod: toFinancialPeriodText(part.financialPeriod),
				transactionDate: part.transactionDate,
				isTwk: part.isTwk,
				...(part.movedFrom ? { movedFrom: toFinancialPeriodText(part.movedFrom) } : {}),
				description: part.description,
				...(part.periodDates ? { financialPeriodDates: { ...part.periodDates } } : {}),
				part: { number: index + 1, of: parts.length },
				lines: part.journal.lines.map(toCanonicalLineJson) as unknown as IDataObject[],
			},
		}));
	});
}
