/**
 * The canonical payroll journal (journal-contract §2): its zod schema, and `parseJournal`, which
 * turns an item's JSON into a typed `Journal` with exact amounts, or lists every problem found.
 */
import { z } from 'zod/v3';

import { createIssue, IssueCollector, referenceOf, type Issue, type IssueCode } from './issues';
import {
	formatAmount,
	MAX_AMOUNT_LENGTH,
	parseAmount,
	plainSides,
	toSides,
	type Cents,
	type Sides,
} from './money';
import {
	isBookingDate,
	isPayrollYear,
	MAX_PAYROLL_YEAR,
	MIN_PAYROLL_YEAR,
	PAYROLL_PERIOD_TYPES,
	type PayrollPeriodType,
} from './period';

/**
 * The longest text each field of a journal may hold, in characters: generous for real payroll
 * data, and a bound on the work any one field can cause. Amounts: MAX_AMOUNT_LENGTH (money.ts).
 * Dates, periods and the currency have fixed forms.
 */
export const FIELD_LIMITS = {
	/** The run reference. */
	reference: 255,
	/** Company id, run id, account, cost centre, cost unit, project, project task and branch codes. */
	code: 64,
	/** The company name. */
	name: 255,
	/** Line, run and cost centre / cost unit descriptions. */
	description: 1000,
	amount: MAX_AMOUNT_LENGTH,
} as const;

/** A number id is exact only up to 2^53 − 1; beyond, JSON has already lost digits. */
const SAFE_NUMBER_MESSAGE =
	'must be written as text (in quotes): as a number it is too large to be read exactly';

/*
 * Each rule below that a journal's every line meets has its fast path right beside it: the same
 * checks in plain code, giving the rule's output for a value the rule surely accepts, or "not
 * sure" (the rule then decides). Zod per line costs about 30 µs on a failing union branch.
 * `test/unit/core/fastPaths.property.test.ts` proves each pair agrees on any input.
 */

const NOT_SURE = Symbol('notSure');

/** A plain JSON object, as zod's `object` sees it (no Map, Set, Date, array or thenable). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== 'object') return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	if (prototype !== Object.prototype && prototype !== null) return false;
	return typeof (value as { then?: unknown }).then !== 'function';
}

const wholeNumber = z
	.number()
	.int()
	.nonnegative()
	.refine(Number.isSafeInteger, SAFE_NUMBER_MESSAGE);

/** Ids and account numbers may arrive as numbers; they are kept as text (leading zeros stay). */
const idTextOf = (limit: number) =>
	z.union([z.string().max(limit), wholeNumber]).transform((value) => String(value).trim());

const idText = idTextOf(FIELD_LIMITS.code);

/** `idText`'s output, or `null` when `idText` would refuse the value. */
function idTextFast(value: unknown): string | null {
	if (typeof value === 'string') return value.length <= FIELD_LIMITS.code ? value.trim() : null;
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
	return null;
}

const requiredTextOf = (limit: number) =>
	idTextOf(limit).refine((value) => value.length > 0, { message: 'must not be empty' });

const requiredText = requiredTextOf(FIELD_LIMITS.code);

const descriptionText = z.string().max(FIELD_LIMITS.description);

function isDescriptionFast(value: unknown): value is string | undefined {
	return (
		value === undefined || (typeof value === 'string' && value.length <= FIELD_LIMITS.description)
	);
}

/** What may hold an amount: decimal text, a number, or nothing (an absent side). */
function isAmountValue(value: unknown): value is string | number | null | undefined {
	return (
		value === undefined || value === null || typeof value === 'string' || typeof value === 'number'
	);
}

/** An amount as decimal text or a number; its rules are those of `money.ts` (checked below). */
const amount = z
	.custom<
		string | number | null
	>(isAmountValue, 'must be an amount: decimal text such as "4250.00" or a number')
	.optional();

/** A cost centre or cost unit: a bare code, or `{ code, description }`. Empty means none. */
const dimensionValue = z
	.union([
		idText,
		z.object({
			code: idText.optional(),
			description: descriptionText.optional(),
		}),
		z.null(),
	])
	.optional();

