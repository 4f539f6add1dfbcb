/**
 * The short form of the fault suite (faultSuite.ts; the full one is `npm run test:faults -- --runs
 * 100 --seed 1`): 20 seeded runs over realistic journals under dropped connections, 429 storms,
 * 5xx bursts, timeouts, slow answers, token expiry and a killed process, then four races, against
 * the local Visma.net sandbox. Never twice, never lost (journal-contract §5), every amount right,
 * no race leaves a part in the ledger twice, no secret anywhere.
 */
import {
	FAULT_KINDS,
	formatFigures,
	runFaultSuite,
	type FaultSuiteFigures,
	type FaultSuiteOptions,
} from './faultSuite';

const SEED = 7;
/**
 * The time the seeded runs may take: about 50 s alone, but inside `npm test` on a 2-core machine
 * the other suites run beside it (a CI run once needed over 120 s). Only the time budget: every
 * assertion below is on what was booked.
 */
const SETUP_TIMEOUT_MS = 360_000;

/**
 * Runs the fault suite (seed SEED) in `beforeAll` of the enclosing block and prints its figures
 * under `title`; the returned object holds the figures from then on.
 */
function useFaultSuite(options: Omit<FaultSuiteOptions, 'seed'>, title: string): FaultSuiteFigures {
	const figures = {} as FaultSuiteFigures;
	beforeAll(async () => {
		Object.assign(figures, await runFaultSuite({ ...options, seed: SEED }));
		process.stdout.write(`${title}\n${formatFigures(figures)}\n`);
	}, SETUP_TIMEOUT_MS);
	return figures;
}

const figures = useFaultSuite({ runs: 20, races: 4 }, `Fault suite (short form, seed ${SEED})`);

describe('never twice, never lost: 20 seeded runs under faults (short form of npm run test:faults)', () => {
	it('meets every kind of fault at least once', () => {
		for (const kind of FAULT_KINDS) expect(figures.faultsPlanned[kind]).toBeGreaterThan(0);
		for (const hit of [
			'dropAfterCommit',
			'status 429',
			'status 5xx',
			'timeout',
			'tokenExpiry',
			'processKilled',
		]) {
			expect(figures.faultsHit[hit] ?? 0).toBeGreaterThan(0);
		}
	});

	it('books every part exactly once: no duplicate, no loss, nothing unexpected', () => {
		expect(figures.parts).toBeGreaterThan(20);
		expect({
			duplicates: figures.duplicates,
			losses: figures.losses,
			unexpected: figures.unexpectedBatches,
		}).toEqual({ duplicates: 0, losses: 0, unexpected: 0 });
	});

	it('books every amount right: period, lines, net per account and subaccount', () => {
		expect(figures.wrongContent).toBe(0);
	});

	it('finishes every run within the bounded reruns, and a run after that posts nothing', () => {
		expect(figures.unfinished).toBe(0);
		expect(figures.confirmationPosts).toBe(0);
	});

	it('two racing executions (Visma.net numbers the batches): no part in the ledger twice, none lost; the later copies stood down On Hold', () => {
		expect(figures.race.races).toBe(4);
		expect(figures.race.parts).toBeGreaterThan(4);
		expect({
			duplicated: figures.race.duplicatedParts,
			silent: figures.race.silentDuplicates,
			lost: figures.race.lostParts,
		}).toEqual({ duplicated: 0, silent: 0, lost: 0 });
	});

	it('shows no client secret or access token in items, errors, n8n run data, logs or the request log', () => {
		expect(figures.secrets.secrets).toBeGreaterThan(1);
		expect(figures.secrets.leaks).toEqual([]);
	});

	it('has no other problem', () => {
		expect(figures.problems).toEqual([]);
	});
});

describe('races with derived batch numbers (npm run test:faults -- --batch-numbers derived)', () => {
	const derived = useFaultSuite(
		{ runs: 0, races: 6, batchNumbers: 'derived' },
		`Fault suite races, derived batch numbers (seed ${SEED})`,
	);

	it('books no part twice: Visma.net refuses the second number, the other execution reports the batch', () => {
		expect(derived.race.races).toBe(6);
		expect(derived.race.parts).toBeGreaterThan(6);
		expect({ duplicated: derived.race.duplicatedParts, lost: derived.race.lostParts }).toEqual({
			duplicated: 0,
			lost: 0,
		});
		expect(derived.problems).toEqual([]);
	});
});

describe('races where both executions fail (a loaded machine: every request times out)', () => {
	const failing = useFaultSuite(
		{ runs: 0, races: 2, raceTimeoutMs: 1 },
		`Fault suite races, every request of the race timing out (seed ${SEED})`,
	);

	it('reports every part as failed in both executions, loses none, and the rerun books each once', () => {
		expect(failing.race.races).toBe(2);
		expect(failing.race.parts).toBeGreaterThan(2);
		expect({
			failedInBoth: failing.race.failedParts,
			lost: failing.race.lostParts,
			duplicated: failing.race.duplicatedParts,
		}).toEqual({ failedInBoth: failing.race.parts, lost: 0, duplicated: 0 });
		expect(failing.problems).toEqual([]);
	});
});
