/**
 * Exactly once (journal-contract §5) under the faults of a real month end: the seed's March run
 * (three parts: 202601 and 202602 TWK, 202603 the run itself) through n8n's engine against the
 * local Visma.net sandbox, with the sandbox's faults. Each scenario proves two things from the
 * sandbox itself: how many batches it holds, and how many journal POSTs it received (a blind
 * re-POST would show as one more POST than batches wanted).
 */

import type { RequestLogEntry } from '../../sandboxes/visma-net/server';
import { marchRunWithTwk, smallJournal } from '../helpers/journals';
import { batchesOf, type FlowParameters } from '../../scripts/lib/harness/payrollFlow';
import { usePayrollFlow } from '../helpers/usePayrollFlow';
import { useVismaSandbox } from '../helpers/sandboxes';
import type { WorkflowRunResult } from '../../scripts/lib/harness/workflowHarness';
import { postOutputs, type PostOutput } from '../helpers/workflowChecks';

const POST_NODE = 'Post Journal Transaction';
const JOURNALS = '/v2/journaltransaction';
const MARCH_PERIODS = ['202601', '202602', '202603'];

interface ItemError {
	code: string;
	message: string;
}

const sandbox = useVismaSandbox({ tokens: true });
const flow = usePayrollFlow(sandbox);

function postErrors(result: WorkflowRunResult): Array<ItemError | undefined> {
	return result.json(POST_NODE).map((json) => json.error as ItemError | undefined);
}

function statuses(result: WorkflowRunResult): string[] {
	return postOutputs(result).map((visma) => visma.status);
}

/** The journal POSTs (creating a batch) the sandbox received, including failed and dropped ones. */
function journalPosts(log: readonly RequestLogEntry[] = sandbox.requests()): RequestLogEntry[] {
	return log.filter((entry) => entry.method === 'POST' && entry.path.toLowerCase() === JOURNALS);
}

function periodsOfBatches(): string[] {
	return batchesOf(sandbox)
		.map((batch) => String(batch.financialPeriod))
		.sort();
}

async function runMarch(parameters: FlowParameters = {}): Promise<WorkflowRunResult> {
	return await flow.run([marchRunWithTwk()], parameters);
}

/** A rerun of the same journal: it must find every part and post nothing. */
async function expectRerunPostsNothing(): Promise<void> {
	const before = journalPosts().length;
	const rerun = await runMarch();
	expect(statuses(rerun)).toEqual(['alreadyPosted', 'alreadyPosted', 'alreadyPosted']);
	expect(journalPosts().length).toBe(before);
	expect(periodsOfBatches()).toEqual(MARCH_PERIODS);
}

