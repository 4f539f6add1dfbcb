/**
 * The read-only Visma.net node: Check Setup, Get Posting Status, List Payroll Batches. Reads only
 * (GET), never writes; what it judges, the core judges (`checkSetup`, `partPostingStatus`,
 * `payrollBatches`), by the same rules as the posting nodes.
 */
import { DateTime } from 'luxon';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { identityKey, type PostedBatch } from '../core/idempotency';
import { partKey, postingKey, unreadableBatchIssue } from '../core/buildJournalTransaction';
import { createIssue } from '../core/issues';
import { readPart } from '../core/journalPart';
import { DEFAULT_DIMENSION_OPTIONS, type DimensionMappingOptions } from '../core/mapDimensions';
import {
	compareFinancialPeriods,
	findVismaFinancialPeriodOfDate,
	formatFinancialPeriod,
	parseFinancialPeriodText,
	toFinancialPeriodText,
	toPeriodIdText,
	type FinancialPeriod,
	type VismaFinancialPeriod,
} from '../core/period';
import { partPostingStatus, payrollBatches } from '../core/postingStatus';
import {
	accountUsesOfBatches,
	accountUsesOfLines,
	checkSetup,
	type Read,
} from '../core/setupCheck';
import type { AccountUse } from '../core/validateJournal';
import { calendarOptions, readBackRulesOf } from '../shared/parameters';
import { ItemIssuesError, runPerItem } from '../shared/runPerItem';
import { companyIdOf, itemTenants, perTenant, tenantKey } from '../shared/tenants';
import type { TenantChoice } from '../core/administrations';
import {
	loadAccountCatalog,
	loadFinancialPeriods,
	loadSubaccountSegments,
} from '../shared/vismaReference';
import {
	readPostedBatch,
	VISMA_NET_ENDPOINTS,
	type JournalTransactionDto,
	type LedgerDto,
} from '../core/vismaNetModel';
import { listBranches, listJournalTransactions, vismaNetRequest } from '../transport';

/** At most this many periods are read in one look-up (each is one list read, or more pages). */
const MAX_PERIODS = 24;

type Operation = 'checkSetup' | 'getPostingStatus' | 'listPayrollBatches';

