/**
 * Fuzzing the canonical JSON reader (`parseJournal`, `validateJournal`) with fast-check on fixed
 * seeds: 16,012 generated inputs at the default scale (times FUZZ_SCALE, see scale.ts). Whatever comes in, the reader never throws, and either hands
 * out a journal with no issue or no journal with issues that each carry a known code, a message
 * and a path. Every way of breaking the seed's journal that the contract names (§2) is refused
 * with its own code, and a journal it accepts balances in every period.
 */
import fc from 'fast-check';

import { ISSUE_CODES, MAX_ISSUES_PER_ITEM, type Issue } from '../../nodes/core/issues';
import { parseJournal } from '../../nodes/core/journal';
import { formatAmount, parseAmount, plainAmountCents } from '../../nodes/core/money';
import {
	validateJournal,
	type AccountInfo,
	type ValidationResult,
} from '../../nodes/core/validateJournal';
import companyData from '../../sandboxes/visma-net/fixtures/default-company.json';
import { marchRunWithTwk } from '../helpers/journals';
import { MUTATIONS, type JsonRecord, type Pick } from './mutations';
import { scaled } from './scale';

const SEED = 20260406;
const KNOWN_CODES: ReadonlySet<string> = new Set(ISSUE_CODES);

/** The sandbox company's chart, as Validate Journal reads it with checkInVismaNet on. */
const ACCOUNTS: ReadonlyMap<string, AccountInfo> = new Map(
	companyData.companies[0].accounts.map((account): [string, AccountInfo] => {
		const record = account as {
			accountCD: string;
			active: boolean;
			controlAccountModule?: string;
			allowManualEntry?: boolean;
		};
		return [
			record.accountCD,
			{
				number: record.accountCD,
				active: record.active,
				acceptsManualEntries: record.allowManualEntry ?? record.controlAccountModule === undefined,
			},
		];
	}),
);

/** The first broken promise of a result, or undefined. */
function breach(result: { journal: unknown; issues: readonly Issue[] }): string | undefined {
	if ((result.journal === null) === (result.issues.length === 0))
		return `journal ${result.journal === null ? 'missing without' : 'given with'} issues`;
	const bad = result.issues.find(
		(issue) =>
			!KNOWN_CODES.has(issue.code) ||
			typeof issue.message !== 'string' ||
			issue.message.trim() === '' ||
			typeof issue.path !== 'string',
	);
	return bad ? `bad issue ${JSON.stringify(bad)}` : undefined;
}

/** A valid result must balance in every period it books in. */
function unbalanced(result: ValidationResult): string | undefined {
	if (!result.summary) return undefined;
	return result.summary.debitTotal === result.summary.creditTotal
		? undefined
		: `accepted with debit ${result.summary.debitTotal} ≠ credit ${result.summary.creditTotal}`;
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

function mutatedSeed(
	indexes: readonly number[],
	numbers: readonly number[],
	pool = MUTATIONS,
): JsonRecord {
	const json = marchRunWithTwk() as JsonRecord;
	for (const index of indexes) pool[index % pool.length].apply(json, pickFrom(numbers));
	return json;
}

describe('the canonical JSON reader on 10,000 generated inputs (fast-check, fixed seeds)', () => {
	it('never throws and keeps its promises on any JavaScript value (2,000)', () => {
		fc.assert(
			fc.property(
				fc.anything({
					maxDepth: 4,
					withBoxedValues: true,
					withNullPrototype: true,
					withSparseArray: true,
				}),
				readsSafely,
			),
			{ seed: SEED, numRuns: scaled(2000) },
		);
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
					throw new Error(
						`${mutation.name}: expected one of ${mutation.codes.join(', ')}, got ${codes.join(', ') || 'a valid journal'} for ${JSON.stringify(json.lines ?? json).slice(0, 300)}`,
					);
				}
				return true;
			}),
			{ seed: SEED + 1, numRuns: scaled(4000) },
		);
	});

	it('never throws on one to four stacked breakages (2,000)', () => {
		fc.assert(
			fc.property(
				fc.array(mutationIndex, { minLength: 1, maxLength: 4 }),
				picks,
				(indexes, numbers) => readsSafely(mutatedSeed(indexes, numbers)),
			),
			{ seed: SEED + 2, numRuns: scaled(2000) },
		);
	});

	it('never throws when any field of the seed journal is replaced by any JSON value, and balances what it accepts (2,000)', () => {
		const seed = marchRunWithTwk() as JsonRecord;
		const paths: string[][] = [
			...Object.keys(seed).map((key) => [key]),
			...Object.keys(seed.company as JsonRecord).map((key) => ['company', key]),
			...Object.keys(seed.run as JsonRecord).map((key) => ['run', key]),
			...(seed.lines as JsonRecord[]).flatMap((line, index) =>
				[...Object.keys(line), 'period', 'bookingDate'].map((key) => ['lines', String(index), key]),
			),
		];
		fc.assert(
			fc.property(
				fc.nat({ max: paths.length - 1 }),
				fc.jsonValue({ maxDepth: 2 }),
				(pathIndex, value) => {
					const json = marchRunWithTwk() as JsonRecord;
					const path = paths[pathIndex];
					let holder = json as Record<string, unknown>;
					for (const key of path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
					holder[path[path.length - 1]] = value;
					return readsSafely(json);
				},
			),
			{ seed: SEED + 3, numRuns: scaled(2000) },
		);
	});
});

