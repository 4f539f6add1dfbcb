import { formatAmount } from '../../../nodes/core/money';
import { describeLines } from '../../../nodes/core/issues';
import {
	toleranceCents,
	validateJournal,
	type AccountInfo,
	type BranchInfo,
} from '../../../nodes/core/validateJournal';
import type { VismaFinancialPeriod } from '../../../nodes/core/period';
import { marchRunWithTwk, smallJournal } from '../../helpers/journals';

const accounts = new Map<string, AccountInfo>(
	[
		['1700', true, true],
		['1830', true, true],
		['2100', true, true],
		['4000', true, true],
		['4010', true, true],
		['4050', true, true],
		['8990', true, true],
		['4060', false, true],
		['1300', true, false],
	].map(([number, active, acceptsManualEntries]) => [
		number as string,
		{
			number: number as string,
			active: active as boolean,
			acceptsManualEntries: acceptsManualEntries as boolean,
		},
	]),
);

function monthly(year: number, closedUpTo = 0): VismaFinancialPeriod[] {
	return Array.from({ length: 12 }, (_, index) => {
		const month = index + 1;
		const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
		return {
			year,
			period: month,
			startDate: `${year}-${String(month).padStart(2, '0')}-01T00:00:00`,
			endDate: `${end}T00:00:00`,
			active: true,
			closedInGeneralLedger: month <= closedUpTo,
		};
	});
}

