/**
 * Validate Journal's rules, all reported at once: the journal's shape and amounts, the company's
 * refusals (test company, blocked debtor), where each line is booked, the balance of every
 * financial period and of the whole run (with the rounding rule), and, with Visma.net's
 * reference data, accounts and periods.
 *
 * The only home of the balance check and the rounding tolerance; Split TWK by Period reuses them.
 */
import {
	resolveBookingPeriods,
	type BookingPeriodOptions,
	type LineBooking,
} from './bookingPeriods';
import {
	appendIssues,
	capIssues,
	createIssue,
	describeLines,
	referenceOf,
	shortText,
	type Issue,
} from './issues';
import { vismaCodeKey } from './buildJournalTransaction';
import { parseJournal, type Journal, type JournalLine } from './journal';
import { formatAmount, parseAmount, type Cents } from './money';
import {
	findVismaFinancialPeriod,
	formatFinancialPeriod,
	isFinancialPeriodOpen,
	toFinancialPeriodText,
	type FinancialPeriod,
} from './period';

/** The rounding tolerance when none is configured: 0.05, a few cents of percentage allocation. */
export const DEFAULT_ROUNDING_TOLERANCE_TEXT = '0.05';

export const DEFAULT_ROUNDING_DESCRIPTION = 'Afrondingsverschil loonjournaal';

/** What the core needs to know of a Visma.net account. */
export interface AccountInfo {
	readonly number: string;
	readonly active: boolean;
	/** False for control accounts (AR, AP...) and accounts closed to manual entries. */
	readonly acceptsManualEntries: boolean;
	readonly description?: string;
}

/** A branch of the Visma.net company, as Validate Journal checks a line's branch. */
export interface BranchInfo {
	readonly number: string;
	readonly name?: string;
	readonly active: boolean;
}

export interface ValidationOptions extends BookingPeriodOptions {
	/** Account that absorbs a rounding residue within the tolerance; none = every residue is an error. */
	readonly roundingAccount?: string;
	readonly roundingToleranceCents?: Cents;
	readonly roundingDescription?: string;
	/** Visma.net's accounts, when checked there. */
	readonly accounts?: ReadonlyMap<string, AccountInfo>;
	/** Visma.net's branches by `vismaCodeKey` of their number, when checked there. */
	readonly branches?: ReadonlyMap<string, BranchInfo>;
	/** With Visma.net's periods known: a closed period is an error unless Split TWK by Period may move it. */
	readonly allowClosedPeriods?: boolean;
}

export interface JournalSummary {
	readonly lineCount: number;
	readonly debitTotal: string;
	readonly creditTotal: string;
	/** Financial periods (YYYYMM) the journal books in, in order. */
	readonly periods: readonly string[];
	/** Those of them that are TWK (not the run's own period). */
	readonly twkPeriods: readonly string[];
	readonly roundingLines: number;
}

export interface ValidationResult {
	/** The journal with any rounding lines added, or null when there are issues. */
	readonly journal: Journal | null;
	readonly bookings: readonly LineBooking[];
	readonly runFinancialPeriod: FinancialPeriod | null;
	readonly summary: JournalSummary | null;
	readonly issues: readonly Issue[];
}

/** Debit and credit totals per financial period (YYYYMM), in period order. */
export interface PeriodBalance {
	readonly period: FinancialPeriod;
	readonly debitCents: Cents;
	readonly creditCents: Cents;
	/** The latest booking date among the period's lines. */
	readonly bookingDate: string;
}

export function balanceByPeriod(bookings: readonly LineBooking[]): PeriodBalance[] {
	const totals = new Map<
		string,
		{ period: FinancialPeriod; debitCents: Cents; creditCents: Cents; bookingDate: string }
	>();
	const keyOf = periodKeys();
	for (const booking of bookings) {
		const key = keyOf(booking.financialPeriod);
		let total = totals.get(key);
		if (!total) {
			total = {
				period: booking.financialPeriod,
				debitCents: 0n,
				creditCents: 0n,
				bookingDate: booking.bookingDate,
			};
			totals.set(key, total);
		}
		total.debitCents += booking.line.debitCents;
		total.creditCents += booking.line.creditCents;
		if (booking.bookingDate > total.bookingDate) total.bookingDate = booking.bookingDate;
	}
	return [...totals.entries()]
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([, total]) => total);
}

