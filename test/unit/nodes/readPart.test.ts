/**
 * What Post accepts as a part (readPart): a financial period that exists (YYYYMM, period 01–13)
 * and a transaction date inside it, refused before anything is sent.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { VismaFinancialPeriod } from '../../../nodes/core/period';
import { splitJournal } from '../../../nodes/core/splitTwk';
import { readPart, writePart, writePartLine } from '../../../nodes/core/journalPart';
import { smallJournal } from '../../helpers/journals';

function item(overrides: IDataObject = {}): IDataObject {
	return {
		...(smallJournal() as unknown as IDataObject),
		financialPeriod: '202604',
		transactionDate: '2026-04-30',
		...overrides,
	};
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
		expect(read.part).toMatchObject({
			financialPeriod: { year: 2026, period: 4 },
			transactionDate: '2026-04-30',
		});
	});

	it('keeps each line’s project, project task and branch, split and mapped as they came', () => {
		const journal = smallJournal({
			lines: [
				{ account: '4000', debit: '10.00', project: 'P-01', projectTask: 'T1', branch: '2' },
				{ account: '2100', credit: '10.00' },
			],
		});
		const [part] = splitJournal(journal, {}).parts;
		const json = writePart(
			journal as unknown as IDataObject,
			part,
			{ number: 1, of: 1 },
			{
				description: 'Loonjournaal',
				lines: part.journal.lines.map((line) => writePartLine(line)),
			},
		);
		const read = readPart(json, {});
		expect(read.issues).toEqual([]);
		expect(read.part!.lines[0]).toMatchObject({ project: 'P-01', projectTask: 'T1', branch: '2' });
		expect(read.part!.lines[1]).not.toHaveProperty('project');
		expect(read.part!.lines[1]).not.toHaveProperty('branch');
	});

	it.each(['202699', '202600', '202614', '20264', 'april', '', 202604, '1899-01', '3000-01'])(
		'refuses financialPeriod %p, saying what is expected',
		(financialPeriod) => {
			const [issue, ...rest] = refusal(item({ financialPeriod }));
			expect(rest).toEqual([]);
			expect(issue).toMatchObject({
				code: 'PERIOD_INVALID',
				path: 'financialPeriod',
				field: 'financialPeriod',
			});
			expect(issue.message).toContain('YYYYMM');
			expect(issue.message).toContain('01 to 13');
			expect(issue.message).toMatch(/R2026-04/);
		},
	);

	/** The item's lines all booked on `bookingDate`. */
	const bookedOn = (json: IDataObject, bookingDate: string): IDataObject => ({
		...json,
		lines: (json.lines as IDataObject[]).map((line) => ({ ...line, bookingDate })),
	});

	it('accepts period 13 (companies with 13 financial periods a year)', () => {
		// As Split writes it: Visma.net's dates of period 13 (the last day of the year), the lines booked in it.
		const json = bookedOn(
			item({
				financialPeriod: '202613',
				transactionDate: '2026-12-31',
				financialPeriodDates: { startDate: '2026-12-31', endDate: '2026-12-31' },
			}),
			'2026-12-31',
		);
		const read = readPart(json, {});
		expect(read.issues).toEqual([]);
		expect(read.part?.financialPeriod).toEqual({ year: 2026, period: 13 });
	});

	it('refuses a movedFrom that is not a financial period', () => {
		const [issue] = refusal(item({ movedFrom: '202699' }));
		expect(issue).toMatchObject({ code: 'PERIOD_INVALID', path: 'movedFrom' });
	});
});

describe('readPart: the transaction date lies in the financial period', () => {
	it.each(['2026-05-01', '2026-03-31', '2025-04-15'])(
		'refuses transactionDate %s for financial period 2026-04 (calendar month)',
		(transactionDate) => {
			const [issue, ...rest] = refusal(item({ transactionDate }));
			expect(rest).toEqual([]);
			expect(issue).toMatchObject({
				code: 'DATE_INVALID',
				path: 'transactionDate',
				field: 'transactionDate',
			});
			expect(issue.message).toContain(
				`${transactionDate} lies outside financial period 2026-04 (2026-04-01 – 2026-04-30)`,
			);
		},
	);

	it('uses the period’s dates from Visma.net when Split TWK by Period read them (a period that is not a calendar month)', () => {
		const dates = { startDate: '2026-03-23', endDate: '2026-04-19' };
		const bookedOn = (json: IDataObject): IDataObject => ({
			...json,
			lines: (json.lines as IDataObject[]).map((line) => ({ ...line, bookingDate: '2026-03-25' })),
		});
		expect(
			readPart(bookedOn(item({ transactionDate: '2026-03-25', financialPeriodDates: dates })), {})
				.issues,
		).toEqual([]);
		const [issue] = refusal(
			bookedOn(item({ transactionDate: '2026-04-30', financialPeriodDates: dates })),
		);
		expect(issue.message).toContain(
			'2026-04-30 lies outside financial period 2026-04 (2026-03-23 – 2026-04-19)',
		);
	});

	it('refuses a transaction date outside the period of a journal it splits itself', () => {
		const [issue] = refusal(unsplitItem({ transactionDate: '2026-06-30' }));
		expect(issue).toMatchObject({ code: 'DATE_INVALID', path: 'transactionDate' });
	});
});

