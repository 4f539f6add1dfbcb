/**
 * Money: exact amounts as integer cents (`bigint`). Never a float sum.
 *
 * The only home of the amount rules: at most two decimals, no NaN/Infinity/empty, a cap of
 * 10^13, and the debit/credit sign rule (a negative amount books on the other side).
 */

export type Cents = bigint;

/** Amounts above 10^13 (in units, so 10^15 cents) are refused as absurd. */
export const MAX_AMOUNT_CENTS: Cents = 10n ** 15n;

export type AmountProblem = 'AMOUNT_EMPTY' | 'AMOUNT_NOT_A_NUMBER' | 'AMOUNT_TOO_PRECISE' | 'AMOUNT_TOO_LARGE';

export type AmountResult = { ok: true; cents: Cents } | { ok: false; problem: AmountProblem; reason: string };

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;
const DECIMAL_NO_INTEGER = /^([+-]?)()\.(\d+)$/;

/**
 * Parses a decimal string or a number into cents. `null`/`undefined` are zero (an absent side).
 * Accepts a comma as the decimal separator when the text has no point ("4250,00"); thousands
 * separators are refused rather than guessed.
 */
export function parseAmount(value: unknown): AmountResult {
	if (value === null || value === undefined) return { ok: true, cents: 0n };
	if (typeof value === 'number') return parseNumberAmount(value);
	if (typeof value === 'bigint') return checkMagnitude(value * 100n);
	if (typeof value !== 'string') {
		return { ok: false, problem: 'AMOUNT_NOT_A_NUMBER', reason: 'is not a number or a decimal text' };
	}
	const plain = plainAmountCents(value);
	if (plain !== null) return { ok: true, cents: BigInt(plain) };
	let text = value.trim();
	if (text === '') return { ok: false, problem: 'AMOUNT_EMPTY', reason: 'is empty' };
	if (!text.includes('.') && (text.match(/,/g) ?? []).length === 1) text = text.replace(',', '.');
	const match = DECIMAL.exec(text) ?? DECIMAL_NO_INTEGER.exec(text);
	if (!match) {
		return { ok: false, problem: 'AMOUNT_NOT_A_NUMBER', reason: 'is not a decimal number' };
	}
	const [, sign, integerText, fractionText = ''] = match;
	const fraction = fractionText.replace(/0+$/, '');
	if (fraction.length > 2) {
		return { ok: false, problem: 'AMOUNT_TOO_PRECISE', reason: 'has more than two decimals' };
	}
	const integerDigits = integerText.replace(/^0+(?=\d)/, '');
	if (integerDigits.length > 16) {
		return { ok: false, problem: 'AMOUNT_TOO_LARGE', reason: 'is larger than 10,000,000,000,000' };
	}
	const cents = BigInt(integerDigits || '0') * 100n + BigInt(fraction.padEnd(2, '0'));
	return checkMagnitude(sign === '-' ? -cents : cents);
}

/**
 * The cents of a plain amount text as a number, or `null` when the text is anything else (the
 * full rules of `parseAmount` then apply). Plain is /^[+-]?\d{1,13}(\.\d{1,2})?$/: a sign, at
 * most 13 digits (below the cap of 10^15 cents and far below 2^53, so the number is exact), at
 * most two decimals, nothing else. The result is what `parseAmount` gives. Read character by
 * character: this runs for every amount of every line, several times per node chain.
 */
export function plainAmountCents(text: string): number | null {
	const length = text.length;
	if (length === 0 || length > 17) return null;
	let index = 0;
	const first = text.charCodeAt(0);
	const negative = first === 45; // '-'
	if (negative || first === 43) index = 1; // '+'
	const integerStart = index;
	let units = 0;
	while (index < length) {
		const digit = text.charCodeAt(index) - 48;
		if (digit < 0 || digit > 9) break;
		units = units * 10 + digit;
		index++;
	}
	const integerDigits = index - integerStart;
	if (integerDigits === 0 || integerDigits > 13) return null;
	let cents = units * 100;
	if (index < length) {
		if (text.charCodeAt(index) !== 46) return null; // '.'
		const decimals = length - index - 1;
		if (decimals < 1 || decimals > 2) return null;
		const tenths = text.charCodeAt(index + 1) - 48;
		if (tenths < 0 || tenths > 9) return null;
		cents += tenths * 10;
		if (decimals === 2) {
			const hundredths = text.charCodeAt(index + 2) - 48;
			if (hundredths < 0 || hundredths > 9) return null;
			cents += hundredths;
		}
	}
	// No negative zero: "-0.00" is 0 cents, as BigInt has it.
	return negative && cents !== 0 ? -cents : cents;
}