/**
 * `toFinancialPeriodText`, remembering the last period asked: lines placed on one date share
 * their period object, so on a long journal this is nearly always a hit.
 */
export function periodKeys(): (period: FinancialPeriod) => string {
	let lastPeriod: FinancialPeriod | undefined;
	let lastKey = '';
	return (period) => {
		if (period !== lastPeriod) {
			lastKey = toFinancialPeriodText(period);
			lastPeriod = period;
		}
		return lastKey;
	};
}

/** The sum of a value of every line, without an array of them. */
function sumOfLines(lines: readonly JournalLine[], valueOf: (line: JournalLine) => Cents): Cents {
	let total = 0n;
	for (const line of lines) total += valueOf(line);
	return total;
}

export interface BalanceCheck {
	readonly issues: Issue[];
	/** Lines to add to absorb residues within the tolerance, one per period that needs one. */
	readonly roundingLines: Array<{
		line: JournalLine;
		period: FinancialPeriod;
		bookingDate: string;
	}>;
}

/**
 * Every financial period must balance on its own. A residue within the tolerance goes to the
 * rounding account as an added line; above it, or without a rounding account, it is an error.
 */
export function checkBalance(
	journal: Journal,
	bookings: readonly LineBooking[],
	options: ValidationOptions = {},
): BalanceCheck {
	const tolerance =
		options.roundingToleranceCents ?? toleranceCents(DEFAULT_ROUNDING_TOLERANCE_TEXT);
	const issues: Issue[] = [];
	const roundingLines: BalanceCheck['roundingLines'] = [];
	let nextIndex = journal.lines.length;
	const balances = balanceByPeriod(bookings);
	for (const balance of balances) {
		const residue = balance.debitCents - balance.creditCents;
		if (residue === 0n) continue;
		const magnitude = residue < 0n ? -residue : residue;
		const periodText = formatFinancialPeriod(balance.period);
		const totals = `debit ${formatAmount(balance.debitCents)}, credit ${formatAmount(balance.creditCents)}, difference ${formatAmount(magnitude)} too much ${residue > 0n ? 'debit' : 'credit'}`;
		if (options.roundingAccount && magnitude <= tolerance) {
			const line: JournalLine = {
				index: nextIndex++,
				account: options.roundingAccount,
				description: options.roundingDescription ?? DEFAULT_ROUNDING_DESCRIPTION,
				debitCents: residue < 0n ? magnitude : 0n,
				creditCents: residue > 0n ? magnitude : 0n,
				bookingDate: balance.bookingDate,
			};
			roundingLines.push({ line, period: balance.period, bookingDate: balance.bookingDate });
			continue;
		}
		const location = {
			reference: journal.reference,
			path: `periods.${toFinancialPeriodText(balance.period)}`,
		};
		if (options.roundingAccount) {
			issues.push(
				createIssue(
					'ROUNDING_ABOVE_TOLERANCE',
					location,
					`period ${periodText} does not balance (${totals}), more than the rounding tolerance of ${formatAmount(tolerance)}.`,
					'This is not a rounding difference: check the journal lines of this period in the payroll export.',
				),
			);
		} else {
			issues.push(
				createIssue(
					'JOURNAL_UNBALANCED',
					location,
					`period ${periodText} does not balance (${totals}). Each period is booked as its own transaction and must balance.`,
					magnitude <= tolerance
						? 'If this is a rounding difference from cost allocation, set a Rounding Account; otherwise correct the payroll export.'
						: 'Check that every correction line (TWK) carries the right period, and correct the payroll export.',
				),
			);
		}
	}
	const runResidue = sumOfLines(journal.lines, (line) => line.debitCents - line.creditCents);
	// With several periods, say whether the run as a whole is off too: that tells a wrong period
	// on a line (run balances) from a line missing in the export (run does not).
	if (issues.length > 0 && balances.length > 1 && runResidue !== 0n) {
		issues.push(
			createIssue(
				'JOURNAL_UNBALANCED',
				{ reference: journal.reference, path: 'lines' },
				`the run as a whole does not balance either: ${formatAmount(abs(runResidue))} too much ${runResidue > 0n ? 'debit' : 'credit'}.`,
				'Ask for a fresh journal export from the payroll system.',
			),
		);
	}
	return { issues, roundingLines };
}

