/**
 * Visma.net's reference data (accounts, financial periods, SUBACCOUNT segments) read through the
 * transport and turned into the core's own types. Read once per execution by each node that
 * needs it, never kept between executions (queue mode: nothing lives in process memory).
 */
import { NodeOperationError } from 'n8n-workflow';

import type { AccountKind, SubaccountSegment } from '../core/mapDimensions';
import { readVismaFinancialPeriods, type VismaFinancialPeriod } from '../core/period';
import { vismaCodeKey } from '../core/buildJournalTransaction';
import type { AccountInfo, BranchInfo } from '../core/validateJournal';
import {
	toAccountInfo,
	toAccountKind,
	toBranchInfo,
	toSubaccountSegments,
} from '../core/vismaNetModel';
import {
	getSubaccountDimension,
	listAccounts,
	listBranches,
	listFinancialPeriods,
	type VismaNetContext,
} from '../transport';

export interface AccountCatalog {
	readonly accounts: ReadonlyMap<string, AccountInfo>;
	readonly kinds: ReadonlyMap<string, AccountKind>;
}

export async function loadAccountCatalog(this: VismaNetContext): Promise<AccountCatalog> {
	const dtos = await listAccounts.call(this);
	const accounts = new Map<string, AccountInfo>();
	const kinds = new Map<string, AccountKind>();
	for (const dto of dtos) {
		if (typeof dto.accountCD !== 'string') continue;
		const number = dto.accountCD.trim();
		accounts.set(number, toAccountInfo({ ...dto, accountCD: number }));
		const kind = toAccountKind(dto);
		if (kind) kinds.set(number, kind);
	}
	return { accounts, kinds };
}

/**
 * Visma.net's financial periods, read by the core (`readVismaFinancialPeriods`: any plausible
 * spelling of `period`, from year and dates). An answer that contradicts its own dates is refused
 * whole: nothing is decided on periods that may have been misread.
 */
export async function loadFinancialPeriods(this: VismaNetContext): Promise<VismaFinancialPeriod[]> {
	const { periods, problems } = readVismaFinancialPeriods(await listFinancialPeriods.call(this));
	if (problems.length > 0) {
		const shown = problems.slice(0, 3).join(' ');
		throw new NodeOperationError(
			this.getNode(),
			`Visma.net's financial periods contradict themselves: ${shown}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`,
			{
				description:
					'Nothing was decided or posted on them. Check the financial periods in Visma.net (Financial periods, GL201000); if they look right there, report this answer to the package maintainers.',
			},
		);
	}
	return periods;
}

/** Visma.net's branches by `vismaCodeKey` of their number, as Validate Journal checks line branches. */
export async function loadBranches(this: VismaNetContext): Promise<Map<string, BranchInfo>> {
	const branches = new Map<string, BranchInfo>();
	for (const dto of await listBranches.call(this)) {
		const info = dto && typeof dto === 'object' ? toBranchInfo(dto) : null;
		if (info) branches.set(vismaCodeKey(info.number), info);
	}
	return branches;
}

export async function loadSubaccountSegments(this: VismaNetContext): Promise<SubaccountSegment[]> {
	return toSubaccountSegments(await getSubaccountDimension.call(this));
}
