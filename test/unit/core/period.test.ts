import { Settings } from 'luxon';

import {
	compareFinancialPeriods,
	financialPeriodEndDate,
	financialPeriodOfDate,
	findVismaFinancialPeriod,
	findVismaFinancialPeriodOfDate,
	firstOpenFinancialPeriodAfter,
	formatFinancialPeriod,
	formatPayrollPeriod,
	isFinancialPeriodOpen,
	isIsoDate,
	isoWeeksInYear,
	isValidPayrollPeriod,
	parseFinancialPeriodText,
	parseIsoDate,
	payrollPeriodBookingDate,
	payrollPeriodRange,
	periodsInYear,
	toFinancialPeriodText,
	toPeriodIdText,
	toPostPeriodText,
	validateIsoDate,
	validatePayrollPeriod,
	type PayrollCalendarOptions,
	type PayrollPeriod,
	type PayrollPeriodType,
	type VismaFinancialPeriod,
} from '../../../nodes/core/period';

const partOf13: PayrollCalendarOptions = { week53: 'partOfPeriod13' };

function period(year: number, number: number, type: PayrollPeriodType): PayrollPeriod {
	return { year, period: number, type };
}

/** The dates of a 4-weekly period, under the given calendar options. */
function fourWeeklyRange(year: number, number: number, options?: PayrollCalendarOptions) {
	return payrollPeriodRange(period(year, number, '4weeks'), options);
}

function range(startDate: string, endDate: string): { startDate: string; endDate: string } {
	return { startDate, endDate };
}

describe('ISO weeks and period counts', () => {
	it.each([
		[2020, 53],
		[2021, 52],
		[2025, 52],
		[2026, 53],
		[2027, 52],
		[2032, 53],
	])('%i has %i ISO weeks', (year, weeks) => {
		expect(isoWeeksInYear(year)).toBe(weeks);
	});

	it('counts periods per type and week-53 setting', () => {
		expect(periodsInYear(2026, 'month')).toBe(12);
		expect(periodsInYear(2026, 'week')).toBe(53);
		expect(periodsInYear(2027, 'week')).toBe(52);
		expect(periodsInYear(2026, '4weeks')).toBe(14);
		expect(periodsInYear(2026, '4weeks', partOf13)).toBe(13);
		expect(periodsInYear(2027, '4weeks')).toBe(13);
		expect(periodsInYear(2027, '4weeks', partOf13)).toBe(13);
	});
});

describe('4-weekly periods', () => {
	it.each([
		[1, '2025-12-29', '2026-01-25', '2026-01-25'],
		[2, '2026-01-26', '2026-02-22', '2026-02-22'],
		[12, '2026-11-02', '2026-11-29', '2026-11-29'],
		[13, '2026-11-30', '2026-12-27', '2026-12-27'],
		[14, '2026-12-28', '2027-01-03', '2026-12-31'],
	])(
		'2026 period %i runs %s – %s and is booked %s (week 53 its own period)',
		(number, start, end, booking) => {
			const p = period(2026, number, '4weeks');
			expect(payrollPeriodRange(p)).toEqual(range(start, end));
			expect(payrollPeriodBookingDate(p)).toBe(booking);
		},
	);

	it('with partOfPeriod13, 2026 period 13 takes week 53 and period 14 does not exist', () => {
		const p13 = period(2026, 13, '4weeks');
		expect(payrollPeriodRange(p13, partOf13)).toEqual(range('2026-11-30', '2027-01-03'));
		expect(payrollPeriodBookingDate(p13, partOf13)).toBe('2026-12-31');
		expect(validatePayrollPeriod(period(2026, 14, '4weeks'), partOf13)?.message).toContain(
			'4-weekly period 14 does not exist in 2026: 2026 has 53 ISO weeks and week 53 is part of period 13 (setting partOfPeriod13), so 13 periods.',
		);
		expect(() => fourWeeklyRange(2026, 14, partOf13)).toThrow(RangeError);
	});

	it('2027 (starts on a Friday) has 13 periods from 4 January 2027', () => {
		expect(fourWeeklyRange(2027, 1)).toEqual(range('2027-01-04', '2027-01-31'));
		expect(fourWeeklyRange(2027, 13)).toEqual(range('2027-12-06', '2028-01-02'));
		expect(payrollPeriodBookingDate(period(2027, 13, '4weeks'))).toBe('2027-12-31');
		expect(fourWeeklyRange(2027, 13, partOf13)).toEqual(range('2027-12-06', '2028-01-02'));
		expect(isValidPayrollPeriod(period(2027, 14, '4weeks'))).toBe(false);
	});

	it('2020 had a week 53 too: period 14 is 28 Dec 2020 – 3 Jan 2021', () => {
		expect(fourWeeklyRange(2020, 1)).toEqual(range('2019-12-30', '2020-01-26'));
		expect(fourWeeklyRange(2020, 14)).toEqual(range('2020-12-28', '2021-01-03'));
		expect(payrollPeriodBookingDate(period(2020, 14, '4weeks'))).toBe('2020-12-31');
	});
});

