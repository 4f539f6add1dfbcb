/**
 * Derived batch numbers (Post's Batch Numbers = derived, journal-contract §5): each posting of a
 * part asks Visma.net for a number derived from the part, so Visma.net's own uniqueness of batch
 * numbers is the lock. Run through n8n's engine against the sandbox, whose GL series allows manual
 * numbering on imports for the demo company (and not in the strict sandbox below).
 */
import type { IDataObject } from 'n8n-workflow';

import { derivedBatchNumber } from '../../nodes/core/idempotency';
import { loadSandboxData } from '../../sandboxes/visma-net/data';
import { startSandbox, type RequestLogEntry, type Sandbox } from '../../sandboxes/visma-net/server';
import { marchRunWithTwk, type JsonJournal } from '../helpers/journals';
import {
	batchesOf,
	createPayrollFlow,
	type FlowParameters,
} from '../../scripts/lib/harness/payrollFlow';
import { usePayrollFlow } from '../helpers/usePayrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import { postOutputs, type PostOutput } from '../helpers/workflowChecks';

const POST_NODE = 'Post Journal Transaction';
const JOURNALS = '/v2/journaltransaction';
const DERIVED: FlowParameters = { post: { batchNumbers: 'derived' } };

const sandbox = useVismaSandbox({ tokens: true });
const flow = usePayrollFlow(sandbox);

/** Every call Post made about GL batches: the period reads, the POSTs and the reads of one batch. */
function batchCalls(log: readonly RequestLogEntry[] = sandbox.requests()): RequestLogEntry[] {
	return log.filter((entry) => entry.path.toLowerCase().startsWith(JOURNALS));
}

/** The derived number of a posting, from the identity its key names. */
function numberOf(visma: PostOutput, revision = 0): string {
	return derivedBatchNumber(visma.idempotencyKey.split(':')[1], revision);
}

function recalculated(): JsonJournal {
	const journal = marchRunWithTwk();
	journal.lines[0].debit = '4300.00';
	journal.lines[6].credit = '5275.15';
	return journal;
}

