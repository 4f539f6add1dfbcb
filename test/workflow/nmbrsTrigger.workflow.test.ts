/**
 * Nmbrs as the source of the month-end chain: the Nmbrs Trigger polls the Nmbrs sandbox (as n8n
 * does, with its static data kept), and its items start the workflow Trigger → Validate Journal
 * → Split TWK by Period → Map Dimensions → Post Journal Transaction against the Visma.net
 * sandbox, as n8n runs a polled workflow: the trigger's items are the start node's data.
 */
import type { IDataObject } from 'n8n-workflow';

import { batchesOf } from '../../scripts/lib/harness/payrollFlow';
import { useNmbrsSandbox, useVismaSandbox } from '../helpers/sandboxes';
import { createTriggerChain, type TriggerChain } from '../../scripts/lib/triggerRunner';

const visma = useVismaSandbox();
const nmbrs = useNmbrsSandbox();

/** The trigger and the four nodes, both credentials in one harness. */
function setUp(parameters: IDataObject): TriggerChain {
	return createTriggerChain(visma, nmbrs, parameters as never);
}

describe('Nmbrs Trigger → the month-end chain', () => {
	it('books the locked March run as three batches, all R2026-03, and nothing on the next poll', async () => {
		const { runner, run } = setUp({
			companyScope: 'selected',
			companyIds: ['1234'],
			years: 'specific',
			specificYears: '2026',
			onFirstPoll: 'emitExisting',
		});
		const journals = await runner.pollJournals();
		expect(journals).toHaveLength(1);
		const result = await run(journals);
		expect(result.error).toBeUndefined();
		const batches = batchesOf(visma).map((batch) => ({
			financialPeriod: batch.financialPeriod,
			references: [...new Set(batch.journalTransactionLines?.map((line) => line.referenceNumber))],
		}));
		expect(batches).toEqual([
			{ financialPeriod: '202601', references: ['R2026-03'] },
			{ financialPeriod: '202602', references: ['R2026-03'] },
			{ financialPeriod: '202603', references: ['R2026-03'] },
		]);
		expect(
			result.json('Post Journal Transaction').map((json) => (json.visma as IDataObject).status),
		).toEqual(['posted', 'posted', 'posted']);
		expect(await runner.poll()).toBeNull();
		const everything = JSON.stringify([journals, result.run.data]);
		expect(everything).not.toContain(nmbrs.demo.token);
	});

	it('lets Validate Journal refuse the test company and the blocked debtor, posting nothing for them', async () => {
		const { runner, run } = setUp({
			companyScope: 'selected',
			companyIds: ['1235', '1236'],
			years: 'specific',
			specificYears: '2026',
			onFirstPoll: 'emitExisting',
			testCompanyIds: ['1235'],
			blockedDebtorCompanyIds: ['1236'],
		});
		const journals = await runner.pollJournals();
		expect(journals).toHaveLength(2);
		const result = await run(journals);
		const invalid = result.json('Validate Journal', 1);
		expect(invalid).toHaveLength(2);
		const codes = invalid.map((json) => (json.errors as IDataObject[]).map((error) => error.code));
		expect(codes.flat()).toEqual(
			expect.arrayContaining([expect.stringMatching(/TEST/), expect.stringMatching(/BLOCKED/)]),
		);
		expect(batchesOf(visma)).toHaveLength(0);
	});
});
