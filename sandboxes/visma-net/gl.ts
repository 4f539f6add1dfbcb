/**
 * The general-ledger rules of Visma.net for journal transactions (docs/visma-net-api.md §3.2,
 * §3.8, §4): the request is read with a strict overlay on the official JournalTransactionUpdateDto
 * schema, merged into the batch it changes, and the result is checked as GL301000 would.
 * Every refusal is an `HttpError` carrying Visma's message envelope.
 */
import type { Company, FinancialPeriod } from './data';
import { validationError, type Operation } from './errors';
import type { BatchContent, BatchStatus, SegmentValueRef, StoredBatch, StoredLine } from './store';

// ---------------------------------------------------------------------------------------------
// Reading the request

type ValueKind = 'string' | 'boolean' | 'dateTime' | 'decimal' | 'int32';
type KindValue<K extends ValueKind> = K extends 'boolean'
	? boolean
	: K extends 'decimal' | 'int32'
		? number
		: string;
type Unwrapped<T extends Record<string, ValueKind>> = {
	-readonly [P in keyof T]?: KindValue<T[P]>;
};

/** JournalTransactionUpdateDto's `{value: ...}` fields and the type of their value. */
const HEADER_FIELDS = {
	batchNumber: 'string',
	hold: 'boolean',
	transactionDate: 'dateTime',
	postPeriod: 'string',
	financialPeriod: 'string',
	ledger: 'string',
	currencyId: 'string',
	exchangeRate: 'decimal',
	autoReversing: 'boolean',
	description: 'string',
	controlTotalInCurrency: 'decimal',
	createVatTransaction: 'boolean',
	skipVatAmountValidation: 'boolean',
	transactionCode: 'string',
	branch: 'string',
	overrideNumberSeries: 'boolean',
} as const satisfies Record<string, ValueKind>;

/** JournalTransactionLineUpdateDto's `{value: ...}` fields (`operation` and `subaccount` are not wrapped). */
const LINE_FIELDS = {
	lineNumber: 'int32',
	accountNumber: 'string',
	project: 'string',
	projectTask: 'string',
	referenceNumber: 'string',
	transactionDescription: 'string',
	debitAmountInCurrency: 'decimal',
	creditAmountInCurrency: 'decimal',
	vatCodeId: 'string',
	vatId: 'string',
	branch: 'string',
	uom: 'string',
	quantity: 'decimal',
	note: 'string',
} as const satisfies Record<string, ValueKind>;

const OPERATIONS = ['Insert', 'Update', 'Delete'] as const;
export type LineOperation = (typeof OPERATIONS)[number];

