/**
 * Response DTOs, field for field as the official OpenAPI schemas name and type them
 * (test/fixtures/visma-net/openapi-gl-subset.json). Times are UTC written without an offset, as Visma.net
 * writes them.
 */
import { createHash } from 'node:crypto';
import type { Account, Company, FinancialPeriod } from './data';
import { stableUuid } from './data';
import { toPostPeriod } from './gl';
import type { SegmentValueRef, StoredBatch, StoredLine, StoredSubaccount } from './store';
import { subaccountNumber } from './store';
import type { BranchData, CustomerData, LedgerData, SegmentData, SegmentValueData } from './types';

export interface Metadata {
	totalCount: number;
	maxPageSize: number;
}

/** "2026-03-25T10:15:30.123Z" → "2026-03-25T10:15:30.123". */
export function vismaDateTime(iso: string): string {
	return iso.replace(/Z$/, '');
}

function dateOnly(isoDate: string): string {
	return `${isoDate}T00:00:00`;
}

const cents = (value: number) => value / 100;

/** The opaque row version: base64 of a hash of number and version; also the ETag. */
export function batchTimeStamp(batch: StoredBatch): string {
	return createHash('sha1')
		.update(`${batch.batchNumber}:${batch.version}:${batch.lastModified}`)
		.digest('base64')
		.slice(0, 12);
}

export function batchETag(batch: StoredBatch): string {
	return `"${batchTimeStamp(batch)}"`;
}

function segmentDtos(company: Company, segments: readonly SegmentValueRef[]) {
	return [...segments]
		.sort((a, b) => a.segmentId - b.segmentId)
		.map((ref) => {
			const segment = company.segments.find((s) => s.segmentId === ref.segmentId);
			return {
				segmentId: ref.segmentId,
				segmentDescription: segment?.description ?? '',
				segmentValue: ref.value,
				segmentValueDescription:
					segment?.values.find((v) => v.value === ref.value)?.description ?? '',
			};
		});
}

export function subaccountDto(company: Company, subaccount: StoredSubaccount, metadata?: Metadata) {
	return {
		subaccountNumber: subaccountNumber(subaccount.segments),
		subaccountId: subaccount.subaccountId,
		description: segmentDtos(company, subaccount.segments)
			.map((s) => s.segmentValueDescription)
			.join(' - '),
		lastModifiedDateTime: vismaDateTime(subaccount.createdAt),
		active: true,
		segments: segmentDtos(company, subaccount.segments),
		...(metadata && { metadata }),
	};
}

function lineDto(
	company: Company,
	batch: StoredBatch,
	line: StoredLine,
	subaccounts: readonly StoredSubaccount[],
) {
	const number = subaccountNumber(line.subaccount);
	const subaccount = subaccounts.find((s) => subaccountNumber(s.segments) === number) ?? {
		subaccountId: 0,
		segments: line.subaccount,
		createdAt: batch.createdAt,
	};
	const rate = batch.exchangeRate;
	return {
		lineNumber: line.lineNumber,
		accountNumber: line.accountNumber,
		description: company.accounts.get(line.accountNumber)?.description ?? '',
		subaccount: subaccountDto(company, subaccount),
		referenceNumber: line.referenceNumber ?? '',
		debitAmount: Math.round(line.debitCents * rate) / 100,
		debitAmountInCurrency: cents(line.debitCents),
		creditAmount: Math.round(line.creditCents * rate) / 100,
		creditAmountInCurrency: cents(line.creditCents),
		transactionDescription: line.transactionDescription ?? '',
		...(line.vatCodeId !== undefined && { vatCode: { id: line.vatCodeId, description: '' } }),
		...(line.vatId !== undefined && { vat: { id: line.vatId, description: '' } }),
		branch: line.branch ?? batch.branch,
		transactionType: 'GL',
		module: 'ModuleGL',
		...(line.uom !== undefined && { uom: line.uom }),
		...(line.project !== undefined && { project: { id: line.project, description: '' } }),
		// A company with projects gives every line one: its non-project code when sent without.
		...(line.project === undefined &&
			company.data.projects && {
				project: { id: company.data.projects.nonProjectCode, description: 'Non-project code' },
			}),
		...(line.projectTask !== undefined && {
			projectTask: { id: line.projectTask, description: '' },
		}),
		attachments: [],
		quantity: line.quantity ?? 0,
		...(line.note !== undefined && { note: line.note }),
		...line.answerAs,
	};
}

