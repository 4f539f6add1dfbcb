/**
 * Money: exact amounts as integer cents (`bigint`). Never a float sum.
 *
 * The only home of the amount rules: the accepted forms (below), at most two decimals, no
 * NaN/Infinity/empty, a cap of 10^13, at most 32 characters, and the debit/credit sign rule (a
 * negative amount books on the other side).
 *
 * Amount text, after surrounding whitespace is trimmed (the text may be at most 32 characters
 * long, whitespace included):
 *
 *     amount   = [ "+" | "-" ] digits [ sep fraction ]
 *     digits   = one or more of 0-9 (ASCII)
 *     sep      = "." | ","          (one decimal separator; either one means decimals)
 *     fraction = one or more of 0-9
 *
 * - A fraction of one or two digits is read as decimals: "4250,5" is 4250.50.
 * - A fraction of exactly three digits after one to three integer digits without a leading zero
 *   ("1,000", "1.500", "12.345", "-999,999") is refused as AMOUNT_AMBIGUOUS: the separator may be a
 *   thousands separator (Dutch writes 1.000 for one thousand), so "1,000" could mean 1000 or 1.
 *   Where the integer part cannot be a leading thousands group ("0,500", "1234.500", "01.500"), the
 *   three digits are decimals.
 * - Decimals beyond the second must be zeros ("1234.5000" is 1234.50); otherwise AMOUNT_TOO_PRECISE.
 * - Refused as AMOUNT_NOT_A_NUMBER, each with its reason: whitespace inside ("1 000"), a second
 *   separator ("1.000,00", "1,000,000"), no digit before or after the separator (".5", "5.", ",5",
 *   "1,"), and anything else (letters, "_", exponents, non-ASCII digits).
 *
 * A JSON number is read by its shortest text (0.1 is "0.1", 1.5 is "1.5"); it cannot carry a
 * thousands separator, so three decimals there are only AMOUNT_TOO_PRECISE.
 */

export type Cents = bigint;

/** Amounts above 10^13 (in units, so 10^15 cents) are refused as absurd. */
export const MAX_AMOUNT_CENTS: Cents = 10n ** 15n;

/** The longest amount text read (whitespace included); generous for any real amount. */
export const MAX_AMOUNT_LENGTH = 32;

export type AmountProblem =
	| 'AMOUNT_EMPTY'
	| 'AMOUNT_NOT_A_NUMBER'
	| 'AMOUNT_AMBIGUOUS'
	| 'AMOUNT_TOO_PRECISE'
	| 'AMOUNT_TOO_LARGE'
	| 'FIELD_TOO_LONG';

export type AmountResult =
	| { ok: true; cents: Cents }
	| { ok: false; problem: AmountProblem; reason: string };

const TOO_LARGE: AmountResult = {
	ok: false,
	problem: 'AMOUNT_TOO_LARGE',
	reason: 'is larger than 10,000,000,000,000',
};
const TOO_PRECISE: AmountResult = {
	ok: false,
	problem: 'AMOUNT_TOO_PRECISE',
	reason: 'has more than two decimals',
};

/**
 * Parses a decimal string or a number into cents. `null`/`undefined` are zero (an absent side).
 * The accepted forms are those of the grammar above.
 */
export function parseAmount(value: unknown): AmountResult {
	if (value === null || value === undefined) return { ok: true, cents: 0n };
	if (typeof value === 'number') return parseNumberAmount(value);
	if (typeof value === 'bigint') return checkMagnitude(value * 100n);
	if (typeof value !== 'string') {
		return {
			ok: false,
			problem: 'AMOUNT_NOT_A_NUMBER',
			reason: 'is not a number or a decimal text',
		};
	}
	// Most amounts are plain: the shortcut, then the rule.
	const plain = plainAmountCents(value);
	if (plain !== null) return { ok: true, cents: BigInt(plain) };
	return parseAmountText(value);
}

/**
 * The rule for an amount text (the grammar above), without a shortcut: the length, then the
 * grammar on the trimmed text. `plainAmountCents` (below) shortcuts it for plain texts.
 */