describe('weekly periods', () => {
	it.each([
		[2026, 1, '2025-12-29', '2026-01-04', '2026-01-04'],
		[2026, 52, '2026-12-21', '2026-12-27', '2026-12-27'],
		[2026, 53, '2026-12-28', '2027-01-03', '2026-12-31'],
		[2027, 1, '2027-01-04', '2027-01-10', '2027-01-10'],
		[2027, 52, '2027-12-27', '2028-01-02', '2027-12-31'],
	])('%i week %i runs %s – %s and is booked %s', (year, number, start, end, booking) => {
		const p = period(year, number, 'week');
		expect(payrollPeriodRange(p)).toEqual(range(start, end));
		expect(payrollPeriodBookingDate(p)).toBe(booking);
	});

	it('1–3 January 2027 belong to week 53 of 2026, and 2027 has no week 53', () => {
		expect(payrollPeriodRange(period(2026, 53, 'week')).endDate).toBe('2027-01-03');
		expect(validatePayrollPeriod(period(2027, 53, 'week'))?.message).toContain(
			'week 53 does not exist in 2027: 2027 has 52 ISO weeks.',
		);
	});
});

describe('monthly periods', () => {
	it.each([
		[2026, 2, '2026-02-01', '2026-02-28'],
		[2028, 2, '2028-02-01', '2028-02-29'],
		[2100, 2, '2100-02-01', '2100-02-28'],
		[2000, 2, '2000-02-01', '2000-02-29'],
		[2026, 12, '2026-12-01', '2026-12-31'],
	])('%i month %i runs %s – %s and is booked on its end', (year, number, start, end) => {
		const p = period(year, number, 'month');
		expect(payrollPeriodRange(p)).toEqual(range(start, end));
		expect(payrollPeriodBookingDate(p)).toBe(end);
	});
});

describe('time zones never move a date', () => {
	const savedZone = Settings.defaultZone;
	const savedTz = process.env.TZ;

	afterEach(() => {
		Settings.defaultZone = savedZone;
		if (savedTz === undefined) delete process.env.TZ;
		else process.env.TZ = savedTz;
	});

	it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'Europe/Amsterdam'])('in %s', (zone) => {
		process.env.TZ = zone;
		Settings.defaultZone = zone;
		expect(fourWeeklyRange(2026, 14)).toEqual(range('2026-12-28', '2027-01-03'));
		expect(payrollPeriodRange(period(2026, 3, 'month'))).toEqual(range('2026-03-01', '2026-03-31'));
		expect(financialPeriodOfDate('2026-03-31')).toEqual({ year: 2026, period: 3 });
	});
});

