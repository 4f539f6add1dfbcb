/**
 * The fault suite (issue 6.1): never twice, never lost (journal-contract §5) under the faults of
 * a real month end, against the local Visma.net sandbox, seeded and reproducible.
 *
 *   npm run test:faults -- --runs 100 --seed 1 [--races 20] [--only-run 17] [--batch-numbers derived]
 *
 * Each run generates 1–2 realistic journals (generateJournals.ts), injects 1–3 fault kinds, runs
 * the chain through n8n's engine, clears the faults and reruns until every part is `posted` or
 * `alreadyPosted` (at most MAX_RERUNS), confirms that one more run posts nothing, and compares the
 * sandbox's batches with what should be booked: per part exactly one batch, in its period, with
 * its lines and its net amount per account and subaccount. Then pairs of executions race on the
 * same journal: how often a part is booked twice, and whether the next run names every duplicate
 * (JOURNAL_DUPLICATED). Finally every secret the runs handled is looked for in what a user or an
 * operator can read.
 *
 * Timeouts: the nodes use the transport's DEFAULT_RETRY_POLICY (timeoutMs 60 s) and offer no
 * setting for it, so the suite lowers that policy's timeout in its own process (TIMEOUT_MS) and
 * holds one request back longer than that.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../nodes/transport/retry';
import { seededRandom } from '../../scripts/lib/seededRandom';
import type { FlowParameters, PayrollFlow } from '../../scripts/lib/harness/payrollFlow';
import { findLeaks, readablePlaces } from '../helpers/workflowChecks';
import type { WorkflowRunResult } from '../../scripts/lib/harness/workflowHarness';
import { startSandbox, type RequestLogEntry, type Sandbox } from '../../sandboxes/visma-net/server';
import { createFaultFlow, targetOf, tokensOf } from './flow';
import {
	Dice,
	generateJournal,
	runSeed,
	type ExpectedPart,
	type GeneratedJournal,
} from './generateJournals';
import type { ChildGo, ChildMessage } from './workflowChild';

const JOURNALS = '/v2/journaltransaction';
const POST_NODE = 'Post Journal Transaction';
const DONE = new Set(['posted', 'alreadyPosted']);
/** Reruns after the first execution before a run counts as unfinished. */
export const MAX_RERUNS = 4;
/** The transport's per-request timeout in this process (the default is 60 s). */
export const TIMEOUT_MS = 1000;
/** The timeout of a race's check run: the transport's default (it checks, it is not under faults). */
const CHECK_TIMEOUT_MS = 60_000;