export async function executeVismaNet(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Each item works in the Visma.net company of its payroll company (the credential's
	// Administrations; the credential's own tenant when the list is empty or the item names no
	// company). Read once per tenant per execution, shared by the items.
	const tenants = await itemTenants(this);
	const periodDtos = new Map<string, Promise<JournalTransactionDto[]>>();
	const reader =
		(context: IExecuteFunctions, tenant: TenantChoice) =>
		(period: FinancialPeriod, itemIndex: number) => {
			const id = `${tenantKey(tenant)}|${toPeriodIdText(period)}`;
			let read = periodDtos.get(id);
			if (!read) {
				read = listJournalTransactions.call(context, toPeriodIdText(period), { itemIndex });
				periodDtos.set(id, read);
			}
			return read;
		};
	const periodsOf = perTenant(
		async (tenant) => await loadFinancialPeriods.call(tenants.context(this, tenant)),
	);
	const own: TenantChoice = { tenantId: undefined, own: true };
	/** The tenant of a payroll company; no company: the credential's own. */
	const tenantOf = (companyId: string, reference: unknown): TenantChoice => {
		if (companyId === '') return own;
		const resolution = tenants.resolve(companyId, reference);
		if (!resolution.ok) throw new ItemIssuesError([resolution.issue]);
		return resolution.tenant;
	};

	return await runPerItem.call(this, async (item, itemIndex) => {
		const operation = this.getNodeParameter('operation', itemIndex) as Operation;
		const itemCompany = companyIdOf(item.json);
		/** Check Setup's report for the item in one tenant. */
		const checkSetupIn = async (tenant: TenantChoice) => {
			const context = tenants.context(this, tenant);
			return await runCheckSetup.call(
				context,
				item.json,
				itemIndex,
				() => periodsOf(tenant),
				reader(context, tenant),
				tenant,
			);
		};
		if (operation === 'checkSetup') {
			// With Administrations and an item that names no company: one report per administration.
			if (itemCompany === '' && tenants.filled) {
				const out: Array<{ json: IDataObject }> = [];
				const seen = new Set<string>();
				for (const administration of tenants.administrations) {
					const tenant = tenantOf(administration.companyId, '');
					if (seen.has(tenantKey(tenant))) continue;
					seen.add(tenantKey(tenant));
					const report = await checkSetupIn(tenant);
					out.push({
						json: {
							...report,
							administration: {
								companyId: administration.companyId,
								tenantId: administration.tenantId,
								name: administration.name ?? null,
							},
						},
					});
				}
				return out;
			}
			return [{ json: await checkSetupIn(tenantOf(itemCompany, item.json.reference)) }];
		}
		if (operation === 'listPayrollBatches') {
			const tenant = tenantOf(itemCompany, item.json.reference);
			const readPeriod = reader(tenants.context(this, tenant), tenant);
			const periods = () => periodsOf(tenant);
			const range = await periodRange.call(this, itemIndex, periods);
			const reference = (this.getNodeParameter('referenceFilter', itemIndex, '') as string).trim();
			const out: IDataObject[] = [];
			for (const period of range) {
				const dtos = await readPeriod(period, itemIndex);
				for (const dto of dtos) {
					const batch = readPostedBatch(dto);
					if (!batch) continue;
					const [summary] = payrollBatches([batch]);
					if (!summary) continue;
					const lineReference =
						dto.journalTransactionLines?.find((line) => typeof line.referenceNumber === 'string')
							?.referenceNumber ?? null;
					if (reference && lineReference?.trim() !== reference) continue;
					out.push({
						...summary,
						financialPeriod: toFinancialPeriodText(period),
						reference: lineReference,
						lineCount: dto.journalTransactionLines?.length ?? 0,
						...(typeof dto.debitTotalInCurrency === 'number'
							? { debitTotal: dto.debitTotalInCurrency.toFixed(2) }
							: {}),
						...(typeof dto.creditTotalInCurrency === 'number'
							? { creditTotal: dto.creditTotalInCurrency.toFixed(2) }
							: {}),
					});
				}
			}
			return out.map((json) => ({ json }));
		}
		// Get Posting Status
		const source = this.getNodeParameter('source', itemIndex, 'items') as 'items' | 'reference';
		if (source === 'items') {
			const read = readPart(item.json, calendarOptions(this, itemIndex));
			if (!read.part) throw new ItemIssuesError(read.issues);
			const tenant = tenantOf(read.part.companyId, read.part.reference);
			const readPeriod = reader(tenants.context(this, tenant), tenant);
			const key = partKey(read.part);
			const batches = (await readPeriod(read.part.financialPeriod, itemIndex))
				.map(readPostedBatch)
				.filter((batch): batch is PostedBatch => batch !== null);
			const status = partPostingStatus(
				batches,
				key.identity,
				key.nets,
				readBackRulesOf(this, itemIndex, 'nonProjectCode'),
			);
			if (status.unreadable)
				throw new ItemIssuesError([
					unreadableBatchIssue(
						read.part.reference,
						formatFinancialPeriod(read.part.financialPeriod),
						status.unreadable,
						'status',
					),
				]);
			return [
				{
					json: {
						...item.json,
						postingStatus: {
							...status,
							financialPeriod: toFinancialPeriodText(read.part.financialPeriod),
							idempotencyKey: postingKey(key, 0),
						},
					},
				},
			];
		}
		const companyId = (this.getNodeParameter('companyId', itemIndex, '') as string).trim();
		const reference = (this.getNodeParameter('reference', itemIndex, '') as string).trim();
		if (!companyId || !reference) {
			throw new ItemIssuesError([
				createIssue(
					'FIELD_REQUIRED',
					{ path: companyId ? 'reference' : 'companyId' },
					`${companyId ? 'Reference' : 'Company ID'} is empty.`,
					'Fill in the payroll company id and the run reference.',
				),
			]);
		}
		const tenant = tenantOf(companyId, reference);
		const readPeriod = reader(tenants.context(this, tenant), tenant);
		const out: IDataObject[] = [];
		for (const period of await periodRange.call(this, itemIndex, () => periodsOf(tenant))) {
			const identity = identityKey({
				companyId,
				reference,
				financialPeriod: toFinancialPeriodText(period),
			});
			const batches = (await readPeriod(period, itemIndex))
				.map(readPostedBatch)
				.filter((batch): batch is PostedBatch => batch !== null);
			const status = partPostingStatus(batches, identity);
			if (status.unreadable)
				throw new ItemIssuesError([
					unreadableBatchIssue(
						reference,
						formatFinancialPeriod(period),
						status.unreadable,
						'status',
					),
				]);
			if (status.status !== 'missing' || status.heldCopies.length > 0)
				out.push({
					companyId,
					reference,
					financialPeriod: toFinancialPeriodText(period),
					...status,
				});
		}
		if (out.length === 0)
			out.push({
				companyId,
				reference,
				status: 'missing',
				batchNumbers: [],
				heldCopies: [],
				summary: 'not in Visma.net in the periods looked in',
			});
		return out.map((json) => ({ json: { postingStatus: json } }));
	});
}

/** The financial periods between From Period and To Period (Visma.net's own, 13-period years included). */
async function periodRange(
	this: IExecuteFunctions,
	itemIndex: number,
	periods: () => Promise<VismaFinancialPeriod[]>,
): Promise<FinancialPeriod[]> {
	const today = DateTime.now().toISODate()!;
	const known = await periods();
	const current = findVismaFinancialPeriodOfDate(today, known);
	const read = (name: string, fallback: () => FinancialPeriod | null): FinancialPeriod => {
		const text = (this.getNodeParameter(name, itemIndex, '') as string).trim();
		const period = text ? parseFinancialPeriodText(text) : fallback();
		if (!period) {
			throw new NodeOperationError(
				this.getNode(),
				text
					? `${name === 'fromPeriod' ? 'From' : 'To'} Period "${text.slice(0, 20)}" is not a financial period (YYYYMM)`
					: 'Visma.net has no financial period for today; fill in From Period and To Period',
				{ itemIndex },
			);
		}
		return period;
	};
	const sorted = [...known].sort(compareFinancialPeriods);
	const to = read('toPeriod', () => current);
	const from = read('fromPeriod', () => {
		const index = current ? sorted.findIndex((p) => compareFinancialPeriods(p, current) === 0) : -1;
		return index < 0 ? null : sorted[Math.max(0, index - 2)];
	});
	if (compareFinancialPeriods(from, to) > 0)
		throw new NodeOperationError(
			this.getNode(),
			`From Period ${formatFinancialPeriod(from)} is after To Period ${formatFinancialPeriod(to)}`,
			{ itemIndex },
		);
	const range = sorted.filter(
		(p) => compareFinancialPeriods(p, from) >= 0 && compareFinancialPeriods(p, to) <= 0,
	);
	if (range.length === 0)
		throw new NodeOperationError(
			this.getNode(),
			`Visma.net has no financial periods from ${formatFinancialPeriod(from)} to ${formatFinancialPeriod(to)}`,
			{ itemIndex },
		);
	if (range.length > MAX_PERIODS)
		throw new NodeOperationError(
			this.getNode(),
			`${range.length} periods from ${formatFinancialPeriod(from)} to ${formatFinancialPeriod(to)}: at most ${MAX_PERIODS} are read at once`,
			{ itemIndex },
		);
	return range;
}

async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
	try {
		return { ok: true, value: await read() };
	} catch (error) {
		return { ok: false, error: error instanceof Error ? error.message : String(error) };
	}
}

