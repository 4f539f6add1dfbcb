/**
 * Issues: every problem the core finds in input, with a stable code and a message a bookkeeper
 * understands (what is wrong, where, what to do). The core never throws on bad input; it
 * returns `Issue[]`, listing every problem rather than the first.
 *
 * Codes are stable UPPER_SNAKE identifiers: wording may improve, codes never change.
 */

export const ISSUE_CODES = [
	// structure of the canonical JSON journal
	'JOURNAL_NOT_AN_OBJECT',
	'FIELD_REQUIRED',
	'FIELD_INVALID',
	/** A text longer than its field's bound (see FIELD_LIMITS in journal.ts). */
	'FIELD_TOO_LONG',
	'LINES_EMPTY',
	// money
	'AMOUNT_EMPTY',
	'AMOUNT_NOT_A_NUMBER',
	'AMOUNT_TOO_PRECISE',
	'AMOUNT_TOO_LARGE',
	/** "1,000": the separator could be a thousands separator, so the amount could be 1000 or 1. */
	'AMOUNT_AMBIGUOUS',
	'LINE_BOTH_SIDES',
	// Nmbrs journal XML
	'XML_MISSING',
	'XML_MALFORMED',
	'XML_NO_TRANSACTIONS',
	'XML_ELEMENT_MISSING',
	'XML_DATE_INVALID',
	'XML_SIDE_INVALID',
	'XML_LIMIT_EXCEEDED',
	'XML_UNEXPECTED_ELEMENT',
	'XML_ENCODING_INVALID',
	// periods
	'PERIOD_INVALID',
	'DATE_INVALID',
	'FINANCIAL_PERIOD_MISSING',
	'FINANCIAL_PERIOD_CLOSED',
	// balance and rounding
	'JOURNAL_UNBALANCED',
	'ROUNDING_ABOVE_TOLERANCE',
	// refusals of the company
	'COMPANY_TEST',
	'COMPANY_DEBTOR_BLOCKED',
	// checks against Visma.net
	'ACCOUNT_UNKNOWN',
	'ACCOUNT_INACTIVE',
	'ACCOUNT_NO_MANUAL_ENTRY',
	'SEGMENT_NOT_FOUND',
	'UNMAPPED_COST_CENTER',
	'UNMAPPED_COST_UNIT',
	// posting
	'JOURNAL_CHANGED',
	'JOURNAL_DUPLICATED',
	'POST_OUTCOME_UNKNOWN',
	'BATCH_NUMBER_TAKEN',
	'POSTING_RACE',
	'HOLD_NOT_CLEARED',
	'TAG_NOT_KEPT',
	'RELEASE_FAILED',
	'ADMINISTRATION_MISMATCH',
	'ADMINISTRATION_UNKNOWN',
	'ITEM_HAS_ERRORS',
	'JOURNAL_NOT_SPLIT',
	'SUBACCOUNT_INVALID',
	/** A line names a project task but no project: a task only exists within a project. */
	'PROJECT_TASK_WITHOUT_PROJECT',
	/** A line's branch is not a branch of the Visma.net company, or is inactive (Check in Visma.net). */
	'BRANCH_UNKNOWN',
	'BRANCH_INACTIVE',
	/**
	 * A batch of the part read back from Visma.net has an amount that is no whole number of cents
	 * (null, text, NaN, 12.345): what is booked is not known, so nothing is posted or judged.
	 */
	'BATCH_AMOUNT_UNREADABLE',
	/**
	 * A batch of the part read back from Visma.net has a line that cannot be read (no journal line,
	 * no account number, unreadable subaccount segments): never left out, so nothing is posted or judged.
	 */
	'BATCH_LINE_UNREADABLE',
	/**
	 * A batch of the part read back from Visma.net has no batch number, or one that is not text:
	 * never left out (the part would look unposted), so nothing is posted or judged.
	 */
	'BATCH_NUMBER_UNREADABLE',
	/**
	 * The part's latest posting meant exactly this journal, yet Visma.net reads its lines back with
	 * other projects or branches (another non-project code, a hand edit): nothing is posted.
	 */
	'READ_BACK_DIMENSIONS_DIFFER',
	// more problems than one item reports (see capIssues)
	'TOO_MANY_PROBLEMS',
] as const;

export type IssueCode = (typeof ISSUE_CODES)[number];

/** One problem in one journal. `path` is the 0-based machine form (`lines[16].debit`). */
export interface Issue {
	readonly code: IssueCode;
	readonly message: string;
	readonly path: string;
	/** 1-based line number as people count it, when the issue is about one line. */
	readonly line?: number;
	readonly field?: string;
	readonly value?: string;
}

/**
 * The run reference of a journal item as the journal schema reads it (text or a whole number,
 * trimmed), to name the journal in issues and messages even when the item is refused; undefined
 * when it has none. The one rule: Validate Journal's input, the validation, Post's reading of a
 * part and the parsed `journal.reference` (what Split and Post key on) name a journal alike.
 */