export function parseAmountText(value: string): AmountResult {
	if (value.length > MAX_AMOUNT_LENGTH) {
		return {
			ok: false,
			problem: 'FIELD_TOO_LONG',
			reason: `is ${value.length.toLocaleString('en-US')} characters long; an amount has at most ${MAX_AMOUNT_LENGTH} characters`,
		};
	}
	return parseDecimalText(value.trim(), true);
}

/**
 * The cents of a plain amount text as a number, or `null` when the text is anything else (the
 * full rules of `parseAmount` then apply). Plain is /^[+-]?\d{1,13}(\.\d{1,2})?$/: a sign, at
 * most 13 digits (below the cap of 10^15 cents and far below 2^53, so the number is exact), at
 * most two decimals, nothing else. The result is what `parseAmountText` gives: `test/unit/core/fastPaths.property.test.ts`
 * proves it on near-misses of every kind. Read character by
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

function notANumber(reason: string): AmountResult {
	return { ok: false, problem: 'AMOUNT_NOT_A_NUMBER', reason };
}

function isDigitCode(code: number): boolean {
	return code >= 48 && code <= 57;
}

/**
 * The grammar above on a trimmed text of at most MAX_AMOUNT_LENGTH characters, in one pass.
 * `separatorMayGroup` is false for the text of a JSON number, which has no thousands separator.
 */
function parseDecimalText(text: string, separatorMayGroup: boolean): AmountResult {
	if (text === '') return { ok: false, problem: 'AMOUNT_EMPTY', reason: 'is empty' };
	const length = text.length;
	let index = 0;
	const first = text.charCodeAt(0);
	const negative = first === 45; // '-'
	if (negative || first === 43) index = 1; // '+'
	const integerStart = index;
	while (index < length && isDigitCode(text.charCodeAt(index))) index++;
	const integerEnd = index;
	let separator = '';
	let fractionStart = length;
	let fractionEnd = length;
	if (index < length) {
		const code = text.charCodeAt(index);
		if (code !== 46 && code !== 44) return notANumberReason(text, index);
		separator = text[index];
		fractionStart = ++index;
		while (index < length && isDigitCode(text.charCodeAt(index))) index++;
		fractionEnd = index;
		if (index < length) return notANumberReason(text, index);
	}
	const integerText = text.slice(integerStart, integerEnd);
	const fractionText = text.slice(fractionStart, fractionEnd);
	if (integerText === '') {
		if (separator && fractionText)
			return notANumber(
				`has no digit before the "${separator}": write 0${separator}${fractionText}`,
			);
		return notANumber('is not a decimal number');
	}
	if (separator && fractionText === '')
		return notANumber(
			`has no digit after the "${separator}": write ${integerText}${separator}00 or leave the "${separator}" out`,
		);
	if (
		separatorMayGroup &&
		fractionText.length === 3 &&
		integerText.length <= 3 &&
		integerText.charCodeAt(0) !== 48 // '0': "0,500" cannot be thousands
	) {
		return ambiguous(negative ? '-' : '', integerText, separator, fractionText);
	}
	// Decimals beyond the second must be zeros.
	for (let position = 2; position < fractionText.length; position++) {
		if (fractionText.charCodeAt(position) !== 48) return TOO_PRECISE;
	}
	let integerFrom = 0;
	while (integerFrom < integerText.length - 1 && integerText.charCodeAt(integerFrom) === 48)
		integerFrom++;
	if (integerText.length - integerFrom > 16) return TOO_LARGE;
	const cents =
		BigInt(integerText.slice(integerFrom)) * 100n + BigInt(fractionText.slice(0, 2).padEnd(2, '0'));
	return checkMagnitude(negative ? -cents : cents);
}

