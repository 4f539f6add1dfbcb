/**
 * Every fast path of the core gives what the full rule it shortcuts gives, on every input, valid
 * or not (issue 15): a fast path may say "not sure" (the full rule then decides), never something
 * else. Near-misses of each rule are generated on purpose: signs, separators, whitespace, long
 * digit runs, non-ASCII digits, exponents, huge values, missing and extra fields, wrong types.
 */
import fc from 'fast-check';

import { canonicalLineSchema, readLineFast } from '../../../nodes/core/journal';
import { readSubaccountFast, subaccountSchema } from '../../../nodes/core/journalPart';
import {
	parseAmount,
	parseAmountText,
	plainAmountCents,
	plainSides,
	toSides,
} from '../../../nodes/core/money';

const RUNS = { numRuns: 20_000, seed: 15 };

/** Characters an amount is made of, and those it is nearly made of. */
const AMOUNT_CHARS = [
	...'0123456789',
	'.',
	',',
	'-',
	'+',
	' ',
	'\t',
	'\n',
	'\u00a0',
	'\u202f',
	'e',
	'E',
	'_',
	"'",
	'٣', // Arabic-Indic three
	'３', // full-width three
	'𝟓', // mathematical bold five (two UTF-16 units)
	'−', // minus sign
	'x',
];

const digits = (min: number, max: number) =>
	fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** Texts shaped like amounts: a sign, digits, a separator, digits, padding, each maybe off. */
const amountLike = fc
	.tuple(
		fc.constantFrom('', '', '-', '+', '--', '+-', '−'),
		digits(0, 20),
		fc.constantFrom('', '', '.', ',', '..', '.,', 'e', 'e+', 'E-'),
		digits(0, 6),
		fc.constantFrom('', '', ' ', '\t', '\u00a0', '\n'),
		fc.constantFrom('', '', ' ', '\u2003', 'x', '0', '٣'),
	)
	.map(([sign, integer, separator, fraction, padding, tail]) =>
		[padding, sign, integer, separator, fraction, tail, padding].join(''),
	);

const amountText = fc.oneof(
	amountLike,
	fc.string({ unit: fc.constantFrom(...AMOUNT_CHARS), maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 20 }),
	fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e3', '0x10', '1_000', '', ' ', '0'),
);

const amountValue = fc.oneof(
	amountText,
	fc.double(),
	fc.integer(),
	fc.constantFrom(1e13, 1e13 + 0.01, 1e15, 1e21, -1e21, 5e-324, -0, 0.1, 0.125, 2 ** 53, NaN),
	fc.constant(null),
	fc.constant(undefined),
	fc.boolean(),
	fc.bigInt(),
	fc.anything(),
);

/** An amount by the full rules: a text by its rule without the shortcut. */
const fullAmount = (value: unknown) =>
	typeof value === 'string' ? parseAmountText(value) : parseAmount(value);

/** The sides by the full rules, or the reason the line is refused. */
function fullSides(debit: unknown, credit: unknown): unknown {
	const isAmount = (value: unknown) =>
		value === undefined || value === null || typeof value === 'string' || typeof value === 'number';
	if (!isAmount(debit) || !isAmount(credit)) return 'wrong type';
	const debitCents = fullAmount(debit);
	const creditCents = fullAmount(credit);
	if (!debitCents.ok || !creditCents.ok) return 'not an amount';
	return toSides(debitCents.cents, creditCents.cents) ?? 'both sides';
}