/** `dimensionValue`'s output, or NOT_SURE. */
function dimensionFast(value: unknown): z.output<typeof dimensionValue> | typeof NOT_SURE {
	if (value === undefined || value === null) return value;
	const text = idTextFast(value);
	if (text !== null) return text;
	if (!isPlainObject(value)) return NOT_SURE;
	const { code, description } = value;
	let codeText: string | undefined;
	if (code !== undefined) {
		const read = idTextFast(code);
		if (read === null) return NOT_SURE;
		codeText = read;
	}
	if (!isDescriptionFast(description)) return NOT_SURE;
	// zod's object keeps a key the input has, even when its value is undefined.
	const output: { code?: string; description?: string } = {};
	if ('code' in value) output.code = codeText;
	if ('description' in value) output.description = description as string | undefined;
	return output;
}

/** A line's project, project task or branch: a code. Empty (or null) means none. */
const optionalCode = z.union([idText, z.null()]).optional();

/** `optionalCode`'s output, or NOT_SURE. */
function optionalCodeFast(value: unknown): string | null | undefined | typeof NOT_SURE {
	if (value === undefined || value === null) return value;
	return idTextFast(value) ?? NOT_SURE;
}

const isoDate = z
	.string()
	.refine(
		isBookingDate,
		`must be a real date written YYYY-MM-DD in the years ${MIN_PAYROLL_YEAR} to ${MAX_PAYROLL_YEAR}, for example 2026-03-31`,
	);

const payrollYear = z.number().int().min(MIN_PAYROLL_YEAR).max(MAX_PAYROLL_YEAR);

/** A payroll period number: 1 to 53 (weeks; months and 4-week periods stay below). */
const PERIOD_NUMBER = { min: 1, max: 53 } as const;

const periodNumber = z.number().int().min(PERIOD_NUMBER.min).max(PERIOD_NUMBER.max);

const periodReference = z.object({
	year: payrollYear,
	period: periodNumber,
});

/** A line of the canonical journal (journal-contract §2). Unknown fields are kept. */
export const canonicalLineSchema = z
	.object({
		account: requiredText,
		description: descriptionText.optional(),
		debit: amount,
		credit: amount,
		costCenter: dimensionValue,
		costUnit: dimensionValue,
		period: periodReference.optional(),
		bookingDate: isoDate.optional(),
		project: optionalCode,
		projectTask: optionalCode,
		branch: optionalCode,
	})
	.passthrough();

function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * `canonicalLineSchema`'s output for a line `canonicalLineSchema` surely accepts, or `null` when it is not sure
 * (the caller then asks zod). Every check is one of the schema's own, in plain code.
 */
export function readLineFast(raw: unknown): LineOutput | null {
	if (!isPlainObject(raw)) return null;
	const account = idTextFast(raw.account);
	if (account === null || account.length === 0) return null;
	const { description, debit, credit, period, bookingDate } = raw;
	if (!isDescriptionFast(description)) return null;
	if (!isAmountValue(debit) || !isAmountValue(credit)) return null;
	const costCenter = dimensionFast(raw.costCenter);
	if (costCenter === NOT_SURE) return null;
	const costUnit = dimensionFast(raw.costUnit);
	if (costUnit === NOT_SURE) return null;
	let periodOutput: { year: number; period: number } | undefined;
	if (period !== undefined) {
		if (!isPlainObject(period)) return null;
		if (
			!isPayrollYear(period.year) ||
			!isWholeNumberIn(period.period, PERIOD_NUMBER.min, PERIOD_NUMBER.max)
		)
			return null;
		periodOutput = { year: period.year, period: period.period };
	}
	if (bookingDate !== undefined && !isBookingDate(bookingDate)) return null;
	const project = optionalCodeFast(raw.project);
	const projectTask = optionalCodeFast(raw.projectTask);
	const branch = optionalCodeFast(raw.branch);
	if (project === NOT_SURE || projectTask === NOT_SURE || branch === NOT_SURE) return null;
	// Only what `toJournal` reads; the passthrough fields are not needed downstream.
	return {
		account,
		description: description as string | undefined,
		debit,
		credit,
		costCenter,
		costUnit,
		period: periodOutput,
		bookingDate: bookingDate as string | undefined,
		project,
		projectTask,
		branch,
	};
}