export function referenceOf(item: unknown): string | undefined {
	if (!item || typeof item !== 'object') return undefined;
	const value = (item as { reference?: unknown }).reference;
	if (typeof value === 'string') return value.trim() || undefined;
	return Number.isSafeInteger(value) && (value as number) >= 0 ? String(value) : undefined;
}

/** Where an issue sits, as far as it is known. */
export interface IssueLocation {
	/** The run's reference, to name the journal. */
	reference?: string;
	/** 0-based line index. */
	lineIndex?: number;
	/** The line's account, to help find the line. */
	account?: string;
	field?: string;
	/** A machine path; built from lineIndex and field when absent. */
	path?: string;
}

/** "Journal R2026-03, line 17 (account 4000)": the human form of a location. */
export function describeLocation(location: IssueLocation): string {
	const parts: string[] = [];
	parts.push(location.reference ? `Journal ${shortText(location.reference)}` : 'Journal');
	if (location.lineIndex !== undefined) {
		const account = location.account ? ` (account ${shortText(location.account)})` : '';
		parts.push(`line ${location.lineIndex + 1}${account}`);
	}
	return parts.join(', ');
}

export function toPath(location: IssueLocation): string {
	if (location.path !== undefined) return location.path;
	const segments: string[] = [];
	if (location.lineIndex !== undefined) segments.push(`lines[${location.lineIndex}]`);
	if (location.field) segments.push(location.field);
	return segments.join('.');
}

/**
 * Builds an issue. `what` says what is wrong and `todo` what to do; the location is prefixed
 * in the human form, so every message names where.
 */
export function createIssue(
	code: IssueCode,
	location: IssueLocation,
	what: string,
	todo?: string,
	value?: unknown,
): Issue {
	const where = describeLocation(location);
	const message = `${where}: ${what}${todo ? ` ${todo}` : ''}`;
	const issue: {
		code: IssueCode;
		message: string;
		path: string;
		line?: number;
		field?: string;
		value?: string;
	} = { code, message, path: toPath(location) };
	if (location.lineIndex !== undefined) issue.line = location.lineIndex + 1;
	if (location.field !== undefined) issue.field = location.field;
	if (value !== undefined) issue.value = displayValue(value);
	return issue;
}

/** "line 3", "lines 3, 7 and 12", "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 190 more": 0-based `indexes`, the first `shown` named. */
export function describeLines(indexes: readonly number[], shown = 10): string {
	return describeLineNumbers(
		indexes.slice(0, shown).map((index) => index + 1),
		indexes.length,
	);
}

/**
 * Which lines, for messages (the one wording): `numbers` are the 1-based numbers named (the first
 * few), `count` how many lines in all: "line 3", "lines 3, 7 and 12", "lines 1, 2, 3 and 190
 * more". With `totalLines`, "all 13 lines" when they are all; with `groupDigits`, counts are
 * written 199,990.
 */