function headerNumber(value: string | string[] | undefined): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (text === undefined || !/^\d{1,9}$/.test(text.trim())) return undefined;
	return Number(text.trim());
}

async function runCheckSetup(
	this: IExecuteFunctions,
	json: IDataObject,
	itemIndex: number,
	periods: () => Promise<VismaFinancialPeriod[]>,
	readPeriod: (period: FinancialPeriod, itemIndex: number) => Promise<JournalTransactionDto[]>,
	tenant: TenantChoice,
): Promise<IDataObject> {
	const dimensions: DimensionMappingOptions = {
		...DEFAULT_DIMENSION_OPTIONS,
		useCostCenters: this.getNodeParameter(
			'useCostCenters',
			itemIndex,
			DEFAULT_DIMENSION_OPTIONS.useCostCenters,
		) as boolean,
		costCenterDimension: this.getNodeParameter(
			'costCenterDimension',
			itemIndex,
			DEFAULT_DIMENSION_OPTIONS.costCenterDimension,
		) as string,
		useCostUnits: this.getNodeParameter(
			'useCostUnits',
			itemIndex,
			DEFAULT_DIMENSION_OPTIONS.useCostUnits,
		) as boolean,
		costUnitDimension: this.getNodeParameter(
			'costUnitDimension',
			itemIndex,
			DEFAULT_DIMENSION_OPTIONS.costUnitDimension,
		) as string,
	};
	const today = DateTime.now().toISODate()!;
	let rateHeaders: Record<string, string | string[] | undefined> = {};
	const ledgers = await attempt(async () => {
		const response = await vismaNetRequest.call<
			IExecuteFunctions,
			Parameters<typeof vismaNetRequest>,
			Promise<{ body: LedgerDto[]; headers: Record<string, string | string[] | undefined> }>
		>(this, {
			method: 'GET',
			path: VISMA_NET_ENDPOINTS.ledgers,
			operation: 'reading the ledgers',
			itemIndex,
		});
		rateHeaders = response.headers;
		return (Array.isArray(response.body) ? response.body : []).map((ledger) => ({
			id: String(ledger.number ?? ''),
			...(ledger.description ? { description: String(ledger.description) } : {}),
		}));
	});
	const branches = await attempt(async () =>
		(await listBranches.call(this)).map((branch) => ({
			id: String(branch.number ?? ''),
			...(branch.name ? { description: String(branch.name) } : {}),
		})),
	);
	const accounts = await attempt(async () => (await loadAccountCatalog.call(this)).accounts);
	const segments = await attempt(async () => await loadSubaccountSegments.call(this));
	const financialPeriods = await attempt(periods);

	// The recent periods' batches: derived numbers seen, and the accounts of recent payroll batches.
	const recent = await attempt(async () => {
		if (!financialPeriods.ok)
			throw new Error('the financial periods are needed to find the recent periods');
		const sorted = [...financialPeriods.value].sort(compareFinancialPeriods);
		const current = findVismaFinancialPeriodOfDate(today, sorted);
		const index = current ? sorted.findIndex((p) => compareFinancialPeriods(p, current) === 0) : -1;
		const chosen = index < 0 ? [] : sorted.slice(Math.max(0, index - 2), index + 1);
		const batches: PostedBatch[] = [];
		for (const period of chosen)
			for (const dto of await readPeriod(period, itemIndex)) {
				const batch = readPostedBatch(dto);
				if (batch) batches.push(batch);
			}
		return batches;
	});

	let accountUses: AccountUse[] = [];
	let accountSource: 'journal' | 'recentBatches' | 'none' = 'none';
	if (Array.isArray(json.lines)) {
		accountSource = 'journal';
		accountUses = accountUsesOfLines(json.lines);
	} else if (recent.ok) {
		const payroll = new Set(
			payrollBatches(recent.value)
				.filter((batch) => batch.identity !== null)
				.map((batch) => batch.batchNumber),
		);
		accountUses = accountUsesOfBatches(
			recent.value.filter((batch) => payroll.has(batch.batchNumber)),
		);
		if (accountUses.length > 0) accountSource = 'recentBatches';
	}

	const report = checkSetup({
		accounts,
		accountUses,
		accountSource,
		segments,
		dimensions,
		periods: financialPeriods,
		today,
		ledgers,
		branches,
		recentBatchNumbers: recent.ok
			? { ok: true, value: recent.value.map((batch) => batch.batchNumber) }
			: recent,
		rateLimit: {
			limit: headerNumber(rateHeaders['x-ratelimit-limit']),
			remaining: headerNumber(rateHeaders['x-ratelimit-remaining']),
			resetSeconds: headerNumber(rateHeaders['x-ratelimit-reset']),
		},
	});
	let tenantId = tenant.tenantId ?? null;
	if (tenant.own) {
		const credentials = (await this.getCredentials('vismaNetOAuth2Api')) as IDataObject;
		tenantId = typeof credentials.tenantId === 'string' ? credentials.tenantId : null;
	}
	return {
		setup: {
			...report,
			tenantId,
			checkedAt: DateTime.now().toISO(),
		},
	};
}
