import { checkSetup, type SetupFacts } from '../../../nodes/core/setupCheck';
import { DEFAULT_DIMENSION_OPTIONS } from '../../../nodes/core/mapDimensions';

const FACTS: SetupFacts = {
	accounts: { ok: true, value: new Map([['4000', { number: '4000', active: true, acceptsManualEntries: true }]]) },
	accountUses: [{ account: '4000', where: 'used on line 1 of the journal' }],
	accountSource: 'journal',
	segments: { ok: true, value: [{ segmentId: 1, description: 'Kostenplaats', length: 3, values: [] }] },
	dimensions: DEFAULT_DIMENSION_OPTIONS,
	periods: { ok: true, value: [{ year: 2026, period: 3, startDate: '2026-03-01', endDate: '2026-03-31', active: true }] },
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
		expect(report.notes.find((note) => note.area === 'batchNumbers')?.message).toBe('Derived batch numbers work here: batch P0123456789ABCD was saved under one.');
	});

	it('an answer that could not be read is a problem, named, and the rest is still checked', () => {
		const report = checkSetup({ ...FACTS, accounts: { ok: false, error: 'Visma.net answered 500' }, accountUses: [{ account: '4999', where: 'x' }] });
		expect(report.ready).toBe(false);
		expect(report.problems).toEqual([{ area: 'answers', message: "Visma.net's accounts (/v1/account) could not be read: Visma.net answered 500" }]);
		expect(report.notes.some((note) => note.area === 'periods')).toBe(true);
	});

	it('a nearly used hourly limit is a problem; no period for today is a problem with what to do', () => {
		const report = checkSetup({ ...FACTS, today: '2026-05-02', rateLimit: { limit: 1000, remaining: 12 } });
		expect(report.problems.map((problem) => problem.area)).toEqual(['periods', 'rateLimit']);
		expect(report.problems[0].message).toContain('Create the financial year in Visma.net');
		expect(report.summary).toMatch(/^2 problems would stop a month end: /);
	});
});
