/**
 * The Visma.net endpoints this package uses, with the DTO fields it reads, named as in Visma's
 * OpenAPI document (test/fixtures/visma-net/openapi-gl-subset.json).
 */
import type { IDataObject } from 'n8n-workflow';

import { serverText } from '../core/redact';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
// Imported from the module itself (not `./index`) to keep the import graph one-way.
import {
	batchNumberFromLocation,
	vismaNetRequest,
	vismaNetRequestAllPages,
	type PageMetadata,
	type VismaNetContext,
	type VismaNetResponse,
} from './request';

export interface AccountDto {
	accountID?: number;
	accountCD: string;
	description?: string;
	type?: 'Asset' | 'Liability' | 'Income' | 'Expense' | string;
	active?: boolean;
	controlAccountModule?: string | null;
	allowManualEntry?: boolean;
	accountClass?: string;
	metadata?: PageMetadata | null;
}

export interface SegmentValueDto {
	valueId: string;
	description?: string;
	active?: boolean;
}

export interface SegmentDto {
	segmentId: number;
	description?: string;
	length?: number;
	validate?: boolean;
	segmentValues?: SegmentValueDto[];
}

export interface DimensionDto {
	id?: string;
	description?: string;
	length?: number;
	segments?: SegmentDto[];
}

export interface FinancialPeriodDto {
	year: number;
	/** The period as Visma.net writes it: YYYYPP text, e.g. "202603". */
	period: string | number;
	startDate: string;
	endDate: string;
	description?: string;
	active?: boolean;
	closedInGeneralLedger?: boolean;
	metadata?: PageMetadata | null;
}

export interface LedgerDto {
	number: string;
	description?: string;
	balanceType?: string;
	currencyId?: string;
}

export interface BranchDto {
	number: string;
	name?: string;
	isActive?: boolean;
	ledger?: { number?: string; description?: string } | null;
}

export interface JournalTransactionLineDto {
	lineNumber?: number;
	accountNumber?: string;
	description?: string;
	referenceNumber?: string;
	transactionDescription?: string;
	debitAmountInCurrency?: number;
	creditAmountInCurrency?: number;
	subaccount?: {
		subaccountNumber?: string;
		segments?: Array<{ segmentId?: number; segmentValue?: string }>;
	} | null;
}

export interface JournalTransactionDto {
	module?: string;
	batchNumber: string;
	status?: string;
	hold?: boolean;
	transactionDate?: string;
	postPeriod?: string;
	financialPeriod?: string;
	ledger?: string;
	currencyId?: string;
	description?: string;
	debitTotalInCurrency?: number;
	creditTotalInCurrency?: number;
	journalTransactionLines?: JournalTransactionLineDto[];
	metadata?: PageMetadata | null;
}

export interface ReleaseResultDto {
	actionId?: string;
	actionResult?: 'Queued' | 'InProcess' | 'Failed' | 'Done' | string;
	errorInfo?: string | null;
}

/**
 * Every GL batch of a financial period, whole: the list pages count lines, so a batch that is
 * split over pages is merged back by batch number (lines in order, none twice).
 */
export async function listJournalTransactions(
	this: VismaNetContext,
	periodIdText: string,
	options: { itemIndex?: number; pageSize?: number; maxPages?: number; policy?: RetryPolicy } = {},
): Promise<JournalTransactionDto[]> {
	const parts = await vismaNetRequestAllPages.call<
		VismaNetContext,
		[
			Parameters<typeof vismaNetRequestAllPages>[0],
			(item: JournalTransactionDto) => number,
			RetryPolicy,
		],
		Promise<JournalTransactionDto[]>
	>(
		this,
		{
			path: '/v2/journaltransaction',
			qs: { periodId: periodIdText, module: 'GL' },
			operation: `reading the GL batches of period ${periodIdText}`,
			itemIndex: options.itemIndex,
			pageSize: options.pageSize,
			maxPages: options.maxPages,
		},
		(item) => Math.max(1, item.journalTransactionLines?.length ?? 0),
		options.policy ?? DEFAULT_RETRY_POLICY,
	);
	return mergeJournalTransactionPages(parts);
}

/** Joins the parts of batches split over pages; keeps the order in which batches first appear. */
export function mergeJournalTransactionPages(
	parts: readonly JournalTransactionDto[],
): JournalTransactionDto[] {
	const merged = new Map<string, JournalTransactionDto>();
	for (const part of parts) {
		const existing = merged.get(part.batchNumber);
		if (!existing) {
			merged.set(part.batchNumber, {
				...part,
				journalTransactionLines: [...(part.journalTransactionLines ?? [])],
			});
			continue;
		}
		const lines = existing.journalTransactionLines ?? [];
		const seen = new Set(lines.map((line) => line.lineNumber));
		for (const line of part.journalTransactionLines ?? []) {
			if (line.lineNumber === undefined || !seen.has(line.lineNumber)) lines.push(line);
		}
		existing.journalTransactionLines = lines;
	}
	for (const batch of merged.values()) {
		batch.journalTransactionLines?.sort((a, b) => (a.lineNumber ?? 0) - (b.lineNumber ?? 0));
	}
	return [...merged.values()];
}

/** Creates a GL batch and returns its number, read from the `Location` header. Never retried blindly. */
export async function createJournalTransaction(
	this: VismaNetContext,
	body: IDataObject,
	options: { operation: string; itemIndex?: number; policy?: RetryPolicy },
): Promise<{ batchNumber: string | undefined; response: VismaNetResponse<unknown> }> {
	const response = await vismaNetRequest.call(
		this,
		{
			method: 'POST',
			path: '/v2/journaltransaction',
			body,
			operation: options.operation,
			itemIndex: options.itemIndex,
			idempotent: false,
		},
		options.policy,
	);
	const location = response.headers.location ?? response.headers.Location;
	return { batchNumber: batchNumberFromLocation(location), response };
}

