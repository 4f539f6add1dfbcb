/**
 * A line's project, project task and branch (issue 14), through n8n's engine against the Visma.net
 * sandbox. Bakkerij De Vries uses projects (non-project code X: every line sent without a project
 * reads back with it) and has branches 1 (default), 2 and 3 (inactive): the journal's lines reach
 * Visma.net with their project, task and branch; a rerun posts nothing although Visma.net fills in
 * its own values; a project changed after posting moves the amount with a difference journal;
 * Check in Visma.net stops an unknown or inactive branch before anything is sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { smallJournal, type JsonJournal } from '../helpers/journals';
import { batchesOf } from '../../scripts/lib/harness/payrollFlow';
import { usePayrollFlow } from '../helpers/usePayrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import { checkSecretsAfterEach, keptRun, postOutputs } from '../helpers/workflowChecks';

const sandbox = useVismaSandbox();
const flow = usePayrollFlow(sandbox);
const results = checkSecretsAfterEach(sandbox, () => [flow]);
const run = keptRun(() => flow, results);

/** April's run: the site staff's gross on a project (and task) in branch 2, the office's without. */
function aprilWithProject(project = 'P-01', branch: unknown = '2'): JsonJournal {
	return smallJournal({
		lines: [
			{
				account: '4000',
				description: 'Bruto lonen bouwplaats',
				debit: '1200.00',
				costCenter: '100',
				project,
				projectTask: 'T1',
				branch,
			},
			{ account: '4000', description: 'Bruto lonen kantoor', debit: '300.00', costCenter: '100' },
			{ account: '2100', description: 'Nettolonen te betalen', credit: '1500.00' },
		],
	});
}

/** Every booked line: account, debit, credit, project, task, branch, as Visma.net holds them. */
function bookedLines(): Array<[unknown, unknown, unknown, unknown, unknown, unknown]> {
	return batchesOf(sandbox).flatMap((batch) =>
		(batch.journalTransactionLines ?? []).map(
			(line): [unknown, unknown, unknown, unknown, unknown, unknown] => [
				line.accountNumber,
				line.debitAmountInCurrency,
				line.creditAmountInCurrency,
				(line.project as IDataObject | undefined)?.id,
				(line.projectTask as IDataObject | undefined)?.id,
				line.branch,
			],
		),
	);
}

describe('a line’s project, task and branch (n8n engine, Visma.net sandbox)', () => {
	it('books them on the line; a rerun posts nothing though Visma.net fills in X and the batch’s branch', async () => {
		const first = postOutputs(await run([aprilWithProject()]));
		expect(first.map((visma) => visma.status)).toEqual(['posted']);
		expect(bookedLines()).toEqual([
			['4000', 1200, 0, 'P-01', 'T1', '2'],
			['4000', 300, 0, 'X', undefined, '1'],
			['2100', 0, 1500, 'X', undefined, '1'],
		]);

		const rerun = postOutputs(await run([aprilWithProject()]));
		expect(rerun.map((visma) => [visma.status, visma.batchNumber])).toEqual([
			['alreadyPosted', first[0].batchNumber],
		]);
		expect(batchesOf(sandbox)).toHaveLength(1);
	});

	it('a project changed after posting: the difference journal moves the amount to the new project, once', async () => {
		await run([aprilWithProject('P-01')]);
		const changed = postOutputs(
			await run([aprilWithProject('P-02')], { post: { onChangedJournal: 'differenceJournal' } }),
		);
		expect(changed.map((visma) => visma.status)).toEqual(['posted']);
		const batches = batchesOf(sandbox);
		expect(batches).toHaveLength(2);
		expect(bookedLines().slice(3)).toEqual(
			expect.arrayContaining([
				['4000', 0, 1200, 'P-01', 'T1', '2'],
				['4000', 1200, 0, 'P-02', 'T1', '2'],
			]),
		);
		expect(bookedLines()).toHaveLength(5);

		const rerun = postOutputs(
			await run([aprilWithProject('P-02')], { post: { onChangedJournal: 'differenceJournal' } }),
		);
		expect(rerun.map((visma) => visma.status)).toEqual(['alreadyPosted']);
		expect(batchesOf(sandbox)).toHaveLength(2);
	});

	it('a Non-Project Code other than the company’s: the rerun posts nothing and says what to set', async () => {
		await run([aprilWithProject()]);
		const result = await run([aprilWithProject()], {
			post: {
				onChangedJournal: 'differenceJournal',
				options: { nonProjectCode: 'NP' },
			},
			continueOnFail: true,
		});
		const [item] = result.json('Post Journal Transaction');
		const issues = (item.errors ?? (item.details as IDataObject | undefined)?.errors) as Array<{
			code: string;
			message: string;
		}>;
		expect(issues.map((issue) => issue.code)).toEqual(['READ_BACK_DIMENSIONS_DIFFER']);
		expect(issues[0].message).toContain('sent without a project, reads back project X');
		expect(batchesOf(sandbox)).toHaveLength(1);
	});

	it('Check in Visma.net refuses an unknown and an inactive branch before anything is sent', async () => {
		const journal = aprilWithProject('P-01', '9');
		journal.lines[1].branch = '3';
		const result = await run([journal], { validate: { checkInVismaNet: true } });
		const invalid = result.json('Validate Journal', 1);
		expect(invalid).toHaveLength(1);
		const errors = invalid[0].errors as Array<{ code: string; message: string }>;
		expect(errors.map((error) => error.code)).toEqual(['BRANCH_UNKNOWN', 'BRANCH_INACTIVE']);
		expect(errors[0].message).toContain('branch 9 does not exist in Visma.net (used on line 1)');
		expect(errors[1].message).toContain('branch 3 (Bakkerij De Vries Filiaal Kampen (gesloten))');
		expect(batchesOf(sandbox)).toHaveLength(0);
	});

	it('a project task without a project is refused by Validate Journal, saying what to do', async () => {
		const journal = aprilWithProject();
		delete journal.lines[0].project;
		const result = await run([journal]);
		const errors = result.json('Validate Journal', 1)[0].errors as Array<{ code: string }>;
		expect(errors.map((error) => error.code)).toEqual(['PROJECT_TASK_WITHOUT_PROJECT']);
		expect(batchesOf(sandbox)).toHaveLength(0);
	});
});
