import type { Journal, JournalLine } from '../../../nodes/core/journal';
import { parseJournal } from '../../../nodes/core/journal';
import {
	DEFAULT_DIMENSION_OPTIONS,
	mapLineDimensions,
	type DimensionMappingOptions,
	type SubaccountSegment,
} from '../../../nodes/core/mapDimensions';
import { marchRunWithTwk, type JsonJournal } from '../../helpers/journals';

/** Segments as Visma.net's `/v1/dimension/SUBACCOUNT` has them for Bakkerij De Vries BV. */
function kostenplaats(): SubaccountSegment {
	return {
		segmentId: 1,
		description: 'Kostenplaats',
		length: 3,
		validate: true,
		values: [
			{ value: '000', description: 'Geen' },
			{ value: '100', description: 'Productie' },
			{ value: '200', description: 'Verkoop' },
			{ value: '300', description: 'Administratie' },
			{ value: '900', description: 'Oud', active: false },
		],
	};
}

function kostendrager(): SubaccountSegment {
	return {
		segmentId: 2,
		description: 'Kostendrager',
		length: 4,
		validate: true,
		values: [
			{ value: '0000', description: 'Geen' },
			{ value: 'P001', description: 'Brood' },
			{ value: 'P002', description: 'Banket' },
		],
	};
}

function project(): SubaccountSegment {
	return { segmentId: 3, description: 'Project', length: 2, validate: false, values: [] };
}

/** Deliberately out of order: the output follows segmentId, not Visma.net's list order. */
function segments(): SubaccountSegment[] {
	return [project(), kostendrager(), kostenplaats()];
}

function options(overrides: Partial<DimensionMappingOptions> = {}): DimensionMappingOptions {
	return { ...DEFAULT_DIMENSION_OPTIONS, ...overrides };
}

/** The seed example, optionally changed before parsing. */
function seedJournal(change: (json: JsonJournal) => void = () => {}): Journal {
	const json = marchRunWithTwk();
	change(json);
	const { journal, issues } = parseJournal(json);
	expect(issues).toEqual([]);
	return journal!;
}

/** `[[1, '100'], [2, '0000'], [3, '00']]` for one line, for short expectations. */
function pairs(
	subaccount: ReadonlyArray<{ segmentId: number; segmentValue: string }>,
): Array<[number, string]> {
	return subaccount.map(({ segmentId, segmentValue }) => [segmentId, segmentValue]);
}

function valuesOf(
	subaccounts: ReadonlyArray<ReadonlyArray<{ segmentValue: string }>>,
	segmentPosition: number,
): string[] {
	return subaccounts.map((subaccount) => subaccount[segmentPosition].segmentValue);
}

/** The seed journal's cost centres, line by line (lines without one get the zeros). */
const SEED_COST_CENTRES = [
	'100',
	'200',
	'100',
	'100',
	'000',
	'000',
	'000',
	'100',
	'000',
	'000',
	'200',
	'000',
	'000',
];

/** Line 1 of the seed with cost units on; and a line that gets every segment's zeros. */
const LINE_1_WITH_UNITS: Array<[number, string]> = [
	[1, '100'],
	[2, 'P001'],
	[3, '00'],
];
const ALL_ZEROS: Array<[number, string]> = [
	[1, '000'],
	[2, '0000'],
	[3, '00'],
];

/** `mapLineDimensions` with the default options changed by `overrides`, against `given` segments. */
function map(
	journal: Journal,
	overrides: Partial<DimensionMappingOptions> = {},
	given: SubaccountSegment[] = segments(),
) {
	return mapLineDimensions(journal, given, options(overrides));
}

/** A journal of the given lines, with the seed's header. */
function journalOf(lines: JournalLine[]): Journal {
	return {
		reference: 'R2026-03',
		company: { id: '1234', testCompany: false, debtorBlocked: false },
		currency: 'EUR',
		lines,
	};
}