describe('validatePayrollPeriod', () => {
	it('accepts existing periods', () => {
		expect(validatePayrollPeriod(period(2026, 14, '4weeks'))).toBeNull();
		expect(validatePayrollPeriod(period(2026, 53, 'week'))).toBeNull();
		expect(validatePayrollPeriod(period(2026, 12, 'month'))).toBeNull();
	});

	it('explains a 4-weekly period 14 in a 52-week year, where it sits and what to do', () => {
		const issue = validatePayrollPeriod(
			period(2027, 14, '4weeks'),
			{},
			{
				reference: 'R2027-02',
				lineIndex: 16,
				account: '4000',
				field: 'period',
			},
		);
		expect(issue).toEqual({
			code: 'PERIOD_INVALID',
			message:
				'Journal R2027-02, line 17 (account 4000): 4-weekly period 14 does not exist in 2027: 2027 has 52 ISO weeks, so 13 periods. Use a period from 1 to 13.',
			path: 'lines[16].period',
			line: 17,
			field: 'period',
			value: '14',
		});
	});

	it.each<[unknown, unknown, unknown, string]>([
		[
			2026,
			13,
			'month',
			'monthly period 13 does not exist in 2026: a year has 12 months. Use a period from 1 to 12.',
		],
		[
			2026,
			0,
			'week',
			'week 0 does not exist in 2026: 2026 has 53 ISO weeks. Use a period from 1 to 53.',
		],
		[
			2026,
			15,
			'4weeks',
			'4-weekly period 15 does not exist in 2026: 2026 has 53 ISO weeks and week 53 is paid as a period of its own, so 14 periods.',
		],
		[2026, 1.5, 'month', 'the monthly period 1.5 is not a whole number.'],
		[2026, '3', 'month', 'the monthly period "3" is not a whole number.'],
		[
			2026,
			3,
			'fortnight',
			'the period type "fortnight" is unknown. Use "month", "4weeks" or "week".',
		],
		[26, 3, 'month', 'the payroll year 26 is not a whole year from 1900 to 2999.'],
		[null, 3, 'month', 'the payroll year null is not a whole year from 1900 to 2999.'],
	])('refuses year %p period %p type %p', (year, number, type, text) => {
		const issue = validatePayrollPeriod({ year, period: number, type });
		expect(issue?.code).toBe('PERIOD_INVALID');
		expect(issue?.message).toContain(text);
	});

	it('payrollPeriodRange throws on a period that validation refuses (a bug, not input)', () => {
		expect(() => fourWeeklyRange(2027, 14)).toThrow('4-weekly period 14 does not exist in 2027');
		expect(() => payrollPeriodBookingDate(period(2026, 0, 'month'))).toThrow(RangeError);
	});

	it('formats a period for people', () => {
		expect(formatPayrollPeriod(period(2026, 13, '4weeks'))).toBe(
			'4-weekly period 13 of 2026 (2026-11-30 – 2026-12-27)',
		);
	});
});

describe('ISO dates', () => {
	it.each(['2026-01-01', '2028-02-29', '2000-02-29', '2026-12-31'])('%s is a date', (text) => {
		expect(isIsoDate(text)).toBe(true);
		expect(validateIsoDate(text)).toBeNull();
	});

	it.each<[unknown, string]>([
		['2026-02-29', 'is not a real calendar date'],
		['2100-02-29', 'is not a real calendar date'],
		['2026-13-01', 'is not a real calendar date'],
		['2026-04-31', 'is not a real calendar date'],
		['2026-2-1', 'is not written as YYYY-MM-DD'],
		['20260201', 'is not written as YYYY-MM-DD'],
		['2026-01-01T00:00:00', 'is not written as YYYY-MM-DD'],
		[' 2026-01-01', 'is not written as YYYY-MM-DD'],
		['', 'is not written as YYYY-MM-DD'],
		[20260101, 'is not a date text'],
		[null, 'is not a date text'],
	])('%p is not a date: %s', (value, reason) => {
		expect(isIsoDate(value)).toBe(false);
		expect(parseIsoDate(value)).toEqual({ ok: false, reason });
	});

	it('DATE_INVALID names the field and value and says how to write a date', () => {
		expect(
			validateIsoDate('2026-02-30', { reference: 'R2026-03', lineIndex: 2, field: 'bookingDate' }),
		).toEqual({
			code: 'DATE_INVALID',
			message:
				'Journal R2026-03, line 3: bookingDate "2026-02-30" is not a real calendar date. Write dates as YYYY-MM-DD, for example 2026-03-31.',
			path: 'lines[2].bookingDate',
			line: 3,
			field: 'bookingDate',
			value: '"2026-02-30"',
		});
	});
});