function abs(value: Cents): Cents {
	return value < 0n ? -value : value;
}

/** Reads a tolerance such as "0.05"; a bad tolerance is a configuration error (thrown). */
export function toleranceCents(text: string | number): Cents {
	const result = parseAmount(text);
	if (!result.ok || result.cents < 0n)
		throw new RangeError(`rounding tolerance ${String(text)} is not an amount of zero or more`);
	return result.cents;
}

/** The company's refusals (seed behaviour 4): a test company or a blocked debtor is never sent. */
export function checkCompany(input: unknown, reference?: string): Issue[] {
	if (!input || typeof input !== 'object') return [];
	const company = (input as { company?: unknown }).company;
	if (!company || typeof company !== 'object') return [];
	const { testCompany, debtorBlocked, name, id } = company as Record<string, unknown>;
	const idText = id === undefined || id === null ? '' : shortText(String(id));
	const label =
		typeof name === 'string' && name
			? `${shortText(name)}${idText ? ` (${idText})` : ''}`
			: `company ${idText}`.trim();
	const issues: Issue[] = [];
	if (testCompany === true) {
		issues.push(
			createIssue(
				'COMPANY_TEST',
				{ reference, field: 'company.testCompany', path: 'company.testCompany' },
				`${label} is a test company in the payroll system; its journals are never sent to Visma.net.`,
				'Switch off the test-company flag in Nmbrs for a real company, or leave this journal out.',
			),
		);
	}
	if (debtorBlocked === true) {
		issues.push(
			createIssue(
				'COMPANY_DEBTOR_BLOCKED',
				{ reference, field: 'company.debtorBlocked', path: 'company.debtorBlocked' },
				`the debtor that owns ${label} is blocked in the payroll system; its journals are not sent to Visma.net.`,
				'Unblock the debtor in Nmbrs first.',
			),
		);
	}
	return issues;
}

/** One issue per unknown, inactive or closed account, listing the lines that use it. */
export function checkAccounts(
	journal: Journal,
	accounts: ReadonlyMap<string, AccountInfo>,
): Issue[] {
	const byAccount = new Map<string, number[]>();
	for (const line of journal.lines) {
		const indexes = byAccount.get(line.account);
		if (indexes) indexes.push(line.index);
		else byAccount.set(line.account, [line.index]);
	}
	return checkAccountUses(
		[...byAccount].map(([account, indexes]) => ({
			account,
			where: `used on ${describeLines(indexes)}`,
			lineIndex: indexes[0],
		})),
		accounts,
		journal.reference,
	);
}

/** An account to check, and where it is used ("used on lines 3 and 7", "used by batch 000012"). */
export interface AccountUse {
	readonly account: string;
	readonly where: string;
	readonly lineIndex?: number;
}