const companySchema = z
	.object({
		id: requiredText,
		name: z.string().max(FIELD_LIMITS.name).optional(),
		testCompany: z.boolean().optional(),
		debtorBlocked: z.boolean().optional(),
	})
	.passthrough();

const runSchema = z
	.object({
		id: idText.optional(),
		number: wholeNumber.optional(),
		year: payrollYear.optional(),
		periodType: z.enum(PAYROLL_PERIOD_TYPES).optional(),
		period: periodNumber.optional(),
		description: descriptionText.optional(),
		date: isoDate.optional(),
	})
	.passthrough();

/** The zod schema of the canonical journal item (journal-contract §2). Unknown fields are kept. */
export const canonicalJournalSchema = z
	.object({
		reference: requiredTextOf(FIELD_LIMITS.reference),
		company: companySchema,
		run: runSchema.optional(),
		currency: z
			.string()
			.regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR')
			.optional(),
		lines: z.array(canonicalLineSchema).min(1, 'must hold at least one line'),
	})
	.passthrough();

export type CanonicalJournalInput = z.input<typeof canonicalJournalSchema>;

/** The fields of the canonical journal item, from its schema: reference, company, run, currency, lines. */
export const JOURNAL_FIELDS: readonly string[] = Object.freeze(
	Object.keys(canonicalJournalSchema.shape),
);

/**
 * The same schema with the lines taken as they are: the header is checked by zod once, the lines
 * one at a time by `readLineFast` (or `canonicalLineSchema` where the fast path is not sure). Zod per line
 * costs about 30 µs (a `ZodError`, with its stack trace, for every union branch tried), which is
 * most of the time of a 500,000-line journal; and zod on the whole journal builds every issue of
 * every line before any is capped. Zod's object checks its keys one by one in the shape's order,
 * `lines` last, so the header's issues, then `lines`' own, then each line's in order, are zod's
 * issues in zod's order.
 */
const headerSchema = canonicalJournalSchema.extend({ lines: z.unknown() });

/** The lines' own rule (an array of at least one line), for lines that are not a non-empty array. */
const linesSchema = canonicalJournalSchema.shape.lines;

type LineOutput = z.output<typeof canonicalLineSchema>;

export interface DimensionValue {
	readonly code: string;
	readonly description?: string;
}

export interface JournalLine {
	/** 0-based position in the input, so every later message can name the line. */
	readonly index: number;
	readonly account: string;
	readonly description: string;
	readonly debitCents: Cents;
	readonly creditCents: Cents;
	readonly costCenter?: DimensionValue;
	readonly costUnit?: DimensionValue;
	/** The payroll period this amount concerns (TWK); absent = the run's own period. */
	readonly period?: { readonly year: number; readonly period: number };
	readonly bookingDate?: string;
	/** Visma.net's project of the line (`project`), when it has one. */
	readonly project?: string;
	/** The project's task (`projectTask`); only with a project. */
	readonly projectTask?: string;
	/** The branch whose balance the line updates, when not the batch's own. */
	readonly branch?: string;
}

export interface JournalCompany {
	readonly id: string;
	readonly name?: string;
	readonly testCompany: boolean;
	readonly debtorBlocked: boolean;
}

export interface JournalRun {
	readonly id?: string;
	readonly number?: number;
	readonly year?: number;
	readonly periodType: PayrollPeriodType;
	readonly period?: number;
	readonly description?: string;
	readonly date?: string;
}

export interface Journal {
	readonly reference: string;
	readonly company: JournalCompany;
	readonly run?: JournalRun;
	readonly currency: string;
	readonly lines: readonly JournalLine[];
}

export interface ParseJournalResult {
	/** The journal, when the input has no problem at all. */
	readonly journal: Journal | null;
	readonly issues: readonly Issue[];
}

