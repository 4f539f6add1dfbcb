/**
 * Batches and numbering per company, optionally persisted to a JSON state file so a demo can be
 * rerun after a restart. Amounts are integer cents in the batch currency.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Company } from './data';

export type BatchStatus = 'Hold' | 'Balanced' | 'Unposted' | 'Posted';

export interface SegmentValueRef {
	segmentId: number;
	value: string;
}

export interface StoredLine {
	lineNumber: number;
	accountNumber: string;
	subaccount: SegmentValueRef[];
	debitCents: number;
	creditCents: number;
	referenceNumber?: string;
	transactionDescription?: string;
	branch?: string;
	project?: string;
	projectTask?: string;
	uom?: string;
	quantity?: number;
	note?: string;
	vatCodeId?: string;
	vatId?: string;
	/**
	 * Fields of the line's answer (JournalTransactionLineDto) given as they are, in place of what the
	 * line holds: only `Sandbox.amendBatch` sets it, for tests of an answer the package cannot read
	 * (`{ creditAmountInCurrency: null }`, `"1050.00"`, `10.505`).
	 */
	answerAs?: Record<string, unknown>;
}

/** The batch fields a request can set; the store adds number, status and timestamps. */
export interface BatchContent {
	hold: boolean;
	/** ISO date YYYY-MM-DD. */
	transactionDate: string;
	/** YYYYPP. */
	financialPeriod: string;
	ledger: string;
	currencyId: string;
	exchangeRate: number;
	autoReversing: boolean;
	description?: string;
	branch: string;
	transactionCode?: string;
	controlTotalInCurrency?: number;
	createVatTransaction: boolean;
	skipVatAmountValidation: boolean;
	lines: StoredLine[];
}

export interface StoredBatch extends BatchContent {
	batchNumber: string;
	status: BatchStatus;
	createdAt: string;
	lastModified: string;
	/** Bumped on every change; the ETag and `timeStamp` derive from it. */
	version: number;
}

export interface StoredSubaccount {
	subaccountId: number;
	segments: SegmentValueRef[];
	createdAt: string;
}

export interface TenantState {
	nextBatchNumber: number;
	batches: StoredBatch[];
	subaccounts: StoredSubaccount[];
}

interface StateFile {
	version: 1;
	tenants: Record<string, TenantState>;
}

export class SandboxStore {
	private tenants = new Map<string, TenantState>();

	constructor(
		private readonly companies: ReadonlyMap<string, Company>,
		private readonly stateFile: string | undefined,
		private readonly now: () => number,
	) {
		this.reset();
		if (stateFile && existsSync(stateFile)) this.load(stateFile);
	}

	/** Back to the data file's state: no batches, numbering at its start. Does not touch the file. */
	reset(): void {
		this.tenants.clear();
		for (const company of this.companies.values())
			this.tenants.set(company.tenantId, this.initialState(company));
	}

	tenant(tenantId: string): TenantState {
		const state = this.tenants.get(tenantId);
		if (!state) throw new Error(`Unknown company tenant ${tenantId}`);
		return state;
	}

	find(tenantId: string, batchNumber: string): StoredBatch | undefined {
		return this.tenant(tenantId).batches.find((b) => b.batchNumber === batchNumber);
	}

	/** Stores a new batch under the next number of the GL numbering sequence (or `batchNumber`). */
	create(
		tenantId: string,
		content: BatchContent,
		status: BatchStatus,
		batchNumber?: string,
	): StoredBatch {
		const state = this.tenant(tenantId);
		const { batchNumbering } = this.company(tenantId).data;
		let number = batchNumber;
		// The sequence skips a number a POST already took by hand (overrideNumberSeries).
		while (
			number === undefined ||
			(batchNumber === undefined && state.batches.some((b) => b.batchNumber === number))
		) {
			number = `${batchNumbering.prefix ?? ''}${String(state.nextBatchNumber).padStart(batchNumbering.width, '0')}`;
			state.nextBatchNumber++;
		}
		const stamp = this.timestamp();
		const batch: StoredBatch = {
			...content,
			batchNumber: number,
			status,
			createdAt: stamp,
			lastModified: stamp,
			version: 1,
		};
		state.batches.push(batch);
		this.registerSubaccounts(state, content.lines);
		this.persist();
		return batch;
	}

