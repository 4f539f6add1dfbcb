import fc from 'fast-check';

import {
	allocateCents,
	formatAmount,
	MAX_AMOUNT_CENTS,
	parseAmount,
	sumCents,
	toAmountNumber,
	toSides,
} from '../../../nodes/core/money';

function cents(value: unknown): bigint {
	const result = parseAmount(value);
	if (!result.ok) throw new Error(`expected ${String(value)} to parse, got ${result.problem}`);
	return result.cents;
}

function problem(value: unknown): string {
	const result = parseAmount(value);
	if (result.ok) throw new Error(`expected ${String(value)} to be refused, got ${result.cents}`);
	return result.problem;
}

describe('parseAmount', () => {
	it.each([
		['4250.00', 425000n],
		['4250', 425000n],
		['4250.5', 425050n],
		['0.01', 1n],
		['-12.34', -1234n],
		['+12.34', 1234n],
		['  100.10  ', 10010n],
		['4250,00', 425000n],
		['00012.30', 1230n],
		['1234.500', 123450n],
		['0', 0n],
		['-0.00', 0n],
	])('reads the text %s as %s cents', (text, expected) => {
		expect(cents(text)).toBe(expected);
	});

	it.each([
		[4250, 425000n],
		[0.1, 10n],
		[0.29, 29n],
		[1.15, 115n],
		[-3.07, -307n],
		[1e12, 100000000000000n],
	])('reads the number %s exactly as %s cents (no float drift)', (value, expected) => {
		expect(cents(value)).toBe(expected);
	});

	it('treats an absent side as zero', () => {
		expect(cents(undefined)).toBe(0n);
		expect(cents(null)).toBe(0n);
	});

	it.each([
		['', 'AMOUNT_EMPTY'],
		['   ', 'AMOUNT_EMPTY'],
		['12.345', 'AMOUNT_AMBIGUOUS'],
		['1234.567', 'AMOUNT_TOO_PRECISE'],
		['.5', 'AMOUNT_NOT_A_NUMBER'],
		['5.', 'AMOUNT_NOT_A_NUMBER'],
		[0.001, 'AMOUNT_TOO_PRECISE'],
		[1e-7, 'AMOUNT_TOO_PRECISE'],
		[NaN, 'AMOUNT_NOT_A_NUMBER'],
		[Infinity, 'AMOUNT_NOT_A_NUMBER'],
		[-Infinity, 'AMOUNT_NOT_A_NUMBER'],
		['NaN', 'AMOUNT_NOT_A_NUMBER'],
		['Infinity', 'AMOUNT_NOT_A_NUMBER'],
		['1,234.56', 'AMOUNT_NOT_A_NUMBER'],
		['1.234,56', 'AMOUNT_NOT_A_NUMBER'],
		['12a', 'AMOUNT_NOT_A_NUMBER'],
		['1e5', 'AMOUNT_NOT_A_NUMBER'],
		['--1', 'AMOUNT_NOT_A_NUMBER'],
		['.', 'AMOUNT_NOT_A_NUMBER'],
		[true, 'AMOUNT_NOT_A_NUMBER'],
		[{}, 'AMOUNT_NOT_A_NUMBER'],
		['10000000000000.01', 'AMOUNT_TOO_LARGE'],
		['-10000000000000.01', 'AMOUNT_TOO_LARGE'],
		[1e21, 'AMOUNT_TOO_LARGE'],
		['99999999999999999999999', 'AMOUNT_TOO_LARGE'],
	])('refuses %p as %s', (value, expected) => {
		expect(problem(value)).toBe(expected);
	});

	it('accepts exactly the cap of 10^13', () => {
		expect(cents('10000000000000')).toBe(MAX_AMOUNT_CENTS);
		expect(cents('-10000000000000.00')).toBe(-MAX_AMOUNT_CENTS);
	});

	it('reads back every amount it formats (property)', () => {
		fc.assert(
			fc.property(fc.bigInt({ min: -MAX_AMOUNT_CENTS, max: MAX_AMOUNT_CENTS }), (value) => {
				expect(cents(formatAmount(value))).toBe(value);
				expect(cents(toAmountNumber(value))).toBe(value);
			}),
			{ seed: 20260327, numRuns: 2000 },
		);
	});

	it('never throws, whatever the input (property)', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.double(), fc.anything()), (value) => {
				const result = parseAmount(value);
				expect(typeof result.ok).toBe('boolean');
			}),
			{ seed: 7, numRuns: 3000 },
		);
	});
});

describe('toSides', () => {
	it('books a negative debit as a credit and a negative credit as a debit', () => {
		expect(toSides(-500n, 0n)).toEqual({ debitCents: 0n, creditCents: 500n });
		expect(toSides(0n, -500n)).toEqual({ debitCents: 500n, creditCents: 0n });
		expect(toSides(700n, 0n)).toEqual({ debitCents: 700n, creditCents: 0n });
	});

	it('refuses a line with both sides filled', () => {
		expect(toSides(100n, 100n)).toBeNull();
		expect(toSides(100n, -1n)).toBeNull();
	});
});

describe('formatAmount and sums', () => {
	it('prints two decimals with a point', () => {
		expect(formatAmount(425000n)).toBe('4250.00');
		expect(formatAmount(-5n)).toBe('-0.05');
		expect(formatAmount(0n)).toBe('0.00');
	});

	it('sums 200,000 lines of 0.10 exactly where floats drift', () => {
		const lines = Array.from({ length: 200000 }, () => cents('0.10'));
		expect(formatAmount(sumCents(lines))).toBe('20000.00');
		// The float sum of the same amounts is off, which is why the core never adds floats.
		expect(lines.reduce((total) => total + 0.1, 0)).not.toBe(20000);
	});
});

describe('allocateCents', () => {
	it('splits 2400.00 by 53/47 into 1272.00 and 1128.00', () => {
		expect(allocateCents(240000n, [53, 47])).toEqual([127200n, 112800n]);
	});

	it('hands leftover cents to the largest remainders, so the shares always sum to the whole', () => {
		expect(allocateCents(100n, [1, 1, 1])).toEqual([34n, 33n, 33n]);
		expect(allocateCents(-100n, [1, 1, 1])).toEqual([-34n, -33n, -33n]);
	});

	it('keeps the sum and never gives a negative share of a positive amount (property)', () => {
		fc.assert(
			fc.property(
				fc.bigInt({ min: 0n, max: MAX_AMOUNT_CENTS }),
				fc
					.array(fc.integer({ min: 0, max: 10000 }), { minLength: 1, maxLength: 12 })
					.filter((ratios) => ratios.some((r) => r > 0)),
				(total, ratios) => {
					const shares = allocateCents(total, ratios);
					expect(sumCents(shares)).toBe(total);
					expect(shares.every((share) => share >= 0n)).toBe(true);
					ratios.forEach((ratio, index) => {
						if (ratio === 0) expect(shares[index]).toBe(0n);
					});
				},
			),
			{ seed: 42, numRuns: 1000 },
		);
	});

	it('refuses ratios that cannot split anything (a programming error)', () => {
		expect(() => allocateCents(100n, [0, 0])).toThrow(RangeError);
		expect(() => allocateCents(100n, [-1, 2])).toThrow(RangeError);
	});
});
