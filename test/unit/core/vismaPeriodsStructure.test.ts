/**
 * Visma.net's financial periods are untrusted input of the shape FinancialPeriodDto: a field of
 * that shape with another type is refused (a problem), never dropped. Dropped, `closedInGeneralLedger:
 * "true"` read as a period not closed, so an active but closed period read as open for posting.
 */
import { isFinancialPeriodOpen, readVismaFinancialPeriods } from '../../../nodes/core/period';

const march = {
	year: 2026,
	period: '202603',
	startDate: '2026-03-01T00:00:00',
	endDate: '2026-03-31T00:00:00',
	active: true,
	closedInGeneralLedger: false,
	description: 'March 2026',
};

describe('readVismaFinancialPeriods: fields of FinancialPeriodDto with another type', () => {
	it('reads the period as given when every field has its type', () => {
		const { periods, problems } = readVismaFinancialPeriods([march]);
		expect(problems).toEqual([]);
		expect(periods.map(isFinancialPeriodOpen)).toEqual([true]);
	});

	it.each([
		['closedInGeneralLedger as text', { closedInGeneralLedger: 'true' }, /closedInGeneralLedger/],
		['active as text', { active: 'false' }, /active/],
		['active as a number', { active: 1 }, /active/],
		['a description that is no text', { description: { nl: 'Maart' } }, /description/],
		['a start date that is no date', { startDate: '01-03-2026' }, /startDate/],
		['an end date that is a number', { endDate: 20260331 }, /endDate/],
		['a year that is no year', { year: '2026a' }, /year/],
	])('refuses %s', (_name, change, field) => {
		const { periods, problems } = readVismaFinancialPeriods([{ ...march, ...change }]);
		expect(problems).toEqual([expect.stringMatching(field)]);
		expect(periods).toEqual([]);
	});

	it('still leaves out an entry without dates, and what is no entry (as before)', () => {
		expect(readVismaFinancialPeriods([{ period: '202603' }, null, 'x'])).toEqual({
			periods: [],
			problems: [],
		});
	});
});
