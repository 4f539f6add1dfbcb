import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { parseJournal, toCanonicalLineJson } from '../core/journal';
import { mapLineDimensions, type DimensionMappingOptions } from '../core/mapDimensions';
import { ItemIssuesError, runPerItem } from '../shared/runPerItem';
import { loadAccountCatalog, loadSubaccountSegments } from '../shared/vismaReference';

export async function executeMapDimensions(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Read once per execution: the SUBACCOUNT key and, when asked, the account types.
	const segments = await loadSubaccountSegments.call(this);
	const onlyProfitAndLoss = this.getNodeParameter('options.onlyProfitAndLoss', 0, false) as boolean;
	const kinds = onlyProfitAndLoss ? (await loadAccountCatalog.call(this)).kinds : undefined;

	return await runPerItem.call(this, async (item, itemIndex) => {
		const { journal, issues } = parseJournal(item.json);
		if (!journal) throw new ItemIssuesError(issues);
		const mappingRows = (this.getNodeParameter('options.mappings.mapping', itemIndex, []) as IDataObject[]) ?? [];
		const defaultRows = (this.getNodeParameter('options.segmentDefaults.default', itemIndex, []) as IDataObject[]) ?? [];
		const options: DimensionMappingOptions = {
			useCostCenters: this.getNodeParameter('useCostCenters', itemIndex) as boolean,
			costCenterDimension: this.getNodeParameter('costCenterDimension', itemIndex, '') as string,
			useCostUnits: this.getNodeParameter('useCostUnits', itemIndex) as boolean,
			costUnitDimension: this.getNodeParameter('costUnitDimension', itemIndex, '') as string,
			matchValuesBy: this.getNodeParameter('matchValuesBy', itemIndex) as DimensionMappingOptions['matchValuesBy'],
			mappings: mappingRows.map((row) => ({
				dimension: row.dimension === 'costUnit' ? 'costUnit' : 'costCenter',
				from: String(row.from ?? ''),
				to: String(row.to ?? ''),
			})),
			segmentDefaults: Object.fromEntries(
				defaultRows.filter((row) => row.segmentId !== '' && row.segmentId !== undefined).map((row) => [Number(row.segmentId), String(row.value ?? '')]),
			),
			...(kinds ? { accountKinds: kinds } : {}),
		};
		const mapped = mapLineDimensions(journal, segments, options);
		if (mapped.issues.length > 0) throw new ItemIssuesError(mapped.issues);
		const lines = journal.lines.map((line, index) => ({ ...toCanonicalLineJson(line), subaccount: mapped.subaccounts[index] }));
		return [{ json: { ...item.json, lines: lines as unknown as IDataObject[] } }];
	});
}