describe('readPart: a transaction date given is used or refused, never replaced', () => {
	it.each(['2026-02-30', '30-04-2026', 20260430])(
		'refuses transactionDate %p on a journal it splits itself',
		(transactionDate) => {
			const [issue] = refusal(unsplitItem({ transactionDate }));
			expect(issue).toMatchObject({ path: 'transactionDate' });
		},
	);
});

describe('readPart: with financialPeriod given, every line belongs to that part (the rule Split uses)', () => {
	const march = () =>
		JSON.parse(
			readFileSync(path.resolve(__dirname, '../../fixtures/march-2026-with-twk.json'), 'utf8'),
		) as IDataObject;
	const periods: VismaFinancialPeriod[] = ['01', '02', '03'].map((month) => ({
		year: 2026,
		period: Number(month),
		startDate: `2026-${month}-01`,
		endDate: `2026-${month}-${month === '02' ? '28' : '31'}`,
		active: true,
		closedInGeneralLedger: month === '01',
	}));

	/** Split TWK by Period's items for a journal, as its node writes them. */
	function splitItems(
		journal: IDataObject,
		options: Parameters<typeof splitJournal>[1] = {},
	): IDataObject[] {
		const split = splitJournal(journal, options);
		expect(split.issues).toEqual([]);
		return split.parts.map(
			(part, index) =>
				writePart(
					journal,
					part,
					{ number: index + 1, of: split.parts.length },
					{
						description: part.description,
						lines: part.journal.lines.map((line) => writePartLine(line)),
					},
				) as IDataObject,
		);
	}

	it('refuses the whole March journal given by hand as 202603: the TWK lines concern 2026-01 and 2026-02', () => {
		const [issue, ...rest] = refusal({
			...march(),
			financialPeriod: '202603',
			transactionDate: '2026-03-31',
		});
		expect(rest).toEqual([]);
		expect(issue).toMatchObject({ code: 'JOURNAL_NOT_SPLIT', path: 'financialPeriod' });
		expect(issue.message).toContain('lines 8, 9 and 10 concern 2026-01');
		expect(issue.message).toContain('lines 11, 12 and 13 concern 2026-02');
		expect(issue.message).toContain('2026-03');
		expect(issue.message).toContain('Run Split TWK by Period before Post');
	});

	it('refuses the January TWK lines given as 202602', () => {
		const [january] = splitItems(march());
		const [issue] = refusal({
			...january,
			financialPeriod: '202602',
			transactionDate: '2026-02-28',
		});
		expect(issue).toMatchObject({ code: 'JOURNAL_NOT_SPLIT' });
		expect(issue.message).toContain('lines 1, 2 and 3 concern 2026-01');
	});

	it('accepts every part Split TWK by Period writes, and books each part’s own lines only', () => {
		const items = splitItems(march());
		expect(items.map((json) => json.financialPeriod)).toEqual(['202601', '202602', '202603']);
		for (const json of items) {
			const read = readPart(json, {});
			expect(read.issues).toEqual([]);
			expect(read.part?.lines).toHaveLength((json.lines as unknown[]).length);
		}
	});

	it('a part moved out of a closed period: its lines concern movedFrom, and are refused without it or with another one', () => {
		const items = splitItems(march(), {
			financialPeriods: periods,
			closedPeriodPolicy: 'firstOpenPeriod',
		});
		const moved = items.find((json) => json.movedFrom === '202601')!;
		expect(moved.financialPeriod).toBe('202602');
		expect(readPart(moved, {}).issues).toEqual([]);
		const notMoved = { ...moved };
		delete notMoved.movedFrom;
		expect(refusal(notMoved)[0]).toMatchObject({ code: 'JOURNAL_NOT_SPLIT' });
		expect(refusal({ ...moved, movedFrom: '202512' })[0].message).toContain('concern 2026-01');
	});

	it('with Visma.net’s dates of the period (not a calendar month), a line booked outside them is refused', () => {
		const dates = { startDate: '2026-03-23', endDate: '2026-04-19' };
		const inside = item({ transactionDate: '2026-04-10', financialPeriodDates: dates });
		inside.lines = (inside.lines as IDataObject[]).map((line) => ({
			...line,
			bookingDate: '2026-04-10',
		}));
		expect(readPart(inside, {}).issues).toEqual([]);
		const outside = {
			...inside,
			lines: (inside.lines as IDataObject[]).map((line, index) =>
				index === 1 ? { ...line, bookingDate: '2026-04-20' } : line,
			),
		};
		const [issue] = refusal(outside);
		expect(issue).toMatchObject({ code: 'JOURNAL_NOT_SPLIT' });
		expect(issue.message).toContain('line 2');
		expect(issue.message).toContain('2026-03-23 – 2026-04-19');
	});
});
