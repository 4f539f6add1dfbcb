/**
 * Visma.net's reference data as the nodes read it, under answers the spec leaves open (issue 12).
 */
import nock from 'nock';

import { loadFinancialPeriods } from '../../../nodes/shared/vismaReference';
import { createRequestContext, useNockOnly } from '../../helpers/requestContext';

const API = 'http://127.0.0.1:4010';

useNockOnly();

const period = (year: number, month: number, text: string) => ({
	year,
	period: text,
	startDate: `${year}-${String(month).padStart(2, '0')}-01T00:00:00`,
	endDate: `${year}-${String(month).padStart(2, '0')}-28T00:00:00`,
	active: true,
	closedInGeneralLedger: false,
});

describe('loadFinancialPeriods', () => {
	it.each([
		['YYYYPP', (y: number, m: number) => `${y}${String(m).padStart(2, '0')}`],
		['PPYYYY', (y: number, m: number) => `${String(m).padStart(2, '0')}${y}`],
		['PP-YYYY', (y: number, m: number) => `${String(m).padStart(2, '0')}-${y}`],
	])('reads periods written %s as the same periods', async (_name, write) => {
		const { context } = createRequestContext();
		nock(API)
			.get('/v1/financialPeriod')
			.reply(200, [period(2026, 2, write(2026, 2)), period(2026, 3, write(2026, 3))]);
		const periods = await loadFinancialPeriods.call(context);
		expect(periods.map((p) => [p.year, p.period])).toEqual([
			[2026, 2],
			[2026, 3],
		]);
	});

	it('refuses an answer that contradicts its own dates, saying what and that nothing was decided on it', async () => {
		const { context } = createRequestContext();
		nock(API)
			.get('/v1/financialPeriod')
			.reply(200, [period(2026, 3, '202503')]);
		await expect(loadFinancialPeriods.call(context)).rejects.toThrow(
			/Visma\.net's financial periods contradict themselves: .*names the year 2025, but its year is 2026/,
		);
	});
});
