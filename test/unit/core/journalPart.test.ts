/**
 * The journal part between the nodes (journal-contract §4): its schema, its one writer and its one
 * reader agree, and a line's subaccount is a declared, bounded field.
 */
import { JOURNAL_FIELDS, parseJournal } from '../../../nodes/core/journal';
import {
	journalPartSchema,
	PART_FIELDS,
	readPart,
	SUBACCOUNT_LIMITS,
	writePart,
	writePartLine,
	type PartLineJson,
} from '../../../nodes/core/journalPart';
import { splitJournal } from '../../../nodes/core/splitTwk';
import { marchRunWithTwk, smallJournal } from '../../helpers/journals';

/** The parts of a journal as Split TWK by Period writes them, each line given `subaccount` as Map Dimensions does. */
function writtenParts(
	subaccountOf: (lineIndex: number) => PartLineJson['subaccount'] = () => [
		{ segmentId: 1, segmentValue: '100' },
	],
): Array<Record<string, unknown>> {
	const carried = { ...marchRunWithTwk(), validation: { lineCount: 1 }, fromTrigger: 'kept' };
	const split = splitJournal(carried);
	expect(split.issues).toEqual([]);
	return split.parts.map((part, index) =>
		writePart(
			carried,
			part,
			{ number: index + 1, of: split.parts.length },
			{
				description: part.description,
				lines: part.journal.lines.map((line) => writePartLine(line, subaccountOf(line.index))),
			},
		),
	);
}

describe('the journal part: one schema, one writer, one reader', () => {
	it('its fields come from its schema: the journal’s, then the part’s own', () => {
		expect(JOURNAL_FIELDS).toEqual(['reference', 'company', 'run', 'currency', 'lines']);
		expect([...PART_FIELDS].sort()).toEqual(
			[
				'reference',
				'company',
				'run',
				'currency',
				'lines',
				'financialPeriod',
				'transactionDate',
				'isTwk',
				'movedFrom',
				'description',
				'part',
				'financialPeriodDates',
			].sort(),
		);
	});

	it('what the writer writes, the schema accepts and the reader reads back', () => {
		const parts = writtenParts();
		expect(parts.map((json) => json.financialPeriod)).toEqual(['202601', '202602', '202603']);
		for (const json of parts) {
			expect(journalPartSchema.safeParse(json).success).toBe(true);
			expect(json.validation).toBeUndefined();
			expect(json.fromTrigger).toBe('kept');
			const read = readPart(json, {});
			expect(read.issues).toEqual([]);
			expect(read.part?.description).toBe(json.description);
			expect(read.part?.lines.every((line) => line.subaccount[0]?.segmentValue === '100')).toBe(
				true,
			);
		}
	});

	it('the part’s lines are canonical lines: the journal reader reads them', () => {
		for (const json of writtenParts()) expect(parseJournal(json).issues).toEqual([]);
	});
});

describe('a line’s subaccount is bounded like the journal’s other fields', () => {
	const journal = (subaccount: unknown) => ({
		...smallJournal(),
		financialPeriod: '202604',
		transactionDate: '2026-04-30',
		lines: smallJournal().lines.map((line, index) =>
			index === 0 ? { ...line, subaccount } : line,
		),
	});
	const segments = (count: number, value = '1') =>
		Array.from({ length: count }, (_, index) => ({ segmentId: index + 1, segmentValue: value }));

	it('accepts the largest subaccount allowed', () => {
		expect(readPart(journal(segments(SUBACCOUNT_LIMITS.segments)), {}).issues).toEqual([]);
		expect(
			readPart(journal(segments(1, 'x'.repeat(SUBACCOUNT_LIMITS.segmentValue))), {}).issues,
		).toEqual([]);
	});

	it('refuses a segment value longer than a code, saying how long it is', () => {
		const read = readPart(journal(segments(2, 'x'.repeat(10_000))), {});
		expect(read.part).toBeNull();
		expect(read.issues).toHaveLength(1);
		expect(read.issues[0]).toMatchObject({
			code: 'SUBACCOUNT_INVALID',
			field: 'subaccount',
		});
		expect(read.issues[0].message).toContain('10,000 characters long');
		expect(read.issues[0].message).toContain(`at most ${SUBACCOUNT_LIMITS.segmentValue}`);
	});

	it('refuses more segments than any SUBACCOUNT key has', () => {
		const read = readPart(journal(segments(100_000)), {});
		expect(read.part).toBeNull();
		expect(read.issues[0]).toMatchObject({ code: 'SUBACCOUNT_INVALID', field: 'subaccount' });
		expect(read.issues[0].message).toContain('100000 segments');
	});

	it.each([
		['not a list', 'abc'],
		['a segment without a value', [{ segmentId: 1 }]],
		['a segment id as text', [{ segmentId: '1', segmentValue: '100' }]],
		['a fractional segment id', [{ segmentId: 1.5, segmentValue: '100' }]],
	])('keeps refusing %s as before', (_what, subaccount) => {
		const read = readPart(journal(subaccount), {});
		expect(read.issues[0]).toMatchObject({ code: 'SUBACCOUNT_INVALID' });
		expect(read.issues[0].message).toBe(
			'Journal R2026-04, line 1 (account 4000): subaccount must be a list of { segmentId, segmentValue }. Let Map Dimensions fill it, or leave it out.',
		);
	});
});
