/**
 * Hostile input against the core's promises: amounts read exactly as meant or refused with the
 * reason, every field bounded and every scan linear, any number of problems reported without a
 * crash, one date rule for JSON and XML.
 */
import fc from 'fast-check';

import { MAX_ISSUES_PER_ITEM, type Issue } from '../../../nodes/core/issues';
import { parseJournal } from '../../../nodes/core/journal';
import { mapLineDimensions, type SubaccountSegment } from '../../../nodes/core/mapDimensions';
import { parseAmount, parseAmountText, plainAmountCents } from '../../../nodes/core/money';
import { readNmbrsJournalXml } from '../../../nodes/core/nmbrsXml';
import { splitJournal } from '../../../nodes/core/splitTwk';
import type { VismaFinancialPeriod } from '../../../nodes/core/period';
import { validateJournal, type AccountInfo } from '../../../nodes/core/validateJournal';
import { smallJournal, type JsonJournal } from '../../helpers/journals';

function refusal(value: unknown): { problem: string; reason: string } {
	const result = parseAmount(value);
	if (result.ok)
		throw new Error(`expected ${JSON.stringify(value)} to be refused, got ${result.cents} cents`);
	return { problem: result.problem, reason: result.reason };
}

function ms(run: () => void): number {
	const start = process.hrtime.bigint();
	run();
	return Number(process.hrtime.bigint() - start) / 1e6;
}

function issuesOf(journal: unknown): readonly Issue[] {
	return validateJournal(journal).issues;
}

describe('amounts: thousands separators are refused, never read as decimals', () => {
	it.each([
		'1,000',
		'1.000',
		'1,500',
		'1.500',
		'12,345',
		'12.345',
		'-1,000',
		'+999.999',
		'100,000',
	])('refuses %s as ambiguous, saying why', (text) => {
		const { problem, reason } = refusal(text);
		expect(problem).toBe('AMOUNT_AMBIGUOUS');
		expect(reason).toMatch(/thousand/);
	});

	it('says which two readings "1,000" has', () => {
		expect(refusal('1,000').reason).toBe(
			'could mean 1000 (with "," as a thousands separator) or 1 (with "," as the decimal separator): write 1000.00 or 1.00',
		);
		expect(refusal('1.500').reason).toMatch(
			/could mean 1500 .* or 1\.5 .*: write 1500\.00 or 1\.50$/,
		);
		expect(refusal('12,345').reason).toMatch(
			/could mean 12345 .* or 12\.345 .*: write 12345\.00, or round to cents$/,
		);
	});

	it.each([
		'5.',
		'.5',
		'1,',
		',5',
		'-.5',
		'+,5',
		'1 000',
		'1 000,00',
		'1_000',
		'1\u00a0000',
		'1.000.000',
		'1,000,000',
		'1,234.56',
		'1.234,56',
		'1..5',
		'1,,5',
		'0x10',
		'١٢',
	])('refuses the form %p as not a number', (text) => {
		expect(refusal(text).problem).toBe('AMOUNT_NOT_A_NUMBER');
	});

	it.each([
		['4250,00', 425000n],
		['4250,5', 425050n],
		['0,500', 50n],
		['1234.500', 123450n],
		['1234,5000', 123450n],
		['00012.30', 1230n],
		['  100.10  ', 10010n],
	])('still reads %s as %s cents (a separator that cannot group thousands)', (text, cents) => {
		expect(parseAmount(text)).toEqual({ ok: true, cents });
	});

	it('keeps AMOUNT_TOO_PRECISE for real decimals beyond cents', () => {
		expect(refusal('1234.567').problem).toBe('AMOUNT_TOO_PRECISE');
		expect(refusal('0.001').problem).toBe('AMOUNT_TOO_PRECISE');
		expect(refusal('1.0001').problem).toBe('AMOUNT_TOO_PRECISE');
	});

	it('shows the bookkeeper why in the issue on the line', () => {
		const journal = smallJournal();
		journal.lines[0].debit = '1,000';
		journal.lines[1].credit = '1,000';
		const issues = issuesOf(journal);
		expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
			['AMOUNT_AMBIGUOUS', 'lines[0].debit'],
			['AMOUNT_AMBIGUOUS', 'lines[1].credit'],
		]);
		expect(issues[0].message).toMatch(
			/^Journal R2026-04, line 1 \(account 4000\): debit "1,000" could mean 1000 /,
		);
	});

	it('fast path and full path agree on any text (property)', () => {
		const amountish = fc.string({
			unit: fc.constantFrom('0', '1', '5', '9', '.', ',', '-', '+', ' ', 'e', '_'),
			maxLength: 20,
		});
		fc.assert(
			fc.property(fc.oneof(amountish, fc.string({ maxLength: 20 })), (text) => {
				const fast = plainAmountCents(text);
				if (fast === null) return;
				// Against the rule without the shortcut: parseAmount itself takes the shortcut first, so
				// compared with it this property could never fail.
				expect(parseAmountText(text)).toEqual({ ok: true, cents: BigInt(fast) });
			}),
			{ seed: 20260410, numRuns: 5000 },
		);
	});
});

