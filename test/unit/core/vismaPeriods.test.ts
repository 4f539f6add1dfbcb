/**
 * Visma.net's FinancialPeriodDto.period is only described as "the period no and the year"
 * (issue 12): read from year, startDate and endDate, in every plausible spelling, and an answer
 * that contradicts its own dates refused.
 */
import { readVismaFinancialPeriods } from '../../../nodes/core/period';

const march = {
	year: 2026,
	startDate: '2026-03-01T00:00:00',
	endDate: '2026-03-31T00:00:00',
	active: true,
	closedInGeneralLedger: false,
	description: 'March 2026',
};

describe('readVismaFinancialPeriods', () => {
	it.each([
		['YYYYPP text', '202603'],
		['PPYYYY text', '032026'],
		['YYYY-PP', '2026-03'],
		['PP-YYYY', '03-2026'],
		['YYYY/PP', '2026/03'],
		['PP/YYYY', '03/2026'],
		['PP.YYYY', '3.2026'],
		['a bare period number as text', '3'],
		['a bare period number', 3],
		['YYYYPP as a number', 202603],
	])('reads %s', (_name, period) => {
		const { periods, problems } = readVismaFinancialPeriods([{ ...march, period }]);
		expect(problems).toEqual([]);
		expect(periods).toEqual([
			{
				year: 2026,
				period: 3,
				startDate: march.startDate,
				endDate: march.endDate,
				active: true,
				closedInGeneralLedger: false,
				description: 'March 2026',
			},
		]);
	});

	it('tells YYYYPP from PPYYYY by the year, also where both would read as six digits (period 12 of 2012)', () => {
		const december = { year: 2012, startDate: '2012-12-01', endDate: '2012-12-31' };
		expect(readVismaFinancialPeriods([{ ...december, period: '201212' }]).periods[0].period).toBe(
			12,
		);
		expect(readVismaFinancialPeriods([{ ...december, period: '122012' }]).periods[0].period).toBe(
			12,
		);
		const thirteen = { year: 2026, startDate: '2026-12-31', endDate: '2026-12-31' };
		expect(readVismaFinancialPeriods([{ ...thirteen, period: '132026' }]).periods[0].period).toBe(
			13,
		);
	});

	it('works from the dates when the year is not given', () => {
		const { periods, problems } = readVismaFinancialPeriods([
			{ period: '032026', startDate: '2026-03-01', endDate: '2026-03-31' },
		]);
		expect(problems).toEqual([]);
		expect(periods.map((p) => [p.year, p.period])).toEqual([[2026, 3]]);
	});

	it('a fiscal year that does not follow the calendar is read as Visma.net gives it (year 2026 starting July 2025)', () => {
		const { periods, problems } = readVismaFinancialPeriods([
			{ year: 2026, period: '202601', startDate: '2025-07-01', endDate: '2025-07-31' },
			{ year: 2026, period: '202602', startDate: '2025-08-01', endDate: '2025-08-31' },
		]);
		expect(problems).toEqual([]);
		expect(periods.map((p) => [p.year, p.period])).toEqual([
			[2026, 1],
			[2026, 2],
		]);
	});

	it.each([
		[
			'a period text naming another year',
			{ ...march, period: '202503' },
			/period "202503" names the year 2025, but its year is 2026/,
		],
		[
			'dates far from its year',
			{ ...march, period: '202603', startDate: '2019-03-01', endDate: '2019-03-31' },
			/dates 2019-03-01 – 2019-03-31 lie outside its year 2026/,
		],
		[
			'an end before its start',
			{ ...march, period: '202603', startDate: '2026-03-31', endDate: '2026-03-01' },
			/ends \(2026-03-01\) before it starts \(2026-03-31\)/,
		],
		[
			'a period text that is none',
			{ ...march, period: 'March' },
			/period "March" is not a period number/,
		],
		['period 00', { ...march, period: '202600' }, /period "202600" is not a period number/],
	])('refuses %s', (_name, entry, problem) => {
		const { problems } = readVismaFinancialPeriods([entry]);
		expect(problems).toEqual([expect.stringMatching(problem)]);
	});

	it('refuses a list whose periods run against their dates (a misread format), and one period given twice with other dates', () => {
		const swapped = readVismaFinancialPeriods([
			{ year: 2026, period: '202601', startDate: '2026-02-01', endDate: '2026-02-28' },
			{ year: 2026, period: '202602', startDate: '2026-01-01', endDate: '2026-01-31' },
		]);
		expect(swapped.problems).toEqual([
			expect.stringMatching(
				/period 2026-02 starts \(2026-01-01\) before period 2026-01 \(2026-02-01\)/,
			),
		]);
		const twice = readVismaFinancialPeriods([
			{ year: 2026, period: '202601', startDate: '2026-01-01', endDate: '2026-01-31' },
			{ year: 2026, period: '012026', startDate: '2026-02-01', endDate: '2026-02-28' },
		]);
		expect(twice.problems).toEqual([
			expect.stringMatching(/period 2026-01 is given twice with other dates/),
		]);
	});

	it('skips entries without a year and dates, as before (nothing to read them by)', () => {
		expect(readVismaFinancialPeriods([{ period: '202603' }, null, 'x'])).toEqual({
			periods: [],
			problems: [],
		});
	});

	it('keeps an adjustment period 13 (start = end = the last day of the year) after December', () => {
		const { problems } = readVismaFinancialPeriods([
			{ year: 2026, period: '202612', startDate: '2026-12-01', endDate: '2026-12-31' },
			{ year: 2026, period: '202613', startDate: '2026-12-31', endDate: '2026-12-31' },
		]);
		expect(problems).toEqual([]);
	});
});
