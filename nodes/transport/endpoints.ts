/**
 * The calls this package makes to Visma.net: the endpoints, DTOs and their mapping are Visma.net's
 * model (core/vismaNetModel.ts); here they are sent and answered, through `vismaNetRequest`.
 */
import { serverText } from '../core/redact';
import {
	VISMA_NET_ENDPOINTS,
	type AccountDto,
	type BranchDto,
	type DimensionDto,
	type FinancialPeriodDto,
	type JournalTransactionChange,
	type JournalTransactionDto,
	type JournalTransactionUpdateDto,
	type LedgerDto,
	type ReleaseResultDto,
} from '../core/vismaNetModel';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
// Imported from the module itself (not `./index`) to keep the import graph one-way.
import {
	batchNumberFromLocation,
	vismaNetRequest,
	vismaNetRequestAllPages,
	type VismaNetContext,
	type VismaNetResponse,
} from './request';

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
			path: VISMA_NET_ENDPOINTS.journalTransactions,
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
	body: JournalTransactionUpdateDto,
	options: { operation: string; itemIndex?: number; policy?: RetryPolicy },
): Promise<{ batchNumber: string | undefined; response: VismaNetResponse<unknown> }> {
	const response = await vismaNetRequest.call(
		this,
		{
			method: 'POST',
			path: VISMA_NET_ENDPOINTS.journalTransactions,
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
			path: VISMA_NET_ENDPOINTS.journalTransaction(batchNumber),
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
	body: JournalTransactionChange,
	options: { operation: string; itemIndex?: number; policy?: RetryPolicy },
): Promise<void> {
	await vismaNetRequest.call(
		this,
		{
			method: 'PUT',
			path: VISMA_NET_ENDPOINTS.journalTransaction(batchNumber),
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
			path: VISMA_NET_ENDPOINTS.releaseJournalTransaction(batchNumber),
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
		path: VISMA_NET_ENDPOINTS.accounts,
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
		path: VISMA_NET_ENDPOINTS.subaccountDimension,
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
		path: VISMA_NET_ENDPOINTS.financialPeriods,
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
		path: VISMA_NET_ENDPOINTS.ledgers,
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
		path: VISMA_NET_ENDPOINTS.branches,
		operation: 'reading the branches',
	});
	return Array.isArray(body) ? body : [];
}
