import { resolveBookingPeriods } from '../../../nodes/core/bookingPeriods';
import { parseJournal, type Journal } from '../../../nodes/core/journal';
import { toFinancialPeriodText, type VismaFinancialPeriod } from '../../../nodes/core/period';
import { marchRunWithTwk, smallJournal, type JsonJournal } from '../../helpers/journals';

function journalOf(input: JsonJournal): Journal {
	const { journal, issues } = parseJournal(input);
	if (!journal) throw new Error(issues.map((issue) => issue.message).join('\n'));
	return journal;
}

function periodsOf(input: JsonJournal, options = {}) {
	const result = resolveBookingPeriods(journalOf(input), options);
	return {
		...result,
		byLine: result.bookings.map(
			(booking) =>
				`${booking.line.index}:${toFinancialPeriodText(booking.financialPeriod)}:${booking.bookingDate}`,
		),
	};
}

describe('resolveBookingPeriods', () => {
	it('places the seed example: a March run with TWK for January and February gives 202601, 202602 and 202603', () => {
		const { byLine, issues, runFinancialPeriod } = periodsOf(marchRunWithTwk());
		expect(issues).toEqual([]);
		expect(runFinancialPeriod).toEqual({ year: 2026, period: 3 });
		expect(byLine).toEqual([
			'0:202603:2026-03-31',
			'1:202603:2026-03-31',
			'2:202603:2026-03-31',
			'3:202603:2026-03-31',
			'4:202603:2026-03-31',
			'5:202603:2026-03-31',
			'6:202603:2026-03-31',
			'7:202601:2026-01-31',
			'8:202601:2026-01-31',
			'9:202601:2026-01-31',
			'10:202602:2026-02-28',
			'11:202602:2026-02-28',
			'12:202602:2026-02-28',
		]);
		const periods = new Set(byLine.map((entry) => entry.split(':')[1]));
		expect([...periods].sort()).toEqual(['202601', '202602', '202603']);
	});

	it('books 4-weekly periods in the month they end, and week 53 of 2026 on 31 December 2026', () => {
		const input = smallJournal({
			run: { year: 2026, period: 14, periodType: '4weeks' },
			lines: [
				{ account: '4000', debit: '10', period: { year: 2026, period: 1 } },
				{ account: '4000', debit: '10', period: { year: 2026, period: 13 } },
				{ account: '2100', credit: '20' },
			],
		});
		const { byLine, runFinancialPeriod } = periodsOf(input);
		expect(byLine).toEqual(['0:202601:2026-01-25', '1:202612:2026-12-27', '2:202612:2026-12-31']);
		expect(runFinancialPeriod).toEqual({ year: 2026, period: 12 });
	});

	it('takes a line’s own bookingDate first', () => {
		const input = smallJournal({
			lines: [
				{
					account: '4000',
					debit: '10',
					bookingDate: '2026-02-15',
					period: { year: 2026, period: 1 },
				},
				{ account: '2100', credit: '10' },
			],
		});
		expect(periodsOf(input).byLine).toEqual(['0:202602:2026-02-15', '1:202604:2026-04-30']);
	});

	it('uses Visma.net’s own periods when they are known, 13-period years included', () => {
		const periods: VismaFinancialPeriod[] = Array.from({ length: 13 }, (_, index) => {
			const start = new Date(Date.UTC(2026, 0, 1 + index * 28));
			const end = new Date(Date.UTC(2026, 0, 28 + index * 28));
			return {
				year: 2026,
				period: index + 1,
				startDate: start.toISOString(),
				endDate: end.toISOString(),
				active: true,
			};
		});
		const { byLine } = periodsOf(marchRunWithTwk(), { financialPeriods: periods });
		// 31 March is day 90 of 2026: period 4 (days 85-112); 31 January (day 31) period 2; 28 February (day 59) period 3.
		expect(byLine[0]).toBe('0:202604:2026-03-31');
		expect(byLine[7]).toBe('7:202602:2026-01-31');
		expect(byLine[10]).toBe('10:202603:2026-02-28');
	});

	it('names every line whose period cannot be found or does not exist', () => {
		const input = marchRunWithTwk();
		input.lines[7].period = { year: 2026, period: 13 };
		const periods: VismaFinancialPeriod[] = [
			{ year: 2026, period: 2, startDate: '2026-02-01', endDate: '2026-02-28', active: true },
			{ year: 2026, period: 3, startDate: '2026-03-01', endDate: '2026-03-31', active: true },
		];
		const { issues } = periodsOf(input, { financialPeriods: periods });
		expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
			['PERIOD_INVALID', 'lines[7].period'],
			['FINANCIAL_PERIOD_MISSING', 'lines[8].period'],
			['FINANCIAL_PERIOD_MISSING', 'lines[9].period'],
		]);
		expect(issues[1].message).toContain(
			'Journal R2026-03, line 9 (account 1700): Visma.net has no financial period that holds the booking date 2026-01-31',
		);
	});

	it('asks for a period when neither the line nor the run says one', () => {
		const input = smallJournal({ run: { periodType: 'month' } });
		const { issues } = periodsOf(input);
		expect(issues.map((issue) => issue.code)).toEqual(['FIELD_REQUIRED', 'FIELD_REQUIRED']);
		expect(issues[0].message).toContain('Give the run its year and period');
	});
});