describe('financial period texts', () => {
	const march = { year: 2026, period: 3 };

	it('writes YYYYMM, MMYYYY, YYYYPP and the human form', () => {
		expect(toFinancialPeriodText(march)).toBe('202603');
		expect(toPostPeriodText(march)).toBe('032026');
		expect(toPeriodIdText(march)).toBe('202603');
		expect(formatFinancialPeriod(march)).toBe('2026-03');
		expect(toFinancialPeriodText({ year: 2026, period: 13 })).toBe('202613');
		expect(toPostPeriodText({ year: 2026, period: 13 })).toBe('132026');
	});

	it('refuses to write an impossible period (a bug)', () => {
		expect(() => toFinancialPeriodText({ year: 2026, period: 0 })).toThrow(RangeError);
		expect(() => toPostPeriodText({ year: 20266, period: 1 })).toThrow(RangeError);
		expect(() => toPeriodIdText({ year: 2026, period: 100 })).toThrow(RangeError);
	});

	it.each<[unknown, { year: number; period: number } | null]>([
		['202603', { year: 2026, period: 3 }],
		['202613', { year: 2026, period: 13 }],
		['2026-03', { year: 2026, period: 3 }],
		[' 202603 ', { year: 2026, period: 3 }],
		['202600', null],
		['20263', null],
		['032026x', null],
		['2026/03', null],
		[202603, null],
		[undefined, null],
	])('parses %p', (text, expected) => {
		expect(parseFinancialPeriodText(text)).toEqual(expected);
	});

	it('round-trips and orders', () => {
		expect(parseFinancialPeriodText(toFinancialPeriodText(march))).toEqual(march);
		const sorted = [
			{ year: 2027, period: 1 },
			{ year: 2026, period: 13 },
			{ year: 2026, period: 2 },
		].sort(compareFinancialPeriods);
		expect(sorted.map(toFinancialPeriodText)).toEqual(['202602', '202613', '202701']);
	});
});

/** Visma.net-style entries: date-times, open unless said otherwise. */
function visma(
	year: number,
	number: number,
	startDate: string,
	endDate: string,
	status: { active?: boolean; closedInGeneralLedger?: boolean } = {
		active: true,
		closedInGeneralLedger: false,
	},
): VismaFinancialPeriod {
	return {
		year,
		period: number,
		startDate: `${startDate}T00:00:00`,
		endDate: `${endDate}T00:00:00`,
		...status,
	};
}

function monthsOf(year: number): VismaFinancialPeriod[] {
	return Array.from({ length: 12 }, (_, index) => {
		const month = index + 1;
		const start = `${year}-${String(month).padStart(2, '0')}-01`;
		return visma(year, month, start, financialPeriodEndDate({ year, period: month }) ?? '');
	});
}

/** 13 periods: 12 of 28 days from 1 January, the 13th up to 31 December. */
const thirteenPeriods2026: VismaFinancialPeriod[] = [
	visma(2026, 1, '2026-01-01', '2026-01-28'),
	visma(2026, 2, '2026-01-29', '2026-02-25'),
	visma(2026, 3, '2026-02-26', '2026-03-25'),
	visma(2026, 4, '2026-03-26', '2026-04-22'),
	visma(2026, 5, '2026-04-23', '2026-05-20'),
	visma(2026, 6, '2026-05-21', '2026-06-17'),
	visma(2026, 7, '2026-06-18', '2026-07-15'),
	visma(2026, 8, '2026-07-16', '2026-08-12'),
	visma(2026, 9, '2026-08-13', '2026-09-09'),
	visma(2026, 10, '2026-09-10', '2026-10-07'),
	visma(2026, 11, '2026-10-08', '2026-11-04'),
	visma(2026, 12, '2026-11-05', '2026-12-02'),
	visma(2026, 13, '2026-12-03', '2026-12-31'),
];

