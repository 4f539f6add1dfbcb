import { formatAmount, sumCents } from '../../../nodes/core/money';
import { toFinancialPeriodText, type VismaFinancialPeriod } from '../../../nodes/core/period';
import { splitJournal, type JournalPart } from '../../../nodes/core/splitTwk';
import { marchRunWithTwk, smallJournal } from '../../helpers/journals';

function monthly(year: number, closed: number[] = []): VismaFinancialPeriod[] {
	return Array.from({ length: 12 }, (_, index) => {
		const month = index + 1;
		const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
		return {
			year,
			period: month,
			startDate: `${year}-${String(month).padStart(2, '0')}-01`,
			endDate: end,
			active: true,
			closedInGeneralLedger: closed.includes(month),
		};
	});
}

function overview(parts: readonly JournalPart[]) {
	return parts.map((part) => ({
		period: toFinancialPeriodText(part.financialPeriod),
		date: part.transactionDate,
		twk: part.isTwk,
		reference: part.journal.reference,
		lines: part.journal.lines.length,
		debit: formatAmount(sumCents(part.journal.lines.map((line) => line.debitCents))),
		credit: formatAmount(sumCents(part.journal.lines.map((line) => line.creditCents))),
		description: part.description,
	}));
}

describe('splitJournal', () => {
	it('splits the seed example into three balanced parts, 202601, 202602 and 202603, all under the run reference', () => {
		const { parts, issues } = splitJournal(marchRunWithTwk());
		expect(issues).toEqual([]);
		expect(overview(parts)).toEqual([
			{
				period: '202601',
				date: '2026-01-31',
				twk: true,
				reference: 'R2026-03',
				lines: 3,
				debit: '150.00',
				credit: '150.00',
				description: 'Loonjournaal R2026-03 TWK 2026-01',
			},
			{
				period: '202602',
				date: '2026-02-28',
				twk: true,
				reference: 'R2026-03',
				lines: 3,
				debit: '40.00',
				credit: '40.00',
				description: 'Loonjournaal R2026-03 TWK 2026-02',
			},
			{
				period: '202603',
				date: '2026-03-31',
				twk: false,
				reference: 'R2026-03',
				lines: 7,
				debit: '8048.35',
				credit: '8048.35',
				description: 'Loonjournaal R2026-03 2026-03',
			},
		]);
		// Only that period's lines, with their original positions so messages still name them.
		expect(parts[0].journal.lines.map((line) => line.index)).toEqual([7, 8, 9]);
	});

	it('gives one part for a journal without TWK', () => {
		const { parts } = splitJournal(smallJournal());
		expect(overview(parts)).toHaveLength(1);
		expect(parts[0].isTwk).toBe(false);
	});

	it('leaves out zero lines (empty correction lines) and parts that hold nothing', () => {
		const input = marchRunWithTwk();
		input.lines.push({
			account: '4000',
			description: 'Lege correctie',
			debit: '0.00',
			period: { year: 2025, period: 12 },
		});
		input.lines.push({ account: '4010', description: 'Lege regel', credit: '0' });
		const { parts, issues } = splitJournal(input);
		expect(issues).toEqual([]);
		expect(overview(parts).map((part) => [part.period, part.lines])).toEqual([
			['202601', 3],
			['202602', 3],
			['202603', 7],
		]);
	});

	it('refuses a closed period by default, naming it and the lines', () => {
		const { parts, issues } = splitJournal(marchRunWithTwk(), {
			financialPeriods: monthly(2026, [1]),
		});
		expect(parts).toEqual([]);
		expect(issues.map((issue) => issue.code)).toEqual(['FINANCIAL_PERIOD_CLOSED']);
		expect(issues[0].message).toBe(
			"Journal R2026-03: financial period 2026-01 is closed in Visma.net (lines 8, 9 and 10). Reopen it in Visma.net, or set Closed Period Policy to book such a part in the first open period or in the run's own period.",
		);
	});

	it('moves a part out of a closed period into the first open one, and says so', () => {
		const { parts, issues } = splitJournal(marchRunWithTwk(), {
			financialPeriods: monthly(2026, [1]),
			closedPeriodPolicy: 'firstOpenPeriod',
		});
		expect(issues).toEqual([]);
		const moved = parts.find((part) => part.movedFrom);
		expect(moved).toMatchObject({
			financialPeriod: { year: 2026, period: 2 },
			movedFrom: { year: 2026, period: 1 },
			transactionDate: '2026-02-28',
			isTwk: true,
			description: 'Loonjournaal R2026-03 TWK 2026-01 (periode gesloten, geboekt in 2026-02)',
		});
		expect(moved!.journal.lines[0].description).toBe('Bruto lonen TWK januari (TWK 2026-01)');
		// The February correction stays its own part: two parts land in 2026-02.
		expect(overview(parts).map((part) => part.period)).toEqual(['202602', '202602', '202603']);
	});

	it("moves a part into the run's own period with the runPeriod policy", () => {
		const { parts } = splitJournal(marchRunWithTwk(), {
			financialPeriods: monthly(2026, [1, 2]),
			closedPeriodPolicy: 'runPeriod',
		});
		expect(
			parts.map((part) => [
				toFinancialPeriodText(part.financialPeriod),
				part.movedFrom && toFinancialPeriodText(part.movedFrom),
				part.transactionDate,
			]),
		).toEqual([
			['202603', '202601', '2026-03-31'],
			['202603', '202602', '2026-03-31'],
			['202603', undefined, '2026-03-31'],
		]);
	});

	it("refuses when the run's own period is closed too", () => {
		const { issues } = splitJournal(marchRunWithTwk(), {
			financialPeriods: monthly(2026, [1, 3]),
			closedPeriodPolicy: 'runPeriod',
		});
		expect(issues.map((issue) => issue.code)).toEqual([
			'FINANCIAL_PERIOD_CLOSED',
			'FINANCIAL_PERIOD_CLOSED',
		]);
		expect(issues[0].message).toContain("the run's own period 2026-03 is closed too");
	});

	it('refuses what Validate Journal refuses: a part that does not balance, a test company', () => {
		const input = marchRunWithTwk();
		input.lines[8].period = { year: 2026, period: 2 };
		expect(splitJournal(input).issues.map((issue) => issue.code)).toEqual([
			'JOURNAL_UNBALANCED',
			'JOURNAL_UNBALANCED',
		]);
		const test = marchRunWithTwk();
		test.company.testCompany = true;
		expect(splitJournal(test).issues.map((issue) => issue.code)).toEqual(['COMPANY_TEST']);
	});

	it('books weekly TWK in the month each week ends, one part per month', () => {
		const input = smallJournal({
			reference: 'W2026-10',
			run: { year: 2026, period: 10, periodType: 'week' },
			lines: [
				{ account: '4000', debit: '100', period: { year: 2026, period: 5 } },
				{ account: '2100', credit: '100', period: { year: 2026, period: 5 } },
				{ account: '4000', debit: '50', period: { year: 2026, period: 9 } },
				{ account: '2100', credit: '50', period: { year: 2026, period: 9 } },
				{ account: '4000', debit: '700' },
				{ account: '2100', credit: '700' },
			],
		});
		const { parts } = splitJournal(input);
		// Week 5 of 2026 ends Sunday 1 February; week 9 ends 1 March; week 10 ends 8 March.
		expect(overview(parts).map((part) => [part.period, part.date, part.twk, part.debit])).toEqual([
			['202602', '2026-02-01', true, '100.00'],
			['202603', '2026-03-08', false, '750.00'],
		]);
	});
});

describe('splitJournal: the period’s dates for Post', () => {
	it('gives each part its financial period’s dates when Visma.net’s periods were read, and none otherwise', () => {
		// Periods that are not calendar months: period 3 runs 23 February – 31 March (Visma.net writes date-times).
		const periods: VismaFinancialPeriod[] = monthly(2026).map((period) =>
			period.period === 2
				? { ...period, endDate: '2026-02-22' }
				: period.period === 3
					? { ...period, startDate: '2026-02-23T00:00:00', endDate: '2026-03-31T00:00:00' }
					: period,
		);
		const journal = smallJournal({
			run: { id: '1', number: 3, year: 2026, periodType: 'month', period: 3, date: '2026-03-20' },
		});
		const read = splitJournal(journal, { financialPeriods: periods });
		expect(read.issues).toEqual([]);
		expect(
			read.parts.map((part) => [
				toFinancialPeriodText(part.financialPeriod),
				part.transactionDate,
				part.periodDates,
			]),
		).toEqual([['202603', '2026-03-31', { startDate: '2026-02-23', endDate: '2026-03-31' }]]);
		expect(splitJournal(journal).parts.map((part) => part.periodDates)).toEqual([undefined]);
	});
});