const FIELD_NAMES: Record<string, string> = {
	reference: 'the run reference',
	'company.id': 'the company id',
	lines: 'the lines',
	account: 'the account',
	bookingDate: 'the booking date',
	project: 'the project',
	projectTask: 'the project task',
	branch: 'the branch',
	currency: 'the currency',
};

/**
 * Reads a canonical journal. Every problem is listed, each naming the journal, the line (1-based,
 * with its account) and the field; amounts are parsed exactly and the sign rule applied.
 */
export function parseJournal(input: unknown): ParseJournalResult {
	if (input === null || typeof input !== 'object' || Array.isArray(input)) {
		return {
			journal: null,
			issues: [
				createIssue(
					'JOURNAL_NOT_AN_OBJECT',
					{ path: '' },
					'the item is not a journal object.',
					'Pass one payroll journal per item, with reference, company and lines.',
				),
			],
		};
	}
	const raw = input as Record<string, unknown>;
	const reference = referenceOf(raw);
	const lines = Array.isArray(raw.lines) ? (raw.lines as unknown[]) : [];
	const accountOf = (lineIndex: number): string | undefined => {
		const line = lines[lineIndex];
		if (line && typeof line === 'object' && 'account' in line) {
			const account = (line as { account: unknown }).account;
			if (typeof account === 'string' || typeof account === 'number') return String(account);
		}
		return undefined;
	};

	const issues = new IssueCollector();
	const zodIssue = (found: z.ZodIssue, value: unknown): void => {
		issues.report(issueCodeOf(found, value), () => toIssue(found, value, reference, accountOf));
	};
	const data = parseCanonical(input, zodIssue);

	// Amounts are checked per line even when other fields failed, so that all problems show at once.
	const sides: Array<Sides | null> = new Array<Sides | null>(lines.length);
	for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
		const line = lines[lineIndex];
		if (!line || typeof line !== 'object') {
			sides[lineIndex] = null;
			continue;
		}
		const { debit, credit, project, projectTask } = line as Record<string, unknown>;
		if (isCodeGiven(projectTask) && !isCodeGiven(project)) {
			issues.report('PROJECT_TASK_WITHOUT_PROJECT', () =>
				createIssue(
					'PROJECT_TASK_WITHOUT_PROJECT',
					{ reference, lineIndex, account: accountOf(lineIndex), field: 'projectTask' },
					`project task ${describeCode(projectTask)} is given without a project; a task belongs to a project.`,
					'Add the project the task belongs to, or leave the task out.',
					projectTask,
				),
			);
		}
		// Most lines: one side is a plain two-decimal text and the other absent.
		const fast = plainSides(debit, credit);
		if (fast !== undefined) {
			sides[lineIndex] = fast;
			continue;
		}
		const location = { reference, lineIndex, account: accountOf(lineIndex) };
		const debitResult = parseAmountField(debit, 'debit', location, issues);
		const creditResult = parseAmountField(credit, 'credit', location, issues);
		if (debitResult === null || creditResult === null) {
			sides[lineIndex] = null;
			continue;
		}
		const lineSides = toSides(debitResult, creditResult);
		if (lineSides === null) {
			issues.report('LINE_BOTH_SIDES', () =>
				createIssue(
					'LINE_BOTH_SIDES',
					{ ...location, field: 'debit' },
					`debit ${String(debit)} and credit ${String(credit)} are both filled.`,
					'Keep one side; a negative amount books on the other side.',
				),
			);
		}
		sides[lineIndex] = lineSides;
	}

	if (data === null || issues.size > 0) return { journal: null, issues: issues.result(reference) };
	return { journal: toJournal(data, sides), issues: [] };
}

/**
 * `canonicalJournalSchema.safeParse`, fast and bounded: the header through zod once, each line
 * through `readLineFast` or, where that is not sure, `canonicalLineSchema`. Each of zod's issues goes to
 * `report` (after `withinUnion`, with the value at its path) as it is found, in zod's order, so
 * that the caller builds only those it lists. `null` when anything failed.
 */