	replace(
		tenantId: string,
		batch: StoredBatch,
		content: BatchContent,
		status: BatchStatus,
	): StoredBatch {
		Object.assign(batch, content, {
			status,
			lastModified: this.timestamp(),
			version: batch.version + 1,
		});
		this.registerSubaccounts(this.tenant(tenantId), content.lines);
		this.persist();
		return batch;
	}

	/** Changes a stored batch in place, outside the API (see `Sandbox.amendBatch`); a new version. */
	amend(tenantId: string, batchNumber: string, change: (batch: StoredBatch) => void): StoredBatch {
		const batch = this.find(tenantId, batchNumber);
		if (!batch) throw new Error(`No batch ${batchNumber} in tenant ${tenantId}`);
		change(batch);
		Object.assign(batch, { lastModified: this.timestamp(), version: batch.version + 1 });
		this.persist();
		return batch;
	}

	setStatus(batch: StoredBatch, status: BatchStatus): void {
		Object.assign(batch, {
			status,
			hold: status === 'Hold',
			lastModified: this.timestamp(),
			version: batch.version + 1,
		});
		this.persist();
	}

	snapshot(): Record<string, TenantState> {
		return structuredClone(Object.fromEntries(this.tenants));
	}

	persist(): void {
		if (!this.stateFile) return;
		const file: StateFile = { version: 1, tenants: Object.fromEntries(this.tenants) };
		const temp = `${this.stateFile}.tmp`;
		writeFileSync(temp, JSON.stringify(file, null, '\t'));
		renameSync(temp, this.stateFile);
	}

	private load(stateFile: string): void {
		const file = JSON.parse(readFileSync(stateFile, 'utf8')) as StateFile;
		if (file.version !== 1 || typeof file.tenants !== 'object')
			throw new Error(`${stateFile} is not a sandbox state file`);
		for (const [tenantId, state] of Object.entries(file.tenants)) {
			// State of a company no longer in the data file is dropped, not an error.
			if (this.tenants.has(tenantId)) this.tenants.set(tenantId, state);
		}
	}

	private company(tenantId: string): Company {
		const company = this.companies.get(tenantId);
		if (!company) throw new Error(`Unknown company tenant ${tenantId}`);
		return company;
	}

	private initialState(company: Company): TenantState {
		// The default subaccount (first value of every segment) exists from the start.
		const segments = company.segments.map((s) => ({
			segmentId: s.segmentId,
			value: s.values[0]?.value ?? '0'.repeat(s.length),
		}));
		return {
			nextBatchNumber: company.data.batchNumbering.start,
			batches: [],
			subaccounts: [{ subaccountId: 1, segments, createdAt: this.timestamp() }],
		};
	}

	/** Subaccounts are created on the fly from valid segment values, as Visma.net can be set up to. */
	private registerSubaccounts(state: TenantState, lines: readonly StoredLine[]): void {
		for (const line of lines) {
			const key = subaccountNumber(line.subaccount);
			if (state.subaccounts.some((s) => subaccountNumber(s.segments) === key)) continue;
			const subaccountId = Math.max(0, ...state.subaccounts.map((s) => s.subaccountId)) + 1;
			state.subaccounts.push({
				subaccountId,
				segments: line.subaccount,
				createdAt: this.timestamp(),
			});
		}
	}

	private timestamp(): string {
		return new Date(this.now()).toISOString();
	}
}

/** The subaccount's display number: segment values joined with '-' (e.g. "100-P001"). */
export function subaccountNumber(segments: readonly SegmentValueRef[]): string {
	return [...segments]
		.sort((a, b) => a.segmentId - b.segmentId)
		.map((s) => s.value)
		.join('-');
}