describe('validateJournal', () => {
	it('accepts the seed example and summarises it: 13 lines, three periods, two of them TWK', () => {
		const result = validateJournal(marchRunWithTwk(), {
			accounts,
			financialPeriods: monthly(2026),
		});
		expect(result.issues).toEqual([]);
		expect(result.summary).toEqual({
			lineCount: 13,
			debitTotal: '8238.35',
			creditTotal: '8238.35',
			periods: ['202601', '202602', '202603'],
			twkPeriods: ['202601', '202602'],
			roundingLines: 0,
		});
	});

	it('refuses a test company and a blocked debtor, with every other problem listed too', () => {
		const input = marchRunWithTwk();
		input.company = { ...input.company, testCompany: true, debtorBlocked: true };
		input.lines[0].debit = 'x';
		const { issues, journal } = validateJournal(input);
		expect(journal).toBeNull();
		expect(issues.map((issue) => issue.code)).toEqual([
			'COMPANY_TEST',
			'COMPANY_DEBTOR_BLOCKED',
			'AMOUNT_NOT_A_NUMBER',
		]);
		expect(issues[0].message).toBe(
			'Journal R2026-03: Bakkerij De Vries BV (1234) is a test company in the payroll system; its journals are never sent to Visma.net. Switch off the test-company flag in Nmbrs for a real company, or leave this journal out.',
		);
		expect(issues[1].path).toBe('company.debtorBlocked');
	});

	it('checks the balance of each period, not only of the run', () => {
		const input = marchRunWithTwk();
		// Book the January tax correction in February by mistake: the run still balances, two periods do not.
		input.lines[8].period = { year: 2026, period: 2 };
		const { issues } = validateJournal(input);
		expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
			['JOURNAL_UNBALANCED', 'periods.202601'],
			['JOURNAL_UNBALANCED', 'periods.202602'],
		]);
		expect(issues[0].message).toBe(
			'Journal R2026-03: period 2026-01 does not balance (debit 150.00, credit 94.50, difference 55.50 too much debit). Each period is booked as its own transaction and must balance. Check that every correction line (TWK) carries the right period, and correct the payroll export.',
		);
	});

	it('says when the whole run does not balance either', () => {
		const input = marchRunWithTwk();
		input.lines[9].credit = '94.00';
		const issues = validateJournal(input).issues;
		expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
			['JOURNAL_UNBALANCED', 'periods.202601'],
			['JOURNAL_UNBALANCED', 'lines'],
		]);
		expect(issues[1].message).toBe(
			'Journal R2026-03: the run as a whole does not balance either: 0.50 too much debit. Ask for a fresh journal export from the payroll system.',
		);
		// One period only: one message.
		const single = smallJournal();
		single.lines[1].credit = '990.00';
		expect(validateJournal(single).issues.map((issue) => issue.path)).toEqual(['periods.202604']);
	});

	it('books a residue within the tolerance on the rounding account, in the period that needs it', () => {
		const input = marchRunWithTwk();
		input.lines[0].debit = '4250.03';
		const result = validateJournal(input, { roundingAccount: '8990', accounts });
		expect(result.issues).toEqual([]);
		const added = result.journal!.lines[13];
		expect(added).toMatchObject({
			index: 13,
			account: '8990',
			debitCents: 0n,
			creditCents: 3n,
			bookingDate: '2026-03-31',
		});
		expect(result.summary).toMatchObject({
			lineCount: 14,
			roundingLines: 1,
			debitTotal: '8238.38',
			creditTotal: '8238.38',
		});
		expect(result.bookings.at(-1)!.financialPeriod).toEqual({ year: 2026, period: 3 });
	});

	it('refuses a residue above the tolerance even with a rounding account', () => {
		const input = marchRunWithTwk();
		input.lines[0].debit = '4250.06';
		const { issues } = validateJournal(input, { roundingAccount: '8990' });
		expect(issues.map((issue) => issue.code)).toEqual([
			'ROUNDING_ABOVE_TOLERANCE',
			'JOURNAL_UNBALANCED',
		]);
		expect(issues[0].message).toContain('more than the rounding tolerance of 0.05');
	});

	it('suggests a rounding account for a residue of a few cents without one', () => {
		const input = marchRunWithTwk();
		input.lines[0].debit = '4250.01';
		const { issues } = validateJournal(input);
		expect(issues[0].message).toContain('set a Rounding Account');
	});

	it('lists each unknown, inactive or control account once, with the lines that use it', () => {
		const input = marchRunWithTwk();
		input.lines[2].account = '4999';
		input.lines[11].account = '4999';
		input.lines[3].account = '4060';
		input.lines[4].account = '1300';
		const { issues } = validateJournal(input, { accounts });
		expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
			['ACCOUNT_UNKNOWN', 'lines[2].account'],
			['ACCOUNT_INACTIVE', 'lines[3].account'],
			['ACCOUNT_NO_MANUAL_ENTRY', 'lines[4].account'],
		]);
		expect(issues[0].message).toBe(
			'Journal R2026-03, line 3 (account 4999): account 4999 does not exist in Visma.net (used on lines 3 and 12). Create it in Visma.net (General ledger > Accounts) or correct the ledger scheme in the payroll system.',
		);
	});

	it('refuses closed periods, naming them, unless Split TWK by Period is allowed to move them', () => {
		const periods = monthly(2026, 1);
		const refused = validateJournal(marchRunWithTwk(), { financialPeriods: periods });
		expect(refused.issues.map((issue) => [issue.code, issue.path])).toEqual([
			['FINANCIAL_PERIOD_CLOSED', 'periods.202601'],
		]);
		expect(refused.issues[0].message).toContain(
			'financial period 2026-01 is closed in Visma.net (lines 8, 9 and 10)',
		);
		expect(
			validateJournal(marchRunWithTwk(), { financialPeriods: periods, allowClosedPeriods: true })
				.issues,
		).toEqual([]);
	});

	it('refuses a period that Visma.net does not have', () => {
		const { issues } = validateJournal(marchRunWithTwk(), { financialPeriods: monthly(2027) });
		expect(new Set(issues.map((issue) => issue.code))).toEqual(
			new Set(['FINANCIAL_PERIOD_MISSING']),
		);
		expect(issues).toHaveLength(13);
	});

	it('reports the rounding account itself when Visma.net does not know it', () => {
		const input = marchRunWithTwk();
		input.lines[0].debit = '4250.02';
		const { issues } = validateJournal(input, { roundingAccount: '8999', accounts });
		expect(issues.map((issue) => issue.code)).toEqual(['ACCOUNT_UNKNOWN']);
		expect(issues[0].message).toContain('account 8999 does not exist');
	});

	it('checks the branches lines name against Visma.net’s: unknown and inactive ones, with their lines', () => {
		const branches = new Map<string, BranchInfo>([
			['1', { number: '1', name: 'Bakkerij De Vries BV', active: true }],
			['2', { number: '2', name: 'Filiaal Zwolle', active: true }],
			['3', { number: '3', name: 'Filiaal Kampen', active: false }],
		]);
		const input = smallJournal({
			lines: [
				{ account: '4000', debit: '10.00', branch: '2' },
				{ account: '4000', debit: '10.00', branch: '3' },
				{ account: '4000', debit: '10.00', branch: '9' },
				{ account: '4000', debit: '10.00', branch: '9' },
				{ account: '2100', credit: '40.00' },
			],
		});
		const { issues } = validateJournal(input, { branches });
		expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
			['BRANCH_INACTIVE', 'lines[1].branch'],
			['BRANCH_UNKNOWN', 'lines[2].branch'],
		]);
		expect(issues[0].message).toContain(
			'branch 3 (Filiaal Kampen) is inactive in Visma.net (used on line 2)',
		);
		expect(issues[1].message).toContain(
			'branch 9 does not exist in Visma.net (used on lines 3 and 4)',
		);
		// Without Visma.net's branches nothing is said of them.
		expect(validateJournal(input).issues).toEqual([]);
	});

	it('reads tolerances and line lists for messages', () => {
		expect(formatAmount(toleranceCents('0.05'))).toBe('0.05');
		expect(() => toleranceCents('-1')).toThrow(RangeError);
		expect(describeLines([0])).toBe('line 1');
		expect(describeLines([2, 6, 11])).toBe('lines 3, 7 and 12');
		expect(describeLines(Array.from({ length: 25 }, (_, index) => index))).toBe(
			'lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 15 more',
		);
	});
});
