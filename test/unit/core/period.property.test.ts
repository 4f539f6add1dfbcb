import fc from 'fast-check';
import { DateTime } from 'luxon';

import {
	financialPeriodOfDate,
	isoWeeksInYear,
	payrollPeriodBookingDate,
	payrollPeriodRange,
	periodsInYear,
	type PayrollCalendarOptions,
	type PayrollPeriod,
	type Week53Handling,
} from '../../../nodes/core/period';

const SETTINGS = { seed: 20260101, numRuns: 500 };

function toDate(isoDate: string): DateTime {
	return DateTime.fromISO(isoDate, { zone: 'utc' });
}

function daysInclusive(startDate: string, endDate: string): number {
	return toDate(endDate).diff(toDate(startDate), 'days').days + 1;
}

function dayAfter(isoDate: string): string {
	return toDate(isoDate).plus({ days: 1 }).toISODate() ?? '';
}

/** The period that follows `p`: the next number, or period 1 of the next year. */
function nextPeriod(p: PayrollPeriod, options: PayrollCalendarOptions): PayrollPeriod {
	return p.period < periodsInYear(p.year, p.type, options)
		? { ...p, period: p.period + 1 }
		: { ...p, year: p.year + 1, period: 1 };
}

function expectedLength(p: PayrollPeriod, options: PayrollCalendarOptions): number {
	if (p.type === 'week' || p.period === 14) return 7;
	const absorbsWeek53 =
		p.period === 13 && options.week53 === 'partOfPeriod13' && isoWeeksInYear(p.year) === 53;
	return absorbsWeek53 ? 35 : 28;
}

/** Any existing 4-weekly or weekly period of 1990–2100, with either week-53 setting. */
const weekBasedPeriod = fc
	.record({
		year: fc.integer({ min: 1990, max: 2100 }),
		type: fc.constantFrom<'4weeks' | 'week'>('4weeks', 'week'),
		week53: fc.constantFrom<Week53Handling>('ownPeriod', 'partOfPeriod13'),
		index: fc.nat(),
	})
	.map(({ year, type, week53, index }) => {
		const options: PayrollCalendarOptions = { week53 };
		const p: PayrollPeriod = {
			year,
			type,
			period: (index % periodsInYear(year, type, options)) + 1,
		};
		return { p, options };
	});

describe('week-based payroll periods (property)', () => {
	it('run Monday to Sunday, 7 or 28 days (35 for period 13 holding week 53), back to back', () => {
		fc.assert(
			fc.property(weekBasedPeriod, ({ p, options }) => {
				const { startDate, endDate } = payrollPeriodRange(p, options);
				expect(toDate(startDate).weekday).toBe(1);
				expect(toDate(endDate).weekday).toBe(7);
				expect(daysInclusive(startDate, endDate)).toBe(expectedLength(p, options));
				expect(payrollPeriodRange(nextPeriod(p, options), options).startDate).toBe(
					dayAfter(endDate),
				);
			}),
			SETTINGS,
		);
	});

	it('are booked inside the payroll year, on or before their end, in a month of that year', () => {
		fc.assert(
			fc.property(weekBasedPeriod, ({ p, options }) => {
				const { startDate, endDate } = payrollPeriodRange(p, options);
				const bookingDate = payrollPeriodBookingDate(p, options);
				expect(bookingDate.slice(0, 4)).toBe(String(p.year));
				expect(bookingDate <= endDate).toBe(true);
				expect(bookingDate >= startDate).toBe(true);
				expect(financialPeriodOfDate(bookingDate)?.year).toBe(p.year);
			}),
			SETTINGS,
		);
	});
});

describe('monthly payroll periods (property)', () => {
	it('cover the calendar month and touch the next one', () => {
		const month = fc.record({
			year: fc.integer({ min: 1990, max: 2100 }),
			period: fc.integer({ min: 1, max: 12 }),
		});
		fc.assert(
			fc.property(month, ({ year, period }) => {
				const p: PayrollPeriod = { year, period, type: 'month' };
				const { startDate, endDate } = payrollPeriodRange(p);
				expect(daysInclusive(startDate, endDate)).toBe(toDate(startDate).daysInMonth);
				expect(payrollPeriodRange(nextPeriod(p, {})).startDate).toBe(dayAfter(endDate));
				expect(financialPeriodOfDate(payrollPeriodBookingDate(p))).toEqual({ year, period });
			}),
			SETTINGS,
		);
	});
});