/**
 * The amount grammar (money.ts) against an independent reading of it: texts built from the pieces
 * amounts are made of (digits, both separators, signs, spaces, "_"), and any text at all.
 */
function expectedAmount(text: string): { cents: bigint } | { code: string } {
	const trimmed = text.trim();
	if (trimmed === '') return { code: 'AMOUNT_EMPTY' };
	const match = /^([+-]?)([0-9]+)(?:([.,])([0-9]+))?$/.exec(trimmed);
	if (!match) return { code: 'AMOUNT_NOT_A_NUMBER' };
	const [, sign, units, separator, fraction = ''] = match;
	if (separator && fraction.length === 3 && units.length <= 3 && !units.startsWith('0'))
		return { code: 'AMOUNT_AMBIGUOUS' };
	if (!/^[0-9]{0,2}0*$/.test(fraction)) return { code: 'AMOUNT_TOO_PRECISE' };
	const cents = BigInt(units) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
	if (cents > 10n ** 15n) return { code: 'AMOUNT_TOO_LARGE' };
	return { cents: sign === '-' ? -cents : cents };
}

describe('amount texts (fast-check, fixed seeds)', () => {
	const piece = fc.constantFrom(
		'0',
		'1',
		'5',
		'9',
		'00',
		'000',
		'1000',
		'.',
		',',
		'-',
		'+',
		' ',
		'_',
		'\u00a0',
		'e',
		'x',
	);
	const amountText = fc.oneof(
		fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join('')),
		fc.string({ maxLength: 24 }),
	);

	it(`reads exactly what the grammar accepts and refuses the rest with its code (${scaled(4000).toLocaleString('en-US')})`, () => {
		fc.assert(
			fc.property(amountText, (text) => {
				const result = parseAmount(text);
				const expected = expectedAmount(text);
				if ('cents' in expected) expect(result).toEqual({ ok: true, cents: expected.cents });
				else expect(result).toMatchObject({ ok: false, problem: expected.code });
				// The fast path never disagrees with the full rules.
				const fast = plainAmountCents(text);
				if (fast !== null) expect(result).toEqual({ ok: true, cents: BigInt(fast) });
				// What is accepted is written back and read again as the same amount.
				if (result.ok) expect(parseAmount(formatAmount(result.cents))).toEqual(result);
			}),
			{ seed: SEED + 10, numRuns: scaled(4000) },
		);
	});

	it(`never reads a possible thousands separator as decimals (${scaled(2000).toLocaleString('en-US')})`, () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 999 }),
				fc.integer({ min: 0, max: 999 }),
				fc.constantFrom('.', ','),
				fc.constantFrom('', '-', '+'),
				(units, group, separator, sign) => {
					const result = parseAmount(
						`${sign}${units}${separator}${String(group).padStart(3, '0')}`,
					);
					expect(result).toMatchObject({ ok: false, problem: 'AMOUNT_AMBIGUOUS' });
				},
			),
			{ seed: SEED + 11, numRuns: scaled(2000) },
		);
	});
});

describe('the issue cap (fast-check, fixed seeds)', () => {
	const BAD = ['x', '0.001', '1,000', `1.${'0'.repeat(40)}1`, '5.'];
	it(`reports at most ${MAX_ISSUES_PER_ITEM} problems and counts the rest exactly (${scaled(12)} journals of up to 3,000 bad lines)`, () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 3000 }),
				fc.array(fc.nat({ max: BAD.length - 1 }), { minLength: 1, maxLength: 7 }),
				(count, kinds) => {
					const lines = Array.from({ length: count }, (_, index) => ({
						account: '4000',
						debit: BAD[kinds[index % kinds.length]],
					}));
					const json = { ...marchRunWithTwk(), lines };
					for (const issues of [parseJournal(json).issues, validateJournal(json).issues]) {
						if (count <= MAX_ISSUES_PER_ITEM) {
							expect(issues).toHaveLength(count);
							continue;
						}
						expect(issues).toHaveLength(MAX_ISSUES_PER_ITEM + 1);
						const summary = issues[MAX_ISSUES_PER_ITEM];
						expect(summary.code).toBe('TOO_MANY_PROBLEMS');
						expect(summary.message).toContain(
							`and ${(count - MAX_ISSUES_PER_ITEM).toLocaleString('en-US')} more problem`,
						);
					}
				},
			),
			{ seed: SEED + 12, numRuns: scaled(12) },
		);
	});
});