export type HeaderUpdate = Unwrapped<typeof HEADER_FIELDS>;
export type LineUpdate = Unwrapped<typeof LINE_FIELDS> & {
	operation: LineOperation;
	subaccount?: { segmentId: number; segmentValue: string }[];
};
export interface JournalUpdate {
	header: HeaderUpdate;
	lines?: LineUpdate[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function valueMatches(kind: ValueKind, value: unknown): boolean {
	switch (kind) {
		case 'string':
			return typeof value === 'string';
		case 'boolean':
			return typeof value === 'boolean';
		case 'decimal':
			return typeof value === 'number' && Number.isFinite(value);
		case 'int32':
			return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 - 1;
		case 'dateTime':
			return (
				typeof value === 'string' &&
				DATE_TIME.test(value) &&
				!Number.isNaN(Date.parse(value.slice(0, 10)))
			);
	}
}

const KIND_TEXT: Record<ValueKind, string> = {
	string: 'a string',
	boolean: 'true or false',
	decimal: 'a number',
	int32: 'a 32-bit integer',
	dateTime: 'a date-time string (yyyy-MM-ddTHH:mm:ss)',
};

/** Reads `{field: {value: x}}` pairs of `spec` from `source`, reporting every misfit into `problems`. */
function unwrapFields<T extends Record<string, ValueKind>>(
	source: Record<string, unknown>,
	spec: T,
	where: string,
	problems: string[],
): Unwrapped<T> {
	const result: Record<string, unknown> = {};
	for (const [field, kind] of Object.entries(spec)) {
		if (!(field in source)) continue;
		const wrapper = source[field];
		const keys = isRecord(wrapper) ? Object.keys(wrapper) : [];
		if (!isRecord(wrapper) || keys.some((k) => k !== 'value')) {
			problems.push(
				`${where}${field}: expected an object {"value": ...}, got ${JSON.stringify(wrapper)}`,
			);
			continue;
		}
		const value = wrapper.value;
		if (value === undefined || value === null) continue;
		if (!valueMatches(kind, value)) {
			problems.push(
				`${where}${field}.value: expected ${KIND_TEXT[kind]}, got ${JSON.stringify(value)}`,
			);
			continue;
		}
		result[field] = value;
	}
	return result as Unwrapped<T>;
}

function unknownFields(
	source: Record<string, unknown>,
	known: readonly string[],
	where: string,
	problems: string[],
): void {
	for (const key of Object.keys(source)) {
		if (!known.includes(key)) problems.push(`${where}${key}: unknown property`);
	}
}

function readSubaccount(raw: unknown, where: string, problems: string[]): LineUpdate['subaccount'] {
	if (!Array.isArray(raw)) {
		problems.push(
			`${where}subaccount: expected an array of {"segmentId": <int>, "segmentValue": <string>}`,
		);
		return undefined;
	}
	const segments: { segmentId: number; segmentValue: string }[] = [];
	raw.forEach((entry: unknown, i) => {
		const at = `${where}subaccount[${i}]`;
		if (!isRecord(entry)) {
			problems.push(`${at}: expected {"segmentId": <int>, "segmentValue": <string>}`);
			return;
		}
		unknownFields(entry, ['segmentId', 'segmentValue'], `${at}.`, problems);
		const { segmentId, segmentValue } = entry;
		if (!Number.isInteger(segmentId)) problems.push(`${at}.segmentId: expected an integer`);
		else if (typeof segmentValue !== 'string')
			problems.push(`${at}.segmentValue: expected a string`);
		else segments.push({ segmentId: segmentId as number, segmentValue });
	});
	return segments;
}

function readLine(raw: unknown, index: number, problems: string[]): LineUpdate | undefined {
	const where = `journalTransactionLines[${index}].`;
	if (!isRecord(raw)) {
		problems.push(`journalTransactionLines[${index}]: expected an object`);
		return undefined;
	}
	unknownFields(raw, ['operation', 'subaccount', ...Object.keys(LINE_FIELDS)], where, problems);
	let operation: LineOperation = 'Insert';
	if ('operation' in raw) {
		if (OPERATIONS.includes(raw.operation as LineOperation))
			operation = raw.operation as LineOperation;
		else
			problems.push(
				`${where}operation: expected one of ${OPERATIONS.join(', ')} (not wrapped), got ${JSON.stringify(raw.operation)}`,
			);
	}
	const line: LineUpdate = { ...unwrapFields(raw, LINE_FIELDS, where, problems), operation };
	if ('subaccount' in raw && raw.subaccount !== null)
		line.subaccount = readSubaccount(raw.subaccount, where, problems);
	return line;
}

/** The request body as a JournalTransactionUpdateDto, or a 400 listing every shape problem. */
export function readJournalUpdate(body: unknown, operation: Operation): JournalUpdate {
	const problems: string[] = [];
	if (!isRecord(body))
		throw validationError(
			operation,
			'The request is invalid: the body must be a JournalTransactionUpdateDto object.',
		);
	unknownFields(body, [...Object.keys(HEADER_FIELDS), 'journalTransactionLines'], '', problems);
	const header = unwrapFields(body, HEADER_FIELDS, '', problems);
	let lines: LineUpdate[] | undefined;
	if ('journalTransactionLines' in body && body.journalTransactionLines !== null) {
		if (!Array.isArray(body.journalTransactionLines))
			problems.push('journalTransactionLines: expected an array');
		else
			lines = body.journalTransactionLines
				.map((l: unknown, i) => readLine(l, i, problems))
				.filter((l) => l !== undefined);
	}
	if (problems.length > 0)
		throw validationError(
			operation,
			`The request is invalid: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}.`,
		);
	return { header, lines };
}

// ---------------------------------------------------------------------------------------------
// Periods and amounts

/** MMYYYY → YYYYPP. */
function fromPostPeriod(value: string): string | undefined {
	const month = Number(value.slice(0, 2));
	return /^\d{6}$/.test(value) && month >= 1 && month <= 13
		? `${value.slice(2)}${value.slice(0, 2)}`
		: undefined;
}

/** YYYYPP → "PP-YYYY", the way the GL screens show a period. */
export function displayPeriod(periodId: string): string {
	return `${periodId.slice(4)}-${periodId.slice(0, 4)}`;
}

/** YYYYPP → MMYYYY (postPeriod). */
export function toPostPeriod(periodId: string): string {
	return `${periodId.slice(4)}${periodId.slice(0, 4)}`;
}

/** A decimal amount as integer cents, or a problem text. */
function toCents(amount: number, label: string): number | string {
	if (amount < 0) return `${label} ${amount} cannot be negative.`;
	const cents = Math.round(amount * 100);
	if (Math.abs(amount * 100 - cents) > 1e-6)
		return `${label} ${amount} has more than two decimals.`;
	if (!Number.isSafeInteger(cents)) return `${label} ${amount} is too large.`;
	return cents;
}

export function formatCents(cents: number): string {
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(cents);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Building and checking the batch

export interface CheckedBatch {
	content: BatchContent;
	status: BatchStatus;
	/** A caller-chosen number (overrideNumberSeries); otherwise the numbering sequence decides. */
	batchNumber?: string;
}

/**
 * Applies a POST (no `existing`) or PUT body to a batch and checks every GL rule.
 * `numberTaken` tells whether an overriding batch number is already used.
 */
export function buildBatch(
	company: Company,
	update: JournalUpdate,
	existing: StoredBatch | undefined,
	numberTaken: (batchNumber: string) => boolean,
): CheckedBatch {
	const operation: Operation = existing ? 'update' : 'create';
	const fail = (detail: string) => validationError(operation, detail);
	const { header } = update;

	if (existing && existing.status !== 'Hold' && existing.status !== 'Balanced') {
		throw fail(
			`Batch ${existing.batchNumber} has status ${existing.status} and cannot be changed.`,
		);
	}
	let batchNumber: string | undefined;
	if (!existing && header.overrideNumberSeries && header.batchNumber !== undefined) {
		if (!company.data.batchNumbering.allowManualNumbering) {
			throw fail(
				`Batch number '${header.batchNumber}' cannot be used: the numbering sequence of GL batches does not allow manual numbering.`,
			);
		}
		if (!/^[A-Za-z0-9-]{1,15}$/.test(header.batchNumber))
			throw fail(`Batch number '${header.batchNumber}' is not valid.`);
		if (numberTaken(header.batchNumber))
			throw fail(`Batch number ${header.batchNumber} already exists.`);
		batchNumber = header.batchNumber;
	}

	const transactionDate = header.transactionDate?.slice(0, 10) ?? existing?.transactionDate;
	if (!transactionDate) throw fail("'Transaction date' cannot be empty.");
	const period = resolvePeriod(company, header, transactionDate, existing, fail);

	const ledger = header.ledger ?? existing?.ledger ?? company.data.defaultLedger;
	if (!company.ledgers.has(ledger)) throw fail(`Ledger '${ledger}' cannot be found in the system.`);
	const branch = header.branch ?? existing?.branch ?? company.data.defaultBranch;
	checkBranch(company, branch, fail);
	const currencyId = header.currencyId ?? existing?.currencyId ?? company.data.currency;
	if (!company.currencies.has(currencyId))
		throw fail(`Currency '${currencyId}' cannot be found in the system.`);
	const exchangeRate =
		currencyId === company.data.currency ? 1 : (header.exchangeRate ?? existing?.exchangeRate ?? 1);
	if (exchangeRate <= 0) throw fail(`Exchange rate ${exchangeRate} must be greater than zero.`);

	const lines = applyLines(company, existing, update.lines ?? [], fail);
	if (lines.length < 2) throw fail('A journal transaction must have at least two lines.');

	const hold = header.hold ?? existing?.hold ?? false;
	const debit = lines.reduce((sum, l) => sum + l.debitCents, 0);
	const credit = lines.reduce((sum, l) => sum + l.creditCents, 0);
	if (!hold && debit !== credit) {
		throw fail(
			`Batch is out of balance, please review. Total debit ${formatCents(debit)} does not equal total credit ${formatCents(credit)}; only a batch on hold can be saved unbalanced.`,
		);
	}
	const content: BatchContent = {
		hold,
		transactionDate,
		financialPeriod: period.id,
		ledger,
		currencyId,
		exchangeRate,
		autoReversing: header.autoReversing ?? existing?.autoReversing ?? false,
		description: header.description ?? existing?.description,
		branch,
		transactionCode: header.transactionCode ?? existing?.transactionCode,
		controlTotalInCurrency: header.controlTotalInCurrency ?? existing?.controlTotalInCurrency,
		createVatTransaction: header.createVatTransaction ?? existing?.createVatTransaction ?? false,
		skipVatAmountValidation:
			header.skipVatAmountValidation ?? existing?.skipVatAmountValidation ?? false,
		lines,
	};
	return { content, status: hold ? 'Hold' : 'Balanced', batchNumber };
}

type Fail = (detail: string) => Error;

function resolvePeriod(
	company: Company,
	header: HeaderUpdate,
	transactionDate: string,
	existing: StoredBatch | undefined,
	fail: Fail,
): FinancialPeriod {
	let fromPost: string | undefined;
	if (header.postPeriod !== undefined) {
		fromPost = fromPostPeriod(header.postPeriod);
		if (!fromPost)
			throw fail(`Post period '${header.postPeriod}' is not valid; use the format MMYYYY.`);
	}
	if (header.financialPeriod !== undefined && !/^\d{6}$/.test(header.financialPeriod)) {
		throw fail(`Financial period '${header.financialPeriod}' is not valid; use the format YYYYMM.`);
	}
	if (fromPost && header.financialPeriod && fromPost !== header.financialPeriod) {
		throw fail(
			`Post period ${header.postPeriod} (MMYYYY) does not match financial period ${header.financialPeriod} (YYYYMM); a batch has one period.`,
		);
	}
	const periodId = fromPost ?? header.financialPeriod ?? existing?.financialPeriod;
	const period = periodId
		? company.periods.get(periodId)
		: [...company.periods.values()].find(
				(p) => transactionDate >= p.startDate && transactionDate <= p.endDate,
			);
	const shown = periodId ? displayPeriod(periodId) : transactionDate;
	if (!period) throw fail(`Financial period ${shown} does not exist.`);
	if (!period.active) throw fail(`Financial period ${displayPeriod(period.id)} is inactive.`);
	if (period.closedInGeneralLedger)
		throw fail(`Financial period ${displayPeriod(period.id)} is closed in General ledger.`);
	if (transactionDate < period.startDate || transactionDate > period.endDate) {
		throw fail(
			`Transaction date ${transactionDate} is outside post period ${displayPeriod(period.id)} (${period.startDate} to ${period.endDate}).`,
		);
	}
	return period;
}

function checkBranch(company: Company, number: string, fail: Fail): void {
	const branch = company.branches.get(number);
	if (!branch) throw fail(`Branch '${number}' cannot be found in the system.`);
	if (!branch.isActive) throw fail(`Branch '${number}' is inactive.`);
}

function applyLines(
	company: Company,
	existing: StoredBatch | undefined,
	updates: LineUpdate[],
	fail: Fail,
): StoredLine[] {
	const lines = (existing?.lines ?? []).map((l) => ({ ...l, subaccount: [...l.subaccount] }));
	const usedNumbers = new Set(lines.map((l) => l.lineNumber));
	const nextNumber = () => Math.max(0, ...usedNumbers) + 1;
	updates.forEach((update, index) => {
		const at = update.lineNumber ?? index + 1;
		if (update.operation === 'Insert') {
			const lineNumber = update.lineNumber ?? nextNumber();
			if (lineNumber < 1) throw fail(`Line number ${lineNumber} must be positive.`);
			if (usedNumbers.has(lineNumber))
				throw fail(`Line number ${lineNumber} is used more than once.`);
			usedNumbers.add(lineNumber);
			lines.push(
				checkLine(
					company,
					mergeLine(
						{ lineNumber, accountNumber: '', subaccount: [], debitCents: 0, creditCents: 0 },
						update,
						at,
						fail,
					),
					fail,
				),
			);
			return;
		}
		if (!existing)
			throw fail(
				`Line operation ${update.operation} needs an existing batch; use Insert when creating one.`,
			);
		if (update.lineNumber === undefined)
			throw fail(`Line operation ${update.operation} needs a lineNumber.`);
		const position = lines.findIndex((l) => l.lineNumber === update.lineNumber);
		if (position < 0)
			throw fail(`Line ${update.lineNumber} cannot be found in batch ${existing.batchNumber}.`);
		if (update.operation === 'Delete') lines.splice(position, 1);
		else lines[position] = checkLine(company, mergeLine(lines[position], update, at, fail), fail);
	});
	return lines.sort((a, b) => a.lineNumber - b.lineNumber);
}

function mergeLine(base: StoredLine, update: LineUpdate, at: number, fail: Fail): StoredLine {
	const amount = (value: number | undefined, current: number, label: string) => {
		if (value === undefined) return current;
		const cents = toCents(value, `Line ${at}: ${label}`);
		if (typeof cents === 'string') throw fail(cents);
		return cents;
	};
	const pick = <K extends keyof StoredLine & keyof LineUpdate>(key: K) =>
		(update[key] ?? base[key]) as StoredLine[K];
	return {
		...base,
		accountNumber: update.accountNumber ?? base.accountNumber,
		subaccount: update.subaccount
			? update.subaccount.map((s) => ({ segmentId: s.segmentId, value: s.segmentValue }))
			: base.subaccount,
		debitCents: amount(update.debitAmountInCurrency, base.debitCents, 'debit amount'),
		creditCents: amount(update.creditAmountInCurrency, base.creditCents, 'credit amount'),
		referenceNumber: pick('referenceNumber'),
		transactionDescription: pick('transactionDescription'),
		branch: pick('branch'),
		project: pick('project'),
		projectTask: pick('projectTask'),
		uom: pick('uom'),
		quantity: pick('quantity'),
		note: pick('note'),
		vatCodeId: pick('vatCodeId'),
		vatId: pick('vatId'),
	};
}

function checkLine(company: Company, line: StoredLine, fail: Fail): StoredLine {
	const at = `Line ${line.lineNumber}: `;
	const field = (name: string, detail: string) =>
		fail(`${at}An error occurred during processing of the field ${name} : Error: ${detail}`);
	if (!line.accountNumber) throw field('Account', "'Account' cannot be empty.");
	const account = company.accounts.get(line.accountNumber);
	if (!account)
		throw field('Account', `Account '${line.accountNumber}' cannot be found in the system.`);
	if (!account.active) throw field('Account', `Account '${account.accountCD}' is inactive.`);
	if (account.accountCD === company.data.ytdNetIncomeAccount) {
		throw field(
			'Account',
			`Account '${account.accountCD}' is the year-to-date net income account; it cannot be used in journal transactions.`,
		);
	}
	if (account.controlAccountModule) {
		throw field(
			'Account',
			`Account '${account.accountCD}' is a control account of the ${account.controlAccountModule} module; manual entries are not allowed.`,
		);
	}
	if (!account.allowManualEntry)
		throw field('Account', `Account '${account.accountCD}' does not allow manual entries.`);
	const segmentProblem = checkSubaccount(company, line.subaccount);
	if (segmentProblem) throw field('Subaccount', segmentProblem);
	if (line.debitCents > 0 && line.creditCents > 0)
		throw fail(`${at}A line cannot have both a debit amount and a credit amount.`);
	if (line.branch !== undefined)
		checkBranch(company, line.branch, (detail) => fail(`${at}${detail}`));
	const projectProblem = checkProject(company, line);
	if (projectProblem) throw field(projectProblem.field, projectProblem.detail);
	return line;
}

/** A line's project and task, in a company that uses projects: both must exist, the project be active. */
function checkProject(
	company: Company,
	line: StoredLine,
): { field: string; detail: string } | undefined {
	const settings = company.data.projects;
	if (!settings) return undefined;
	if (line.project === undefined || line.project === settings.nonProjectCode) {
		return line.projectTask === undefined
			? undefined
			: { field: 'Project task', detail: `Task '${line.projectTask}' requires a project.` };
	}
	const project = settings.projects.find((p) => p.id === line.project);
	if (!project)
		return { field: 'Project', detail: `Project '${line.project}' cannot be found in the system.` };
	if (!project.active)
		return { field: 'Project', detail: `Project '${project.id}' is not active.` };
	if (line.projectTask !== undefined && !project.tasks.includes(line.projectTask))
		return {
			field: 'Project task',
			detail: `Task '${line.projectTask}' cannot be found in project '${project.id}'.`,
		};
	return undefined;
}

/** Every SUBACCOUNT segment once, with an existing active value where the segment validates. */
function checkSubaccount(
	company: Company,
	subaccount: readonly SegmentValueRef[],
): string | undefined {
	if (company.segments.length === 0) return undefined;
	if (subaccount.length === 0) return "'Subaccount' cannot be empty.";
	const known = new Set(company.segments.map((s) => s.segmentId));
	const seen = new Set<number>();
	for (const { segmentId } of subaccount) {
		if (!known.has(segmentId)) return `Segment ${segmentId} is not defined for Subaccount.`;
		if (seen.has(segmentId)) return `Segment ${segmentId} of Subaccount is given more than once.`;
		seen.add(segmentId);
	}
	for (const segment of company.segments) {
		const given = subaccount.find((s) => s.segmentId === segment.segmentId);
		if (!given || given.value === '')
			return `${segment.description} of Subaccount cannot be empty.`;
		if (given.value.length > segment.length)
			return `${segment.description} of Subaccount do not exist.`;
		if (!segment.validate) continue;
		const value = segment.values.find((v) => v.value === given.value);
		if (!value) return `${segment.description} of Subaccount do not exist.`;
		if (!value.active) return `${segment.description} ${given.value} of Subaccount is inactive.`;
	}
	return undefined;
}