export const FAULT_KINDS = [
	'dropAfterCommit',
	'rateLimitStorm',
	'serverErrorBurst',
	'timeout',
	'latency',
	'randomFailures',
	'tokenExpiry',
	'processKilled',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSuiteOptions {
	runs: number;
	seed: number;
	/** Pairs of racing executions. */
	races: number;
	/** Post's Batch Numbers in every run and race; default `series`. */
	batchNumbers?: 'series' | 'derived';
	/** Replay one run only (its number, 1-based), e.g. to debug a failing seed. */
	onlyRun?: number;
	/** Chance that a run (after the first eight) kills the process mid-run; default 0.1. */
	killProbability?: number;
	/**
	 * The transport's timeout while two executions race (default TIMEOUT_MS); a tiny one makes both
	 * fail, as a loaded machine sometimes does: what they report must then be true, and a rerun books.
	 */
	raceTimeoutMs?: number;
	log?: (line: string) => void;
}

export interface RaceFigures {
	races: number;
	/** Parts posted by two racing executions in all. */
	parts: number;
	/** Parts booked twice (two batches in the ledger, not On Hold): must be 0 in both batch-number modes. */
	duplicatedParts: number;
	/** Races in which at least one part was booked twice. */
	racesWithDuplicate: number;
	/** Duplicates the next run named with JOURNAL_DUPLICATED and both batch numbers. */
	reportedDuplicates: number;
	/** Duplicates nobody reported: must be 0. */
	silentDuplicates: number;
	/**
	 * Parts booked by neither execution although one of them said it was booked (posted or already
	 * posted), or neither said anything of it: must be 0.
	 */
	lostParts: number;
	/**
	 * Parts booked by neither execution, each reported as failed by both (under a loaded machine's
	 * timeouts): nothing is lost, since the check run (a rerun) must book each of them once.
	 */
	failedParts: number;
	/** Copies that stood down: On Hold, marked "Duplicate of batch …", never in the ledger. */
	heldCopies: number;
	/** Duplicated parts / parts raced, by how long the second execution started after the first. */
	byStagger: Record<string, { parts: number; duplicated: number }>;
}

export interface FaultSuiteFigures {
	seed: number;
	runs: number;
	journals: number;
	parts: number;
	linesPosted: number;
	/** Runs that had each kind of fault planned. */
	faultsPlanned: Record<FaultKind, number>;
	/** Faults that actually hit a request (from the sandbox log and the suite's hooks). */
	faultsHit: Record<string, number>;
	executions: number;
	/** Runs that needed 0, 1, 2 ... reruns. */
	rerunsNeeded: Record<string, number>;
	reruns: number;
	duplicates: number;
	losses: number;
	wrongContent: number;
	unexpectedBatches: number;
	/** Runs whose parts were not all posted/alreadyPosted after MAX_RERUNS reruns. */
	unfinished: number;
	/**
	 * Confirmation runs after the last rerun that still sent a journal POST that could book: must
	 * be 0. With derived batch numbers a rerun POSTs first and Visma.net refuses the taken number
	 * (4xx): those are counted in `refusedConfirmationPosts` instead.
	 */
	confirmationPosts: number;
	refusedConfirmationPosts: number;
	race: RaceFigures;
	secrets: { secrets: number; places: number; leaks: string[] };
	/** One line per problem, with the run and its seed. */
	problems: string[];
	durationMs: number;
}

interface Hooks {
	/** Called as a request arrives (logged, before latency); returns extra milliseconds to wait. */
	onRequest?: (entry: RequestLogEntry) => number;
	/** Called after a request was carried out, before its answer is written. */
	onCommitted?: (method: string, path: string) => void;
}

/** Hooks into the sandbox's fault controller; returns the function that removes them. */
function installHooks(sandbox: Sandbox, hooks: Hooks): () => void {
	const faults = sandbox.faults;
	const delayFor = faults.delayFor.bind(faults);
	const takeDrop = faults.takeDrop.bind(faults);
	faults.delayFor = () => {
		const entry = sandbox.requests().at(-1);
		return delayFor() + (entry && hooks.onRequest ? hooks.onRequest(entry) : 0);
	};
	faults.takeDrop = (method, requestPath) => {
		hooks.onCommitted?.(method, requestPath);
		return takeDrop(method, requestPath);
	};
	return () => {
		faults.delayFor = delayFor;
		faults.takeDrop = takeDrop;
	};
}

const isJournalPost = (method: string, requestPath: string) =>
	method === 'POST' && requestPath.toLowerCase() === JOURNALS;
/** A journal POST Visma.net refused (4xx): it booked nothing. */
const isRefused = (entry: RequestLogEntry) =>
	typeof entry.status === 'number' && entry.status >= 400 && entry.status < 500;

// --- the process that gets killed ---------------------------------------------------------------

/** A warm child process (n8n loaded), so a kill costs one run, not n8n's start-up time. */
class ChildPool {
	private warm: Promise<ChildProcess> | undefined;

	spare(): Promise<ChildProcess> {
		this.warm ??= this.spawn();
		const child = this.warm;
		this.warm = undefined;
		return child;
	}

	prepare(): void {
		this.warm ??= this.spawn();
	}

	async close(): Promise<void> {
		const warm = this.warm;
		this.warm = undefined;
		if (warm) (await warm).kill('SIGKILL');
	}

	private spawn(): Promise<ChildProcess> {
		const child = fork(path.join(__dirname, 'workflowChild.ts'), [], {
			execArgv: ['--import', 'tsx'],
			env: { ...process.env, N8N_LOG_LEVEL: 'debug' },
			stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
		});
		const output: string[] = [];
		child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
		child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
		(child as ChildProcess & { output: string[] }).output = output;
		return new Promise((resolve, reject) => {
			child.once('error', reject);
			child.once('exit', (code) =>
				reject(
					new Error(`workflow child exited (${code}) before it was ready: ${output.join('')}`),
				),
			);
			child.on('message', (message: ChildMessage) => {
				if (message.type === 'ready') resolve(child);
			});
		});
	}
}

interface ChildOutcome {
	killed: boolean;
	statuses: string[];
	tokens: string[];
	output: string;
}

/** Runs the chain in a child process and kills it right after the `killAfterPost`-th journal POST is booked. */
async function runInChildAndKill(
	pool: ChildPool,
	sandbox: Sandbox,
	journals: object[],
	parameters: FlowParameters,
	killAfterPost: number,
): Promise<ChildOutcome> {
	const child = await pool.spare();
	const outcome: ChildOutcome = { killed: false, statuses: [], tokens: [], output: '' };
	let posts = 0;
	const removeHooks = installHooks(sandbox, {
		onCommitted(method, requestPath) {
			if (!isJournalPost(method, requestPath) || ++posts !== killAfterPost) return;
			outcome.killed = child.kill('SIGKILL');
		},
	});
	try {
		await new Promise<void>((resolve) => {
			child.removeAllListeners('exit');
			child.on('message', (message: ChildMessage) => {
				if (message.type === 'tokens') outcome.tokens = message.tokens;
				if (message.type === 'done') outcome.statuses = message.statuses;
			});
			child.once('exit', () => resolve());
			const go: ChildGo = { type: 'go', target: targetOf(sandbox), journals, parameters };
			child.send(go);
		});
	} finally {
		removeHooks();
	}
	outcome.output = (child as ChildProcess & { output: string[] }).output.join('');
	return outcome;
}

// --- one run ----------------------------------------------------------------------------------

interface PlannedFaults {
	kinds: FaultKind[];
	removeHooks: () => void;
	hits: Record<string, number>;
	killAfterPost?: number;
}

function planFaults(sandbox: Sandbox, dice: Dice, kinds: FaultKind[], seed: number): PlannedFaults {
	const hits: Record<string, number> = {};
	const hit = (what: string) => {
		hits[what] = (hits[what] ?? 0) + 1;
	};
	sandbox.faults.configure({ clear: true, seed });
	const hooks: Hooks = {};
	let killAfterPost: number | undefined;
	for (const kind of kinds) {
		switch (kind) {
			case 'dropAfterCommit':
				sandbox.faults.dropAfterCommit({ method: 'POST', path: JOURNALS, count: dice.int(1, 2) });
				break;
			case 'rateLimitStorm':
				sandbox.faults.rateLimitStorm(dice.int(1, 2), 1, {
					method: dice.pick([undefined, 'GET', 'POST']),
					path: dice.pick(['/v', JOURNALS]),
				});
				break;
			case 'serverErrorBurst':
				sandbox.faults.failNext({
					status: dice.pick([500, 502, 503, 504]),
					count: dice.int(1, 3),
					method: dice.pick(['GET', 'POST']),
					path: dice.pick(['/v1/', JOURNALS]),
				});
				break;
			case 'latency':
				sandbox.faults.setLatency({ minMs: 0, maxMs: dice.int(5, 60) });
				break;
			case 'randomFailures':
				sandbox.faults.setRandomFailures({
					probability: dice.pick([0.05, 0.1, 0.15]),
					statuses: [500, 502, 503],
					path: '/v',
				});
				break;
			case 'timeout': {
				// Hold back the n-th journal request (a read or a POST) longer than the transport waits.
				const method = dice.pick(['GET', 'POST']);
				const nth = dice.int(1, 2);
				let seen = 0;
				const previous = hooks.onRequest;
				hooks.onRequest = (entry) => {
					const extra = previous?.(entry) ?? 0;
					if (entry.method !== method || entry.path.toLowerCase() !== JOURNALS || ++seen !== nth)
						return extra;
					hit('timeout');
					return extra + TIMEOUT_MS + 300;
				};
				break;
			}
			case 'tokenExpiry': {
				// Every token expires after the n-th API call (so in the middle of the run).
				const nth = dice.int(2, 10);
				let seen = 0;
				const previous = hooks.onCommitted;
				hooks.onCommitted = (method, requestPath) => {
					previous?.(method, requestPath);
					if (requestPath.startsWith('/v') && ++seen === nth && sandbox.expireTokens() > 0)
						hit('tokenExpiry');
				};
				break;
			}
			case 'processKilled':
				killAfterPost = 1;
				break;
		}
	}
	const removeHooks = installHooks(sandbox, hooks);
	return { kinds, removeHooks, hits, killAfterPost };
}

/** Whether every part came out of Post as posted or alreadyPosted. */
function allDone(result: WorkflowRunResult, partCount: number): boolean {
	const post = result.nodes[POST_NODE];
	if (!post || post.error) return false;
	const statuses = post.items.map((item) =>
		String((item.json.visma as IDataObject | undefined)?.status),
	);
	return statuses.length === partCount && statuses.every((status) => DONE.has(status));
}

export type Batch = ReturnType<Sandbox['state']>['tenants'][number]['batches'][number];

/** The run reference a batch was booked under (its first line's reference number). */
/** How many batches the demo company holds: what a run booked is the difference (the request log is capped). */
function batchCount(sandbox: Sandbox): number {
	return (
		sandbox.state().tenants.find((tenant) => tenant.tenantId === sandbox.demo.tenantId)?.batches
			.length ?? 0
	);
}

export function batchReference(batch: Batch): string {
	return String(batch.journalTransactionLines[0]?.referenceNumber ?? '');
}

/** Differences between a batch and its expected part, or [] when it is right. */
export function contentProblems(batch: Batch, part: ExpectedPart): string[] {
	const problems: string[] = [];
	if (batch.financialPeriod !== part.financialPeriod)
		problems.push(`period ${batch.financialPeriod} instead of ${part.financialPeriod}`);
	if (batch.journalTransactionLines.length !== part.lineCount)
		problems.push(`${batch.journalTransactionLines.length} lines instead of ${part.lineCount}`);
	const net = new Map<string, number>();
	for (const line of batch.journalTransactionLines) {
		const key = `${line.accountNumber}|${line.subaccount.subaccountNumber}`;
		const cents =
			Math.round(Number(line.debitAmountInCurrency) * 100) -
			Math.round(Number(line.creditAmountInCurrency) * 100);
		net.set(key, (net.get(key) ?? 0) + cents);
	}
	for (const key of new Set([...net.keys(), ...part.net.keys()])) {
		const got = net.get(key) ?? 0;
		const wanted = part.net.get(key) ?? 0;
		if (got !== wanted) problems.push(`${key}: ${got} cents instead of ${wanted}`);
	}
	return problems;
}

function emptyRaceFigures(): RaceFigures {
	return {
		races: 0,
		parts: 0,
		duplicatedParts: 0,
		racesWithDuplicate: 0,
		reportedDuplicates: 0,
		silentDuplicates: 0,
		lostParts: 0,
		failedParts: 0,
		heldCopies: 0,
		byStagger: {},
	};
}

/** Kinds for a run: the first runs go through every kind once, so a short suite meets them all. */
function kindsFor(run: number, dice: Dice, killProbability: number): FaultKind[] {
	const others = FAULT_KINDS.filter((kind) => kind !== 'processKilled');
	const kinds = new Set<FaultKind>();
	if (run <= FAULT_KINDS.length) kinds.add(FAULT_KINDS[run - 1]);
	else if (dice.chance(killProbability)) kinds.add('processKilled');
	const extra = dice.int(run <= FAULT_KINDS.length ? 0 : 1, 2);
	for (const kind of dice.sample(others, extra)) kinds.add(kind);
	return [...kinds];
}

export async function runFaultSuite(options: FaultSuiteOptions): Promise<FaultSuiteFigures> {
	const started = Date.now();
	const log = options.log ?? (() => undefined);
	const policy = DEFAULT_RETRY_POLICY as { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] };
	const savedTimeout = policy.timeoutMs;
	policy.timeoutMs = TIMEOUT_MS;
	nock.enableNetConnect('127.0.0.1');
	const sandbox = await startSandbox({ port: 0, seed: options.seed });
	const pool = new ChildPool();
	const figures: FaultSuiteFigures = {
		seed: options.seed,
		runs: 0,
		journals: 0,
		parts: 0,
		linesPosted: 0,
		faultsPlanned: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<
			FaultKind,
			number
		>,
		faultsHit: {},
		executions: 0,
		rerunsNeeded: {},
		reruns: 0,
		duplicates: 0,
		losses: 0,
		wrongContent: 0,
		unexpectedBatches: 0,
		unfinished: 0,
		confirmationPosts: 0,
		refusedConfirmationPosts: 0,
		race: emptyRaceFigures(),
		secrets: { secrets: 0, places: 0, leaks: [] },
		problems: [],
		durationMs: 0,
	};
	const secrets = new Set<string>([sandbox.demo.clientSecret]);
	const flow = createFaultFlow(targetOf(sandbox));
	const otherFlows: PayrollFlow[] = [];
	/** Scans what one execution left readable, with every secret known so far. */
	const scan = (
		label: string,
		results: WorkflowRunResult[],
		extra: Record<string, unknown> = {},
	) => {
		for (const token of tokensOf(flow)) secrets.add(token);
		for (const other of otherFlows) for (const token of tokensOf(other)) secrets.add(token);
		const places = { ...readablePlaces(results, sandbox), ...extra };
		figures.secrets.places += Object.keys(places).length;
		for (const leak of findLeaks(places, [...secrets]))
			figures.secrets.leaks.push(`${label}: ${leak}`);
	};
	const countHits = (entries: readonly RequestLogEntry[]) => {
		for (const entry of entries) {
			const kind =
				entry.fault === 'dropped after commit'
					? 'dropAfterCommit'
					: entry.fault === 'status 429'
						? 'status 429'
						: entry.fault
							? 'status 5xx'
							: entry.status === 401
								? 'status 401 (token expired)'
								: undefined;
			if (kind) figures.faultsHit[kind] = (figures.faultsHit[kind] ?? 0) + 1;
		}
	};

	try {
		const killProbability = options.killProbability ?? 0.1;
		// Start the process to be killed now: n8n takes seconds to load.
		pool.prepare();
		for (let run = 1; run <= options.runs; run++) {
			const seed = runSeed(options.seed, run);
			const dice = new Dice(seededRandom(seed));
			const useCostUnits = dice.chance(0.5);
			const continueOnFail = dice.chance(0.6);
			const journals: GeneratedJournal[] = Array.from({ length: dice.int(1, 2) }, (_, index) =>
				generateJournal(dice, { reference: `F${options.seed}-${run}-${index + 1}`, useCostUnits }),
			);
			const kinds = kindsFor(run, dice, killProbability);
			if (options.onlyRun !== undefined && run !== options.onlyRun) continue;
			if (run % 10 === 1) sandbox.reset();
			sandbox.clearRequests();
			const runStarted = Date.now();
			figures.runs++;
			figures.journals += journals.length;
			const parts = journals.flatMap((journal) => journal.parts);
			figures.parts += parts.length;
			for (const kind of kinds) figures.faultsPlanned[kind]++;
			const parameters: FlowParameters = {
				continueOnFail,
				map: { useCostUnits },
				post: { batchNumbers: options.batchNumbers ?? 'series' },
			};
			const label = `run ${run} (seed ${options.seed}, run seed ${seed}, faults ${kinds.join('+')})`;

			// The first execution, under the faults.
			const plan = planFaults(sandbox, dice, kinds, seed);
			let done = false;
			const results: WorkflowRunResult[] = [];
			try {
				if (plan.killAfterPost !== undefined) {
					const child = await runInChildAndKill(
						pool,
						sandbox,
						journals.map((journal) => journal.json),
						parameters,
						plan.killAfterPost,
					);
					if (child.killed) plan.hits.processKilled = 1;
					for (const token of child.tokens) secrets.add(token);
					done =
						!child.killed &&
						child.statuses.length === parts.length &&
						child.statuses.every((status) => DONE.has(status));
					scan(`${label}, killed process`, [], {
						'the killed process: its output and n8n debug log': child.output,
					});
				} else {
					const result = await flow.run(
						journals.map((journal) => journal.json),
						parameters,
					);
					results.push(result);
					done = allDone(result, parts.length);
				}
			} finally {
				plan.removeHooks();
				sandbox.faults.clear();
			}
			figures.executions++;
			for (const [what, count] of Object.entries(plan.hits))
				figures.faultsHit[what] = (figures.faultsHit[what] ?? 0) + count;
			if (kinds.includes('processKilled')) pool.prepare();

			// Reruns until every part is posted or already there.
			let reruns = 0;
			while (!done && reruns < MAX_RERUNS) {
				reruns++;
				const result = await flow.run(
					journals.map((journal) => journal.json),
					parameters,
				);
				results.push(result);
				done = allDone(result, parts.length);
			}
			figures.executions += reruns;
			figures.reruns += reruns;
			figures.rerunsNeeded[String(reruns)] = (figures.rerunsNeeded[String(reruns)] ?? 0) + 1;
			if (!done) {
				figures.unfinished++;
				const last = results.at(-1);
				const errors = last
					?.json(POST_NODE)
					.map(
						(json) =>
							(json.error as IDataObject | undefined)?.code ??
							(json.visma as IDataObject | undefined)?.status,
					);
				figures.problems.push(
					`${label}: not finished after ${MAX_RERUNS} reruns (${last?.error?.message ?? JSON.stringify(errors)})`,
				);
			}

			// One more run must find everything and post nothing.
			// Counted in the sandbox's ledger, not its request log: the log keeps the last 1,000
			// requests only, so counts taken from it before and after a run can drift apart.
			const logBefore = sandbox.requests().length;
			const batchesBefore = batchCount(sandbox);
			const confirmation = await flow.run(
				journals.map((journal) => journal.json),
				parameters,
			);
			results.push(confirmation);
			figures.executions++;
			const booked = batchCount(sandbox) - batchesBefore;
			figures.refusedConfirmationPosts += sandbox
				.requests()
				.slice(logBefore)
				.filter((entry) => isJournalPost(entry.method, entry.path) && isRefused(entry)).length;
			if (booked !== 0) {
				figures.confirmationPosts += booked;
				figures.problems.push(`${label}: the confirmation run booked ${booked} batch(es)`);
			}

			// What the sandbox holds, against what should be booked.
			const references = new Set(journals.map((journal) => journal.json.reference));
			const batches =
				sandbox.state().tenants.find((tenant) => tenant.tenantId === sandbox.demo.tenantId)
					?.batches ?? [];
			const ours = batches.filter((batch) => references.has(batchReference(batch)));
			for (const part of parts) {
				const found = ours.filter(
					(batch) =>
						batchReference(batch) === part.reference &&
						batch.financialPeriod === part.financialPeriod,
				);
				if (found.length === 0) {
					figures.losses++;
					figures.problems.push(`${label}: ${part.reference} ${part.financialPeriod} is missing`);
				}
				if (found.length > 1) {
					figures.duplicates += found.length - 1;
					figures.problems.push(
						`${label}: ${part.reference} ${part.financialPeriod} is booked ${found.length} times (${found.map((batch) => batch.batchNumber).join(', ')})`,
					);
				}
				for (const batch of found) {
					const problems = contentProblems(batch, part);
					figures.linesPosted += batch.journalTransactionLines.length;
					if (problems.length > 0) {
						figures.wrongContent++;
						figures.problems.push(
							`${label}: batch ${batch.batchNumber} (${part.reference} ${part.financialPeriod}): ${problems.slice(0, 3).join('; ')}`,
						);
					}
				}
			}
			const expectedKeys = new Set(
				parts.map((part) => `${part.reference}|${part.financialPeriod}`),
			);
			const unexpected = ours.filter(
				(batch) => !expectedKeys.has(`${batchReference(batch)}|${batch.financialPeriod}`),
			);
			figures.unexpectedBatches += unexpected.length;
			for (const batch of unexpected)
				figures.problems.push(
					`${label}: unexpected batch ${batch.batchNumber} in ${batch.financialPeriod}`,
				);

			countHits(sandbox.requests());
			scan(label, results);
			log(
				`${label}: ${parts.length} parts, ${reruns} rerun(s)${done ? '' : ', UNFINISHED'}, ${Date.now() - runStarted} ms`,
			);
		}

		if (options.onlyRun === undefined)
			await runRaces(sandbox, flow, otherFlows, options, figures, scan);
	} finally {
		policy.timeoutMs = savedTimeout;
		await pool.close();
		await sandbox.close();
	}
	figures.secrets.secrets = secrets.size;
	figures.durationMs = Date.now() - started;
	return figures;
}

