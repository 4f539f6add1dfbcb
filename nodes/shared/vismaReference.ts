/**
 * Visma.net's reference data (accounts, financial periods, SUBACCOUNT segments) read through the
 * transport and turned into the core's own types. Read once per execution by each node that
 * needs it, never kept between executions (queue mode: nothing lives in process memory).
 */
import type { AccountKind, SubaccountSegment } from '../core/mapDimensions';
import type { VismaFinancialPeriod } from '../core/period';
import type { AccountInfo } from '../core/validateJournal';
import {
	getSubaccountDimension,
	listAccounts,
	listFinancialPeriods,
	type AccountDto,
	type VismaNetContext,
} from '../transport';

export interface AccountCatalog {
	readonly accounts: ReadonlyMap<string, AccountInfo>;
	readonly kinds: ReadonlyMap<string, AccountKind>;
}

export function toAccountInfo(dto: AccountDto): AccountInfo {
	const controlModule = typeof dto.controlAccountModule === 'string' ? dto.controlAccountModule.trim() : '';
	return {
		number: dto.accountCD,
		active: dto.active !== false,
		acceptsManualEntries: controlModule === '' && dto.allowManualEntry !== false,
		...(dto.description ? { description: dto.description } : {}),
	};
}

/** Income and expense accounts are profit and loss; assets and liabilities the balance sheet. */
export function toAccountKind(dto: AccountDto): AccountKind | undefined {
	if (dto.type === 'Income' || dto.type === 'Expense') return 'profitAndLoss';
	if (dto.type === 'Asset' || dto.type === 'Liability') return 'balanceSheet';
	return undefined;
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

/** A Visma.net period number: `period` is YYYYPP text ("202603"); a bare number is taken as it is. */
export function toPeriodNumber(period: unknown): number | null {
	if (typeof period === 'number') return Number.isInteger(period) && period > 0 ? period : null;
	if (typeof period !== 'string') return null;
	const text = period.trim();
	const number = Number(/^\d{6}$/.test(text) ? text.slice(4) : text);
	return Number.isInteger(number) && number > 0 ? number : null;
}

export async function loadFinancialPeriods(this: VismaNetContext): Promise<VismaFinancialPeriod[]> {
	const dtos = await listFinancialPeriods.call(this);
	const periods: VismaFinancialPeriod[] = [];
	for (const dto of dtos) {
		const period = toPeriodNumber(dto.period);
		if (typeof dto.year !== 'number' || period === null || typeof dto.startDate !== 'string' || typeof dto.endDate !== 'string') continue;
		periods.push({
			year: dto.year,
			period,
			startDate: dto.startDate,
			endDate: dto.endDate,
			...(dto.active === undefined ? {} : { active: dto.active }),
			...(dto.closedInGeneralLedger === undefined ? {} : { closedInGeneralLedger: dto.closedInGeneralLedger }),
			...(dto.description ? { description: dto.description } : {}),
		});
	}
	return periods;
}

export async function loadSubaccountSegments(this: VismaNetContext): Promise<SubaccountSegment[]> {
	const dimension = await getSubaccountDimension.call(this);
	return (dimension.segments ?? []).map((segment) => ({
		segmentId: segment.segmentId,
		description: segment.description ?? '',
		length: segment.length ?? 0,
		...(segment.validate === undefined ? {} : { validate: segment.validate }),
		values: (segment.segmentValues ?? []).map((value) => ({
			value: value.valueId,
			...(value.description ? { description: value.description } : {}),
			...(value.active === undefined ? {} : { active: value.active }),
		})),
	}));
}