describe('money: the fast paths agree with the full amount rules', () => {
	it('plainAmountCents answers what the text rule (parseAmountText) answers, on any text', () => {
		fc.assert(
			fc.property(amountText, (text) => {
				const fast = plainAmountCents(text);
				if (fast === null) return;
				expect(parseAmountText(text)).toEqual({ ok: true, cents: BigInt(fast) });
			}),
			RUNS,
		);
	});

	it('plainAmountCents answers every plain amount (its documented form), so the shortcut is taken', () => {
		const plain = fc
			.tuple(fc.constantFrom('', '-', '+'), digits(1, 13), fc.constantFrom('', '.'), digits(1, 2))
			.map(([sign, integer, dot, fraction]) => `${sign}${integer}${dot ? `.${fraction}` : ''}`);
		fc.assert(
			fc.property(plain, (text) => {
				expect(/^[+-]?\d{1,13}(\.\d{1,2})?$/.test(text)).toBe(true);
				expect(plainAmountCents(text)).not.toBeNull();
			}),
			RUNS,
		);
	});

	it('plainSides answers what parseAmount and toSides answer, on any pair of values', () => {
		fc.assert(
			fc.property(amountValue, amountValue, (debit, credit) => {
				const fast = plainSides(debit, credit);
				if (fast === undefined) return;
				expect(fullSides(debit, credit)).toEqual(fast);
			}),
			RUNS,
		);
	});
});

const text = fc.oneof(
	fc.string({ maxLength: 10 }),
	fc.constantFrom('', ' ', '  4000  ', '\t', '0040', '-1', '1.5'),
	fc.string({ unit: fc.constantFrom('a', ' '), minLength: 60, maxLength: 70 }),
	fc.string({ unit: fc.constantFrom('a', ' '), minLength: 995, maxLength: 1005 }),
	fc.string({ unit: 'binary', maxLength: 8 }),
);

const idLike = fc.oneof(
	text,
	fc.integer(),
	fc.double(),
	fc.constantFrom(-0, 2 ** 53 - 1, 2 ** 53, -1, 1.5, NaN, Infinity),
	fc.constant(null),
	fc.constant(undefined),
	fc.boolean(),
	fc.anything({ maxDepth: 1 }),
);

const nullPrototype = (value: Record<string, unknown>) =>
	Object.assign(Object.create(null) as Record<string, unknown>, value);

const objectOf = (record: fc.Arbitrary<Record<string, unknown>>) =>
	fc.oneof(
		{ weight: 4, arbitrary: record },
		record.map(nullPrototype),
		record.map((value) => ({ ...value, then: () => undefined })),
		record.map((value) => Object.assign(new Map(), value)),
		record.map((value) => Object.assign([], value)),
		record.map((value) => ({ ...value, extra: 'kept' })),
	);

const dimension = fc.oneof(
	idLike,
	objectOf(fc.record({ code: idLike, description: idLike }, { requiredKeys: [] })),
);

const period = fc.oneof(
	objectOf(
		fc.record(
			{
				year: fc.oneof(
					fc.integer({ min: 1890, max: 3010 }),
					fc.constantFrom(2026.5, '2026', NaN),
					idLike,
				),
				period: fc.oneof(fc.integer({ min: -1, max: 60 }), fc.constantFrom(1.5, '3'), idLike),
			},
			{ requiredKeys: [] },
		),
	),
	idLike,
);

const bookingDate = fc.oneof(
	fc.constantFrom(
		'2026-03-31',
		'2026-02-29',
		'2024-02-29',
		'1899-12-31',
		'3000-01-01',
		' 2026-03-31',
	),
	fc.constantFrom('2026-3-31', '20260331', '2026-03-31T00:00:00Z', '２０２６-03-31'),
	fc
		.date({ min: new Date('1800-01-01'), max: new Date('3100-01-01'), noInvalidDate: true })
		.map((date) => date.toISOString().slice(0, 10)),
	idLike,
);

const line = objectOf(
	fc.record(
		{
			account: idLike,
			description: fc.oneof(text, idLike),
			debit: amountValue,
			credit: amountValue,
			costCenter: dimension,
			costUnit: dimension,
			period,
			bookingDate,
			project: idLike,
			projectTask: idLike,
			branch: idLike,
		},
		{ requiredKeys: [] },
	),
);