describe('derived batch numbers (n8n engine, Visma.net sandbox)', () => {
	it('posts each part with one call, under its derived number; a rerun finds every part and posts nothing', async () => {
		const first = postOutputs(await flow.run([marchRunWithTwk()], DERIVED));

		expect(first.map((visma) => visma.status)).toEqual(['posted', 'posted', 'posted']);
		for (const visma of first) expect(visma.batchNumber).toBe(numberOf(visma));
		// One call per part on a first post: the POST itself, no period read before it.
		expect(batchCalls().map((entry) => [entry.method, entry.status])).toEqual([
			['POST', 201],
			['POST', 201],
			['POST', 201],
		]);
		expect(
			batchesOf(sandbox)
				.map((batch) => batch.batchNumber)
				.sort(),
		).toEqual(first.map((visma) => visma.batchNumber).sort());

		const rerun = postOutputs(await flow.run([marchRunWithTwk()], DERIVED));
		expect(rerun.map((visma) => [visma.status, visma.batchNumber])).toEqual(
			first.map((visma) => ['alreadyPosted', visma.batchNumber]),
		);
		expect(batchesOf(sandbox)).toHaveLength(3);
	});

	it('two executions of one journal at the same moment: one batch per part, the other execution reports it', async () => {
		const [a, b] = await Promise.all([
			flow.run([marchRunWithTwk()], DERIVED),
			flow.run([marchRunWithTwk()], DERIVED),
		]);

		const batches = batchesOf(sandbox);
		expect(batches).toHaveLength(3);
		expect(new Set(batches.map((batch) => batch.financialPeriod)).size).toBe(3);
		const [first, second] = [postOutputs(a), postOutputs(b)];
		for (let part = 0; part < 3; part++) {
			expect([first[part].status, second[part].status].sort()).toEqual(['alreadyPosted', 'posted']);
			expect(first[part].batchNumber).toBe(second[part].batchNumber);
		}
	});

	it('a dropped POST that Visma.net booked is found under its number (one read of that batch), not posted again', async () => {
		sandbox.faults.dropAfterCommit({ method: 'POST', path: JOURNALS, count: 1 });

		const posted = postOutputs(await flow.run([marchRunWithTwk()], DERIVED));

		expect(posted.map((visma) => visma.status)).toEqual(['posted', 'posted', 'posted']);
		expect(posted[0].recovered).toBe(true);
		expect(batchCalls().map((entry) => [entry.method, entry.path, entry.status])).toEqual([
			['POST', JOURNALS, 'dropped'],
			['GET', `${JOURNALS}/${posted[0].batchNumber}`, 200],
			['POST', JOURNALS, 201],
			['POST', JOURNALS, 201],
		]);
		expect(batchesOf(sandbox)).toHaveLength(3);
	});

	it('a 503 on the POST (not booked) fails only that part, POST_OUTCOME_UNKNOWN; the rerun posts it under the same number', async () => {
		sandbox.faults.failNext({ status: 503, method: 'POST', path: JOURNALS, count: 1 });

		const result = await flow.run([marchRunWithTwk()], { ...DERIVED, continueOnFail: true });
		const items = result.json(POST_NODE);
		expect(items.map((json) => (json.visma as PostOutput).status)).toEqual([
			'failed',
			'posted',
			'posted',
		]);
		expect((items[0].error as { code: string }).code).toBe('POST_OUTCOME_UNKNOWN');
		expect(batchesOf(sandbox)).toHaveLength(2);

		const rerun = postOutputs(await flow.run([marchRunWithTwk()], DERIVED));
		expect(rerun.map((visma) => visma.status)).toEqual([
			'posted',
			'alreadyPosted',
			'alreadyPosted',
		]);
		expect(rerun[0].batchNumber).toBe(numberOf(rerun[0]));
		expect(batchesOf(sandbox)).toHaveLength(3);
	});

	it('a recalculated journal: the refused number leads to the period’s batches, the difference journal gets the revision-1 number', async () => {
		const first = postOutputs(await flow.run([marchRunWithTwk()], DERIVED));
		sandbox.clearRequests();

		const changed = postOutputs(
			await flow.run([recalculated()], {
				post: { batchNumbers: 'derived', onChangedJournal: 'differenceJournal' },
			}),
		);

		expect(changed.map((visma) => visma.status)).toEqual([
			'alreadyPosted',
			'alreadyPosted',
			'posted',
		]);
		expect(changed[2].difference).toBe(true);
		expect(changed[2].batchNumber).toBe(numberOf(first[2], 1));
		expect(batchesOf(sandbox)).toHaveLength(4);

		// Back to the first version: revision 0 carries that content, but Visma.net holds the recalculated one.
		const back = postOutputs(
			await flow.run([marchRunWithTwk()], {
				post: { batchNumbers: 'derived', onChangedJournal: 'differenceJournal' },
			}),
		);
		expect(back.map((visma) => visma.status)).toEqual(['alreadyPosted', 'alreadyPosted', 'posted']);
		expect(back[2].batchNumber).toBe(numberOf(first[2], 2));
		expect(batchesOf(sandbox)).toHaveLength(5);
	});

	it('two executions posting the same difference journal at the same moment: one difference batch, the other reports it', async () => {
		const first = postOutputs(await flow.run([marchRunWithTwk()], DERIVED));
		const changedFlow: FlowParameters = {
			post: { batchNumbers: 'derived', onChangedJournal: 'differenceJournal' },
		};

		const [a, b] = await Promise.all([
			flow.run([recalculated()], changedFlow),
			flow.run([recalculated()], changedFlow),
		]);

		expect(batchesOf(sandbox)).toHaveLength(4);
		const [x, y] = [postOutputs(a)[2], postOutputs(b)[2]];
		expect([x.status, y.status].sort()).toEqual(['alreadyPosted', 'posted']);
		expect(x.batchNumber).toBe(numberOf(first[2], 1));
		expect(y.batchNumber).toBe(x.batchNumber);
	});

	it('a number taken by a batch that is not this part’s fails that part (BATCH_NUMBER_TAKEN), and nothing is reported as posted', async () => {
		const dry = postOutputs(
			await flow.run([marchRunWithTwk()], { post: { mode: 'dryRun', batchNumbers: 'derived' } }),
		);
		const taken = numberOf(dry[2]);
		const body = {
			...(dry[0].request as IDataObject),
			overrideNumberSeries: { value: true },
			batchNumber: { value: taken },
		};
		const response = await fetch(`${sandbox.url}${JOURNALS}`, {
			method: 'POST',
			headers: {
				Authorization: `Bearer ${sandbox.issueToken()}`,
				'Content-Type': 'application/json',
			},
			body: JSON.stringify({ ...body, description: { value: 'Handmatige boeking' } }),
		});
		expect(response.status).toBe(201);

		const result = await flow.run([marchRunWithTwk()], { ...DERIVED, continueOnFail: true });
		const items = result.json(POST_NODE);
		expect(items.map((json) => (json.visma as PostOutput).status)).toEqual([
			'posted',
			'posted',
			'failed',
		]);
		expect((items[2].error as { code: string }).code).toBe('BATCH_NUMBER_TAKEN');
		expect(batchesOf(sandbox)).toHaveLength(3);
	});

	it('a dry run shows the derived number and overrideNumberSeries in the body', async () => {
		const dry = postOutputs(
			await flow.run([marchRunWithTwk()], { post: { mode: 'dryRun', batchNumbers: 'derived' } }),
		);
		for (const visma of dry) {
			expect(visma.request?.overrideNumberSeries).toEqual({ value: true });
			expect(visma.request?.batchNumber).toEqual({ value: numberOf(visma) });
		}
		expect(batchCalls()).toEqual([]);
	});
});

describe('derived batch numbers where the series does not allow manual numbering', () => {
	let strict: Sandbox;

	beforeAll(async () => {
		const data = loadSandboxData();
		for (const company of data.companies) company.batchNumbering.allowManualNumbering = false;
		strict = await startSandbox({ port: 0, data });
	});
	afterAll(async () => {
		await strict.close();
	});

	it('fails the part with Visma.net’s refusal and says which box to tick; nothing is booked', async () => {
		const result = await createPayrollFlow(strict).run([marchRunWithTwk()], {
			...DERIVED,
			continueOnFail: true,
		});

		const items = result.json(POST_NODE);
		expect(items.map((json) => (json.visma as PostOutput).status)).toEqual([
			'failed',
			'failed',
			'failed',
		]);
		const error = items[0].error as { message: string; description?: string };
		expect(`${error.message} ${error.description ?? ''}`).toContain(
			'In Visma.net open Number series (CS201010), the GL batch number series, tick Allow manual numbering on imports, or set Post’s Batch Numbers to Visma.net’s number series.',
		);
		expect(batchesOf(strict)).toEqual([]);
	});
});
