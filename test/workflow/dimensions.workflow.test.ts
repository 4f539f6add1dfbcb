/**
 * Map Dimensions on a company whose Visma.net SUBACCOUNT does not start with the cost centre:
 * Installatiebedrijf Jansen BV has segment 1 Afdeling (2 characters) and segment 2 Kostenplaats
 * (3 characters). Cost centres land on the segment found by its description, every segment is
 * filled, and what reaches Visma.net is what the bookkeeper configured.
 */
import type { IDataObject } from 'n8n-workflow';

import { smallJournal, type JsonJournal } from '../helpers/journals';
import { batchesOf } from '../../scripts/lib/harness/payrollFlow';
import { usePayrollFlow } from '../helpers/usePayrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import { checkSecretsAfterEach, keptRun } from '../helpers/workflowChecks';
import type { WorkflowRunResult } from '../../scripts/lib/harness/workflowHarness';

const JANSEN = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e02';

const sandbox = useVismaSandbox();
const flow = usePayrollFlow(sandbox, JANSEN);
/** Every run of a test, for the secrets check after it. */
const results = checkSecretsAfterEach(sandbox, () => [flow]);

const run = keptRun(() => flow, results);

/** Jansen's April run (January and February are closed in its books) with these cost centres. */
function jansenApril(costCenters: [unknown, unknown, unknown]): JsonJournal {
	const [wages, social, net] = costCenters;
	return smallJournal({
		reference: 'J2026-04',
		company: { id: '5678', name: 'Installatiebedrijf Jansen BV' },
		lines: [
			{
				account: '4000',
				description: 'Bruto lonen',
				debit: '2000.00',
				...(wages ? { costCenter: wages } : {}),
			},
			{
				account: '4050',
				description: 'Sociale lasten werkgever',
				debit: '400.00',
				...(social ? { costCenter: social } : {}),
			},
			{
				account: '2100',
				description: 'Nettolonen te betalen',
				credit: '2400.00',
				...(net ? { costCenter: net } : {}),
			},
		],
	});
}

/** `[account, subaccount]` of each mapped line, and of each line Visma.net stored. */
function mappedLines(result: WorkflowRunResult): Array<[unknown, string]> {
	return (result.json('Map Dimensions')[0].lines as IDataObject[]).map((line) => [
		line.account,
		(line.subaccount as Array<{ segmentId: number; segmentValue: string }>)
			.map((segment) => `${segment.segmentId}:${segment.segmentValue}`)
			.join(' '),
	]);
}
function bookedLines(): Array<[unknown, unknown]> {
	return batchesOf(sandbox, JANSEN).flatMap((batch) =>
		(batch.journalTransactionLines ?? []).map((line): [unknown, unknown] => [
			line.accountNumber,
			line.subaccount?.subaccountNumber,
		]),
	);
}

describe('Map Dimensions on Jansen, where Kostenplaats is segment 2', () => {
	it('finds the Kostenplaats segment by its description and fills every segment, zeros where the journal has no value', async () => {
		const result = await run([jansenApril(['110', '120', undefined])]);
		expect(result.nodes['Post Journal Transaction'].error).toBeUndefined();
		expect(mappedLines(result)).toEqual([
			['4000', '1:00 2:110'],
			['4050', '1:00 2:120'],
			['2100', '1:00 2:000'],
		]);
		expect(bookedLines()).toEqual([
			['4000', '00-110'],
			['4050', '00-120'],
			['2100', '00-000'],
		]);
	});

	it('matches by description: the payroll’s “Service en onderhoud” is Kostenplaats 120 in Visma.net', async () => {
		const result = await run(
			[
				jansenApril([
					{ code: 'S', description: 'Service en onderhoud' },
					{ code: 'M', description: 'Montage' },
					undefined,
				]),
			],
			{
				map: { matchValuesBy: 'description' },
			},
		);
		expect(result.nodes['Post Journal Transaction'].error).toBeUndefined();
		expect(bookedLines()).toEqual([
			['4000', '00-120'],
			['4050', '00-110'],
			['2100', '00-000'],
		]);
	});

	it('translates payroll codes with the Mappings table', async () => {
		const mappings = {
			mapping: [
				{ dimension: 'costCenter', from: '11', to: '110' },
				{ dimension: 'costCenter', from: '13', to: '130' },
			],
		};
		const result = await run([jansenApril(['11', '13', undefined])], {
			map: { options: { mappings } },
		});
		expect(result.nodes['Post Journal Transaction'].error).toBeUndefined();
		expect(bookedLines()).toEqual([
			['4000', '00-110'],
			['4050', '00-130'],
			['2100', '00-000'],
		]);
	});

	it('with Only Profit and Loss, a balance-sheet line gets zeros even when the journal gives it a cost centre', async () => {
		const result = await run([jansenApril(['110', '120', '130'])], {
			map: { options: { onlyProfitAndLoss: true } },
		});
		expect(result.nodes['Post Journal Transaction'].error).toBeUndefined();
		expect(bookedLines()).toEqual([
			['4000', '00-110'],
			['4050', '00-120'],
			['2100', '00-000'], // Nettolonen te betalen is a liability
		]);
	});

	it('refuses a cost centre Jansen’s Visma.net does not have, naming the segment, and posts nothing', async () => {
		const result = await run([jansenApril(['100', '100', undefined])]);
		const error = result.nodes['Map Dimensions'].error!;
		expect(error).toBeDefined();
		expect(error.message).toMatch(
			/Cost centre "100" is not a value of the Visma\.net segment "Kostenplaats"; it is used on lines 1 and 2/,
		);
		expect(batchesOf(sandbox, JANSEN)).toEqual([]);
	});
});
