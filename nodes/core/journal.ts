/**
 * The canonical payroll journal (journal-contract §2): its zod schema, and `parseJournal`, which
 * turns an item's JSON into a typed `Journal` with exact amounts, or lists every problem found.
 */
import { z } from 'zod';

import { createIssue, type Issue, type IssueCode } from './issues';
import { formatAmount, parseAmount, toSides, type Cents } from './money';
import { isIsoDate, MAX_PAYROLL_YEAR, MIN_PAYROLL_YEAR, PAYROLL_PERIOD_TYPES, type PayrollPeriodType } from './period';

/** Ids and account numbers may arrive as numbers; they are kept as text (leading zeros stay). */
const idText = z.union([z.string(), z.number().int().nonnegative()]).transform((value) => String(value).trim());

const requiredText = idText.refine((value) => value.length > 0, { message: 'must not be empty' });

/** An amount as decimal text or a number; its rules are those of `money.ts` (checked below). */
const amount = z
	.custom<string | number | null>(
		(value) => value === null || typeof value === 'string' || typeof value === 'number',
		'must be an amount: decimal text such as "4250.00" or a number',
	)
	.optional();

/** A cost centre or cost unit: a bare code, or `{ code, description }`. Empty means none. */
const dimensionValue = z
	.union([
		idText,
		z.object({
			code: idText.optional(),
			description: z.string().optional(),
		}),
		z.null(),
	])
	.optional();

const isoDate = z.string().refine(isIsoDate, 'must be a real date written YYYY-MM-DD, for example 2026-03-31');

const payrollYear = z.number().int().min(MIN_PAYROLL_YEAR).max(MAX_PAYROLL_YEAR);

const periodReference = z.object({
	year: payrollYear,
	period: z.number().int().min(1).max(53),
});

const lineSchema = z
	.object({
		account: requiredText,
		description: z.string().optional(),
		debit: amount,
		credit: amount,
		costCenter: dimensionValue,
		costUnit: dimensionValue,
		period: periodReference.optional(),
		bookingDate: isoDate.optional(),
	})
	.passthrough();

const companySchema = z
	.object({
		id: requiredText,
		name: z.string().optional(),
		testCompany: z.boolean().optional(),
		debtorBlocked: z.boolean().optional(),
	})
	.passthrough();

const runSchema = z
	.object({
		id: idText.optional(),
		number: z.number().int().nonnegative().optional(),
		year: payrollYear.optional(),
		periodType: z.enum(PAYROLL_PERIOD_TYPES).optional(),
		period: z.number().int().min(1).max(53).optional(),
		description: z.string().optional(),
		date: isoDate.optional(),
	})
	.passthrough();

/** The zod schema of the canonical journal item (journal-contract §2). Unknown fields are kept. */
export const canonicalJournalSchema = z
	.object({
		reference: requiredText,
		company: companySchema,
		run: runSchema.optional(),
		currency: z
			.string()
			.regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR')
			.optional(),
		lines: z.array(lineSchema).min(1, 'must hold at least one line'),
	})
	.passthrough();

export type CanonicalJournalInput = z.input<typeof canonicalJournalSchema>;

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
	const reference = typeof raw.reference === 'string' ? raw.reference.trim() || undefined : undefined;
	const lines = Array.isArray(raw.lines) ? (raw.lines as unknown[]) : [];
	const accountOf = (lineIndex: number): string | undefined => {
		const line = lines[lineIndex];
		if (line && typeof line === 'object' && 'account' in line) {
			const account = (line as { account: unknown }).account;
			if (typeof account === 'string' || typeof account === 'number') return String(account);
		}
		return undefined;
	};

	const issues: Issue[] = [];
	const parsed = canonicalJournalSchema.safeParse(input);
	if (!parsed.success) {
		for (const zodIssue of parsed.error.issues) {
			issues.push(toIssue(zodIssue, valueAt(input, zodIssue.path) === undefined, reference, accountOf));
		}
	}

	// Amounts are checked per line even when other fields failed, so that all problems show at once.
	const sides: Array<{ debitCents: Cents; creditCents: Cents } | null> = [];
	lines.forEach((line, lineIndex) => {
		if (!line || typeof line !== 'object') {
			sides.push(null);
			return;
		}
		const { debit, credit } = line as { debit?: unknown; credit?: unknown };
		const location = { reference, lineIndex, account: accountOf(lineIndex) };
		const debitResult = parseAmountField(debit, 'debit', location, issues);
		const creditResult = parseAmountField(credit, 'credit', location, issues);
		if (debitResult === null || creditResult === null) {
			sides.push(null);
			return;
		}
		const lineSides = toSides(debitResult, creditResult);
		if (lineSides === null) {
			issues.push(
				createIssue(
					'LINE_BOTH_SIDES',
					{ ...location, field: 'debit' },
					`debit ${String(debit)} and credit ${String(credit)} are both filled.`,
					'Keep one side; a negative amount books on the other side.',
				),
			);
		}
		sides.push(lineSides);
	});

	if (!parsed.success || issues.length > 0) return { journal: null, issues };
	return { journal: toJournal(parsed.data, sides), issues };
}

function parseAmountField(
	value: unknown,
	field: 'debit' | 'credit',
	location: { reference?: string; lineIndex: number; account?: string },
	issues: Issue[],
): Cents | null {
	// Type errors (objects, booleans) are reported by the schema; only check what could be an amount.
	if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') {
		return null;
	}
	const result = parseAmount(value);
	if (result.ok) return result.cents;
	issues.push(
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
	AMOUNT_EMPTY: 'Fill in an amount such as 4250.00, or leave the field out when the line is on the other side.',
	AMOUNT_NOT_A_NUMBER: 'Use a decimal amount such as 4250.00 (a point for decimals, no thousands separators).',
	AMOUNT_TOO_PRECISE: 'Round the amount to cents in the payroll export; Visma.net books two decimals.',
	AMOUNT_TOO_LARGE: 'Check the export: amounts above 10,000,000,000,000 are not payroll amounts.',
};

function describeAmount(value: unknown): string {
	if (typeof value === 'string') return value.trim() === '' ? '(empty)' : `"${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;
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
	missing: boolean,
	reference: string | undefined,
	accountOf: (lineIndex: number) => string | undefined,
): Issue {
	const path = zodIssue.path;
	let lineIndex: number | undefined;
	let fieldPath: string[] = path.map(String);
	if (path[0] === 'lines' && typeof path[1] === 'number') {
		lineIndex = path[1];
		fieldPath = path.slice(2).map(String);
	}
	const field = fieldPath.join('.') || undefined;
	const machinePath = path
		.map((segment, position) => (typeof segment === 'number' ? `[${segment}]` : `${position === 0 ? '' : '.'}${segment}`))
		.join('');
	const code: IssueCode =
		path.length === 1 && path[0] === 'lines' && zodIssue.code === 'too_small'
			? 'LINES_EMPTY'
			: missing
				? 'FIELD_REQUIRED'
				: 'FIELD_INVALID';
	const fieldName = field ? (FIELD_NAMES[field] ?? field) : 'the journal';
	const what = missing ? `${fieldName} is missing.` : `${fieldName} ${describeZodProblem(zodIssue)}.`;
	const todo = missing ? `Add ${field ?? 'it'} to the journal (see the journal format in the README).` : undefined;
	return createIssue(code, { reference, lineIndex, account: lineIndex === undefined ? undefined : accountOf(lineIndex), field, path: machinePath }, what, todo);
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
			return zodIssue.message.toLowerCase().startsWith('must') ? zodIssue.message : `is invalid: ${zodIssue.message}`;
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
