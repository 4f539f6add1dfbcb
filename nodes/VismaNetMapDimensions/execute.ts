import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { parseJournal } from '../core/journal';
import { writePartLine } from '../core/journalPart';
import { mapLineDimensions, type DimensionMappingOptions } from '../core/mapDimensions';
import { ItemIssuesError, runPerItem } from '../shared/runPerItem';
import { companyIdOf, itemTenants, perTenant } from '../shared/tenants';
import { loadAccountCatalog, loadSubaccountSegments } from '../shared/vismaReference';

export async function executeMapDimensions(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	// Read once per tenant per execution: the SUBACCOUNT key and, when asked, the account types.
	// With the credential's own tenant for every company (no Administrations), before the items.
	const onlyProfitAndLoss = this.getNodeParameter('options.onlyProfitAndLoss', 0, false) as boolean;
	const tenants = await itemTenants(this);
	const reference = perTenant(async (tenant) => {
		const context = tenants.context(this, tenant);
		const segments = await loadSubaccountSegments.call(context);
		return {
			segments,
			kinds: onlyProfitAndLoss ? (await loadAccountCatalog.call(context)).kinds : undefined,
		};
	});
	const own = tenants.filled ? undefined : await reference({ tenantId: undefined, own: true });

	return await runPerItem.call(this, async (item, itemIndex) => {
		const { journal, issues } = parseJournal(item.json);
		if (!journal) throw new ItemIssuesError(issues);
		let known = own;
		if (!known) {
			const resolution = tenants.resolve(companyIdOf(item.json), journal.reference);
			if (!resolution.ok) throw new ItemIssuesError([resolution.issue]);
			known = await reference(resolution.tenant);
		}
		const { segments, kinds } = known;
		const mappingRows =
			(this.getNodeParameter('options.mappings.mapping', itemIndex, []) as IDataObject[]) ?? [];
		const defaultRows =
			(this.getNodeParameter('options.segmentDefaults.default', itemIndex, []) as IDataObject[]) ??
			[];
		const useCostCenters = this.getNodeParameter('useCostCenters', itemIndex) as boolean;
		const useCostUnits = this.getNodeParameter('useCostUnits', itemIndex) as boolean;
		// A resource locator's value is read only while it is shown (n8n cannot extract a hidden one).
		const segmentOf = (name: string, shown: boolean) =>
			shown ? (this.getNodeParameter(name, itemIndex, '', { extractValue: true }) as string) : '';
		const options: DimensionMappingOptions = {
			useCostCenters,
			costCenterDimension: segmentOf('costCenterDimension', useCostCenters),
			useCostUnits,
			costUnitDimension: segmentOf('costUnitDimension', useCostUnits),
			matchValuesBy: this.getNodeParameter(
				'matchValuesBy',
				itemIndex,
			) as DimensionMappingOptions['matchValuesBy'],
			mappings: mappingRows.map((row) => ({
				dimension: row.dimension === 'costUnit' ? 'costUnit' : 'costCenter',
				from: String(row.from ?? ''),
				to: String(row.to ?? ''),
			})),
			segmentDefaults: Object.fromEntries(
				defaultRows
					.filter((row) => row.segmentId !== '' && row.segmentId !== undefined)
					.map((row) => [Number(row.segmentId), String(row.value ?? '')]),
			),
			...(kinds ? { accountKinds: kinds } : {}),
		};
		const mapped = mapLineDimensions(journal, segments, options);
		if (mapped.issues.length > 0) throw new ItemIssuesError(mapped.issues);
		const lines = journal.lines.map((line, index) =>
			writePartLine(line, mapped.subaccounts[index]),
		);
		return [{ json: { ...item.json, lines: lines as unknown as IDataObject[] } }];
	});
}
