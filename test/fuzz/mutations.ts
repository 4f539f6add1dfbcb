/**
 * Ways to break a journal item, each with the codes the contract (§2, §4) expects for it and the
 * nodes that must refuse it. Mutations are deterministic given `pick` (fast-check feeds it), so a
 * failing case shrinks and replays by its seed.
 */
import type { IssueCode } from '../../nodes/core/issues';

export type NodeKey = 'validate' | 'split' | 'map' | 'post';
export type JsonRecord = Record<string, unknown>;

/** Returns an integer in [0, n). */
export type Pick = (n: number) => number;

export interface Mutation {
	readonly name: string;
	/** Any of these codes is the right answer. */
	readonly codes: readonly IssueCode[];
	/** Nodes that must refuse the item before sending anything (Validate with checkInVismaNet on). */
	readonly refusedBy: readonly NodeKey[];
	apply(json: JsonRecord, pick: Pick): void;
}

const ALL: readonly NodeKey[] = ['validate', 'split', 'map', 'post'];
const FROM = <T>(values: readonly T[], pick: Pick): T => values[pick(values.length)];

function lines(json: JsonRecord): JsonRecord[] {
	return json.lines as JsonRecord[];
}

/** The line to break and the side that carries its amount. */
function target(json: JsonRecord, pick: Pick): { line: JsonRecord; side: 'debit' | 'credit' } {
	const all = lines(json);
	// After an earlier breakage the lines may be gone: then this one changes a throw-away line.
	if (!Array.isArray(all) || all.length === 0) return { line: {}, side: 'debit' };
	const candidate = all[pick(all.length)] as unknown;
	const line =
		candidate !== null && typeof candidate === 'object' && !Array.isArray(candidate)
			? (candidate as JsonRecord)
			: {};
	const side = line.debit !== undefined && Number(line.debit) !== 0 ? 'debit' : 'credit';
	return { line, side };
}

function setAmount(values: readonly unknown[]) {
	return (json: JsonRecord, pick: Pick) => {
		const { line, side } = target(json, pick);
		line[side] = FROM(values, pick);
	};
}

/** Sets `record[key]` to one of `values`; where the pick is `undefined`, deletes it. */
function setOrDelete(record: JsonRecord, key: string, values: readonly unknown[], pick: Pick) {
	const value = FROM(values, pick);
	if (value === undefined) delete record[key];
	else record[key] = value;
}

const AMOUNT_CODES: readonly IssueCode[] = [
	'AMOUNT_NOT_A_NUMBER',
	'AMOUNT_EMPTY',
	'AMOUNT_TOO_PRECISE',
	'AMOUNT_TOO_LARGE',
	'FIELD_INVALID',
];

