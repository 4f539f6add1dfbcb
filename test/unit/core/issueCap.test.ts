/**
 * The issue cap bounds the work, not only the output: a journal with a million problems builds
 * about MAX_ISSUES_PER_ITEM issues and counts the rest by kind exactly (createIssue is counted: not
 * a wall-clock bound, which flakes on a loaded machine).
 */
import * as issuesModule from '../../../nodes/core/issues';
import { MAX_ISSUES_PER_ITEM, type Issue } from '../../../nodes/core/issues';
import { parseJournal } from '../../../nodes/core/journal';
import { readNmbrsJournalXml } from '../../../nodes/core/nmbrsXml';
import { splitJournal } from '../../../nodes/core/splitTwk';
import { validateJournal } from '../../../nodes/core/validateJournal';
import { smallJournal } from '../../helpers/journals';

/** How many issues `run` builds through createIssue, and what it returns. */
function built<T>(run: () => T): { result: T; count: number } {
	const spy = jest.spyOn(issuesModule, 'createIssue');
	try {
		const result = run();
		return { result, count: spy.mock.calls.length };
	} finally {
		spy.mockRestore();
	}
}

/** The reviewer's hostile line: too long an account, an ambiguous amount, both sides, a cost centre code too long, period 99. */
const hostileLine = (): Record<string, unknown> => ({
	account: 'x'.repeat(300),
	debit: '1,000',
	credit: '2',
	costCenter: { code: 'c'.repeat(50) },
	period: { year: 2026, period: 99 },
});

function hostileJournal(lines: number): unknown {
	return smallJournal({ lines: Array.from({ length: lines }, hostileLine) });
}

function expectSummary(issues: readonly Issue[], text: string): void {
	expect(issues).toHaveLength(MAX_ISSUES_PER_ITEM + 1);
	expect(issues[MAX_ISSUES_PER_ITEM].code).toBe('TOO_MANY_PROBLEMS');
	expect(issues[MAX_ISSUES_PER_ITEM].message).toContain(text);
}

describe('the issue cap bounds the issues built, not only those reported', () => {
	const journal = hostileJournal(20_000);
	const counted =
		'and 59,000 more problems (of these kinds: AMOUNT_AMBIGUOUS 20,000×, FIELD_INVALID 19,500×, FIELD_TOO_LONG 19,500×)';

	it.each([
		['parseJournal', () => parseJournal(journal).issues],
		['validateJournal', () => validateJournal(journal).issues],
		['splitJournal', () => splitJournal(journal).issues],
	])(
		'%s on 20,000 hostile lines builds at most the 1,000 issues it lists and counts the rest exactly',
		(_name, run) => {
			const { result, count } = built(run);
			expectSummary(result, counted);
			expect(result[999].path).toBe('lines[499].period.period');
			expect(count).toBeLessThanOrEqual(MAX_ISSUES_PER_ITEM + 1);
		},
	);

	it('readNmbrsJournalXml on 200,000 lines missing their account and side builds at most 1,000 issues', () => {
		const lines = '<line><value>1</value></line>'.repeat(200_000);
		const xml = `<root><transaction><header><date>20260331</date></header><lines>${lines}</lines></transaction></root>`;
		const { result, count } = built(() => readNmbrsJournalXml(xml));
		expect(result.lines).toEqual([]);
		expectSummary(
			result.issues,
			'and 399,000 more problems (of these kinds: XML_ELEMENT_MISSING 399,000×)',
		);
		expect(count).toBeLessThanOrEqual(MAX_ISSUES_PER_ITEM + 1);
	});

	it('readNmbrsJournalXml puts a header date read after the lines first, and still counts every problem', () => {
		const lines = '<line><value>1</value></line>'.repeat(1_500);
		const xml = `<root><transaction><lines>${lines}</lines><header><date>2026</date></header></transaction></root>`;
		const issues = readNmbrsJournalXml(xml).issues;
		const capped = issuesModule.capIssues(issues);
		expect(capped[0].code).toBe('XML_DATE_INVALID');
		expect(capped[1].path).toBe('journalXml.transaction[0].line[0].dim1');
		expectSummary(capped, 'and 2,001 more problems (of these kinds: XML_ELEMENT_MISSING 2,001×)');
	});
});