/** Stagger of the second execution (ms after the first started), by race number. */
const STAGGERS_MS = [0, 0, 25, 100, 400, 1500];

async function runRaces(
	sandbox: Sandbox,
	flow: PayrollFlow,
	otherFlows: PayrollFlow[],
	options: FaultSuiteOptions,
	figures: FaultSuiteFigures,
	scan: (label: string, results: WorkflowRunResult[]) => void,
): Promise<void> {
	const rival = createFaultFlow(targetOf(sandbox));
	otherFlows.push(rival);
	const race = figures.race;
	for (let index = 1; index <= options.races; index++) {
		const seed = runSeed(options.seed, 100_000 + index);
		const dice = new Dice(seededRandom(seed));
		const journal = generateJournal(dice, {
			reference: `R${options.seed}-${index}`,
			useCostUnits: false,
		});
		const stagger = STAGGERS_MS[(index - 1) % STAGGERS_MS.length];
		const label = `race ${index} (seed ${options.seed}, race seed ${seed}, stagger ${stagger} ms)`;
		if (index % 10 === 1) sandbox.reset();
		sandbox.clearRequests();
		sandbox.faults.configure({ clear: true, seed, latency: { minMs: 0, maxMs: 30 } });
		const parameters: FlowParameters = {
			continueOnFail: true,
			post: { batchNumbers: options.batchNumbers ?? 'series' },
		};
		const policy = DEFAULT_RETRY_POLICY as { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] };
		const raceTimeout = policy.timeoutMs;
		if (options.raceTimeoutMs !== undefined) policy.timeoutMs = options.raceTimeoutMs;
		let results: WorkflowRunResult[];
		try {
			const first = flow.run([journal.json], parameters);
			await new Promise((resolve) => setTimeout(resolve, stagger));
			const second = rival.run([journal.json], parameters);
			results = await Promise.all([first, second]);
		} finally {
			policy.timeoutMs = raceTimeout;
		}
		sandbox.faults.clear();

		const batches = (
			sandbox.state().tenants.find((tenant) => tenant.tenantId === sandbox.demo.tenantId)
				?.batches ?? []
		).filter((batch) => batchReference(batch) === journal.json.reference);
		const batchesBefore = batchCount(sandbox);
		// What each execution said of each period: posted or already posted, or failed (an error).
		const said = (period: unknown) =>
			results.flatMap((result) =>
				result
					.json(POST_NODE)
					.filter((json) => (json.visma as IDataObject | undefined)?.financialPeriod === period)
					.map((json) =>
						json.error !== undefined
							? 'failed'
							: String((json.visma as IDataObject | undefined)?.status),
					),
			);
		// The periods of the parts neither execution booked, both saying so (each failed): the check
		// run must book each of them once.
		const failedInBoth = new Set(
			journal.parts
				.map((part) => part.financialPeriod)
				.filter((period) => {
					const live = batches.some(
						(batch) => batch.financialPeriod === period && batch.status !== 'Hold',
					);
					const reports = said(period);
					return !live && reports.length === 2 && reports.every((report) => report === 'failed');
				}),
		);
		// The check run reads what the race left, with the transport's normal timeout: under the race's
		// 1 s timeout a slow machine makes its POST an unknown outcome, and finding the race's batch
		// under that posting's tag it could only report 'posted' (recovered), not who booked it.
		policy.timeoutMs = CHECK_TIMEOUT_MS;
		let check: WorkflowRunResult;
		try {
			check = await flow.run([journal.json], parameters);
		} finally {
			policy.timeoutMs = raceTimeout;
		}
		const booked = batchCount(sandbox) - batchesBefore;
		if (booked !== failedInBoth.size)
			figures.problems.push(
				`${label}: the check run booked ${booked} batch(es), ${failedInBoth.size} expected (the parts both executions reported as failed)`,
			);
		const checked = check.json(POST_NODE);
		let duplicatedHere = 0;
		const byStagger = (race.byStagger[`${stagger} ms`] ??= { parts: 0, duplicated: 0 });
		for (const part of journal.parts) {
			race.parts++;
			byStagger.parts++;
			const inPeriod = batches.filter((batch) => batch.financialPeriod === part.financialPeriod);
			// In the ledger: not On Hold (a copy that stood down stays on hold, marked as a duplicate).
			const found = inPeriod.filter((batch) => batch.status !== 'Hold');
			const held = inPeriod.filter((batch) => batch.status === 'Hold');
			race.heldCopies += held.length;
			for (const copy of held) {
				if (
					!/^Duplicate of batch \S+, never booked: safe to delete\. /.test(
						String(copy.description ?? ''),
					)
				) {
					figures.problems.push(
						`${label}: ${part.financialPeriod} batch ${copy.batchNumber} is On Hold without the duplicate mark (${JSON.stringify(copy.description)})`,
					);
				}
			}
			const output = checked.find(
				(json) => (json.visma as IDataObject | undefined)?.financialPeriod === part.financialPeriod,
			);
			if (found.length === 0) {
				if (failedInBoth.has(part.financialPeriod)) {
					// Both executions said they failed: not lost. The check run must have booked it.
					race.failedParts++;
					const status = (output?.visma as IDataObject | undefined)?.status;
					if (status !== 'posted')
						figures.problems.push(
							`${label}: ${part.financialPeriod} failed in both executions, and the check run says ${String(status)} instead of posting it`,
						);
					continue;
				}
				race.lostParts++;
				figures.problems.push(
					`${label}: ${part.financialPeriod} booked by neither execution (they said: ${said(part.financialPeriod).join(', ') || 'nothing'})`,
				);
				continue;
			}
			if (found.length === 1) {
				const status = (output?.visma as IDataObject | undefined)?.status;
				if (status !== 'alreadyPosted')
					figures.problems.push(
						`${label}: ${part.financialPeriod} booked once, but the check run says ${String(status)}`,
					);
				continue;
			}
			duplicatedHere++;
			race.duplicatedParts++;
			byStagger.duplicated++;
			const error = output?.error as IDataObject | undefined;
			const named = found.every((batch) =>
				String(error?.message ?? '').includes(String(batch.batchNumber)),
			);
			if (error?.code === 'JOURNAL_DUPLICATED' && named) race.reportedDuplicates++;
			else {
				race.silentDuplicates++;
				figures.problems.push(
					`${label}: ${part.financialPeriod} booked ${found.length} times and not reported (${JSON.stringify(error ?? output?.visma)})`,
				);
			}
		}
		race.races++;
		if (duplicatedHere > 0) race.racesWithDuplicate++;
		scan(label, [...results, check]);
		options.log?.(`${label}: ${journal.parts.length} parts, ${duplicatedHere} booked twice`);
	}
}