function parseNumberAmount(value: number): AmountResult {
	if (Number.isNaN(value)) return { ok: false, problem: 'AMOUNT_NOT_A_NUMBER', reason: 'is NaN' };
	if (!Number.isFinite(value)) return { ok: false, problem: 'AMOUNT_NOT_A_NUMBER', reason: 'is infinite' };
	// The shortest text that reads back as this number is what the sender meant: 0.1 is "0.1".
	const text = String(value);
	if (/e/i.test(text)) {
		return Math.abs(value) >= 1
			? { ok: false, problem: 'AMOUNT_TOO_LARGE', reason: 'is larger than 10,000,000,000,000' }
			: { ok: false, problem: 'AMOUNT_TOO_PRECISE', reason: 'has more than two decimals' };
	}
	return parseAmount(text);
}

function checkMagnitude(cents: Cents): AmountResult {
	const magnitude = cents < 0n ? -cents : cents;
	if (magnitude > MAX_AMOUNT_CENTS) {
		return { ok: false, problem: 'AMOUNT_TOO_LARGE', reason: 'is larger than 10,000,000,000,000' };
	}
	return { ok: true, cents };
}

/** A line's two sides after the sign rule: both non-negative, at most one non-zero. */
export interface Sides {
	debitCents: Cents;
	creditCents: Cents;
}

/**
 * Applies the sign rule to a line's parsed debit and credit: a negative amount books on the
 * other side. Returns `null` when both sides carry an amount (the line is ambiguous).
 */
export function toSides(debitCents: Cents, creditCents: Cents): Sides | null {
	if (debitCents !== 0n && creditCents !== 0n) return null;
	if (debitCents < 0n) return { debitCents: 0n, creditCents: -debitCents };
	if (creditCents < 0n) return { debitCents: -creditCents, creditCents: 0n };
	return { debitCents, creditCents };
}

export function sumCents(values: Iterable<Cents>): Cents {
	let total = 0n;
	for (const value of values) total += value;
	return total;
}

/** "4250.00", "-0.05": two decimals, a point, no thousands separators. */
export function formatAmount(cents: Cents): string {
	// Within ±2^53 the same digits come from number arithmetic, without bigint division.
	if (cents <= MAX_EXACT_CENTS && cents >= -MAX_EXACT_CENTS) {
		const value = Number(cents);
		const magnitude = value < 0 ? -value : value;
		const rest = magnitude % 100;
		return `${value < 0 ? '-' : ''}${(magnitude - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`;
	}
	const negative = cents < 0n;
	const magnitude = negative ? -cents : cents;
	const units = magnitude / 100n;
	const rest = (magnitude % 100n).toString().padStart(2, '0');
	return `${negative ? '-' : ''}${units.toString()}.${rest}`;
}

/** The JSON number Visma.net expects (at most two decimals). Exact for every amount below the cap. */
export function toAmountNumber(cents: Cents): number {
	// An exact integer divided by 100 is rounded once, to the double nearest the decimal: what
	// reading the decimal text gives.
	if (cents <= MAX_EXACT_CENTS && cents >= -MAX_EXACT_CENTS) return Number(cents) / 100;
	return Number(formatAmount(cents));
}

/** 2^53 − 1: every integer up to it is exact as a number. */
const MAX_EXACT_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Splits `total` into integer shares by `ratios` (any non-negative integers or bigints), so
 * that the shares always sum to `total`: each share is rounded down and the leftover cents go
 * one by one to the largest remainders, ties to the earlier share.
 */
export function allocateCents(total: Cents, ratios: readonly (number | bigint)[]): Cents[] {
	const weights = ratios.map((ratio) => BigInt(ratio));
	if (weights.some((weight) => weight < 0n)) throw new RangeError('allocateCents: ratios must not be negative');
	const weightSum = sumCents(weights);
	if (weightSum === 0n) throw new RangeError('allocateCents: ratios must not all be zero');
	const negative = total < 0n;
	const magnitude = negative ? -total : total;
	const shares = weights.map((weight) => (magnitude * weight) / weightSum);
	const remainders = weights.map((weight, index) => ({ index, rest: (magnitude * weight) % weightSum }));
	let leftover = magnitude - sumCents(shares);
	remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
	for (const { index } of remainders) {
		if (leftover === 0n) break;
		shares[index] += 1n;
		leftover -= 1n;
	}
	return negative ? shares.map((share) => -share) : shares;
}