describe('ids that arrive as JSON numbers', () => {
	it.each([
		['company.id', (journal: JsonJournal) => (journal.company.id = 2 ** 53 + 2)],
		[
			'lines[0].account',
			(journal: JsonJournal) => (journal.lines[0].account = 12345678901234567890),
		],
		[
			'lines[0].costCenter',
			(journal: JsonJournal) => (journal.lines[0].costCenter = 9007199254740993),
		],
		[
			'lines[0].costUnit.code',
			(journal: JsonJournal) => (journal.lines[0].costUnit = { code: 1e20 }),
		],
		['run.id', (journal: JsonJournal) => (journal.run!.id = 1e17)],
		['run.number', (journal: JsonJournal) => (journal.run!.number = 2 ** 60)],
	])('refuses %s beyond 2^53 and asks for text', (path, breakIt) => {
		const journal = smallJournal();
		breakIt(journal);
		const issues = parseJournal(journal).issues;
		expect(issues).toHaveLength(1);
		expect(issues[0]).toMatchObject({ code: 'FIELD_INVALID', path });
		expect(issues[0].message).toMatch(/text/);
	});

	it('still reads a safe numeric id', () => {
		const journal = smallJournal();
		journal.company.id = Number.MAX_SAFE_INTEGER;
		expect(parseJournal(journal).journal?.company.id).toBe('9007199254740991');
	});
});

describe('every field is bounded', () => {
	const LONG = 'x'.repeat(100_000);
	it.each([
		['reference', (j: JsonJournal) => (j.reference = LONG), 'reference', 255],
		['company.id', (j: JsonJournal) => (j.company.id = LONG), 'company.id', 64],
		['company.name', (j: JsonJournal) => (j.company.name = LONG), 'company.name', 255],
		['run.id', (j: JsonJournal) => (j.run!.id = LONG), 'run.id', 64],
		['run.description', (j: JsonJournal) => (j.run!.description = LONG), 'run.description', 1000],
		['account', (j: JsonJournal) => (j.lines[0].account = LONG), 'lines[0].account', 64],
		[
			'description',
			(j: JsonJournal) => (j.lines[0].description = LONG),
			'lines[0].description',
			1000,
		],
		['costCenter', (j: JsonJournal) => (j.lines[0].costCenter = LONG), 'lines[0].costCenter', 64],
		[
			'costUnit.code',
			(j: JsonJournal) => (j.lines[0].costUnit = { code: LONG }),
			'lines[0].costUnit.code',
			64,
		],
		[
			'costUnit.description',
			(j: JsonJournal) => (j.lines[0].costUnit = { code: 'P1', description: LONG }),
			'lines[0].costUnit.description',
			1000,
		],
	])(
		'refuses a %s of 100,000 characters, naming the field and the limit',
		(_name, breakIt, path, limit) => {
			const journal = smallJournal();
			breakIt(journal);
			const issues = parseJournal(journal).issues;
			expect(issues.map((issue) => [issue.code, issue.path])).toEqual([['FIELD_TOO_LONG', path]]);
			expect(issues[0].message).toContain(`at most ${limit.toLocaleString('en-US')} characters`);
			expect(issues[0].message).toContain('100,000');
		},
	);

	it('refuses an amount of 100,000 characters, naming line, field and limit', () => {
		const journal = smallJournal();
		journal.lines[0].debit = '1.' + '0'.repeat(99_997) + '1';
		const issues = parseJournal(journal).issues;
		expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
			['FIELD_TOO_LONG', 'lines[0].debit'],
		]);
		expect(issues[0].message).toMatch(
			/^Journal R2026-04, line 1 \(account 4000\): debit .* at most 32 characters/,
		);
	});

	it('accepts fields at their limit', () => {
		const journal = smallJournal({ reference: 'R'.repeat(255) });
		journal.lines[0].description = 'd'.repeat(1000);
		journal.lines[0].account = '4'.repeat(64);
		journal.lines[1].account = '2'.repeat(64);
		journal.lines[0].debit = `${'0'.repeat(25)}1000.00`;
		expect(parseJournal(journal).issues).toEqual([]);
	});
});

