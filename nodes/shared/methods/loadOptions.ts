/**
 * Dropdowns filled from Visma.net (n8n loadOptions): SUBACCOUNT segments, ledgers, branches.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getSubaccountDimension, listBranches, listLedgers } from '../../transport';

/** Segment descriptions, as Map Dimensions matches them ("the same description as in Visma.net"). */
export async function getSegmentDescriptions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const dimension = await getSubaccountDimension.call(this);
	return (dimension.segments ?? []).map((segment) => ({
		name: segment.description ?? `Segment ${segment.segmentId}`,
		value: segment.description ?? '',
		description: `Segment ${segment.segmentId}, ${segment.length ?? '?'} characters`,
	}));
}

export async function getSegmentIds(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const dimension = await getSubaccountDimension.call(this);
	return (dimension.segments ?? []).map((segment) => ({
		name: `${segment.segmentId}: ${segment.description ?? ''}`,
		value: segment.segmentId,
		description: `${segment.length ?? '?'} characters`,
	}));
}

export async function getLedgers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const ledgers = await listLedgers.call(this);
	return ledgers.map((ledger) => ({
		name: ledger.description ? `${ledger.number} – ${ledger.description}` : ledger.number,
		value: ledger.number,
		...(ledger.balanceType ? { description: ledger.balanceType } : {}),
	}));
}

export async function getBranches(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const branches = await listBranches.call(this);
	return branches
		.filter((branch) => branch.isActive !== false)
		.map((branch) => ({ name: branch.name ? `${branch.number} – ${branch.name}` : branch.number, value: branch.number }));
}
