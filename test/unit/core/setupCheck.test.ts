import {
	accountUsesOfBatches,
	accountUsesOfLines,
	checkSetup,
	type SetupFacts,
} from '../../../nodes/core/setupCheck';
import { DEFAULT_DIMENSION_OPTIONS } from '../../../nodes/core/mapDimensions';

const FACTS: SetupFacts = {
	accounts: {
		ok: true,
		value: new Map([['4000', { number: '4000', active: true, acceptsManualEntries: true }]]),
	},
	accountUses: [{ account: '4000', where: 'used on line 1 of the journal' }],
	accountSource: 'journal',
	segments: {
		ok: true,
		value: [{ segmentId: 1, description: 'Kostenplaats', length: 3, values: [] }],
	},
	dimensions: DEFAULT_DIMENSION_OPTIONS,
	periods: {
		ok: true,
		value: [
			{ year: 2026, period: 3, startDate: '2026-03-01', endDate: '2026-03-31', active: true },
		],
	},
	today: '2026-03-20',
	ledgers: { ok: true, value: [{ id: 'L' }] },
	branches: { ok: true, value: [{ id: '1' }] },
	recentBatchNumbers: { ok: true, value: ['000001', 'P0123456789ABCD'] },
	rateLimit: { limit: 1000, remaining: 900, resetSeconds: 600 },
};

describe('checkSetup', () => {
	it('a company with everything in place is ready; a derived number seen says manual numbering works', () => {
		const report = checkSetup(FACTS);
		expect(report.problems).toEqual([]);
		expect(report.ready).toBe(true);
		expect(report.notes.find((note) => note.area === 'batchNumbers')?.message).toBe(
			'Derived batch numbers work here: batch P0123456789ABCD was saved under one.',
		);
	});

	it('an answer that could not be read is a problem, named, and the rest is still checked', () => {
		const report = checkSetup({
			...FACTS,
			accounts: { ok: false, error: 'Visma.net answered 500' },
			accountUses: [{ account: '4999', where: 'x' }],
		});
		expect(report.ready).toBe(false);
		expect(report.problems).toEqual([
			{
				area: 'answers',
				message: "Visma.net's accounts (/v1/account) could not be read: Visma.net answered 500",
			},
		]);
		expect(report.notes.some((note) => note.area === 'periods')).toBe(true);
	});

	it('a nearly used hourly limit is a problem; no period for today is a problem with what to do', () => {
		const report = checkSetup({
			...FACTS,
			today: '2026-05-02',
			rateLimit: { limit: 1000, remaining: 12 },
		});
		expect(report.problems.map((problem) => problem.area)).toEqual(['periods', 'rateLimit']);
		expect(report.problems[0].message).toContain('Create the financial year in Visma.net');
		expect(report.summary).toMatch(/^2 problems would stop a month end: /);
	});
});

describe('the accounts Check Setup checks', () => {
	it('lists each account of a journal once, with its lines as Validate names them', () => {
		const uses = accountUsesOfLines([
			{ account: '4000' },
			{ account: '2100' },
			{ account: ' 4000 ' },
			'not a line',
			{ account: 4010 },
		]);
		expect(uses).toEqual([
			{ account: '4000', where: 'used on lines 1 and 3 of the journal', lineIndex: 0 },
			{ account: '2100', where: 'used on line 2 of the journal', lineIndex: 1 },
			{ account: '4010', where: 'used on line 5 of the journal', lineIndex: 4 },
		]);
	});

	it('is linear: 200,000 lines on one account, and batches of 100,000 entries on one account, in well under a second each', () => {
		const lines = Array.from({ length: 200_000 }, () => ({ account: '4000' }));
		let started = Date.now();
		const [use] = accountUsesOfLines(lines);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(use.where).toBe(
			'used on lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 199990 more of the journal',
		);
		const entries = Array.from({ length: 100_000 }, () => ({
			account: '4000',
			subaccount: [],
			netCents: 1n,
		}));
		const batches = Array.from({ length: 20 }, (_, index) => ({
			batchNumber: String(index + 1).padStart(6, '0'),
			description: '',
			entries,
		}));
		started = Date.now();
		expect(accountUsesOfBatches(batches)).toEqual([
			{ account: '4000', where: 'used by batch 000001, 000002, 000003, 000004, 000005' },
		]);
		expect(Date.now() - started).toBeLessThan(1000);
	});
});