/** One issue per unknown, inactive or control account: the one rule for accounts Visma.net must accept. */
export function checkAccountUses(
	uses: readonly AccountUse[],
	accounts: ReadonlyMap<string, AccountInfo>,
	reference?: string,
): Issue[] {
	const issues: Issue[] = [];
	for (const { account, where, lineIndex } of uses) {
		const info = accounts.get(account);
		const location = {
			reference,
			...(lineIndex === undefined ? {} : { lineIndex }),
			account,
			field: 'account',
		};
		if (!info) {
			issues.push(
				createIssue(
					'ACCOUNT_UNKNOWN',
					location,
					`account ${account} does not exist in Visma.net (${where}).`,
					'Create it in Visma.net (General ledger > Accounts) or correct the ledger scheme in the payroll system.',
					account,
				),
			);
		} else if (!info.active) {
			issues.push(
				createIssue(
					'ACCOUNT_INACTIVE',
					location,
					`account ${account}${info.description ? ` (${info.description})` : ''} is inactive in Visma.net (${where}).`,
					'Activate it in Visma.net or book on another account.',
					account,
				),
			);
		} else if (!info.acceptsManualEntries) {
			issues.push(
				createIssue(
					'ACCOUNT_NO_MANUAL_ENTRY',
					location,
					`account ${account}${info.description ? ` (${info.description})` : ''} is a control account in Visma.net that takes no journal entries (${where}).`,
					'Book payroll on a general-ledger account; control accounts are fed by their sub-ledger.',
					account,
				),
			);
		}
	}
	return issues;
}

/** Whether any line of a journal item names a branch: only then are Visma.net's branches read. */
export function namesLineBranch(input: unknown): boolean {
	const lines =
		input && typeof input === 'object' ? (input as { lines?: unknown }).lines : undefined;
	if (!Array.isArray(lines)) return false;
	for (const line of lines) {
		const branch: unknown =
			line && typeof line === 'object' ? (line as { branch?: unknown }).branch : undefined;
		if (typeof branch === 'number' || (typeof branch === 'string' && branch.trim() !== ''))
			return true;
	}
	return false;
}

/** One issue per unknown or inactive branch that lines name, listing the lines (Check in Visma.net). */
export function checkBranches(
	journal: Journal,
	branches: ReadonlyMap<string, BranchInfo>,
): Issue[] {
	const byBranch = new Map<string, { branch: string; indexes: number[] }>();
	for (const line of journal.lines) {
		if (line.branch === undefined) continue;
		const key = vismaCodeKey(line.branch);
		const entry = byBranch.get(key);
		if (entry) entry.indexes.push(line.index);
		else byBranch.set(key, { branch: line.branch, indexes: [line.index] });
	}
	const issues: Issue[] = [];
	for (const [key, { branch, indexes }] of byBranch) {
		const info = branches.get(key);
		const location = {
			reference: journal.reference,
			lineIndex: indexes[0],
			field: 'branch',
		};
		const where = `used on ${describeLines(indexes)}`;
		if (!info) {
			issues.push(
				createIssue(
					'BRANCH_UNKNOWN',
					location,
					`branch ${branch} does not exist in Visma.net (${where}).`,
					'Use the number of a branch of this company in Visma.net (Branches, CS101500), or leave the line’s branch out to book in the batch’s branch.',
					branch,
				),
			);
		} else if (!info.active) {
			issues.push(
				createIssue(
					'BRANCH_INACTIVE',
					location,
					`branch ${branch}${info.name ? ` (${info.name})` : ''} is inactive in Visma.net (${where}).`,
					'Activate it in Visma.net (Branches, CS101500) or book these lines in another branch.',
					branch,
				),
			);
		}
	}
	return issues;
}