/** JournalTransactionDto; `lines` selects the lines of a list page, `metadata` is set on list items. */
export function journalTransactionDto(
	company: Company,
	batch: StoredBatch,
	subaccounts: readonly StoredSubaccount[],
	lines: readonly StoredLine[] = batch.lines,
	metadata?: Metadata,
) {
	const debit = batch.lines.reduce((sum, l) => sum + l.debitCents, 0);
	const credit = batch.lines.reduce((sum, l) => sum + l.creditCents, 0);
	const base = (amount: number) => Math.round(amount * batch.exchangeRate) / 100;
	return {
		module: 'ModuleGL',
		batchNumber: batch.batchNumber,
		status: batch.status,
		hold: batch.hold,
		transactionDate: dateOnly(batch.transactionDate),
		postPeriod: toPostPeriod(batch.financialPeriod),
		financialPeriod: batch.financialPeriod,
		ledger: batch.ledger,
		ledgerDescription: company.ledgers.get(batch.ledger)?.description ?? '',
		currencyId: batch.currencyId,
		exchangeRate: batch.exchangeRate,
		autoReversing: batch.autoReversing,
		reversingEntry: false,
		description: batch.description ?? '',
		debitTotal: base(debit),
		debitTotalInCurrency: cents(debit),
		creditTotal: base(credit),
		creditTotalInCurrency: cents(credit),
		controlTotal: base(Math.round((batch.controlTotalInCurrency ?? 0) * 100)),
		controlTotalInCurrency: batch.controlTotalInCurrency ?? 0,
		createVatTransaction: batch.createVatTransaction,
		skipVatAmountValidation: batch.skipVatAmountValidation,
		lastModifiedDateTime: vismaDateTime(batch.lastModified),
		...(batch.transactionCode !== undefined && { transactionCode: batch.transactionCode }),
		branch: batch.branch,
		timeStamp: batchTimeStamp(batch),
		journalTransactionLines: lines.map((line) => lineDto(company, batch, line, subaccounts)),
		attachments: [],
		...(metadata && { metadata }),
	};
}

export function accountDto(account: Account, metadata?: Metadata) {
	return {
		accountID: account.accountID,
		accountCD: account.accountCD,
		...(account.accountGroupCD !== undefined && { accountGroupCD: account.accountGroupCD }),
		...(account.accountClass !== undefined && { accountClass: account.accountClass }),
		type: account.type,
		active: account.active,
		description: account.description,
		useDefaultSub: false,
		postOption: 'Summary',
		cashAccount: account.cashAccount ?? false,
		...(account.publicCode1 !== undefined && { publicCode1: account.publicCode1 }),
		lastModifiedDateTime: '2024-12-01T09:00:00',
		...(account.controlAccountModule !== undefined && {
			controlAccountModule: account.controlAccountModule,
		}),
		allowManualEntry: account.allowManualEntry,
		...(metadata && { metadata }),
	};
}

export function segmentValueDto(company: Company, segment: SegmentData, value: SegmentValueData) {
	const id = stableUuid(company.tenantId, 'segment', String(segment.segmentId), value.value);
	return {
		internalId: id,
		segmentId: segment.segmentId,
		valueId: value.value,
		description: value.description,
		publicId: id,
		active: value.active,
		timeStamp: Buffer.from(id.slice(0, 8)).toString('base64'),
		lastModified: '2024-12-01T09:00:00',
	};
}