export function describeLineNumbers(
	numbers: readonly number[],
	count: number,
	options: { readonly totalLines?: number; readonly groupDigits?: boolean } = {},
): string {
	const format = (value: number): string =>
		options.groupDigits ? value.toLocaleString('en-US') : String(value);
	if (count === 1) return `line ${numbers[0]}`;
	if (count === options.totalLines) return `all ${format(count)} lines`;
	const rest = count - numbers.length;
	if (rest > 0) return `lines ${numbers.join(', ')} and ${format(rest)} more`;
	return `lines ${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}

/** A text as it goes into a message: at most 60 characters, the rest cut off with "...". */
export function shortText(text: string): string {
	return clip(text, 60, '...');
}

/**
 * `text` within `max` UTF-16 units, cut with `marker` ("…" by default), never through a character
 * (a surrogate pair): the one rule for shortening text, in messages and in what is sent.
 */
export function clip(text: string, max: number, marker = '…'): string {
	if (text.length <= max) return text;
	let end = max - marker.length;
	const last = text.charCodeAt(end - 1);
	if (last >= 0xd800 && last <= 0xdbff) end--;
	return `${text.slice(0, end)}${marker}`;
}

/** A short, safe rendering of an input value for messages (never more than 60 characters). */
export function displayValue(value: unknown): string {
	let text: string;
	// Cut before quoting: JSON.stringify of a long text would copy all of it.
	if (typeof value === 'string')
		text = JSON.stringify(value.length > 60 ? value.slice(0, 60) : value);
	else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		text = String(value);
	else if (value === null) text = 'null';
	else if (value === undefined) text = 'nothing';
	else if (Array.isArray(value)) text = 'a list';
	else text = 'an object';
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One message for a list of issues: the first as title, the rest counted. */
export function summarizeIssues(issues: readonly Issue[]): {
	message: string;
	description: string;
} {
	if (issues.length === 0) return { message: 'No problems found', description: '' };
	const [first, ...rest] = issues;
	const message =
		rest.length === 0
			? first.message
			: `${first.message} (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})`;
	// The headline is the first problem: the description gives its code and lists only the others,
	// so that n8n's error view does not show the first message twice.
	const description = [
		`Code: ${first.code}`,
		...(rest.length > 0
			? ['Also:', ...rest.map((issue) => `• [${issue.code}] ${issue.message}`)]
			: []),
	].join('\n');
	return { message, description };
}

// ---------------------------------------------------------------------------------------------
// The cap on issues per item: the one place that decides how many problems an item reports.

/** At most this many issues are reported per item; the rest are counted in one summary issue. */
export const MAX_ISSUES_PER_ITEM = 1000;

/** The problems a TOO_MANY_PROBLEMS issue stands for, by code, so that capping twice counts right. */
const HIDDEN_BY_SUMMARY = new WeakMap<Issue, ReadonlyMap<IssueCode, number>>();

/**
 * Collects the issues of one item under the cap as they are found: the first MAX_ISSUES_PER_ITEM
 * are kept, the rest only counted by code, so that the work and the memory of a journal with a
 * million problems are those of a thousand. `report` builds an issue only when it will be listed.
 * A TOO_MANY_PROBLEMS summary added to it adds what it stands for, as in `capIssues`.
 */
export class IssueCollector {
	private readonly kept: Issue[] = [];
	private readonly hidden = new Map<IssueCode, number>();
	private hiddenCount = 0;

	/** True when every further issue is only counted. */
	get full(): boolean {
		return this.kept.length >= MAX_ISSUES_PER_ITEM;
	}

	/** How many problems were found, listed or counted. */
	get size(): number {
		return this.kept.length + this.hiddenCount;
	}

	add(issue: Issue): void {
		const standsFor = HIDDEN_BY_SUMMARY.get(issue);
		if (standsFor) for (const [code, count] of standsFor) this.count(code, count);
		else if (this.kept.length < MAX_ISSUES_PER_ITEM) this.kept.push(issue);
		else this.count(issue.code, 1);
	}

	/** Adds `issues` one by one (never spread: a long list would overflow the stack). */
	addAll(issues: Iterable<Issue>): void {
		for (const issue of issues) this.add(issue);
	}

	/** A problem of kind `code`: `build` makes its issue when it is listed; beyond the cap it is counted. */
	report(code: IssueCode, build: () => Issue): void {
		if (this.kept.length < MAX_ISSUES_PER_ITEM) this.add(build());
		else this.count(code, 1);
	}

	/**
	 * Puts `issue` where the `position`-th problem found so far stands (0 = first), as if it had been
	 * found there: a listed issue it pushes beyond the cap is counted instead.
	 */
	insert(position: number, issue: Issue): void {
		if (position >= this.kept.length || HIDDEN_BY_SUMMARY.has(issue)) {
			this.add(issue);
			return;
		}
		this.kept.splice(position, 0, issue);
		if (this.kept.length > MAX_ISSUES_PER_ITEM) this.count((this.kept.pop() as Issue).code, 1);
	}

	/** Counts `count` problems of kind `code` beyond the cap, without building them. */
	private count(code: IssueCode, count: number): void {
		this.hidden.set(code, (this.hidden.get(code) ?? 0) + count);
		this.hiddenCount += count;
	}

	/** The listed issues and, when problems were counted beyond them, one TOO_MANY_PROBLEMS summary. */
	result(reference?: string): Issue[] {
		const kept = [...this.kept];
		if (this.hiddenCount === 0) return kept;
		const hidden = new Map(this.hidden);
		const kinds = [...hidden.entries()]
			.sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1))
			.map(([code, count]) => `${code} ${count.toLocaleString('en-US')}×`)
			.join(', ');
		const summary = createIssue(
			'TOO_MANY_PROBLEMS',
			{ reference, path: '' },
			`…and ${this.hiddenCount.toLocaleString('en-US')} more problem${this.hiddenCount === 1 ? '' : 's'} (of these kinds: ${kinds}) beyond the first ${MAX_ISSUES_PER_ITEM.toLocaleString('en-US')} listed;`,
			'fix the first ones and run again.',
		);
		HIDDEN_BY_SUMMARY.set(summary, hidden);
		kept.push(summary);
		return kept;
	}
}

/**
 * The first MAX_ISSUES_PER_ITEM issues and, when there are more, one TOO_MANY_PROBLEMS issue that
 * counts the rest by kind. Capping a capped list (or a list holding a capped one) counts the same
 * problems: a summary in `issues` adds what it stands for. Linear; never spreads `issues`.
 */
export function capIssues(issues: readonly Issue[], reference?: string): Issue[] {
	const collector = new IssueCollector();
	collector.addAll(issues);
	return collector.result(reference);
}

/** Appends `source` to `target` one by one: `target.push(...source)` overflows the stack on long lists. */
export function appendIssues(target: Issue[], source: Iterable<Issue>): void {
	for (const issue of source) target.push(issue);
}