/** Why a text that stops matching the grammar at `index` is not an amount. */
function notANumberReason(text: string, index: number): AmountResult {
	const code = text.charCodeAt(index);
	if (code === 32 || code === 9 || code === 0xa0 || code === 0x202f || /\s/.test(text[index])) {
		return notANumber(
			'has a space inside: write the amount without thousands separators, such as 1000.00',
		);
	}
	if (code === 46 || code === 44) {
		return notANumber(
			'has more than one "." or ",": write the amount without thousands separators, such as 1000.00',
		);
	}
	return notANumber('is not a decimal number');
}

/** "1,000": a thousands separator or a decimal one; the reason names both readings. */
function ambiguous(
	sign: string,
	integerText: string,
	separator: string,
	fractionText: string,
): AmountResult {
	const thousands = `${sign}${integerText}${fractionText}`;
	let fractionDigits = fractionText.length;
	while (fractionDigits > 0 && fractionText.charCodeAt(fractionDigits - 1) === 48) fractionDigits--;
	const decimal = `${sign}${integerText}${fractionDigits > 0 ? `.${fractionText.slice(0, fractionDigits)}` : ''}`;
	const decimalTwo =
		fractionDigits <= 2 ? `${sign}${integerText}.${fractionText.slice(0, 2)}` : undefined;
	return {
		ok: false,
		problem: 'AMOUNT_AMBIGUOUS',
		reason:
			`could mean ${thousands} (with "${separator}" as a thousands separator) or ${decimal} (with "${separator}" as the decimal separator): ` +
			`write ${thousands}.00${decimalTwo ? ` or ${decimalTwo}` : ', or round to cents'}`,
	};
}

function parseNumberAmount(value: number): AmountResult {
	if (Number.isNaN(value)) return { ok: false, problem: 'AMOUNT_NOT_A_NUMBER', reason: 'is NaN' };
	if (!Number.isFinite(value))
		return { ok: false, problem: 'AMOUNT_NOT_A_NUMBER', reason: 'is infinite' };
	// The shortest text that reads back as this number is what the sender meant: 0.1 is "0.1".
	const text = String(value);
	if (text.includes('e')) return Math.abs(value) >= 1 ? TOO_LARGE : TOO_PRECISE;
	return parseDecimalText(text, false);
}

function checkMagnitude(cents: Cents): AmountResult {
	const magnitude = cents < 0n ? -cents : cents;
	if (magnitude > MAX_AMOUNT_CENTS) return TOO_LARGE;
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

/**
 * The sides of a line whose one side is a plain amount text and the other absent (or both absent),
 * exactly as `parseAmount` and `toSides` would give them; `undefined` when the line needs the full
 * rules. The shortcut of the sign rule for most lines.
 */
export function plainSides(debit: unknown, credit: unknown): Sides | undefined {
	const debitAbsent = debit === undefined || debit === null;
	const creditAbsent = credit === undefined || credit === null;
	if (debitAbsent && creditAbsent) return { debitCents: 0n, creditCents: 0n };
	// Non-negative only: a negative amount moves to the other side, which the full rules do.
	if (creditAbsent && typeof debit === 'string') {
		const cents = plainAmountCents(debit);
		return cents === null || cents < 0 ? undefined : { debitCents: BigInt(cents), creditCents: 0n };
	}
	if (debitAbsent && typeof credit === 'string') {
		const cents = plainAmountCents(credit);
		return cents === null || cents < 0 ? undefined : { debitCents: 0n, creditCents: BigInt(cents) };
	}
	return undefined;
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
	if (weights.some((weight) => weight < 0n))
		throw new RangeError('allocateCents: ratios must not be negative');
	const weightSum = sumCents(weights);
	if (weightSum === 0n) throw new RangeError('allocateCents: ratios must not all be zero');
	const negative = total < 0n;
	const magnitude = negative ? -total : total;
	const shares = weights.map((weight) => (magnitude * weight) / weightSum);
	const remainders = weights.map((weight, index) => ({
		index,
		rest: (magnitude * weight) % weightSum,
	}));
	let leftover = magnitude - sumCents(shares);
	remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
	for (const { index } of remainders) {
		if (leftover === 0n) break;
		shares[index] += 1n;
		leftover -= 1n;
	}
	return negative ? shares.map((share) => -share) : shares;
}