describe('mapLineDimensions', () => {
	it('has the contract defaults: cost centres on ("Kostenplaats"), cost units off ("Kostendrager"), match by code', () => {
		expect(DEFAULT_DIMENSION_OPTIONS).toEqual({
			useCostCenters: true,
			costCenterDimension: 'Kostenplaats',
			useCostUnits: false,
			costUnitDimension: 'Kostendrager',
			matchValuesBy: 'code',
		});
	});

	it('gives every line all segments of the SUBACCOUNT key in segmentId order, zeros where the line has no value', () => {
		const journal = seedJournal();
		const { subaccounts, issues } = map(journal);
		expect(issues).toEqual([]);
		expect(subaccounts).toHaveLength(journal.lines.length);
		for (const subaccount of subaccounts)
			expect(subaccount.map((entry) => entry.segmentId)).toEqual([1, 2, 3]);
		// Cost units are off by default: line 1's P001 is ignored.
		expect(pairs(subaccounts[0])).toEqual([
			[1, '100'],
			[2, '0000'],
			[3, '00'],
		]);
		expect(valuesOf(subaccounts, 0)).toEqual(SEED_COST_CENTRES);
	});

	it('maps cost units when switched on, and ignores cost centres when they are switched off', () => {
		const journal = seedJournal();
		const both = map(journal, { useCostUnits: true });
		expect(both.issues).toEqual([]);
		expect(pairs(both.subaccounts[0])).toEqual(LINE_1_WITH_UNITS);
		expect(valuesOf(both.subaccounts, 1).filter((value) => value !== '0000')).toEqual(['P001']);

		// Switched off, even an unknown cost centre is no problem: the journal's values are ignored.
		const unknown = seedJournal((json) => {
			json.lines[1].costCenter = '999';
		});
		const unitsOnly = map(unknown, { useCostCenters: false, useCostUnits: true });
		expect(unitsOnly.issues).toEqual([]);
		expect(valuesOf(unitsOnly.subaccounts, 0).every((value) => value === '000')).toBe(true);
		expect(unitsOnly.subaccounts[0][1].segmentValue).toBe('P001');
	});

	it('finds the segments by description, trimmed and ignoring case', () => {
		const { subaccounts, issues } = map(seedJournal(), {
			costCenterDimension: '  kostenPLAATS ',
			useCostUnits: true,
			costUnitDimension: 'KOSTENDRAGER',
		});
		expect(issues).toEqual([]);
		expect(pairs(subaccounts[0])).toEqual(LINE_1_WITH_UNITS);
	});

	it("compares codes ignoring case and surrounding spaces, and sends Visma.net's own spelling", () => {
		const journal = seedJournal((json) => {
			json.lines[0].costUnit = { code: ' p002 ' };
		});
		const { subaccounts, issues } = map(journal, { useCostUnits: true });
		expect(issues).toEqual([]);
		expect(subaccounts[0][1].segmentValue).toBe('P002');
	});

	describe('matching by description', () => {
		it('matches the description, trimmed and ignoring case, whatever the code says', () => {
			const journal = seedJournal((json) => {
				json.lines[0].costCenter = { code: 'PRD', description: '  productie ' };
				json.lines[1].costCenter = { code: '100', description: 'VERKOOP' };
				json.lines[0].costUnit = { code: 'X', description: 'banket' };
			});
			const { subaccounts, issues } = map(journal, {
				matchValuesBy: 'description',
				useCostUnits: true,
			});
			expect(issues).toEqual([]);
			expect(pairs(subaccounts[0])).toEqual([
				[1, '100'],
				[2, 'P002'],
				[3, '00'],
			]);
			expect(subaccounts[1][0].segmentValue).toBe('200');
		});

		it('falls back to the code for a line without description (bare codes, as in Nmbrs XML)', () => {
			const { subaccounts, issues } = map(seedJournal(), { matchValuesBy: 'description' });
			expect(issues).toEqual([]);
			// Lines 3, 4, 8 and 11 carry a bare code.
			expect(valuesOf(subaccounts, 0)).toEqual(SEED_COST_CENTRES);
		});

		it('reports a description no value has, and one that several active values share', () => {
			const journal = seedJournal((json) => {
				json.lines[0].costCenter = { code: '100', description: 'Bakkerij' };
				json.lines[1].costCenter = { code: '200', description: 'Productie' };
			});
			const shared = kostenplaats();
			shared.values.push({ value: '110', description: 'productie' });
			const { subaccounts, issues } = map(journal, { matchValuesBy: 'description' }, [shared]);
			expect(subaccounts).toEqual([]);
			expect(issues.map((issue) => issue.message)).toEqual([
				'Journal R2026-03: Cost centre "100" (Bakkerij) matches no value described "Bakkerij" in the Visma.net segment "Kostenplaats"; it is used on line 1. Give the value that description in Visma.net (Segment values, Kostenplaats) or map it in this node\'s Mappings.',
				'Journal R2026-03: Cost centre "200" (Productie) matches 2 values described "Productie" in the Visma.net segment "Kostenplaats" (100, 110); it is used on line 2. Give them different descriptions in Visma.net or map it in this node\'s Mappings.',
			]);
			expect(issues.map((issue) => issue.code)).toEqual([
				'UNMAPPED_COST_CENTER',
				'UNMAPPED_COST_CENTER',
			]);
		});
	});

	describe('explicit mappings', () => {
		it('override matching, by code or by description, and send the target in Visma.net spelling', () => {
			const journal = seedJournal();
			const byCode = map(journal, {
				useCostUnits: true,
				mappings: [
					{ dimension: 'costCenter', from: '200', to: '300' },
					{ dimension: 'costUnit', from: 'p001', to: 'p002' },
					// A row left empty in the node changes nothing.
					{ dimension: 'costCenter', from: '', to: '' },
				],
			});
			expect(byCode.issues).toEqual([]);
			// The seed's cost centres with "200" mapped to "300".
			expect(valuesOf(byCode.subaccounts, 0)).toEqual(
				SEED_COST_CENTRES.map((value) => (value === '200' ? '300' : value)),
			);
			expect(byCode.subaccounts[0][1].segmentValue).toBe('P002');

			const byDescription = map(journal, {
				matchValuesBy: 'description',
				mappings: [{ dimension: 'costCenter', from: 'verkoop', to: '300' }],
			});
			expect(byDescription.issues).toEqual([]);
			// Line 2 is mapped by its description; line 11 has only the code "200" and matches it.
			expect(byDescription.subaccounts[1][0].segmentValue).toBe('300');
			expect(byDescription.subaccounts[10][0].segmentValue).toBe('200');
		});

		it('map an unknown payroll value to a known one', () => {
			const journal = seedJournal((json) => {
				json.lines[2].costCenter = 'OUD-7';
			});
			const { subaccounts, issues } = map(journal, {
				mappings: [{ dimension: 'costCenter', from: 'oud-7', to: '300' }],
			});
			expect(issues).toEqual([]);
			expect(subaccounts[2][0].segmentValue).toBe('300');
		});

		it('must point to an active value of a validating segment, even when a default is configured', () => {
			const journal = seedJournal();
			const { subaccounts, issues } = map(journal, {
				segmentDefaults: { 1: '000' },
				mappings: [
					{ dimension: 'costCenter', from: '100', to: '150' },
					{ dimension: 'costCenter', from: '200', to: '900' },
				],
			});
			expect(subaccounts).toEqual([]);
			expect(issues.map((issue) => [issue.code, issue.path, issue.message])).toEqual([
				[
					'UNMAPPED_COST_CENTER',
					'lines[0].costCenter',
					'Journal R2026-03: Cost centre "100" (Productie) is mapped to "150" in this node\'s Mappings, which is not a value of the Visma.net segment "Kostenplaats"; it is used on lines 1, 3, 4 and 8. Correct the mapping, or add the value in Visma.net (Segment values, Kostenplaats).',
				],
				[
					'UNMAPPED_COST_CENTER',
					'lines[1].costCenter',
					'Journal R2026-03: Cost centre "200" (Verkoop) is mapped to "900" in this node\'s Mappings, which is inactive in the Visma.net segment "Kostenplaats"; it is used on lines 2 and 11. Map it to an active value, or activate "900" in Visma.net (Segment values, Kostenplaats).',
				],
			]);
		});

		it('that contradict each other are reported rather than guessed', () => {
			const { issues } = map(seedJournal(), {
				mappings: [
					{ dimension: 'costCenter', from: '200', to: '300' },
					{ dimension: 'costUnit', from: '200', to: 'P001' },
					{ dimension: 'costCenter', from: ' 200', to: '100' },
				],
			});
			expect(issues).toHaveLength(1);
			expect(issues[0]).toMatchObject({ code: 'UNMAPPED_COST_CENTER', path: 'mappings[2]' });
			expect(issues[0].message).toBe(
				'Journal R2026-03: this node\'s Mappings map cost centre "200" twice: to "300" (row 1) and to "100" (row 3). Keep one of the two rows.',
			);
		});
	});

	describe('values Visma.net would refuse', () => {
		it('gives one issue per unknown value, listing the lines that use it', () => {
			const journal = seedJournal((json) => {
				for (const index of [2, 6, 11])
					json.lines[index].costCenter = { code: '999', description: 'Onbekend' };
				json.lines[12].costCenter = '998';
				json.lines[5].costUnit = 'P009';
			});
			const { subaccounts, issues } = map(journal, { useCostUnits: true });
			expect(subaccounts).toEqual([]);
			expect(issues).toHaveLength(3);
			expect(issues[0]).toEqual({
				code: 'UNMAPPED_COST_CENTER',
				path: 'lines[2].costCenter',
				line: 3,
				field: 'costCenter',
				value: '"999"',
				message:
					'Journal R2026-03: Cost centre "999" (Onbekend) is not a value of the Visma.net segment "Kostenplaats"; it is used on lines 3, 7 and 12. Add it in Visma.net (Segment values, Kostenplaats) or map it in this node\'s Mappings.',
			});
			// In line order, each dimension with its own code.
			expect(issues.slice(1).map((issue) => [issue.code, issue.line])).toEqual([
				['UNMAPPED_COST_UNIT', 6],
				['UNMAPPED_COST_CENTER', 13],
			]);
			expect(issues[1].message).toContain(
				'Cost unit "P009" is not a value of the Visma.net segment "Kostendrager"; it is used on line 6.',
			);
		});

		it('refuses an inactive value', () => {
			const journal = seedJournal((json) => {
				json.lines[3].costCenter = { code: '900', description: 'Oud' };
			});
			const { subaccounts, issues } = map(journal);
			expect(subaccounts).toEqual([]);
			expect(issues).toHaveLength(1);
			expect(issues[0].message).toBe(
				'Journal R2026-03: Cost centre "900" (Oud) is inactive in the Visma.net segment "Kostenplaats"; it is used on line 4. Activate it in Visma.net (Segment values, Kostenplaats) or map it to an active value in this node\'s Mappings.',
			);
		});

		it('refuses a value longer than the segment, naming the length, even when a default is configured', () => {
			const journal = seedJournal((json) => {
				json.lines[0].costCenter = '1000';
			});
			const { subaccounts, issues } = map(journal, { segmentDefaults: { 1: '000' } });
			expect(subaccounts).toEqual([]);
			expect(issues.map((issue) => issue.message)).toEqual([
				'Journal R2026-03: Cost centre "1000" has 4 characters, but the Visma.net segment "Kostenplaats" holds 3; it is used on line 1. Check the cost centres in the payroll export, or map it to a value of at most 3 characters in this node\'s Mappings.',
			]);
		});

		it('accepts any value that fits in a segment that does not validate', () => {
			const journal = seedJournal((json) => {
				json.lines[0].costUnit = 'a1';
				json.lines[1].costUnit = 'ZZ';
				json.lines[2].costUnit = 'LONG';
			});
			const projectUnits = { useCostUnits: true, costUnitDimension: 'Project' };
			const { issues } = map(journal, projectUnits);
			expect(issues.map((issue) => [issue.code, issue.line])).toEqual([['UNMAPPED_COST_UNIT', 3]]);
			expect(issues[0].message).toContain(
				'Cost unit "LONG" has 4 characters, but the Visma.net segment "Project" holds 2',
			);

			const fitting = seedJournal((json) => {
				json.lines[0].costUnit = 'a1';
				json.lines[1].costUnit = 'ZZ';
			});
			const mapped = map(fitting, projectUnits);
			expect(mapped.issues).toEqual([]);
			// Sent as the payroll wrote it; the other lines get the segment's zeros.
			expect(valuesOf(mapped.subaccounts, 2).slice(0, 3)).toEqual(['a1', 'ZZ', '00']);
		});

		it('lets a configured default take unknown and inactive values instead of an error', () => {
			const journal = seedJournal((json) => {
				json.lines[2].costCenter = '999';
				json.lines[3].costCenter = '900';
			});
			const { subaccounts, issues } = map(journal, { segmentDefaults: { 1: '300', 3: 'AB' } });
			expect(issues).toEqual([]);
			expect(valuesOf(subaccounts, 0)).toEqual([
				'100',
				'200',
				'300',
				'300',
				'300',
				'300',
				'300',
				'100',
				'300',
				'300',
				'200',
				'300',
				'300',
			]);
			expect(valuesOf(subaccounts, 2).every((value) => value === 'AB')).toBe(true);
			expect(valuesOf(subaccounts, 1).every((value) => value === '0000')).toBe(true);
		});
	});

	describe('segment defaults Visma.net would refuse', () => {
		it('reports a zeros default that is not a value of a validating segment, once, with the lines that use it', () => {
			const withoutZeros = kostenplaats();
			withoutZeros.values = withoutZeros.values.filter((value) => value.value !== '000');
			const { subaccounts, issues } = map(seedJournal(), {}, [withoutZeros]);
			expect(subaccounts).toEqual([]);
			expect(issues).toHaveLength(1);
			expect(issues[0]).toMatchObject({
				code: 'UNMAPPED_COST_CENTER',
				path: 'lines[4].subaccount',
				line: 5,
			});
			expect(issues[0].message).toBe(
				'Journal R2026-03: the Visma.net segment 1 "Kostenplaats" (3 characters) gets its default "000" on lines 5, 6, 7, 9, 10, 12 and 13, but "000" is not a value of that segment. Add "000" in Visma.net (Segment values, Kostenplaats) or set another default for segment 1 in this node\'s Segment Defaults.',
			);
		});

		it('reports a configured default that is too long for its segment', () => {
			const { issues } = map(seedJournal(), { segmentDefaults: { 3: 'ABC' } });
			expect(issues).toHaveLength(1);
			expect(issues[0].code).toBe('SEGMENT_NOT_FOUND');
			expect(issues[0].message).toContain(
				'gets its default "ABC" on all 13 lines, but "ABC" has 3 characters and the segment holds 2.',
			);
		});
	});

	describe('segments that cannot be found', () => {
		it('lists the segments Visma.net has, and what to set', () => {
			const afdeling: SubaccountSegment = { ...kostenplaats(), description: 'Afdeling' };
			const { subaccounts, issues } = map(seedJournal(), {}, [kostendrager(), afdeling]);
			expect(subaccounts).toEqual([]);
			expect(issues).toEqual([
				{
					code: 'SEGMENT_NOT_FOUND',
					path: 'costCenterDimension',
					field: 'costCenterDimension',
					message:
						'Journal R2026-03: Visma.net\'s SUBACCOUNT has no segment described "Kostenplaats". Its segments are: 1 "Afdeling" (3 characters), 2 "Kostendrager" (4 characters). Set Cost Centre Dimension to one of these, as written in Visma.net.',
				},
			]);
		});

		it('reports every problem at once: a missing cost-unit segment and an unknown cost centre', () => {
			const journal = seedJournal((json) => {
				json.lines[1].costCenter = '999';
			});
			const { issues } = map(journal, { useCostUnits: true }, [kostenplaats()]);
			expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
				['SEGMENT_NOT_FOUND', 'costUnitDimension'],
				['UNMAPPED_COST_CENTER', 'lines[1].costCenter'],
			]);
		});

		it('refuses both dimensions on one segment, and a SUBACCOUNT without segments', () => {
			const same = map(seedJournal(), { useCostUnits: true, costUnitDimension: 'kostenplaats' });
			expect(same.issues.map((issue) => [issue.code, issue.path])).toEqual([
				['SEGMENT_NOT_FOUND', 'costUnitDimension'],
			]);
			expect(same.issues[0].message).toContain(
				'names the same Visma.net segment 1 "Kostenplaats" (3 characters) as the cost centres',
			);

			const none = map(seedJournal(), {}, []);
			expect(none.issues.map((issue) => issue.message)).toEqual([
				'Journal R2026-03: Visma.net\'s SUBACCOUNT has no segments, so it has none described "Kostenplaats". Add the segment in Visma.net (Segment keys, SUBACCOUNT), or switch off Use Cost Centres.',
			]);
		});

		it('needs no segment for a dimension that is switched off', () => {
			const { subaccounts, issues } = map(seedJournal(), { useCostCenters: false }, [project()]);
			expect(issues).toEqual([]);
			expect(subaccounts.every((subaccount) => pairs(subaccount).join() === '3,00')).toBe(true);
		});
	});

	it('gives balance-sheet lines the defaults when account kinds are known; accounts not listed keep their dimensions', () => {
		const journal = seedJournal((json) => {
			// An unknown cost centre on a balance-sheet line is not booked, so it is no problem.
			json.lines[4].costCenter = '999';
		});
		const accountKinds = new Map([
			['1700', 'balanceSheet'],
			['1830', 'balanceSheet'],
			['2100', 'balanceSheet'],
			['4000', 'profitAndLoss'],
		] as const);
		const { subaccounts, issues } = map(journal, { useCostUnits: true, accountKinds });
		expect(issues).toEqual([]);
		expect(pairs(subaccounts[4])).toEqual(ALL_ZEROS);
		expect(pairs(subaccounts[0])).toEqual(LINE_1_WITH_UNITS);
		// 4050 is not in the map: it keeps its cost centre.
		expect(subaccounts[2][0].segmentValue).toBe('100');
	});

	it('maps a 200,000-line journal with one unknown cost centre into exactly one issue', () => {
		const lines: JournalLine[] = Array.from({ length: 200_000 }, (_, index) => ({
			index,
			account: index % 2 === 0 ? '4000' : '2100',
			description: 'Bruto lonen',
			debitCents: index % 2 === 0 ? 100n : 0n,
			creditCents: index % 2 === 0 ? 0n : 100n,
			...(index % 2 === 0
				? { costCenter: { code: index === 150_000 ? '999' : ['100', '200', '300'][index % 3] } }
				: {}),
		}));
		const journal = journalOf(lines);

		const failing = map(journal);
		expect(failing.subaccounts).toEqual([]);
		expect(failing.issues).toHaveLength(1);
		expect(failing.issues[0]).toMatchObject({
			code: 'UNMAPPED_COST_CENTER',
			path: 'lines[150000].costCenter',
			line: 150_001,
		});
		expect(failing.issues[0].message).toContain('it is used on line 150001.');

		const allUnknown = map({
			...journal,
			lines: lines.map((line) => ({ ...line, costCenter: { code: '999' } })),
		});
		expect(allUnknown.issues).toHaveLength(1);
		expect(allUnknown.issues[0].message).toContain('it is used on all 200,000 lines.');

		const mapped = map(journal, { segmentDefaults: { 1: '000' } });
		expect(mapped.issues).toEqual([]);
		expect(mapped.subaccounts).toHaveLength(200_000);
		expect(pairs(mapped.subaccounts[150_000])).toEqual(ALL_ZEROS);
		expect(pairs(mapped.subaccounts[3])).toEqual(ALL_ZEROS);
		expect(mapped.subaccounts[4][0].segmentValue).toBe('200');
	});

	it('lists the first ten lines of a value and counts the rest', () => {
		const lines: JournalLine[] = Array.from({ length: 30 }, (_, index) => ({
			index,
			account: '4000',
			description: '',
			debitCents: 100n,
			creditCents: 0n,
			costCenter: { code: index < 25 ? '999' : '100' },
		}));
		const journal = journalOf(lines);
		const { issues } = map(journal);
		expect(issues).toHaveLength(1);
		expect(issues[0].message).toContain(
			'it is used on lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 15 more.',
		);
	});

	it('does not change its input', () => {
		const journal = seedJournal();
		const given = segments();
		const before = structuredClone(given);
		map(journal, { useCostUnits: true }, given);
		expect(given).toEqual(before);
	});
});