describe('financialPeriodOfDate', () => {
	it.each([
		['2026-01-01', 2026, 1],
		['2026-03-31', 2026, 3],
		['2026-12-31', 2026, 12],
		['2027-01-03', 2027, 1],
	])('monthly by default: %s → %i-%i', (date, year, number) => {
		expect(financialPeriodOfDate(date)).toEqual({ year, period: number });
	});

	it.each([
		['2026-01-01', 1],
		['2026-01-28', 1],
		['2026-01-29', 2],
		['2026-02-28', 3],
		['2026-12-02', 12],
		['2026-12-03', 13],
		['2026-12-31', 13],
	])('from a 13-period list: %s → period %i', (date, number) => {
		expect(financialPeriodOfDate(date, thirteenPeriods2026)).toEqual({
			year: 2026,
			period: number,
		});
	});

	it('books a payroll period in the financial period of its booking date', () => {
		const bookingDate = payrollPeriodBookingDate(period(2026, 14, '4weeks'));
		expect(financialPeriodOfDate(bookingDate)).toEqual({ year: 2026, period: 12 });
		expect(financialPeriodOfDate(bookingDate, thirteenPeriods2026)).toEqual({
			year: 2026,
			period: 13,
		});
	});

	it('12 months plus a zero-length adjustment period 13: December wins', () => {
		const periods = [...monthsOf(2026), visma(2026, 13, '2026-12-31', '2026-12-31')];
		expect(financialPeriodOfDate('2026-12-31', periods)).toEqual({ year: 2026, period: 12 });
		expect(financialPeriodOfDate('2026-12-30', periods)).toEqual({ year: 2026, period: 12 });
	});

	it('12 months plus an adjustment period 13 overlapping December: December wins', () => {
		const periods = [visma(2026, 13, '2026-12-01', '2026-12-31'), ...monthsOf(2026)];
		expect(financialPeriodOfDate('2026-12-15', periods)).toEqual({ year: 2026, period: 12 });
	});

	it('an adjustment period at the start of next year loses to January', () => {
		const periods = [
			...monthsOf(2026),
			visma(2026, 13, '2027-01-01', '2027-01-01'),
			...monthsOf(2027),
		];
		expect(financialPeriodOfDate('2027-01-01', periods)).toEqual({ year: 2027, period: 1 });
	});

	it('a boundary date shared by two periods belongs to the one it opens', () => {
		const periods = [
			visma(2026, 1, '2026-01-01', '2026-02-01'),
			visma(2026, 2, '2026-02-01', '2026-03-01'),
		];
		expect(financialPeriodOfDate('2026-02-01', periods)).toEqual({ year: 2026, period: 2 });
	});

	it('returns the Visma entry itself when asked', () => {
		const entry = findVismaFinancialPeriodOfDate('2026-12-10', thirteenPeriods2026);
		expect(entry).toBe(thirteenPeriods2026[12]);
	});

	it('returns null (FINANCIAL_PERIOD_MISSING for the caller) when no period holds the date', () => {
		expect(financialPeriodOfDate('2027-01-01', thirteenPeriods2026)).toBeNull();
		expect(financialPeriodOfDate('2025-12-31', thirteenPeriods2026)).toBeNull();
		expect(financialPeriodOfDate('2026-03-01', [])).toBeNull();
	});

	it('ignores entries whose dates cannot be read', () => {
		const broken: VismaFinancialPeriod = {
			year: 2026,
			period: 3,
			startDate: 'soon',
			endDate: '2026-03-31',
		};
		expect(financialPeriodOfDate('2026-03-10', [broken])).toBeNull();
	});

	it('accepts plain dates as well as date-times in the list', () => {
		const plain: VismaFinancialPeriod = {
			year: 2026,
			period: 3,
			startDate: '2026-03-01',
			endDate: '2026-03-31',
		};
		expect(financialPeriodOfDate('2026-03-31', [plain])).toEqual({ year: 2026, period: 3 });
	});

	it('throws on a date that is not YYYY-MM-DD (validate first)', () => {
		expect(() => financialPeriodOfDate('2026-02-30')).toThrow(RangeError);
		expect(() => financialPeriodOfDate('31-03-2026', thirteenPeriods2026)).toThrow(RangeError);
	});
});

