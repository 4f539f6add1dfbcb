import { marchRunWithTwk } from '../helpers/journals';
import { batchesOf } from '../../scripts/lib/harness/payrollFlow';
import { usePayrollFlow } from '../helpers/usePayrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';

const sandbox = useVismaSandbox();
const flow = usePayrollFlow(sandbox);

describe('month end through n8n against the Visma.net sandbox', () => {
	it('books the March run with TWK for January and February as three balanced batches under the run reference', async () => {
		const result = await flow.run([marchRunWithTwk()]);
		expect(result.nodes['Post Journal Transaction'].error).toBeUndefined();
		const posted = result
			.json('Post Journal Transaction')
			.map((json) => json.visma as Record<string, unknown>);
		expect(
			posted.map((visma) => [
				visma.financialPeriod,
				visma.status,
				visma.isTwk,
				visma.debitTotal,
				visma.creditTotal,
			]),
		).toEqual([
			['202601', 'posted', true, '150.00', '150.00'],
			['202602', 'posted', true, '40.00', '40.00'],
			['202603', 'posted', false, '8048.35', '8048.35'],
		]);
		const batches = batchesOf(sandbox);
		expect(batches).toHaveLength(3);
		expect(
			batches.map((batch) => [
				batch.financialPeriod,
				batch.debitTotalInCurrency,
				batch.creditTotalInCurrency,
			]),
		).toEqual([
			['202601', 150, 150],
			['202602', 40, 40],
			['202603', 8048.35, 8048.35],
		]);
		for (const batch of batches) {
			for (const line of batch.journalTransactionLines ?? [])
				expect(line.referenceNumber).toBe('R2026-03');
		}
		expect(posted.map((visma) => visma.batchNumber)).toEqual(
			batches.map((batch) => batch.batchNumber),
		);
		// The result first: n8n's Table view shows the columns in key order, `lines` is wide.
		for (const json of result.json('Post Journal Transaction'))
			expect(Object.keys(json)[0]).toBe('visma');
		// pairedItem on every output: each part points back to the one journal item.
		expect(result.nodes['Post Journal Transaction'].items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	it('posts nothing on a rerun', async () => {
		await flow.run([marchRunWithTwk()]);
		const rerun = await flow.run([marchRunWithTwk()]);
		const statuses = rerun
			.json('Post Journal Transaction')
			.map((json) => (json.visma as { status: string }).status);
		expect(statuses).toEqual(['alreadyPosted', 'alreadyPosted', 'alreadyPosted']);
		expect(batchesOf(sandbox)).toHaveLength(3);
	});
});
