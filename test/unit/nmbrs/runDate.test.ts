/**
 * The run date of an Nmbrs run (`runAt`, a date-time) becomes the canonical journal's `run.date`
 * only when it is a date by the core's one date rule (`isBookingDate`, which the journal schema
 * applies to `run.date`): a 30 February is dropped, never handed on for Validate Journal to refuse.
 */
import { toRunDate } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/canonicalJournal';

describe('toRunDate', () => {
	it.each([
		['2026-03-25T10:15:00', '2026-03-25'],
		['2026-03-25', '2026-03-25'],
		['2028-02-29T00:00:00', '2028-02-29'],
	])('%s is the run date %s', (runAt, date) => {
		expect(toRunDate(runAt)).toBe(date);
	});

	it.each([
		'2026-02-30T00:00:00',
		'2026-02-29',
		'2026-13-01T00:00:00',
		'2026-04-31',
		'2026-00-10',
		'0001-01-01T00:00:00',
		'1899-12-31',
		'26-03-25',
		'',
	])('%j is no run date', (runAt) => {
		expect(toRunDate(runAt)).toBeUndefined();
	});

	it('has none without a run time', () => {
		expect(toRunDate(undefined)).toBeUndefined();
	});
});