describe('no scan is quadratic (100,000 hostile characters, well under 250 ms)', () => {
	const zeros = '1.' + '0'.repeat(80_000) + '1';
	it('parseAmount on "1." + 80,000 zeros + "1"', () => {
		expect(ms(() => parseAmount(zeros))).toBeLessThan(250);
		expect(ms(() => parseAmount('1,' + ','.repeat(100_000)))).toBeLessThan(250);
		expect(ms(() => parseAmount('0'.repeat(100_000) + 'x'))).toBeLessThan(250);
	});

	it('a journal line with such an amount', () => {
		const journal = smallJournal();
		journal.lines[0].debit = zeros;
		expect(ms(() => validateJournal(journal))).toBeLessThan(250);
	});

	it('the same amount through Nmbrs XML', () => {
		const xml = `<root><transaction><header><date>20260331</date></header><lines><line><dim1>4000</dim1><debitcredit>debit</debitcredit><value>${zeros}</value></line></lines></transaction></root>`;
		expect(
			ms(() => {
				const read = readNmbrsJournalXml(xml);
				validateJournal({ ...smallJournal(), lines: read.lines });
			}),
		).toBeLessThan(250);
	});
});

describe('no check is quadratic in the number of lines', () => {
	it('200,000 lines over 120 closed financial periods take not much longer than without periods', () => {
		const financialPeriods: VismaFinancialPeriod[] = [];
		const lines: Array<Record<string, unknown>> = [];
		for (let year = 2016; year < 2026; year++) {
			for (let month = 1; month <= 12; month++) {
				const start = `${year}-${String(month).padStart(2, '0')}-01`;
				const end = `${year}-${String(month).padStart(2, '0')}-28`;
				financialPeriods.push({
					year,
					period: month,
					startDate: start,
					endDate: end,
					active: true,
					closedInGeneralLedger: true,
				});
			}
		}
		for (let index = 0; index < 200_000; index++) {
			const period = financialPeriods[index % financialPeriods.length];
			lines.push({
				account: '4000',
				bookingDate: period.startDate,
				[index % 2 ? 'debit' : 'credit']: '1.00',
			});
		}
		const journal = smallJournal({ lines });
		let issues: readonly Issue[] = [];
		const without = ms(() => validateJournal(journal));
		const took = ms(() => (issues = validateJournal(journal, { financialPeriods }).issues));
		expect(issues.filter((issue) => issue.code === 'FINANCIAL_PERIOD_CLOSED')).toHaveLength(120);
		// Was 34 s against 2.3 s without periods: one pass over all lines per closed period.
		expect(took).toBeLessThan(2 * without + 1000);
	});
});