export const MUTATIONS: readonly Mutation[] = [
	{
		name: 'amount with more than two decimals',
		// Three decimals after one to three digits may be a thousands separator: AMOUNT_AMBIGUOUS.
		codes: ['AMOUNT_TOO_PRECISE', 'AMOUNT_AMBIGUOUS'],
		refusedBy: ALL,
		apply(json, pick) {
			const { line, side } = target(json, pick);
			const digits = 3 + pick(6);
			const fraction = String(1 + pick(10 ** Math.min(digits, 8) - 1))
				.padStart(digits, '0')
				.replace(/0$/, '7');
			line[side] = FROM(
				[`${pick(100_000)}.${fraction}`, Number(`${pick(1000)}.${fraction}`)],
				pick,
			);
		},
	},
	{
		name: 'amount that is not a number',
		codes: AMOUNT_CODES,
		refusedBy: ALL,
		apply: setAmount([
			'NaN',
			'abc',
			'12,50.3',
			'--5',
			'12e',
			'1.2.3',
			'Infinity',
			'-Infinity',
			Number.NaN,
			Number.POSITIVE_INFINITY,
			Number.NEGATIVE_INFINITY,
			true,
			{},
			[],
			['1.00'],
			{ value: '1.00' },
		]),
	},
	{
		name: 'amount with a thousands separator or a dangling separator',
		codes: ['AMOUNT_AMBIGUOUS', 'AMOUNT_NOT_A_NUMBER'],
		refusedBy: ALL,
		apply(json, pick) {
			const { line, side } = target(json, pick);
			const units = String(1 + pick(999));
			const group = String(pick(1000)).padStart(3, '0');
			const separator = FROM(['.', ','], pick);
			line[side] = FROM(
				[
					`${units}${separator}${group}`,
					`${units}${separator}${group}${separator === '.' ? ',' : '.'}${String(pick(100)).padStart(2, '0')}`,
					`${units}${separator}${group}${separator}${group}`,
					`${units} ${group}`,
					`${units}_${group}`,
					`${units}${separator}`,
					`${separator}${String(1 + pick(99))}`,
				],
				pick,
			);
		},
	},
	{
		name: 'a field longer than its bound',
		codes: ['FIELD_TOO_LONG'],
		refusedBy: ALL,
		apply(json, pick) {
			const { line, side } = target(json, pick);
			const length = 1001 + pick(20_000);
			const company =
				json.company !== null && typeof json.company === 'object'
					? (json.company as JsonRecord)
					: {};
			const field = FROM(
				[
					'reference',
					'company.id',
					'company.name',
					'account',
					'description',
					'costCenter',
					'amount',
				],
				pick,
			);
			if (field === 'reference') json.reference = 'R'.repeat(length);
			else if (field === 'company.id') company.id = '9'.repeat(length);
			else if (field === 'company.name') company.name = 'B'.repeat(length);
			else if (field === 'amount') line[side] = `1.${'0'.repeat(length)}1`;
			else line[field] = FROM(['x', ' ', '0', 'é'], pick).repeat(length);
		},
	},
	{
		name: 'a numeric id beyond 2^53',
		codes: ['FIELD_INVALID'],
		refusedBy: ALL,
		apply(json, pick) {
			const { line } = target(json, pick);
			const value = 2 ** 53 + 2 * (1 + pick(1_000_000));
			const company =
				json.company !== null && typeof json.company === 'object'
					? (json.company as JsonRecord)
					: {};
			const field = FROM(['company.id', 'account', 'costCenter', 'costUnit.code'], pick);
			if (field === 'company.id') company.id = value;
			else if (field === 'costUnit.code') line.costUnit = { code: value };
			else line[field] = value;
		},
	},
	{
		name: 'empty amount',
		codes: ['AMOUNT_EMPTY', 'AMOUNT_NOT_A_NUMBER', 'FIELD_INVALID'],
		refusedBy: ALL,
		apply: setAmount(['', '   ', '\t']),
	},
	{
		name: 'amount above 10^13',
		codes: ['AMOUNT_TOO_LARGE'],
		refusedBy: ALL,
		apply: setAmount([
			'10000000000000.01',
			'99999999999999',
			1e14,
			1e300,
			'123456789012345678901234567890',
			-1e15,
			Number.MAX_SAFE_INTEGER,
		]),
	},
	{
		name: 'debit and credit both non-zero',
		codes: ['LINE_BOTH_SIDES'],
		refusedBy: ALL,
		apply(json, pick) {
			const { line, side } = target(json, pick);
			line[side === 'debit' ? 'credit' : 'debit'] = FROM(['0.01', '1.00', '250.00', 3], pick);
		},
	},
	{
		name: 'amount changed by a few cents (unbalanced)',
		codes: ['JOURNAL_UNBALANCED', 'ROUNDING_ABOVE_TOLERANCE'],
		refusedBy: ['validate', 'split', 'post'],
		apply(json, pick) {
			const { line, side } = target(json, pick);
			const cents = Math.round(Number(line[side]) * 100) + (1 + pick(5000)) * FROM([1, -1], pick);
			const value = cents === 0 ? 1 : cents;
			line[side] =
				`${value < 0 ? '-' : ''}${Math.floor(Math.abs(value) / 100)}.${String(Math.abs(value) % 100).padStart(2, '0')}`;
		},
	},
	{
		name: 'account missing or not a string',
		codes: ['FIELD_REQUIRED', 'FIELD_INVALID'],
		refusedBy: ALL,
		apply(json, pick) {
			const { line } = target(json, pick);
			setOrDelete(line, 'account', [undefined, null, '', '   ', {}, [], true], pick);
		},
	},
	{
		name: 'reference missing or not a string',
		codes: ['FIELD_REQUIRED', 'FIELD_INVALID'],
		refusedBy: ALL,
		apply(json, pick) {
			setOrDelete(json, 'reference', [undefined, null, '', ' ', {}, []], pick);
		},
	},
	{
		name: 'company missing or without id',
		codes: ['FIELD_REQUIRED', 'FIELD_INVALID'],
		refusedBy: ALL,
		apply(json, pick) {
			setOrDelete(
				json,
				'company',
				[undefined, null, 'Bakkerij', {}, { name: 'Bakkerij' }, { id: '' }, { id: {} }, []],
				pick,
			);
		},
	},
	{
		name: 'test company or blocked debtor',
		codes: ['COMPANY_TEST', 'COMPANY_DEBTOR_BLOCKED'],
		// Map Dimensions hands such a journal on (it only maps dimensions); Post refuses it again.
		refusedBy: ['validate', 'split', 'post'],
		apply(json, pick) {
			json.company = {
				...(json.company as JsonRecord),
				...FROM(
					[
						{ testCompany: true },
						{ debtorBlocked: true },
						{ testCompany: true, debtorBlocked: true },
					],
					pick,
				),
			};
		},
	},
	{
		name: 'lines empty, missing or not a list',
		codes: ['LINES_EMPTY', 'FIELD_REQUIRED', 'FIELD_INVALID'],
		refusedBy: ALL,
		apply(json, pick) {
			setOrDelete(json, 'lines', [undefined, null, [], 'lines', {}, 42], pick);
		},
	},
	{
		name: 'a line that is not an object',
		codes: ['FIELD_INVALID', 'FIELD_REQUIRED'],
		refusedBy: ALL,
		apply(json, pick) {
			const all = lines(json);
			if (!Array.isArray(all) || all.length === 0) return;
			(all as unknown[])[pick(all.length)] = FROM<unknown>([null, 'line', 42, [], true], pick);
		},
	},
	{
		name: 'broken payroll period on a line',
		codes: ['PERIOD_INVALID', 'FIELD_INVALID', 'FIELD_REQUIRED'],
		refusedBy: ['validate', 'split'],
		apply(json, pick) {
			const { line } = target(json, pick);
			line.period = FROM(
				[
					{ year: 2026, period: 13 },
					{ year: 2026, period: 0 },
					{ year: 2026, period: -1 },
					{ year: 2026, period: 2.5 },
					{ year: 2026 },
					{ period: 3 },
					{ year: 'x', period: 3 },
					{ year: 99999, period: 1 },
					'March',
					3,
					[],
				],
				pick,
			);
		},
	},
	{
		name: 'broken booking date on a line',
		codes: ['DATE_INVALID', 'FIELD_INVALID'],
		refusedBy: ['validate', 'split'],
		apply(json, pick) {
			const { line } = target(json, pick);
			line.bookingDate = FROM(
				[
					'0000-01-01',
					'9999-12-31',
					'1899-12-31',
					'3000-01-01',
					'2026-02-30',
					'2026-13-01',
					'2026-00-10',
					'gisteren',
					'31-01-2026',
					'',
					20260131,
					{},
					'2026-1-5',
				],
				pick,
			);
		},
	},
	{
		name: 'broken run period',
		codes: ['PERIOD_INVALID', 'FIELD_INVALID', 'FIELD_REQUIRED'],
		refusedBy: ['validate', 'split'],
		apply(json, pick) {
			const run = { ...(json.run as JsonRecord) };
			const change = FROM(
				[
					{ period: 13 },
					{ period: 0 },
					{ periodType: 'quarter' },
					{ year: 'twee' },
					{ period: '3a' },
					{ periodType: 'week', period: 54 },
					{ periodType: '4weeks', period: 15 },
				],
				pick,
			);
			json.run = { ...run, ...change };
		},
	},
	{
		name: 'account unknown, inactive or closed to manual entries in Visma.net',
		codes: ['ACCOUNT_UNKNOWN', 'ACCOUNT_INACTIVE', 'ACCOUNT_NO_MANUAL_ENTRY'],
		// Only Validate with checkInVismaNet reads the chart; Post relies on Visma.net's refusal.
		refusedBy: ['validate'],
		apply(json, pick) {
			const { line } = target(json, pick);
			line.account = FROM(['4999', '4060', '1720', '1300', '1600', '0590', '99999999'], pick);
		},
	},
	{
		name: 'cost centre unknown or inactive in Visma.net',
		codes: ['UNMAPPED_COST_CENTER', 'SEGMENT_NOT_FOUND', 'FIELD_INVALID'],
		refusedBy: ['map'],
		apply(json, pick) {
			const { line } = target(json, pick);
			line.costCenter = FROM(
				['999', '400', 'XYZ', { code: '555' }, { code: '400', description: 'Filiaal' }, '1000'],
				pick,
			);
		},
	},
	{
		name: 'errors from an upstream node on the item',
		codes: ['ITEM_HAS_ERRORS'],
		refusedBy: ['post'],
		apply(json, pick) {
			const error = {
				code: 'UNMAPPED_COST_CENTER',
				message: 'cost centre 999 unknown',
				path: 'lines[0].costCenter',
			};
			Object.assign(
				json,
				FROM([{ error }, { errors: [error] }, { error, errors: [error] }, { error: 'boom' }], pick),
			);
		},
	},
	{
		name: 'garbage subaccount',
		codes: ['SUBACCOUNT_INVALID'],
		refusedBy: ['post'],
		apply(json, pick) {
			const { line } = target(json, pick);
			line.subaccount = FROM(
				[
					'100-0000',
					100,
					{},
					[null],
					[{ segmentId: '1', segmentValue: '100' }],
					[{ segmentId: 1, segmentValue: 100 }],
					[{ segmentId: 1.5, segmentValue: '100' }],
					[{ segmentValue: '100' }],
					[['1', '100']],
					true,
				],
				pick,
			);
		},
	},
	{
		name: 'financial period that does not exist',
		codes: ['PERIOD_INVALID'],
		refusedBy: ['post'],
		apply(json, pick) {
			json[FROM(['financialPeriod', 'movedFrom'], pick)] = FROM(
				[
					'202699',
					'202600',
					'202614',
					'2026',
					'20261',
					'maart',
					'',
					202603,
					'0000-03',
					'2026-3',
					' 202603x',
					'１２３４５６',
				],
				pick,
			);
		},
	},
	{
		name: 'transaction date outside the financial period',
		codes: ['DATE_INVALID'],
		refusedBy: ['post'],
		apply(json, pick) {
			// The parts at Post's stage book in 2026-01 to 2026-03: each of these lies outside.
			json.transactionDate = FROM(
				[
					'2025-12-31',
					'2026-04-01',
					'2027-01-15',
					'2026-06-30',
					'1999-03-15',
					'2026-02-30',
					'31-03-2026',
					20260331,
				],
				pick,
			);
		},
	},
];

export const MUTATION_NAMES = MUTATIONS.map((mutation) => mutation.name);