function parseCanonical(
	input: unknown,
	report: (found: z.ZodIssue, value: unknown) => void,
): z.output<typeof canonicalJournalSchema> | null {
	const header = headerSchema.safeParse(input);
	let failed = !header.success;
	if (!header.success) {
		for (const zodIssue of header.error.issues) {
			for (const found of withinUnion(zodIssue)) report(found, valueAt(input, found.path));
		}
		// Not an object to zod (a Map, a thenable): zod reports that alone and reads no key.
		if (header.error.issues.some((zodIssue) => zodIssue.path.length === 0)) return null;
	}
	const rawLines = (input as { lines?: unknown }).lines;
	if (!Array.isArray(rawLines) || rawLines.length === 0) {
		const refused = linesSchema.safeParse(rawLines);
		if (!refused.success) {
			for (const zodIssue of refused.error.issues) {
				for (const found of withinUnion(zodIssue)) {
					const path = ['lines', ...found.path];
					report({ ...found, path }, valueAt(input, path));
				}
			}
		}
		return null;
	}
	const lines: LineOutput[] = new Array<LineOutput>(rawLines.length);
	for (let index = 0; index < rawLines.length; index++) {
		const raw: unknown = rawLines[index];
		const fast = readLineFast(raw);
		if (fast !== null) {
			lines[index] = fast;
			continue;
		}
		const slow = withoutStackTraces(() => canonicalLineSchema.safeParse(raw));
		if (slow.success) {
			lines[index] = slow.data;
			continue;
		}
		failed = true;
		for (const zodIssue of slow.error.issues) {
			for (const found of withinUnion(zodIssue))
				report({ ...found, path: ['lines', index, ...found.path] }, valueAt(raw, found.path));
		}
	}
	if (failed || !header.success) return null;
	return { ...header.data, lines };
}

/**
 * Runs zod without stack traces: zod makes a `ZodError` (an `Error`, its stack captured) for every
 * union branch a value fails, which is most of the cost of a failing line, and its stacks are
 * never shown. Synchronous, and the limit is restored whatever happens.
 */
export function withoutStackTraces<T>(run: () => T): T {
	const limit = Error.stackTraceLimit;
	Error.stackTraceLimit = 0;
	try {
		return run();
	} finally {
		Error.stackTraceLimit = limit;
	}
}

/** A code that is there: text that is not blank, or a number (whatever its rule says of it). */
function isCodeGiven(value: unknown): boolean {
	return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '');
}