export function segmentDto(company: Company, segment: SegmentData, withValues: boolean) {
	const id = stableUuid(company.tenantId, 'segment', String(segment.segmentId));
	return {
		internalId: id,
		segmentId: segment.segmentId,
		description: segment.description,
		length: segment.length,
		publicId: id,
		timeStamp: Buffer.from(id.slice(0, 8)).toString('base64'),
		lastModified: '2024-12-01T09:00:00',
		validate: segment.validate,
		...(withValues && {
			segmentValues: segment.values.map((v) => segmentValueDto(company, segment, v)),
		}),
		isAutoNumber: false,
		consolNumChar: 0,
		consolOrder: 0,
	};
}

export function dimensionDto(company: Company, withValues: boolean) {
	return {
		id: 'SUBACCOUNT',
		length: company.segments.reduce((sum, s) => sum + s.length, 0),
		description: company.data.subaccount.description,
		segments: company.segments.map((s) => segmentDto(company, s, withValues)),
	};
}

export function financialPeriodDto(period: FinancialPeriod) {
	return {
		year: period.year,
		period: period.id,
		startDate: dateOnly(period.startDate),
		endDate: dateOnly(period.endDate),
		description: period.description,
		active: period.active,
		closedInSupplierLedger: period.closedInGeneralLedger,
		closedInCustomerLedger: period.closedInGeneralLedger,
		closedInInventoryManagement: period.closedInGeneralLedger,
		closedInGeneralLedger: period.closedInGeneralLedger,
		closedInCashManagement: period.closedInGeneralLedger,
		closedInFixedAssets: period.closedInGeneralLedger,
	};
}

export function ledgerDto(company: Company, ledger: LedgerData, index: number) {
	return {
		internalId: index + 1,
		number: ledger.number,
		description: ledger.description,
		balanceType: ledger.balanceType,
		currencyId: ledger.currencyId,
		consolidationSource: false,
		branchAccounting: company.branches.size > 1,
		lastModifiedDateTime: '2024-12-01T09:00:00',
		postInterCompany: false,
	};
}

export function branchDto(company: Company, branch: BranchData, index: number) {
	const ledger = company.ledgers.get(branch.ledger);
	return {
		branchId: index + 1,
		number: branch.number,
		name: branch.name,
		organizationId: 1,
		isMainBranch: branch.isMainBranch,
		isActive: branch.isActive,
		lastModifiedDateTime: '2024-12-01T09:00:00',
		...(branch.corporateId !== undefined && { corporateId: branch.corporateId }),
		...(branch.vatRegistrationId !== undefined && { vatRegistrationId: branch.vatRegistrationId }),
		currency: {
			id: company.data.currency,
			description: company.data.currency,
			symbol: company.data.currency === 'EUR' ? '€' : company.data.currency,
		},
		ledger: { id: branch.ledger, description: ledger?.description ?? '' },
	};
}

export function customerDto(customer: CustomerData, index: number) {
	return {
		internalId: index + 1,
		number: customer.number,
		name: customer.name,
		status: customer.status,
		mainAddress: {
			addressId: index + 1,
			...(customer.addressLine1 !== undefined && { addressLine1: customer.addressLine1 }),
			...(customer.postalCode !== undefined && { postalCode: customer.postalCode }),
			...(customer.city !== undefined && { city: customer.city }),
			...(customer.countryId !== undefined && {
				country: { id: customer.countryId, name: customer.countryId },
			}),
		},
		currencyId: customer.currencyId,
		...(customer.vatRegistrationId !== undefined && {
			vatRegistrationId: customer.vatRegistrationId,
		}),
		...(customer.corporateId !== undefined && { corporateId: customer.corporateId }),
		lastModifiedDateTime: '2024-12-01T09:00:00',
		createdDateTime: '2024-12-01T09:00:00',
	};
}

export function currencyDto(company: Company, id: string) {
	return {
		id,
		description: id,
		symbol: id === 'EUR' ? '€' : id,
		isBaseCurrency: id === company.data.currency,
		decimalPrecision: 2,
		isUsedForAccounting: true,
	};
}