describe('open periods', () => {
	const periods: VismaFinancialPeriod[] = [
		visma(2026, 4, '2026-04-01', '2026-04-30'),
		visma(2026, 1, '2026-01-01', '2026-01-31', { active: true, closedInGeneralLedger: true }),
		visma(2026, 2, '2026-02-01', '2026-02-28', { active: true, closedInGeneralLedger: true }),
		visma(2026, 3, '2026-03-01', '2026-03-31', { active: false }),
		visma(2026, 5, '2026-05-01', '2026-05-31'),
	];

	it('is open when active and not closed in the general ledger', () => {
		expect(isFinancialPeriodOpen(periods[0])).toBe(true);
		expect(isFinancialPeriodOpen(periods[1])).toBe(false);
		expect(isFinancialPeriodOpen(periods[3])).toBe(false);
		expect(
			isFinancialPeriodOpen({
				year: 2026,
				period: 6,
				startDate: '2026-06-01',
				endDate: '2026-06-30',
			}),
		).toBe(false);
	});

	it('finds the first open period after a closed one', () => {
		expect(firstOpenFinancialPeriodAfter({ year: 2026, period: 1 }, periods)).toBe(periods[0]);
		expect(firstOpenFinancialPeriodAfter({ year: 2026, period: 4 }, periods)?.period).toBe(5);
		expect(firstOpenFinancialPeriodAfter({ year: 2026, period: 5 }, periods)).toBeNull();
		expect(firstOpenFinancialPeriodAfter({ year: 2025, period: 12 }, periods)?.period).toBe(4);
	});

	it('crosses into the next year', () => {
		const list = [
			visma(2026, 12, '2026-12-01', '2026-12-31', { active: false }),
			...monthsOf(2027),
		];
		expect(firstOpenFinancialPeriodAfter({ year: 2026, period: 12 }, list)).toMatchObject({
			year: 2027,
			period: 1,
		});
	});

	it('finds a period by id', () => {
		expect(findVismaFinancialPeriod({ year: 2026, period: 3 }, periods)).toBe(periods[3]);
		expect(findVismaFinancialPeriod({ year: 2026, period: 9 }, periods)).toBeNull();
	});
});

describe('financialPeriodEndDate', () => {
	it('is the last day of the month by default', () => {
		expect(financialPeriodEndDate({ year: 2026, period: 2 })).toBe('2026-02-28');
		expect(financialPeriodEndDate({ year: 2028, period: 2 })).toBe('2028-02-29');
		expect(financialPeriodEndDate({ year: 2026, period: 12 })).toBe('2026-12-31');
		expect(financialPeriodEndDate({ year: 2026, period: 13 })).toBeNull();
	});

	it('is the end date from the Visma.net list when given', () => {
		expect(financialPeriodEndDate({ year: 2026, period: 1 }, thirteenPeriods2026)).toBe(
			'2026-01-28',
		);
		expect(financialPeriodEndDate({ year: 2026, period: 13 }, thirteenPeriods2026)).toBe(
			'2026-12-31',
		);
		expect(financialPeriodEndDate({ year: 2027, period: 1 }, thirteenPeriods2026)).toBeNull();
	});
});