describe('any number of problems is reported without a crash, capped per item', () => {
	const LINES = 200_000;
	function manyLines(make: (index: number) => Record<string, unknown>): JsonJournal {
		return smallJournal({ lines: Array.from({ length: LINES }, (_, index) => make(index)) });
	}

	function expectCapped(issues: readonly Issue[], hidden: number, kind: string): void {
		expect(issues).toHaveLength(MAX_ISSUES_PER_ITEM + 1);
		const summary = issues[MAX_ISSUES_PER_ITEM];
		expect(summary.code).toBe('TOO_MANY_PROBLEMS');
		expect(summary.message).toContain(`and ${hidden.toLocaleString('en-US')} more problems`);
		expect(summary.message).toContain(kind);
		expect(summary.message).toMatch(/fix the first ones and run again/);
	}

	it('200,000 lines without a date (Validate and Split)', () => {
		const journal = manyLines((index) => ({
			account: '4000',
			debit: index % 2 ? '1.00' : undefined,
			credit: index % 2 ? undefined : '1.00',
		}));
		delete journal.run;
		expectCapped(validateJournal(journal).issues, LINES - MAX_ISSUES_PER_ITEM, 'FIELD_REQUIRED');
		expectCapped(splitJournal(journal).issues, LINES - MAX_ISSUES_PER_ITEM, 'FIELD_REQUIRED');
	});

	it('200,000 bad amounts', () => {
		const journal = manyLines(() => ({ account: '4000', debit: 'x' }));
		expectCapped(parseJournal(journal).issues, LINES - MAX_ISSUES_PER_ITEM, 'AMOUNT_NOT_A_NUMBER');
	});

	it('200,000 unknown accounts', () => {
		const journal = manyLines((index) => ({
			account: `A${index}`,
			debit: index % 2 ? '1.00' : undefined,
			credit: index % 2 ? undefined : '1.00',
		}));
		const accounts = new Map<string, AccountInfo>();
		expectCapped(
			validateJournal(journal, { accounts }).issues,
			LINES - MAX_ISSUES_PER_ITEM,
			'ACCOUNT_UNKNOWN',
		);
	});

	it('200,000 unknown cost centres in Map Dimensions', () => {
		const json = manyLines((index) => ({
			account: '4000',
			debit: index % 2 ? '1.00' : undefined,
			credit: index % 2 ? undefined : '1.00',
			costCenter: `C${index}`,
		}));
		const { journal } = parseJournal(json);
		const segment: SubaccountSegment = {
			segmentId: 1,
			description: 'Kostenplaats',
			length: 8,
			validate: true,
			values: [{ value: '000', description: 'Geen' }],
		};
		const mapped = mapLineDimensions(journal!, [segment], {
			useCostCenters: true,
			costCenterDimension: 'Kostenplaats',
			useCostUnits: false,
			costUnitDimension: 'Kostendrager',
			matchValuesBy: 'code',
		});
		expectCapped(mapped.issues, LINES - MAX_ISSUES_PER_ITEM, 'UNMAPPED_COST_CENTER');
	});

	it('counts problems of several kinds in the summary, and does not cap 1,000 problems', () => {
		const many = manyLines((index) => ({ account: '4000', debit: index % 2 ? 'x' : '0.001' }));
		const issues = parseJournal(many).issues;
		expect(issues[MAX_ISSUES_PER_ITEM].message).toMatch(
			/AMOUNT_NOT_A_NUMBER.*AMOUNT_TOO_PRECISE|AMOUNT_TOO_PRECISE.*AMOUNT_NOT_A_NUMBER/,
		);
		const exact = smallJournal({
			lines: Array.from({ length: MAX_ISSUES_PER_ITEM }, () => ({ account: '4000', debit: 'x' })),
		});
		expect(parseJournal(exact).issues).toHaveLength(MAX_ISSUES_PER_ITEM);
	});
});

describe('one date rule for JSON and XML: years 1900 to 2999', () => {
	it.each(['0000-01-01', '1899-12-31', '3000-01-01', '9999-12-31'])(
		'refuses the JSON booking date %s',
		(date) => {
			const journal = smallJournal();
			journal.lines[0].bookingDate = date;
			const issues = parseJournal(journal).issues;
			expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
				['FIELD_INVALID', 'lines[0].bookingDate'],
			]);
			expect(issues[0].message).toMatch(/1900.*2999/);
		},
	);

	it.each(['0000-01-01', '9999-12-31'])('refuses the run date %s', (date) => {
		const journal = smallJournal();
		journal.run!.date = date;
		expect(parseJournal(journal).issues.map((issue) => issue.path)).toEqual(['run.date']);
	});

	it('accepts 1900-01-01 and 2999-12-31 in JSON as in XML', () => {
		for (const date of ['1900-01-01', '2999-12-31']) {
			const journal = smallJournal();
			journal.lines[0].bookingDate = date;
			journal.lines[1].bookingDate = date;
			expect(parseJournal(journal).issues).toEqual([]);
			const xml = `<root><transaction><header><date>${date.replace(/-/g, '')}</date></header><lines><line><dim1>4000</dim1><debitcredit>debit</debitcredit><value>1.00</value></line><line><dim1>2100</dim1><debitcredit>credit</debitcredit><value>1.00</value></line></lines></transaction></root>`;
			expect(readNmbrsJournalXml(xml).issues).toEqual([]);
		}
	});
});