describe('exactly once under the faults of a month end (n8n engine, Visma.net sandbox)', () => {
	it('recovers a POST whose connection dropped after Visma.net booked it: looks again, reports the batch, posts nothing twice', async () => {
		sandbox.faults.dropAfterCommit({ method: 'POST', path: JOURNALS, count: 1 });

		const result = await runMarch();

		const posted = postOutputs(result);
		expect(posted.map((visma) => [visma.financialPeriod, visma.status])).toEqual([
			['202601', 'posted'],
			['202602', 'posted'],
			['202603', 'posted'],
		]);
		expect(posted[0].recovered).toBe(true);
		expect(posted.slice(1).map((visma) => visma.recovered)).toEqual([undefined, undefined]);
		const posts = journalPosts();
		expect(posts.map((entry) => entry.status)).toEqual(['dropped', 201, 201]);
		expect(periodsOfBatches()).toEqual(MARCH_PERIODS);
		// The batch reported is the one Visma.net booked on the dropped connection.
		expect(posted[0].batchNumber).toBe(
			batchesOf(sandbox).find((batch) => batch.financialPeriod === '202601')?.batchNumber,
		);

		await expectRerunPostsNothing();
	});

	it.each([500, 503])(
		'fails only the part whose POST got a %i (not booked), never re-sends it blindly; the rerun posts the missing part',
		async (status) => {
			sandbox.faults.failNext({ status, method: 'POST', path: JOURNALS, count: 1 });

			const result = await runMarch({ continueOnFail: true });

			expect(statuses(result)).toEqual(['failed', 'posted', 'posted']);
			const [error] = postErrors(result);
			expect(error?.code).toBe('POST_OUTCOME_UNKNOWN');
			expect(error?.message).toContain('Run the workflow again');
			// One POST per part: the failed one was not sent again, but looked up instead.
			expect(journalPosts().map((entry) => entry.status)).toEqual([status, 201, 201]);
			expect(periodsOfBatches()).toEqual(['202602', '202603']);

			const postsBefore = journalPosts().length;
			const rerun = await runMarch();
			expect(statuses(rerun)).toEqual(['posted', 'alreadyPosted', 'alreadyPosted']);
			expect(journalPosts().length - postsBefore).toBe(1);
			expect(periodsOfBatches()).toEqual(MARCH_PERIODS);

			await expectRerunPostsNothing();
		},
	);

	it('waits out a 429 storm (Retry-After 1 s) on reads and POSTs and posts each part once', async () => {
		sandbox.faults.rateLimitStorm(2, 1, { method: 'GET', path: JOURNALS });
		sandbox.faults.rateLimitStorm(2, 1, { method: 'POST', path: JOURNALS });
		const started = Date.now();

		const result = await runMarch();

		const elapsedMs = Date.now() - started;
		expect(statuses(result)).toEqual(['posted', 'posted', 'posted']);
		const throttled = sandbox.requests().filter((entry) => entry.status === 429);
		expect(throttled.map((entry) => entry.method)).toEqual(['GET', 'GET', 'POST', 'POST']);
		// Two refused POSTs (429 comes before any processing) and three booked ones.
		expect(journalPosts().map((entry) => entry.status)).toEqual([429, 429, 201, 201, 201]);
		expect(periodsOfBatches()).toEqual(MARCH_PERIODS);
		// Four waits of Retry-After: at least 4 s, and not the default backoff's minutes.
		expect(elapsedMs).toBeGreaterThanOrEqual(4000);
		expect(elapsedMs).toBeLessThan(15_000);
	}, 30_000);

	it('retries 5xx bursts on the reads (dimensions and the period list) and posts each part once', async () => {
		sandbox.faults.configure({
			failNext: [
				{ status: 503, method: 'GET', path: '/v1/dimension', count: 1 },
				{ status: 500, method: 'GET', path: JOURNALS, count: 1 },
				{ status: 502, method: 'GET', path: JOURNALS, count: 1 },
			],
		});

		const result = await runMarch();

		expect(statuses(result)).toEqual(['posted', 'posted', 'posted']);
		const faulted = sandbox.requests().filter((entry) => entry.fault !== undefined);
		expect(faulted.map((entry) => [entry.method, entry.status])).toEqual([
			['GET', 503],
			['GET', 500],
			['GET', 502],
		]);
		expect(journalPosts().map((entry) => entry.status)).toEqual([201, 201, 201]);
		expect(periodsOfBatches()).toEqual(MARCH_PERIODS);
	}, 30_000);

	it('fetches a new token when the tokens expire between two runs, and the rerun posts nothing', async () => {
		const first = await runMarch();
		expect(statuses(first)).toEqual(['posted', 'posted', 'posted']);
		expect(sandbox.expireTokens()).toBeGreaterThan(0);
		sandbox.clearRequests();

		await expectRerunPostsNothing();

		const log = sandbox.requests();
		// The stored token is refused once, n8n fetches a new one and repeats that call.
		expect(log.filter((entry) => entry.status === 401)).toHaveLength(1);
		expect(
			log.filter((entry) => entry.path === '/connect/token' && entry.status === 200),
		).toHaveLength(1);
	});

	it('fetches a new token when the tokens expire in the middle of a run (right after the first POST), nothing doubled', async () => {
		// The sandbox asks its fault controller after every successful answer whether to drop it;
		// that moment is used to expire every token once the first journal POST is booked.
		const takeDrop = sandbox.faults.takeDrop.bind(sandbox.faults);
		let expired = 0;
		const spy = jest.spyOn(sandbox.faults, 'takeDrop').mockImplementation((method, path) => {
			if (expired === 0 && method === 'POST' && path.toLowerCase() === JOURNALS)
				expired = sandbox.expireTokens();
			return takeDrop(method, path);
		});
		try {
			const result = await runMarch();

			expect(expired).toBeGreaterThan(0);
			expect(statuses(result)).toEqual(['posted', 'posted', 'posted']);
			const log = sandbox.requests();
			const refused = log.filter((entry) => entry.status === 401);
			expect(refused).toHaveLength(1);
			expect(refused[0].method).toBe('GET');
			expect(
				log.filter((entry) => entry.path === '/connect/token' && entry.status === 200),
			).toHaveLength(2);
			expect(journalPosts().map((entry) => entry.status)).toEqual([201, 201, 201]);
			expect(periodsOfBatches()).toEqual(MARCH_PERIODS);
		} finally {
			spy.mockRestore();
		}
	});

	it('two executions racing on the same journal (Visma.net numbers the batches): every part is booked once; the later copy stays On Hold, marked as a duplicate', async () => {
		// A little latency makes both executions read each period before either has posted it,
		// as two n8n workers started by the same trigger would.
		sandbox.faults.setLatency({ fixedMs: 20 });
		const [first, second] = await Promise.all([
			runMarch({ continueOnFail: true }),
			runMarch({ continueOnFail: true }),
		]);
		sandbox.faults.setLatency(null);

		const posts = journalPosts();
		const batches = batchesOf(sandbox);
		// With this interleaving both executions post every part (each On Hold): 6 batches for 3 parts.
		expect(posts).toHaveLength(6);
		expect(batches).toHaveLength(6);
		for (const period of MARCH_PERIODS) {
			const inPeriod = batches.filter((batch) => batch.financialPeriod === period);
			const live = inPeriod.filter((batch) => batch.status !== 'Hold');
			const held = inPeriod.filter((batch) => batch.status === 'Hold');
			// Exactly one batch in the ledger: the one Visma.net numbered first.
			expect(live).toHaveLength(1);
			expect(held).toHaveLength(1);
			expect(Number(live[0].batchNumber)).toBeLessThan(Number(held[0].batchNumber));
			expect(held[0].description).toMatch(
				new RegExp(`^Duplicate of batch ${live[0].batchNumber}, never booked: safe to delete\\. `),
			);
			expect(live[0].description).toMatch(/^\[vnp:/);
		}
		// Each execution says what happened: one booked each part, the other found it booked.
		for (const [index, period] of MARCH_PERIODS.entries()) {
			const pair = [postOutputs(first)[index], postOutputs(second)[index]];
			const standing = batches.find(
				(batch) => batch.financialPeriod === period && batch.status !== 'Hold',
			)!;
			expect(pair.map((visma) => visma.status).sort()).toEqual(['alreadyPosted', 'posted']);
			expect(pair.every((visma) => visma.batchNumber === standing.batchNumber)).toBe(true);
		}

		// The next run finds each part booked once and posts nothing.
		const check = await runMarch();
		expect(journalPosts()).toHaveLength(6);
		expect(statuses(check)).toEqual(['alreadyPosted', 'alreadyPosted', 'alreadyPosted']);
	});

	it('a held batch of the part left by an execution that stopped before taking it off hold is completed by the rerun, not posted again', async () => {
		// Every PUT that takes a part off hold is refused (as an execution that stopped there would leave it): each part fails with what to do.
		sandbox.faults.configure({
			clear: true,
			failNext: { method: 'PUT', path: '/v2/journaltransaction/', status: 400, count: 100 },
		});
		const interrupted = await runMarch({ continueOnFail: true });
		sandbox.faults.clear();
		expect(postErrors(interrupted).map((error) => error?.code)).toEqual([
			'HOLD_NOT_CLEARED',
			'HOLD_NOT_CLEARED',
			'HOLD_NOT_CLEARED',
		]);
		expect(batchesOf(sandbox).map((batch) => batch.status)).toEqual(['Hold', 'Hold', 'Hold']);
		expect(journalPosts()).toHaveLength(3);

		const rerun = await runMarch();
		expect(journalPosts()).toHaveLength(3);
		expect(statuses(rerun)).toEqual(['alreadyPosted', 'alreadyPosted', 'alreadyPosted']);
		expect(postOutputs(rerun).map((visma) => visma.tookOffHold)).toEqual([
			'000001',
			'000002',
			'000003',
		]);
		expect(batchesOf(sandbox).map((batch) => batch.status)).toEqual([
			'Balanced',
			'Balanced',
			'Balanced',
		]);
	});
});

describe('a recalculation that comes back to an earlier content (Post Difference Journal)', () => {
	const DIFFERENCE = { post: { onChangedJournal: 'differenceJournal' } };
	/** The April journal with gross (and net) wages of `amount`. */
	const april = (amount: string) =>
		smallJournal({
			lines: [
				{ account: '4000', description: 'Bruto lonen', debit: amount, costCenter: '100' },
				{ account: '2100', description: 'Nettolonen te betalen', credit: amount },
			],
		});
	const A = april('1000.00');
	const B = april('1100.00');
	/** The net of account 4000 over every batch: what Visma.net books as gross wages. */
	const grossBooked = () =>
		batchesOf(sandbox)
			.flatMap((batch) => batch.journalTransactionLines ?? [])
			.filter((line) => line.accountNumber === '4000')
			.reduce(
				(sum, line) =>
					sum + Number(line.debitAmountInCurrency) - Number(line.creditAmountInCurrency),
				0,
			);

	it('A→B→A: each run posts once; a plain rerun of A is already posted (not JOURNAL_DUPLICATED), and A→B→A→B ends on B', async () => {
		const outcomes: Array<[string, string | null]> = [];
		for (const journal of [A, B, A, A]) {
			const [visma] = postOutputs(await flow.run([journal], DIFFERENCE));
			outcomes.push([visma.status, visma.batchNumber]);
		}
		expect(outcomes).toEqual([
			['posted', '000001'],
			['posted', '000002'],
			['posted', '000003'],
			['alreadyPosted', '000003'],
		]);
		expect(journalPosts()).toHaveLength(3);
		expect(grossBooked()).toBe(1000);

		// Back to B: its difference journal books the same amounts as 000002, under a tag of its own.
		expect(
			postOutputs(await flow.run([B], DIFFERENCE)).map((visma) => [
				visma.status,
				visma.batchNumber,
			]),
		).toEqual([['posted', '000004']]);
		expect(
			postOutputs(await flow.run([B], DIFFERENCE)).map((visma) => [
				visma.status,
				visma.batchNumber,
			]),
		).toEqual([['alreadyPosted', '000004']]);
		expect(journalPosts()).toHaveLength(4);
		expect(grossBooked()).toBe(1100);
		const tags = batchesOf(sandbox).map((batch) => String(batch.description).split(' ')[0]);
		expect(new Set(tags).size).toBe(4);
	});

	it('A→B→A with the difference POST answered 500 (not booked): failed, not "posted" as the old batch 000001; the rerun posts it', async () => {
		await flow.run([A], DIFFERENCE);
		await flow.run([B], DIFFERENCE);
		sandbox.faults.failNext({ status: 500, method: 'POST', path: JOURNALS, count: 1 });

		const result = await flow.run([A], { ...DIFFERENCE, continueOnFail: true });

		const [item] = result.json(POST_NODE);
		expect((item.visma as PostOutput).status).toBe('failed');
		expect((item.visma as PostOutput).recovered).toBeUndefined();
		expect((item.error as ItemError).code).toBe('POST_OUTCOME_UNKNOWN');
		expect(batchesOf(sandbox)).toHaveLength(2);
		expect(grossBooked()).toBe(1100);

		const rerun = postOutputs(await flow.run([A], DIFFERENCE));
		expect(rerun.map((visma) => [visma.status, visma.batchNumber])).toEqual([['posted', '000003']]);
		expect(grossBooked()).toBe(1000);
		expect(postOutputs(await flow.run([A], DIFFERENCE)).map((visma) => visma.status)).toEqual([
			'alreadyPosted',
		]);
	});

	it('A→B→A with the difference booked but its answer dropped: the new batch is reported, recovered, and nothing is posted twice', async () => {
		await flow.run([A], DIFFERENCE);
		await flow.run([B], DIFFERENCE);
		sandbox.faults.dropAfterCommit({ method: 'POST', path: JOURNALS, count: 1 });

		const [visma] = postOutputs(await flow.run([A], DIFFERENCE));

		expect([visma.status, visma.batchNumber, visma.recovered]).toEqual(['posted', '000003', true]);
		expect(batchesOf(sandbox)).toHaveLength(3);
		expect(postOutputs(await flow.run([A], DIFFERENCE)).map((output) => output.status)).toEqual([
			'alreadyPosted',
		]);
		expect(journalPosts()).toHaveLength(3);
		expect(grossBooked()).toBe(1000);
	});
});

describe('release after posting', () => {
	it('reports a failed release as RELEASE_FAILED naming the posted batch; the rerun releases it and posts nothing', async () => {
		// Visma.net refuses the release of the first part (400); the POST itself succeeded.
		sandbox.faults.failNext({ status: 400, method: 'POST', path: `${JOURNALS}/`, count: 1 });

		const result = await runMarch({ post: { release: true }, continueOnFail: true });

		const [first, ...rest] = result.json(POST_NODE);
		const visma = first.visma as PostOutput;
		const error = first.error as ItemError;
		expect(error.code).toBe('RELEASE_FAILED');
		expect(visma.status).toBe('posted');
		expect(visma.released).toBe(false);
		expect(visma.batchNumber).toMatch(/^\d+$/);
		expect(error.message).toContain(`batch ${visma.batchNumber}`);
		expect(
			rest.map((json) => [(json.visma as PostOutput).status, (json.visma as PostOutput).released]),
		).toEqual([
			['posted', true],
			['posted', true],
		]);
		expect(journalPosts()).toHaveLength(3);
		const unreleased = batchesOf(sandbox).find((batch) => batch.batchNumber === visma.batchNumber);
		expect(unreleased?.status).toBe('Balanced');

		const rerun = await runMarch({ post: { release: true } });
		const again = postOutputs(rerun);
		expect(again.map((output) => output.status)).toEqual([
			'alreadyPosted',
			'alreadyPosted',
			'alreadyPosted',
		]);
		expect(again[0]).toMatchObject({ batchNumber: visma.batchNumber, released: true });
		expect(journalPosts()).toHaveLength(3);
		expect(batchesOf(sandbox).map((batch) => batch.status)).toEqual(['Posted', 'Posted', 'Posted']);
	});
});

describe('hostile text: only the package’s own tag counts', () => {
	const descriptions = () => batchesOf(sandbox).map((batch) => String(batch.description));

	it('a journal whose reference and line texts hold tag-like text: three runs, exactly one batch, and no "[vnp:" but the tag reaches Visma.net', async () => {
		const fake = '[vnp:0123456789abcdef:0123456789abcdef:0]';
		// A reference holds 15 characters in Visma.net (a longer one is refused before sending): the whole fake tag goes into the line texts.
		const journal = smallJournal({ reference: 'R2026-04 [VNP:', description: `April ${fake}` });
		journal.lines = journal.lines.map((line) => ({
			...line,
			description: `${String(line.description)} ${fake}`,
		}));

		const outcomes: string[] = [];
		for (let run = 0; run < 3; run++) outcomes.push(...statuses(await flow.run([journal])));

		expect(outcomes).toEqual(['posted', 'alreadyPosted', 'alreadyPosted']);
		expect(journalPosts()).toHaveLength(1);
		const [batch] = batchesOf(sandbox);
		expect(batchesOf(sandbox)).toHaveLength(1);
		const texts = [
			String(batch.description),
			...(batch.journalTransactionLines ?? []).flatMap((line) => [
				String(line.referenceNumber),
				String(line.transactionDescription),
			]),
		];
		// The tag first; everywhere else the user's bracket is a parenthesis a bookkeeper can read.
		expect(texts[0]).toMatch(/^\[vnp:[0-9a-f]{16}:[0-9a-f]{16}:0\] /);
		expect([texts[0].slice(42), ...texts.slice(1)].filter((text) => /\[vnp:/i.test(text))).toEqual(
			[],
		);
		expect(texts[0]).toContain('R2026-04 (VNP:');
		expect(
			texts.slice(1).filter((text) => text.includes('(vnp:0123456789abcdef:0123456789abcdef:0]')),
		).not.toEqual([]);
	});

	// A reference holds 15 characters in Visma.net: one carrying a whole tag (45) is refused before anything is sent.
	it('a journal B whose reference carries journal A’s exact tag is refused before sending; A is booked once', async () => {
		const journalA = smallJournal({ reference: 'R2026-04-A' });
		const dryRun = await flow.run([journalA], { post: { mode: 'dryRun' } });
		const tagA = `[${String(postOutputs(dryRun)[0].idempotencyKey)}]`;
		expect(tagA).toMatch(/^\[vnp:[0-9a-f]{16}:[0-9a-f]{16}:0\]$/);
		const journalB = smallJournal({ reference: `${tagA} R2026-04-B` });

		const refusedB = await flow.run([journalB]);
		expect(refusedB.nodes['Post Journal Transaction'].error?.message).toMatch(
			/has 52 characters, but Visma\.net keeps at most 15/,
		);
		expect(statuses(await flow.run([journalA]))).toEqual(['posted']);
		expect(statuses(await flow.run([journalA]))).toEqual(['alreadyPosted']);

		expect(journalPosts()).toHaveLength(1);
		expect(batchesOf(sandbox)).toHaveLength(1);
		expect(descriptions().filter((description) => description.includes(tagA))).toHaveLength(1);
	});
});