function describeCode(value: unknown): string {
	const text = String(value).trim();
	return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function parseAmountField(
	value: unknown,
	field: 'debit' | 'credit',
	location: { reference?: string; lineIndex: number; account?: string },
	issues: IssueCollector,
): Cents | null {
	// Type errors (objects, booleans) are reported by the schema; only check what could be an amount.
	if (!isAmountValue(value)) return null;
	const result = parseAmount(value);
	if (result.ok) return result.cents;
	issues.report(result.problem, () =>
		createIssue(
			result.problem,
			{ ...location, field },
			`${field} ${describeAmount(value)} ${result.reason}.`,
			AMOUNT_ADVICE[result.problem],
			value,
		),
	);
	return null;
}

const AMOUNT_ADVICE: Record<string, string> = {
	AMOUNT_EMPTY:
		'Fill in an amount such as 4250.00, or leave the field out when the line is on the other side.',
	AMOUNT_NOT_A_NUMBER:
		'Use a decimal amount such as 4250.00 (a point or a comma for decimals, no thousands separators).',
	AMOUNT_AMBIGUOUS:
		'Export amounts without thousands separators and with two decimals, such as 1000.00.',
	FIELD_TOO_LONG: 'Check the export: this is not an amount.',
	AMOUNT_TOO_PRECISE:
		'Round the amount to cents in the payroll export; Visma.net books two decimals.',
	AMOUNT_TOO_LARGE: 'Check the export: amounts above 10,000,000,000,000 are not payroll amounts.',
};

function describeAmount(value: unknown): string {
	if (typeof value === 'string')
		return value.trim() === ''
			? '(empty)'
			: `"${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;
	return String(value);
}

function valueAt(input: unknown, path: ReadonlyArray<string | number>): unknown {
	let value = input;
	for (const segment of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string | number, unknown>)[segment];
	}
	return value;
}

function toIssue(
	zodIssue: z.ZodIssue,
	value: unknown,
	reference: string | undefined,
	accountOf: (lineIndex: number) => string | undefined,
): Issue {
	const missing = value === undefined;
	const path = zodIssue.path;
	let lineIndex: number | undefined;
	let fieldPath: string[] = path.map(String);
	if (path[0] === 'lines' && typeof path[1] === 'number') {
		lineIndex = path[1];
		fieldPath = path.slice(2).map(String);
	}
	const field = fieldPath.join('.') || undefined;
	const machinePath = path
		.map((segment, position) =>
			typeof segment === 'number' ? `[${segment}]` : `${position === 0 ? '' : '.'}${segment}`,
		)
		.join('');
	const tooLong = isTooLong(zodIssue);
	const code = issueCodeOf(zodIssue, value);
	const fieldName = field ? (FIELD_NAMES[field] ?? field) : 'the journal';
	let what = missing ? `${fieldName} is missing.` : `${fieldName} ${describeZodProblem(zodIssue)}.`;
	let todo = missing
		? `Add ${field ?? 'it'} to the journal (see the journal format in the README).`
		: undefined;
	if (tooLong) {
		const length = typeof value === 'string' ? value.length : 0;
		what = `${fieldName} is ${length.toLocaleString('en-US')} characters long; at most ${Number(zodIssue.maximum).toLocaleString('en-US')} characters are accepted.`;
		todo = 'Shorten it in the payroll system, or check the step that builds the journal.';
	}
	return createIssue(
		code,
		{
			reference,
			lineIndex,
			account: lineIndex === undefined ? undefined : accountOf(lineIndex),
			field,
			path: machinePath,
		},
		what,
		todo,
	);
}

function isTooLong(zodIssue: z.ZodIssue): zodIssue is Extract<z.ZodIssue, { code: 'too_big' }> {
	return zodIssue.code === 'too_big' && zodIssue.type === 'string';
}

/** The code `toIssue` gives a zod issue, without building its message. */
function issueCodeOf(zodIssue: z.ZodIssue, value: unknown): IssueCode {
	const path = zodIssue.path;
	if (path.length === 1 && path[0] === 'lines' && zodIssue.code === 'too_small')
		return 'LINES_EMPTY';
	if (value === undefined) return 'FIELD_REQUIRED';
	return isTooLong(zodIssue) ? 'FIELD_TOO_LONG' : 'FIELD_INVALID';
}

/**
 * The problems of the one branch of a union that the value has the type of ("costCenter is too
 * long" rather than "has a value of the wrong kind"): the union's issue itself when no branch or
 * several branches fit.
 */
function withinUnion(zodIssue: z.ZodIssue): z.ZodIssue[] {
	if (zodIssue.code !== 'invalid_union') return [zodIssue];
	const depth = zodIssue.path.length;
	const fitting = zodIssue.unionErrors.filter((error) =>
		error.issues.some(
			(inner) =>
				inner.path.length > depth ||
				(inner.code !== 'invalid_type' && inner.code !== 'invalid_union'),
		),
	);
	if (fitting.length !== 1) return [zodIssue];
	const found: z.ZodIssue[] = [];
	for (const inner of fitting[0].issues)
		for (const deeper of withinUnion(inner)) found.push(deeper);
	return found;
}

function describeZodProblem(zodIssue: z.ZodIssue): string {
	switch (zodIssue.code) {
		case 'invalid_type':
			return `must be ${zodIssue.expected === 'string' ? 'text' : `a ${zodIssue.expected}`}, not ${zodIssue.received}`;
		case 'invalid_enum_value':
			return `must be one of ${zodIssue.options.map((option) => `"${String(option)}"`).join(', ')}`;
		case 'invalid_union':
			return 'has a value of the wrong kind';
		default:
			return zodIssue.message.toLowerCase().startsWith('must')
				? zodIssue.message
				: `is invalid: ${zodIssue.message}`;
	}
}

function toDimension(value: z.output<typeof dimensionValue>): DimensionValue | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value === '' ? undefined : { code: value };
	const code = value.code ?? '';
	if (code === '') return undefined;
	const description = value.description?.trim();
	return description ? { code, description } : { code };
}

/** A code, or none when empty. */
function codeOf(value: string | null | undefined): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : value;
}

function toJournal(
	data: z.output<typeof canonicalJournalSchema>,
	sides: ReadonlyArray<{ debitCents: Cents; creditCents: Cents } | null>,
): Journal {
	const run = data.run;
	return {
		reference: data.reference,
		company: {
			id: data.company.id,
			...(data.company.name === undefined ? {} : { name: data.company.name }),
			testCompany: data.company.testCompany ?? false,
			debtorBlocked: data.company.debtorBlocked ?? false,
		},
		...(run === undefined
			? {}
			: {
					run: {
						...(run.id === undefined ? {} : { id: run.id }),
						...(run.number === undefined ? {} : { number: run.number }),
						...(run.year === undefined ? {} : { year: run.year }),
						periodType: run.periodType ?? 'month',
						...(run.period === undefined ? {} : { period: run.period }),
						...(run.description === undefined ? {} : { description: run.description }),
						...(run.date === undefined ? {} : { date: run.date }),
					},
				}),
		currency: data.currency ?? 'EUR',
		lines: data.lines.map((line, index) => {
			const lineSides = sides[index] ?? { debitCents: 0n, creditCents: 0n };
			const costCenter = toDimension(line.costCenter);
			const costUnit = toDimension(line.costUnit);
			const project = codeOf(line.project);
			const projectTask = codeOf(line.projectTask);
			const branch = codeOf(line.branch);
			return {
				index,
				account: line.account,
				description: line.description ?? '',
				debitCents: lineSides.debitCents,
				creditCents: lineSides.creditCents,
				...(costCenter ? { costCenter } : {}),
				...(costUnit ? { costUnit } : {}),
				...(line.period ? { period: { year: line.period.year, period: line.period.period } } : {}),
				...(line.bookingDate ? { bookingDate: line.bookingDate } : {}),
				...(project === undefined ? {} : { project }),
				...(projectTask === undefined ? {} : { projectTask }),
				...(branch === undefined ? {} : { branch }),
			};
		}),
	};
}

/** A canonical line as JSON: amounts as two-decimal text on their side. */
export interface CanonicalLineJson {
	account: string;
	description: string;
	debit?: string;
	credit?: string;
	costCenter?: DimensionValue;
	costUnit?: DimensionValue;
	period?: { year: number; period: number };
	bookingDate?: string;
	project?: string;
	projectTask?: string;
	branch?: string;
	[key: string]: unknown;
}

/** A journal back to canonical JSON (journal-contract §2), the form items carry between nodes. */
export function toCanonicalLineJson(line: JournalLine): CanonicalLineJson {
	const json: CanonicalLineJson = { account: line.account, description: line.description };
	if (line.creditCents > 0n) json.credit = formatAmount(line.creditCents);
	else json.debit = formatAmount(line.debitCents);
	if (line.costCenter) json.costCenter = { ...line.costCenter };
	if (line.costUnit) json.costUnit = { ...line.costUnit };
	if (line.period) json.period = { ...line.period };
	if (line.bookingDate) json.bookingDate = line.bookingDate;
	if (line.project !== undefined) json.project = line.project;
	if (line.projectTask !== undefined) json.projectTask = line.projectTask;
	if (line.branch !== undefined) json.branch = line.branch;
	return json;
}

export function toCanonicalHeaderJson(journal: Journal): Record<string, unknown> {
	return {
		reference: journal.reference,
		company: { ...journal.company },
		...(journal.run ? { run: { ...journal.run } } : {}),
		currency: journal.currency,
	};
}
