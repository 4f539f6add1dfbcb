import fc from 'fast-check';

import { ISSUE_CODES } from '../../../nodes/core/issues';
import { parseJournal, toCanonicalLineJson } from '../../../nodes/core/journal';
import { marchRunWithTwk, smallJournal } from '../../helpers/journals';

describe('parseJournal', () => {
	it('reads the seed example: company, run, TWK periods and exact amounts', () => {
		const { journal, issues } = parseJournal(marchRunWithTwk());
		expect(issues).toEqual([]);
		expect(journal).not.toBeNull();
		expect(journal!.reference).toBe('R2026-03');
		expect(journal!.company).toEqual({
			id: '1234',
			name: 'Bakkerij De Vries BV',
			testCompany: false,
			debtorBlocked: false,
		});
		expect(journal!.run).toMatchObject({ periodType: 'month', period: 3, year: 2026 });
		expect(journal!.currency).toBe('EUR');
		expect(journal!.lines).toHaveLength(13);
		expect(journal!.lines[0]).toMatchObject({
			index: 0,
			account: '4000',
			debitCents: 425000n,
			creditCents: 0n,
			costCenter: { code: '100', description: 'Productie' },
			costUnit: { code: 'P001', description: 'Brood' },
		});
		// A bare code is a cost centre without description.
		expect(journal!.lines[2].costCenter).toEqual({ code: '100' });
		// The sign rule: a negative debit is a credit, a negative credit a debit.
		expect(journal!.lines[10]).toMatchObject({
			debitCents: 0n,
			creditCents: 4000n,
			period: { year: 2026, period: 2 },
		});
		expect(journal!.lines[12]).toMatchObject({ debitCents: 2520n, creditCents: 0n });
	});

	it('keeps account numbers as text, leading zeros included, and accepts numeric ids', () => {
		const { journal, issues } = parseJournal(
			smallJournal({
				company: { id: 1234 },
				lines: [
					{ account: '0400', debit: 10 },
					{ account: 2100, credit: '10' },
				],
			}),
		);
		expect(issues).toEqual([]);
		expect(journal!.company.id).toBe('1234');
		expect(journal!.lines.map((line) => line.account)).toEqual(['0400', '2100']);
	});

	it('defaults the currency to EUR, the flags to false and the period type to month', () => {
		const { journal } = parseJournal(smallJournal({ run: { id: '1' } }));
		expect(journal!.currency).toBe('EUR');
		expect(journal!.company.testCompany).toBe(false);
		expect(journal!.run!.periodType).toBe('month');
	});

	it('lists every problem at once, each naming the journal, the line, the account and the field', () => {
		const input = marchRunWithTwk();
		input.lines[16 - 10] = { ...input.lines[6], debit: '4250.00', credit: '12.00' };
		input.lines[1].debit = '2100.005';
		input.lines[2].account = '';
		input.lines[3].debit = 'abc';
		input.lines[4].bookingDate = '31-01-2026';
		const { journal, issues } = parseJournal(input);
		expect(journal).toBeNull();
		const byCode = Object.fromEntries(issues.map((issue) => [issue.code, issue]));
		expect(Object.keys(byCode).sort()).toEqual(
			['AMOUNT_NOT_A_NUMBER', 'AMOUNT_TOO_PRECISE', 'FIELD_INVALID', 'LINE_BOTH_SIDES'].sort(),
		);
		expect(issues).toHaveLength(5);
		expect(byCode.LINE_BOTH_SIDES).toMatchObject({
			path: 'lines[6].debit',
			line: 7,
			field: 'debit',
		});
		expect(byCode.LINE_BOTH_SIDES.message).toBe(
			'Journal R2026-03, line 7 (account 2100): debit 4250.00 and credit 12.00 are both filled. Keep one side; a negative amount books on the other side.',
		);
		expect(byCode.AMOUNT_TOO_PRECISE).toMatchObject({
			path: 'lines[1].debit',
			line: 2,
			value: '"2100.005"',
		});
		expect(byCode.AMOUNT_TOO_PRECISE.message).toContain(
			'Journal R2026-03, line 2 (account 4000): debit "2100.005" has more than two decimals.',
		);
		expect(byCode.AMOUNT_NOT_A_NUMBER.message).toContain('line 4 (account 4010)');
		const invalid = issues.filter((issue) => issue.code === 'FIELD_INVALID');
		expect(invalid.map((issue) => issue.path).sort()).toEqual([
			'lines[2].account',
			'lines[4].bookingDate',
		]);
		expect(invalid.find((issue) => issue.path === 'lines[4].bookingDate')!.message).toContain(
			'must be a real date written YYYY-MM-DD',
		);
	});

	it('says what is missing and how to fix it', () => {
		const { issues } = parseJournal({ lines: [] });
		expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
			['FIELD_REQUIRED', 'reference'],
			['FIELD_REQUIRED', 'company'],
			['LINES_EMPTY', 'lines'],
		]);
		expect(issues[0].message).toBe(
			'Journal: the run reference is missing. Add reference to the journal (see the journal format in the README).',
		);
	});

	it('refuses empty amounts, NaN, Infinity and absurd magnitudes by code', () => {
		const input = smallJournal({
			lines: [
				{ account: '4000', debit: '' },
				{ account: '4000', debit: Number.NaN },
				{ account: '4000', credit: Number.POSITIVE_INFINITY },
				{ account: '4000', credit: '20000000000000' },
			],
		});
		expect(parseJournal(input).issues.map((issue) => issue.code)).toEqual([
			'AMOUNT_EMPTY',
			'AMOUNT_NOT_A_NUMBER',
			'AMOUNT_NOT_A_NUMBER',
			'AMOUNT_TOO_LARGE',
		]);
	});

	it.each([null, 'text', 42, [], true])('refuses %p as not a journal object', (input) => {
		const { journal, issues } = parseJournal(input);
		expect(journal).toBeNull();
		expect(issues.map((issue) => issue.code)).toEqual(['JOURNAL_NOT_AN_OBJECT']);
	});

	it('reads a line’s project, project task and branch as text; empty means none', () => {
		const { journal, issues } = parseJournal(
			smallJournal({
				lines: [
					{ account: '4000', debit: '10.00', project: ' P-01 ', projectTask: 'T1', branch: 2 },
					{ account: '2100', credit: '10.00', project: '', projectTask: null, branch: '' },
				],
			}),
		);
		expect(issues).toEqual([]);
		expect(journal!.lines[0]).toMatchObject({ project: 'P-01', projectTask: 'T1', branch: '2' });
		expect(journal!.lines[1]).not.toHaveProperty('project');
		expect(journal!.lines[1]).not.toHaveProperty('projectTask');
		expect(journal!.lines[1]).not.toHaveProperty('branch');
		expect(toCanonicalLineJson(journal!.lines[0])).toMatchObject({
			project: 'P-01',
			projectTask: 'T1',
			branch: '2',
		});
		expect(toCanonicalLineJson(journal!.lines[1])).not.toHaveProperty('project');
	});

	it('refuses a project task without a project, and project, task or branch codes over 64 characters', () => {
		const { journal, issues } = parseJournal(
			smallJournal({
				lines: [
					{ account: '4000', debit: '10.00', projectTask: 'T1' },
					{ account: '2100', credit: '10.00', project: 'P'.repeat(65), branch: { id: 1 } },
				],
			}),
		);
		expect(journal).toBeNull();
		expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
			['FIELD_TOO_LONG', 'lines[1].project'],
			['FIELD_INVALID', 'lines[1].branch'],
			['PROJECT_TASK_WITHOUT_PROJECT', 'lines[0].projectTask'],
		]);
		expect(issues[2].message).toContain('project task T1 is given without a project');
		expect(issues[2].message).toContain('line 1');
		expect(issues[0].message).toContain('the project is 65 characters long');
	});

	it('refuses an unknown period type and a bad currency', () => {
		const { issues } = parseJournal(
			smallJournal({ currency: 'euro', run: { periodType: 'quarter' } }),
		);
		expect(issues.map((issue) => issue.path).sort()).toEqual(['currency', 'run.periodType']);
		expect(issues.find((issue) => issue.path === 'run.periodType')!.message).toContain(
			'must be one of "month", "4weeks", "week"',
		);
	});

	it('never throws and always explains itself with a known code, whatever JSON arrives (fuzz)', () => {
		const line = fc.record(
			{
				account: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
				debit: fc.oneof(fc.string(), fc.double(), fc.constant(null), fc.anything()),
				credit: fc.oneof(fc.string(), fc.double(), fc.constant(undefined)),
				costCenter: fc.oneof(fc.string(), fc.record({ code: fc.string() }), fc.anything()),
				period: fc.anything(),
				bookingDate: fc.oneof(
					fc.string(),
					fc
						.date()
						.map((date) => (Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10))),
				),
			},
			{ requiredKeys: [] },
		);
		const journal = fc.record(
			{
				reference: fc.oneof(fc.string(), fc.anything()),
				company: fc.oneof(fc.record({ id: fc.oneof(fc.string(), fc.integer()) }), fc.anything()),
				run: fc.anything(),
				currency: fc.oneof(fc.constant('EUR'), fc.string()),
				lines: fc.oneof(fc.array(line, { maxLength: 6 }), fc.anything()),
			},
			{ requiredKeys: [] },
		);
		fc.assert(
			fc.property(fc.oneof(journal, fc.anything()), (input) => {
				const { journal: parsed, issues } = parseJournal(input);
				if (parsed === null) {
					expect(issues.length).toBeGreaterThan(0);
					for (const issue of issues) {
						expect(ISSUE_CODES).toContain(issue.code);
						expect(issue.message.length).toBeGreaterThan(10);
					}
				} else {
					expect(issues).toEqual([]);
				}
			}),
			{ seed: 2026, numRuns: 3000 },
		);
	});
});