/** What `toJournal` reads of a parsed line (the passthrough fields are not needed downstream). */
function readFields(output: Record<string, unknown>): Record<string, unknown> {
	const { account, description, debit, credit, costCenter, costUnit, period, bookingDate } = output;
	const { project, projectTask, branch } = output;
	return {
		account,
		description,
		debit,
		credit,
		costCenter,
		costUnit,
		period,
		bookingDate,
		project,
		projectTask,
		branch,
	};
}

describe('journal: the fast line reader agrees with the line schema', () => {
	it('readLineFast answers what canonicalLineSchema answers, on any line', () => {
		fc.assert(
			fc.property(fc.oneof({ weight: 8, arbitrary: line }, fc.anything()), (raw) => {
				const fast = readLineFast(raw);
				if (fast === null) return;
				const full = canonicalLineSchema.safeParse(raw);
				expect(full.success).toBe(true);
				if (full.success) expect(readFields(fast)).toStrictEqual(readFields(full.data));
			}),
			RUNS,
		);
	});

	it('readLineFast reads project, project task and branch as the line schema does', () => {
		const withCodes = fc.record(
			{ project: idLike, projectTask: idLike, branch: idLike },
			{ requiredKeys: [] },
		);
		fc.assert(
			fc.property(withCodes, (codes) => {
				const raw = { account: '4000', debit: '1.00', ...codes };
				const fast = readLineFast(raw);
				const full = canonicalLineSchema.safeParse(raw);
				if (fast === null) return;
				expect(full.success).toBe(true);
				if (full.success) expect(readFields(fast)).toStrictEqual(readFields(full.data));
			}),
			RUNS,
		);
	});

	it('readLineFast answers the lines journals are made of, so the shortcut is taken', () => {
		const usual = fc.record(
			{
				account: fc.oneof(digits(1, 8), fc.integer({ min: 0, max: 99_999 })),
				description: fc.string({ maxLength: 40 }),
				debit: fc.oneof(
					digits(1, 6).map((units) => `${units}.00`),
					fc.constant(undefined),
				),
				costCenter: fc.oneof(
					digits(1, 4),
					fc.record({ code: digits(1, 4), description: fc.string({ maxLength: 20 }) }),
				),
				period: fc.record({
					year: fc.integer({ min: 2000, max: 2100 }),
					period: fc.integer({ min: 1, max: 53 }),
				}),
				project: digits(1, 6),
				branch: fc.oneof(digits(1, 3), fc.integer({ min: 1, max: 99 })),
			},
			{ requiredKeys: ['account'] },
		);
		fc.assert(
			fc.property(usual, (raw) => {
				expect(readLineFast(raw)).not.toBeNull();
			}),
			{ numRuns: 2000, seed: 15 },
		);
	});
});

describe('journal part: the fast subaccount reader agrees with its schema', () => {
	const segment = objectOf(
		fc.record(
			{
				segmentId: fc.oneof(fc.integer({ min: -2, max: 20 }), idLike),
				segmentValue: fc.oneof(
					text,
					fc.string({ unit: fc.constantFrom('1', ' '), minLength: 62, maxLength: 66 }),
					idLike,
				),
			},
			{ requiredKeys: [] },
		),
	);
	const subaccount = fc.oneof(
		{ weight: 4, arbitrary: fc.array(segment, { maxLength: 4 }) },
		fc.array(fc.constant({ segmentId: 1, segmentValue: '0' }), { minLength: 30, maxLength: 34 }),
		fc.array(segment, { maxLength: 3 }).map((segments) => [, ...segments]),
		idLike,
	);
	it('readSubaccountFast answers what subaccountSchema answers, on any value', () => {
		fc.assert(
			fc.property(subaccount, (raw) => {
				const fast = readSubaccountFast(raw);
				if (fast === null) return;
				const full = subaccountSchema.safeParse(raw);
				expect(full.success).toBe(true);
				if (full.success) expect(fast).toStrictEqual(full.data ?? []);
			}),
			RUNS,
		);
	});
});
