/**
 * Check Setup (the read-only Visma.net node): what a month-end run needs from a Visma.net
 * company, judged from what was read, in a bookkeeper's words, every problem at once. Pure: the
 * node reads, this decides. The rules are the ones the posting nodes apply (accounts:
 * `checkAccountUses`; dimensions: `checkDimensionSetup`; periods: `isFinancialPeriodOpen`), so
 * Check Setup can never pass what a month-end run then refuses for the same reason.
 */
import { describeLines, type Issue } from './issues';
import {
	checkDimensionSetup,
	type DimensionMappingOptions,
	type SubaccountSegment,
} from './mapDimensions';
import {
	findVismaFinancialPeriodOfDate,
	formatFinancialPeriod,
	isFinancialPeriodOpen,
	type VismaFinancialPeriod,
} from './period';
import { checkAccountUses, type AccountInfo, type AccountUse } from './validateJournal';
import type { PostedBatch } from './idempotency';

/** What was read, or why it could not be read. */
export type Read<T> =
	| { readonly ok: true; readonly value: T }
	| { readonly ok: false; readonly error: string };

export interface SetupFacts {
	readonly accounts: Read<ReadonlyMap<string, AccountInfo>>;
	/** The accounts a month end uses: the journal's, or those of recent payroll batches. */
	readonly accountUses: readonly AccountUse[];
	readonly accountSource: 'journal' | 'recentBatches' | 'none';
	readonly segments: Read<readonly SubaccountSegment[]>;
	readonly dimensions: DimensionMappingOptions;
	readonly periods: Read<readonly VismaFinancialPeriod[]>;
	/** YYYY-MM-DD */
	readonly today: string;
	readonly ledgers: Read<ReadonlyArray<{ id: string; description?: string }>>;
	readonly branches: Read<ReadonlyArray<{ id: string; description?: string }>>;
	/** Batches of the recent periods; a batch numbered as derived numbers are shows manual numbering works. */
	readonly recentBatchNumbers: Read<readonly string[]>;
	readonly rateLimit?: {
		readonly limit?: number;
		readonly remaining?: number;
		readonly resetSeconds?: number;
	};
}

export type SetupArea =
	| 'accounts'
	| 'dimensions'
	| 'periods'
	| 'ledgers'
	| 'branches'
	| 'batchNumbers'
	| 'rateLimit'
	| 'answers';

export interface SetupFinding {
	readonly area: SetupArea;
	readonly code?: string;
	readonly message: string;
}

export interface SetupReport {
	/** No problem found: a month-end run meets nothing here that stops it. */
	readonly ready: boolean;
	readonly problems: readonly SetupFinding[];
	/** What was found, and what could not be judged. */
	readonly notes: readonly SetupFinding[];
	readonly summary: string;
}

/** A derived batch number (`derivedBatchNumber`): a layout letter and 14 characters of Crockford's base 32 / base 36. */
const DERIVED_NUMBER = /^[PR][0-9A-Z]{14}$/;

function issueFinding(area: SetupArea, issue: Issue): SetupFinding {
	return { area, code: issue.code, message: issue.message };
}

