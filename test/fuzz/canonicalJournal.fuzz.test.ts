/**
 * Fuzzing the canonical JSON reader (`parseJournal`, `validateJournal`) with fast-check on fixed
 * seeds: 10,000 generated inputs. Whatever comes in, the reader never throws, and either hands
 * out a journal with no issue or no journal with issues that each carry a known code, a message
 * and a path. Every way of breaking the seed's journal that the contract names (§2) is refused
 * with its own code, and a journal it accepts balances in every period.
 */
import fc from 'fast-check';

import { ISSUE_CODES, type Issue } from '../../nodes/core/issues';
import { parseJournal } from '../../nodes/core/journal';
import { validateJournal, type AccountInfo, type ValidationResult } from '../../nodes/core/validateJournal';
import companyData from '../sandbox/fixtures/default-company.json';
import { marchRunWithTwk } from '../helpers/journals';
import { MUTATIONS, type JsonRecord, type Pick } from './mutations';

const SEED = 20260406;
const KNOWN_CODES: ReadonlySet<string> = new Set(ISSUE_CODES);

/** The sandbox company's chart, as Validate Journal reads it with checkInVismaNet on. */
const ACCOUNTS: ReadonlyMap<string, AccountInfo> = new Map(
	companyData.companies[0].accounts.map((account): [string, AccountInfo] => {
		const record = account as { accountCD: string; active: boolean; controlAccountModule?: string; allowManualEntry?: boolean };
		return [
			record.accountCD,
			{ number: record.accountCD, active: record.active, acceptsManualEntries: record.allowManualEntry ?? record.controlAccountModule === undefined },
		];
	}),
);

/** The first broken promise of a result, or undefined. */
function breach(result: { journal: unknown; issues: readonly Issue[] }): string | undefined {
	if ((result.journal === null) === (result.issues.length === 0)) return `journal ${result.journal === null ? 'missing without' : 'given with'} issues`;
	const bad = result.issues.find((issue) => !KNOWN_CODES.has(issue.code) || typeof issue.message !== 'string' || issue.message.trim() === '' || typeof issue.path !== 'string');
	return bad ? `bad issue ${JSON.stringify(bad)}` : undefined;
}

/** A valid result must balance in every period it books in. */
function unbalanced(result: ValidationResult): string | undefined {
	if (!result.summary) return undefined;
	return result.summary.debitTotal === result.summary.creditTotal ? undefined : `accepted with debit ${result.summary.debitTotal} ≠ credit ${result.summary.creditTotal}`;
}

function readsSafely(input: unknown): boolean {
	const parsed = parseJournal(input);
	const validated = validateJournal(input, { accounts: ACCOUNTS });
	const problem = breach(parsed) ?? breach(validated) ?? unbalanced(validated);
	if (problem) throw new Error(problem);
	return true;
}

const pickFrom = (numbers: readonly number[]): Pick => {
	let index = 0;
	return (n) => (n <= 1 ? 0 : numbers[index++ % numbers.length] % n);
};
const picks = fc.array(fc.nat({ max: 1_000_000 }), { minLength: 8, maxLength: 8 });
const mutationIndex = fc.nat({ max: MUTATIONS.length - 1 });
const canonicalMutations = MUTATIONS.filter((mutation) => mutation.refusedBy.includes('validate'));

function mutatedSeed(indexes: readonly number[], numbers: readonly number[], pool = MUTATIONS): JsonRecord {
	const json = marchRunWithTwk() as JsonRecord;
	for (const index of indexes) pool[index % pool.length].apply(json, pickFrom(numbers));
	return json;
}

describe('the canonical JSON reader on 10,000 generated inputs (fast-check, fixed seeds)', () => {
	it('never throws and keeps its promises on any JavaScript value (2,000)', () => {
		fc.assert(fc.property(fc.anything({ maxDepth: 4, withBoxedValues: true, withNullPrototype: true, withSparseArray: true }), readsSafely), { seed: SEED, numRuns: 2000 });
	});

	it('refuses each way of breaking the seed journal with its own code (4,000)', () => {
		fc.assert(
			fc.property(fc.nat({ max: canonicalMutations.length - 1 }), picks, (index, numbers) => {
				const mutation = canonicalMutations[index];
				const json = mutatedSeed([index], numbers, canonicalMutations);
				const result = validateJournal(json, { accounts: ACCOUNTS });
				const problem = breach(result);
				if (problem) throw new Error(`${mutation.name}: ${problem}`);
				const codes = result.issues.map((issue) => issue.code);
				if (result.journal !== null || !codes.some((code) => mutation.codes.includes(code))) {
					throw new Error(`${mutation.name}: expected one of ${mutation.codes.join(', ')}, got ${codes.join(', ') || 'a valid journal'} for ${JSON.stringify(json.lines ?? json).slice(0, 300)}`);
				}
				return true;
			}),
			{ seed: SEED + 1, numRuns: 4000 },
		);
	});

	it('never throws on one to four stacked breakages (2,000)', () => {
		fc.assert(
			fc.property(fc.array(mutationIndex, { minLength: 1, maxLength: 4 }), picks, (indexes, numbers) => readsSafely(mutatedSeed(indexes, numbers))),
			{ seed: SEED + 2, numRuns: 2000 },
		);
	});

	it('never throws when any field of the seed journal is replaced by any JSON value, and balances what it accepts (2,000)', () => {
		const seed = marchRunWithTwk() as JsonRecord;
		const paths: string[][] = [
			...Object.keys(seed).map((key) => [key]),
			...Object.keys(seed.company as JsonRecord).map((key) => ['company', key]),
			...Object.keys(seed.run as JsonRecord).map((key) => ['run', key]),
			...(seed.lines as JsonRecord[]).flatMap((line, index) => [...Object.keys(line), 'period', 'bookingDate'].map((key) => ['lines', String(index), key])),
		];
		fc.assert(
			fc.property(fc.nat({ max: paths.length - 1 }), fc.jsonValue({ maxDepth: 2 }), (pathIndex, value) => {
				const json = marchRunWithTwk() as JsonRecord;
				const path = paths[pathIndex];
				let holder = json as Record<string, unknown>;
				for (const key of path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
				holder[path[path.length - 1]] = value;
				return readsSafely(json);
			}),
			{ seed: SEED + 3, numRuns: 2000 },
		);
	});
});