// --- the command ------------------------------------------------------------------------------

function argument(args: readonly string[], name: string): string | undefined {
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : undefined;
}

export function formatFigures(figures: FaultSuiteFigures): string {
	const race = figures.race;
	const rows: Array<[string, string]> = [
		['seed', String(figures.seed)],
		[
			'runs',
			`${figures.runs} (${figures.journals} journals, ${figures.parts} parts, ${figures.linesPosted} lines booked)`,
		],
		['executions', `${figures.executions} (first runs, reruns and confirmation runs)`],
		[
			'faults planned (runs)',
			Object.entries(figures.faultsPlanned)
				.map(([kind, count]) => `${kind} ${count}`)
				.join(', '),
		],
		[
			'faults that hit a request',
			Object.entries(figures.faultsHit)
				.sort()
				.map(([kind, count]) => `${kind} ${count}`)
				.join(', '),
		],
		[
			'reruns needed (runs)',
			Object.entries(figures.rerunsNeeded)
				.sort()
				.map(([count, runs]) => `${count}: ${runs}`)
				.join(', ') + ` (total ${figures.reruns})`,
		],
		['duplicates', String(figures.duplicates)],
		['losses', String(figures.losses)],
		['wrong content', String(figures.wrongContent)],
		['unexpected batches', String(figures.unexpectedBatches)],
		['unfinished runs', String(figures.unfinished)],
		[
			'POSTs by confirmation runs',
			`${figures.confirmationPosts}${figures.refusedConfirmationPosts > 0 ? ` (and ${figures.refusedConfirmationPosts} refused: a derived number already taken)` : ''}`,
		],
		[
			'races',
			`${race.races}: ${race.duplicatedParts} of ${race.parts} parts booked twice (live), in ${race.racesWithDuplicate} races; reported ${race.reportedDuplicates}, silent ${race.silentDuplicates}, lost ${race.lostParts}, failed in both (then booked by the rerun) ${race.failedParts}; ${race.heldCopies} copies stood down (On Hold, marked)`,
		],
		[
			'races by stagger',
			Object.entries(race.byStagger)
				.map(([stagger, counts]) => `${stagger}: ${counts.duplicated}/${counts.parts}`)
				.join(', '),
		],
		[
			'secrets',
			`${figures.secrets.secrets} secrets looked for in ${figures.secrets.places} places: ${figures.secrets.leaks.length} leaks`,
		],
		['duration', `${(figures.durationMs / 1000).toFixed(1)} s`],
	];
	const width = Math.max(...rows.map(([name]) => name.length));
	const lines = rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`);
	if (figures.problems.length > 0)
		lines.push('', 'problems:', ...figures.problems.map((problem) => `  ${problem}`));
	return lines.join('\n');
}

export function suiteFailed(figures: FaultSuiteFigures): boolean {
	return (
		figures.duplicates +
			figures.losses +
			figures.wrongContent +
			figures.unexpectedBatches +
			figures.unfinished +
			figures.confirmationPosts >
			0 ||
		figures.race.duplicatedParts + figures.race.silentDuplicates + figures.race.lostParts > 0 ||
		figures.secrets.leaks.length > 0 ||
		figures.problems.length > 0
	);
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const runs = Number(argument(args, 'runs') ?? 100);
	const seed = Number(argument(args, 'seed') ?? 1);
	const races = Number(argument(args, 'races') ?? 30);
	const onlyRun = argument(args, 'only-run');
	const batchNumbers = argument(args, 'batch-numbers') ?? 'series';
	if (batchNumbers !== 'series' && batchNumbers !== 'derived')
		throw new Error(`--batch-numbers must be series or derived, not ${batchNumbers}`);
	const verbose = args.includes('--verbose');
	const figures = await runFaultSuite({
		runs,
		seed,
		races,
		batchNumbers,
		...(onlyRun ? { onlyRun: Number(onlyRun) } : {}),
		log: verbose ? (line) => process.stdout.write(`${line}\n`) : undefined,
	});
	process.stdout.write(
		`Fault suite: npm run test:faults -- --runs ${runs} --seed ${seed} --races ${races} --batch-numbers ${batchNumbers}\n${formatFigures(figures)}\n`,
	);
	process.exitCode = suiteFailed(figures) ? 1 : 0;
}

if (require.main === module) {
	main().then(
		// n8n-core keeps timers alive; the figures are out, so end here.
		() => process.exit(process.exitCode ?? 0),
		(error: unknown) => {
			process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
			process.exit(2);
		},
	);
}