function plusMonths(date: string, months: number): string {
	const [year, month] = date.split('-').map(Number);
	const index = year * 12 + (month - 1) + months;
	return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-15`;
}

export function checkSetup(facts: SetupFacts): SetupReport {
	const problems: SetupFinding[] = [];
	const notes: SetupFinding[] = [];
	const unread = (area: SetupArea, what: string, read: { ok: false; error: string }) =>
		problems.push({ area: 'answers', message: `${what} could not be read: ${read.error}` }) &&
		notes.push({ area, message: `${what}: not checked (see above).` });

	if (facts.accounts.ok) {
		const accounts = facts.accounts.value;
		if (facts.accountUses.length === 0) {
			notes.push({
				area: 'accounts',
				message: `${accounts.size} accounts in Visma.net; no journal given and no recent payroll batch found, so no account was checked for a month end.`,
			});
		} else {
			const found = checkAccountUses(facts.accountUses, accounts);
			for (const issue of found) problems.push(issueFinding('accounts', issue));
			const source = facts.accountSource === 'journal' ? 'the journal' : 'recent payroll batches';
			notes.push({
				area: 'accounts',
				message: `${facts.accountUses.length} accounts used by ${source} checked against Visma.net's ${accounts.size}: ${found.length === 0 ? 'all exist, active, accepting journal entries' : `${found.length} cannot be booked`}.`,
			});
		}
	} else unread('accounts', "Visma.net's accounts (/v1/account)", facts.accounts);

	if (facts.segments.ok) {
		const segments = facts.segments.value;
		for (const issue of checkDimensionSetup(segments, facts.dimensions))
			problems.push(issueFinding('dimensions', issue));
		const listed = [...segments]
			.sort((a, b) => a.segmentId - b.segmentId)
			.map(
				(segment) =>
					`${segment.segmentId} "${segment.description}" (${segment.length} characters, ${segment.values.length} values)`,
			);
		notes.push({
			area: 'dimensions',
			message: `SUBACCOUNT segments: ${listed.length > 0 ? listed.join(', ') : 'none'}.`,
		});
	} else
		unread(
			'dimensions',
			"Visma.net's SUBACCOUNT segments (/v1/dimension/SUBACCOUNT)",
			facts.segments,
		);

	if (facts.periods.ok) {
		const periods = facts.periods.value;
		const around = [-2, -1, 0, 1].map((offset) => {
			const date = offset === 0 ? facts.today : plusMonths(facts.today, offset);
			return { offset, date, period: findVismaFinancialPeriodOfDate(date, periods) };
		});
		const now = around.find((entry) => entry.offset === 0)!;
		if (!now.period) {
			problems.push({
				area: 'periods',
				code: 'PERIOD_NOT_FOUND',
				message: `Visma.net has no financial period for today (${facts.today}): a month end cannot be booked. Create the financial year in Visma.net (Financial periods, GL201000).`,
			});
		} else if (!isFinancialPeriodOpen(now.period)) {
			problems.push({
				area: 'periods',
				code: 'PERIOD_CLOSED',
				message: `Today's financial period ${formatFinancialPeriod(now.period)} is closed in Visma.net: this month's payroll cannot be booked. Open it in Visma.net (Financial periods) or ask whoever closes the books.`,
			});
		}
		const shown = around
			.filter((entry) => entry.period)
			.map(
				(entry) =>
					`${formatFinancialPeriod(entry.period!)} ${isFinancialPeriodOpen(entry.period!) ? 'open' : 'closed'}`,
			);
		notes.push({
			area: 'periods',
			message: `Periods around today: ${shown.join(', ') || 'none found'}. A TWK correction for a closed period is moved by Split TWK by Period's Closed Period policy.`,
		});
	} else unread('periods', "Visma.net's financial periods (/v1/financialperiod)", facts.periods);

	for (const [area, label, read] of [
		['ledgers', 'Ledgers', facts.ledgers],
		['branches', 'Branches', facts.branches],
	] as const) {
		if (!read.ok) {
			unread(area, `Visma.net's ${label.toLowerCase()}`, read);
			continue;
		}
		if (read.value.length === 0)
			problems.push({
				area,
				message: `Visma.net lists no ${label.toLowerCase()}: a journal transaction needs one. Check the company's set-up in Visma.net.`,
			});
		else
			notes.push({
				area,
				message: `${label}: ${read.value.map((entry) => `${entry.id}${entry.description ? ` (${entry.description})` : ''}`).join(', ')}.`,
			});
	}

	if (facts.recentBatchNumbers.ok) {
		const derived = facts.recentBatchNumbers.value.find((number) => DERIVED_NUMBER.test(number));
		notes.push({
			area: 'batchNumbers',
			message: derived
				? `Derived batch numbers work here: batch ${derived} was saved under one.`
				: "Whether derived batch numbers are possible cannot be read through Visma.net's API (the number series setting is not exposed). To use them, tick Allow manual numbering on imports on the GL batch number series (Number series, CS201010); Post says so at once if it is off.",
		});
	} else unread('batchNumbers', 'Recent GL batches', facts.recentBatchNumbers);

	const rate = facts.rateLimit;
	if (rate?.remaining !== undefined) {
		const low = rate.limit !== undefined && rate.remaining < Math.max(20, rate.limit / 10);
		(low ? problems : notes).push({
			area: 'rateLimit',
			message: `Visma.net's hourly limit: ${rate.remaining}${rate.limit === undefined ? '' : ` of ${rate.limit}`} calls left${rate.resetSeconds === undefined ? '' : `, renewed in ${Math.ceil(rate.resetSeconds / 60)} minutes`}.${low ? ' A month end may be stopped by the limit: wait for the window to renew.' : ''}`,
		});
	} else
		notes.push({
			area: 'rateLimit',
			message: "Visma.net's answers carried no rate-limit headers.",
		});

	const ready = problems.length === 0;
	const summary = ready
		? 'Ready for a month end: nothing found that would stop it.'
		: `${problems.length} problem${problems.length === 1 ? '' : 's'} would stop a month end: ${problems.map((problem) => problem.message).join(' ')}`;
	return { ready, problems, notes, summary };
}

/** The accounts of a journal's lines (raw JSON: Check Setup reads the item as it comes), with the lines that use each, as Validate names them. Linear. */
export function accountUsesOfLines(lines: readonly unknown[]): AccountUse[] {
	const byAccount = new Map<string, number[]>();
	lines.forEach((line, index) => {
		const account =
			line && typeof line === 'object' ? (line as { account?: unknown }).account : undefined;
		if (typeof account !== 'string' && typeof account !== 'number') return;
		const key = String(account).trim();
		const indexes = byAccount.get(key);
		if (indexes) indexes.push(index);
		else byAccount.set(key, [index]);
	});
	return [...byAccount].map(([account, indexes]) => ({
		account,
		where: `used on ${describeLines(indexes)} of the journal`,
		lineIndex: indexes[0],
	}));
}

/** The accounts booked by these batches, with (at most five of) the batches that book each. Linear. */
export function accountUsesOfBatches(batches: readonly PostedBatch[]): AccountUse[] {
	const byAccount = new Map<string, Set<string>>();
	for (const batch of batches) {
		for (const entry of batch.entries) {
			const numbers = byAccount.get(entry.account);
			if (numbers) numbers.add(batch.batchNumber);
			else byAccount.set(entry.account, new Set([batch.batchNumber]));
		}
	}
	return [...byAccount].map(([account, numbers]) => ({
		account,
		where: `used by batch ${[...numbers].slice(0, 5).join(', ')}`,
	}));
}