export async function getJournalTransaction(
	this: VismaNetContext,
	batchNumber: string,
	options: { itemIndex?: number; policy?: RetryPolicy } = {},
): Promise<JournalTransactionDto> {
	const { body } = await vismaNetRequest.call<
		VismaNetContext,
		Parameters<typeof vismaNetRequest>,
		Promise<VismaNetResponse<JournalTransactionDto>>
	>(
		this,
		{
			method: 'GET',
			path: `/v2/journaltransaction/${encodeURIComponent(batchNumber)}`,
			operation: `reading GL batch ${batchNumber}`,
			itemIndex: options.itemIndex,
		},
		options.policy,
	);
	return body;
}

/**
 * Changes a GL batch (`PUT /v2/journaltransaction/{batchNumber}`, 204): only the fields in `body`.
 * Used for `hold` and `description`, which set the same value however often they are sent, so
 * it is retried like a read.
 */
export async function updateJournalTransaction(
	this: VismaNetContext,
	batchNumber: string,
	body: IDataObject,
	options: { operation: string; itemIndex?: number; policy?: RetryPolicy },
): Promise<void> {
	await vismaNetRequest.call(
		this,
		{
			method: 'PUT',
			path: `/v2/journaltransaction/${encodeURIComponent(batchNumber)}`,
			body,
			operation: options.operation,
			itemIndex: options.itemIndex,
			idempotent: true,
		},
		options.policy,
	);
}

export async function releaseJournalTransaction(
	this: VismaNetContext,
	batchNumber: string,
	options: { itemIndex?: number; policy?: RetryPolicy } = {},
): Promise<ReleaseResultDto> {
	const { body } = await vismaNetRequest.call<
		VismaNetContext,
		Parameters<typeof vismaNetRequest>,
		Promise<VismaNetResponse<ReleaseResultDto>>
	>(
		this,
		{
			method: 'POST',
			path: `/v2/journaltransaction/${encodeURIComponent(batchNumber)}/action/release`,
			body: {},
			operation: `releasing GL batch ${batchNumber}`,
			itemIndex: options.itemIndex,
			// Releasing twice is refused by Visma.net, never doubled: safe to try again.
			idempotent: true,
		},
		options.policy,
	);
	if (!body || typeof body !== 'object') return {};
	// Server text that ends up in a message (RELEASE_FAILED): redacted and bounded like any other.
	const actionResult = serverText(
		typeof body.actionResult === 'string' ? body.actionResult : undefined,
	);
	const errorInfo = serverText(typeof body.errorInfo === 'string' ? body.errorInfo : undefined);
	return {
		...(typeof body.actionId === 'string' ? { actionId: body.actionId.slice(0, 100) } : {}),
		...(actionResult ? { actionResult: actionResult.slice(0, 100) } : {}),
		...(errorInfo ? { errorInfo } : {}),
	};
}

export async function listAccounts(
	this: VismaNetContext,
	options: { itemIndex?: number } = {},
): Promise<AccountDto[]> {
	return await vismaNetRequestAllPages.call<
		VismaNetContext,
		[Parameters<typeof vismaNetRequestAllPages>[0]],
		Promise<AccountDto[]>
	>(this, {
		path: '/v1/account',
		operation: 'reading the chart of accounts',
		itemIndex: options.itemIndex,
	});
}

export async function getSubaccountDimension(
	this: VismaNetContext,
	options: { itemIndex?: number } = {},
): Promise<DimensionDto> {
	const { body } = await vismaNetRequest.call<
		VismaNetContext,
		Parameters<typeof vismaNetRequest>,
		Promise<VismaNetResponse<DimensionDto>>
	>(this, {
		method: 'GET',
		path: '/v1/dimension/SUBACCOUNT',
		qs: { expandSegmentsValues: true },
		operation: 'reading the SUBACCOUNT segments (dimensions)',
		itemIndex: options.itemIndex,
	});
	return body;
}

/** `GET /v1/financialPeriod`: one list, not paged (the endpoint takes no page parameters). */
export async function listFinancialPeriods(
	this: VismaNetContext,
	options: { itemIndex?: number; greaterThanValue?: string } = {},
): Promise<FinancialPeriodDto[]> {
	const { body } = await vismaNetRequest.call<
		VismaNetContext,
		Parameters<typeof vismaNetRequest>,
		Promise<VismaNetResponse<FinancialPeriodDto[]>>
	>(this, {
		method: 'GET',
		path: '/v1/financialPeriod',
		...(options.greaterThanValue ? { qs: { greaterThanValue: options.greaterThanValue } } : {}),
		operation: 'reading the financial periods',
		itemIndex: options.itemIndex,
	});
	return Array.isArray(body) ? body : [];
}

export async function listLedgers(this: VismaNetContext): Promise<LedgerDto[]> {
	const { body } = await vismaNetRequest.call<
		VismaNetContext,
		Parameters<typeof vismaNetRequest>,
		Promise<VismaNetResponse<LedgerDto[]>>
	>(this, {
		method: 'GET',
		path: '/v1/ledger',
		operation: 'reading the ledgers',
	});
	return Array.isArray(body) ? body : [];
}

export async function listBranches(this: VismaNetContext): Promise<BranchDto[]> {
	const { body } = await vismaNetRequest.call<
		VismaNetContext,
		Parameters<typeof vismaNetRequest>,
		Promise<VismaNetResponse<BranchDto[]>>
	>(this, {
		method: 'GET',
		path: '/v1/branch',
		operation: 'reading the branches',
	});
	return Array.isArray(body) ? body : [];
}
