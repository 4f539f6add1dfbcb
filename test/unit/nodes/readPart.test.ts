/**
 * What Post accepts as a part (readPart): a financial period that exists (YYYYMM, period 01–13)
 * and a transaction date inside it, refused before anything is sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { readPart } from '../../../nodes/VismaNetPostJournal/readPart';
import { smallJournal } from '../../helpers/journals';

function item(overrides: IDataObject = {}): IDataObject {
	return { ...(smallJournal() as unknown as IDataObject), financialPeriod: '202604', transactionDate: '2026-04-30', ...overrides };
}

/** An item as it comes to Post without Split TWK by Period: no financial period. */
function unsplitItem(overrides: IDataObject): IDataObject {
	const json = item(overrides);
	delete json.financialPeriod;
	return json;
}

function refusal(json: IDataObject) {
	const read = readPart(json, {});
	expect(read.part).toBeNull();
	return read.issues;
}

describe('readPart: the financial period', () => {
	it('accepts a split part as Split TWK by Period writes it', () => {
		const read = readPart(item(), {});
		expect(read.issues).toEqual([]);
		expect(read.part).toMatchObject({ financialPeriod: { year: 2026, period: 4 }, transactionDate: '2026-04-30' });
	});

	it.each(['202699', '202600', '202614', '20264', 'april', '', 202604, '1899-01', '3000-01'])('refuses financialPeriod %p, saying what is expected', (financialPeriod) => {
		const [issue, ...rest] = refusal(item({ financialPeriod }));
		expect(rest).toEqual([]);
		expect(issue).toMatchObject({ code: 'PERIOD_INVALID', path: 'financialPeriod', field: 'financialPeriod' });
		expect(issue.message).toContain('YYYYMM');
		expect(issue.message).toContain('01 to 13');
		expect(issue.message).toMatch(/R2026-04/);
	});

	it('accepts period 13 (companies with 13 financial periods a year)', () => {
		const read = readPart(item({ financialPeriod: '202613', transactionDate: '2026-12-31' }), {});
		expect(read.issues).toEqual([]);
		expect(read.part?.financialPeriod).toEqual({ year: 2026, period: 13 });
	});

	it('refuses a movedFrom that is not a financial period', () => {
		const [issue] = refusal(item({ movedFrom: '202699' }));
		expect(issue).toMatchObject({ code: 'PERIOD_INVALID', path: 'movedFrom' });
	});
});

describe('readPart: the transaction date lies in the financial period', () => {
	it.each(['2026-05-01', '2026-03-31', '2025-04-15'])('refuses transactionDate %s for financial period 2026-04 (calendar month)', (transactionDate) => {
		const [issue, ...rest] = refusal(item({ transactionDate }));
		expect(rest).toEqual([]);
		expect(issue).toMatchObject({ code: 'DATE_INVALID', path: 'transactionDate', field: 'transactionDate' });
		expect(issue.message).toContain(`${transactionDate} lies outside financial period 2026-04 (2026-04-01 – 2026-04-30)`);
	});

	it('uses the period’s dates from Visma.net when Split TWK by Period read them (a period that is not a calendar month)', () => {
		const dates = { startDate: '2026-03-23', endDate: '2026-04-19' };
		expect(readPart(item({ transactionDate: '2026-03-25', financialPeriodDates: dates }), {}).issues).toEqual([]);
		const [issue] = refusal(item({ transactionDate: '2026-04-30', financialPeriodDates: dates }));
		expect(issue.message).toContain('2026-04-30 lies outside financial period 2026-04 (2026-03-23 – 2026-04-19)');
	});

	it('refuses a transaction date outside the period of a journal it splits itself', () => {
		const [issue] = refusal(unsplitItem({ transactionDate: '2026-06-30' }));
		expect(issue).toMatchObject({ code: 'DATE_INVALID', path: 'transactionDate' });
	});
});

describe('readPart: a transaction date given is used or refused, never replaced', () => {
	it.each(['2026-02-30', '30-04-2026', 20260430])('refuses transactionDate %p on a journal it splits itself', (transactionDate) => {
		const [issue] = refusal(unsplitItem({ transactionDate }));
		expect(issue).toMatchObject({ path: 'transactionDate' });
	});
});