function checkPeriodsOpen(
	journal: Journal,
	bookings: readonly LineBooking[],
	options: ValidationOptions,
): Issue[] {
	const periods = options.financialPeriods;
	if (!periods || options.allowClosedPeriods) return [];
	const issues: Issue[] = [];
	// The lines of each period, in one pass (not one pass over all lines per closed period).
	const byPeriod = new Map<string, { period: FinancialPeriod; indexes: number[] }>();
	const keyOf = periodKeys();
	for (const booking of bookings) {
		const key = keyOf(booking.financialPeriod);
		const entry = byPeriod.get(key);
		if (entry) entry.indexes.push(booking.line.index);
		else byPeriod.set(key, { period: booking.financialPeriod, indexes: [booking.line.index] });
	}
	for (const [key, { period, indexes }] of byPeriod) {
		const visma = findVismaFinancialPeriod(period, periods);
		if (visma && !isFinancialPeriodOpen(visma)) {
			issues.push(
				createIssue(
					'FINANCIAL_PERIOD_CLOSED',
					{ reference: journal.reference, path: `periods.${key}` },
					`financial period ${formatFinancialPeriod(period)} is closed in Visma.net (${describeLines(indexes)}).`,
					'Reopen it in Visma.net, or let Split TWK by Period book it elsewhere (Closed Period Policy) and switch on Allow Closed Periods here.',
				),
			);
		}
	}
	return issues;
}

/** Validates one journal item: every problem at once, or the journal ready for the next node. */
export function validateJournal(input: unknown, options: ValidationOptions = {}): ValidationResult {
	const parsed = parseJournal(input);
	const reference = parsed.journal?.reference ?? referenceOf(input);
	const issues: Issue[] = checkCompany(input, reference);
	appendIssues(issues, parsed.issues);
	const journal = parsed.journal;
	if (!journal)
		return {
			journal: null,
			bookings: [],
			runFinancialPeriod: null,
			summary: null,
			issues: capIssues(issues, reference),
		};

	const placed = resolveBookingPeriods(journal, options);
	appendIssues(issues, placed.issues);
	if (options.accounts) appendIssues(issues, checkAccounts(journal, options.accounts));
	if (options.branches) appendIssues(issues, checkBranches(journal, options.branches));
	appendIssues(issues, checkPeriodsOpen(journal, placed.bookings, options));
	const balance =
		placed.issues.length === 0
			? checkBalance(journal, placed.bookings, options)
			: { issues: [], roundingLines: [] };
	appendIssues(issues, balance.issues);
	if (balance.roundingLines.length > 0 && options.accounts && options.roundingAccount) {
		appendIssues(
			issues,
			checkAccounts(
				{ ...journal, lines: balance.roundingLines.map((rounding) => rounding.line) },
				options.accounts,
			),
		);
	}
	if (issues.length > 0) {
		return {
			journal: null,
			bookings: placed.bookings,
			runFinancialPeriod: placed.runFinancialPeriod,
			summary: null,
			issues: capIssues(issues, reference),
		};
	}

	const withRounding: Journal =
		balance.roundingLines.length === 0
			? journal
			: {
					...journal,
					lines: [...journal.lines, ...balance.roundingLines.map((rounding) => rounding.line)],
				};
	const bookings: LineBooking[] = [
		...placed.bookings,
		...balance.roundingLines.map((rounding) => ({
			line: rounding.line,
			bookingDate: rounding.bookingDate,
			financialPeriod: rounding.period,
		})),
	];
	return {
		journal: withRounding,
		bookings,
		runFinancialPeriod: placed.runFinancialPeriod,
		summary: summarize(
			withRounding,
			bookings,
			placed.runFinancialPeriod,
			balance.roundingLines.length,
		),
		issues,
	};
}

function summarize(
	journal: Journal,
	bookings: readonly LineBooking[],
	runPeriod: FinancialPeriod | null,
	roundingLines: number,
): JournalSummary {
	const periods = balanceByPeriod(bookings).map((balance) => toFinancialPeriodText(balance.period));
	const runText = runPeriod ? toFinancialPeriodText(runPeriod) : undefined;
	return {
		lineCount: journal.lines.length,
		debitTotal: formatAmount(sumOfLines(journal.lines, (line) => line.debitCents)),
		creditTotal: formatAmount(sumOfLines(journal.lines, (line) => line.creditCents)),
		periods,
		twkPeriods: runText === undefined ? [] : periods.filter((period) => period !== runText),
		roundingLines,
	};
}
