import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Issue } from '../../../nodes/core/issues';
import { readNmbrsJournalXml, type NmbrsJournalLine } from '../../../nodes/core/nmbrsXml';
import { XML_LIMITS } from '../../../nodes/core/xmlScanner';

const fixture = (name: string): string =>
	readFileSync(join(__dirname, '../../fixtures/nmbrs', name), 'utf8');

/** One transaction around the given `<line>` bodies. */
function journal(lines: string[], date = '20260331'): string {
	const body = lines.map((line) => `<line>${line}</line>`).join('');
	return `<root><transaction><header><date>${date}</date></header><lines>${body}</lines></transaction></root>`;
}

const LINE =
	'<dim1>4000</dim1><dim2>100</dim2><debitcredit>debit</debitcredit><value>10.00</value><description>Loon</description>';

function onlyIssue(xml: unknown): Issue {
	const result = readNmbrsJournalXml(xml);
	expect(result.lines).toEqual([]);
	expect(result.issues).toHaveLength(1);
	return result.issues[0];
}

function linesOf(xml: string): NmbrsJournalLine[] {
	const result = readNmbrsJournalXml(xml);
	expect(result.issues).toEqual([]);
	return result.lines;
}

const SEED_LINES: NmbrsJournalLine[] = [
	{
		account: '4000',
		description: 'Bruto lonen TWK',
		debit: '120.00',
		costCenter: '100',
		costUnit: 'P-01',
		bookingDate: '2026-01-31',
	},
	{ account: '2100', description: 'Nettoloon TWK', credit: '120.00', bookingDate: '2026-01-31' },
	{
		account: '4000',
		description: 'Bruto lonen TWK',
		debit: '80.50',
		costCenter: '100',
		costUnit: 'P-01',
		bookingDate: '2026-02-28',
	},
	{ account: '2100', description: 'Nettoloon TWK', credit: '80.50', bookingDate: '2026-02-28' },
	{
		account: '4000',
		description: 'Bruto lonen',
		debit: '4250.00',
		costCenter: '100',
		costUnit: 'P-01',
		bookingDate: '2026-03-31',
	},
	{
		account: '4010',
		description: 'Res. en opslag vakantiegeld',
		debit: '340.00',
		costCenter: '200',
		bookingDate: '2026-03-31',
	},
	{ account: '1700', description: 'Loonheffingen', credit: '1275.00', bookingDate: '2026-03-31' },
	{
		account: '1830',
		description: 'Reservering & opslag vakantiegeld',
		credit: '340.00',
		bookingDate: '2026-03-31',
	},
	{ account: '2100', description: 'Nettoloon', credit: '2975.00', bookingDate: '2026-03-31' },
];

describe('readNmbrsJournalXml: a sound journal', () => {
	it('reads the March 2026 run with TWK over January and February, one booking date per transaction', () => {
		const result = readNmbrsJournalXml(fixture('run-2026-03-twk.xml'));
		expect(result).toEqual({ lines: SEED_LINES, transactionCount: 3, issues: [] });
	});

	it('keeps the contract key order, bookingDate last', () => {
		const [first, second] = readNmbrsJournalXml(fixture('run-2026-03-twk.xml')).lines;
		expect(Object.keys(first)).toEqual([
			'account',
			'description',
			'debit',
			'costCenter',
			'costUnit',
			'bookingDate',
		]);
		expect(Object.keys(second)).toEqual(['account', 'description', 'credit', 'bookingDate']);
	});

	it('unwraps a SOAP answer that holds the journal as escaped text', () => {
		const result = readNmbrsJournalXml(fixture('soap-run-2026-03-twk.xml'));
		expect(result).toEqual({ lines: SEED_LINES, transactionCount: 3, issues: [] });
	});

	it('unwraps a SOAP answer that holds the journal in CDATA, and one that holds it as elements', () => {
		const inner = journal([LINE]);
		const cdata = `<s:Envelope xmlns:s="x"><s:Body><R><Journals_GetByRunCompany_v2Result><![CDATA[${inner}]]></Journals_GetByRunCompany_v2Result></R></s:Body></s:Envelope>`;
		const inline = `<s:Envelope xmlns:s="x"><s:Body><R><Journals_GetByRunCompany_v2Result>${inner}</Journals_GetByRunCompany_v2Result></R></s:Body></s:Envelope>`;
		expect(linesOf(cdata)).toEqual(linesOf(inner));
		expect(linesOf(inline)).toEqual(linesOf(inner));
	});

	it('decodes the five entities and decimal and hex character references', () => {
		const description = '&amp; &lt; &gt; &quot; &apos; &#233; &#xE9; &#x1F600; &#10;x';
		const [line] = linesOf(
			journal([
				`<dim1>4000</dim1><debitcredit>debit</debitcredit><value>1</value><description>${description}</description>`,
			]),
		);
		expect(line.description).toBe('& < > " \' é é 😀 \nx');
	});

	it('reads CDATA, also split by a comment, and keeps markup characters inside it as text', () => {
		const [line] = linesOf(
			journal([
				'<dim1>4000</dim1><debitcredit>debit</debitcredit><value>1</value><description><![CDATA[a <b> & c]]><!-- x --><![CDATA[ d]]></description>',
			]),
		);
		expect(line.description).toBe('a <b> & c d');
	});

	it('trims whitespace around values and keeps leading zeros of accounts', () => {
		const [line] = linesOf(
			journal([
				'\n  <dim1>\n\t0400 </dim1>\n  <dim2> 100\n</dim2><debitcredit> Credit </debitcredit><value>\t12.5 </value><description>  Loon  mei </description>\n',
			]),
		);
		expect(line).toEqual({
			account: '0400',
			description: 'Loon  mei',
			credit: '12.5',
			costCenter: '100',
			bookingDate: '2026-03-31',
		});
	});

	it('reads CR LF and a lone CR inside a text as a line feed, as XML does', () => {
		const [line] = linesOf(
			journal([
				'<dim1>4000</dim1><debitcredit>D</debitcredit><value>1</value><description>a\r\nb\rc&#13;d</description>',
			]),
		);
		expect(line.description).toBe('a\nb\nc\rd'); // a reference keeps its CR
	});

	it('skips comments, processing instructions, the declaration, a byte-order mark and a plain DOCTYPE', () => {
		const xml =
			'\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE root SYSTEM "journal.dtd">\n<!-- before -->\n<?app x?>' +
			journal([
				'<!-- c --><dim1>40<!-- split -->00</dim1><?pi?><debitcredit>debit</debitcredit><value>1</value>',
			]) +
			'\n<!-- after -->\n';
		expect(linesOf(xml)).toEqual([
			{ account: '4000', description: '', debit: '1', bookingDate: '2026-03-31' },
		]);
	});

	it('matches local names case-insensitively, whatever the namespace prefix, and ignores attributes', () => {
		const xml =
			'<nm:Journal xmlns:nm="urn:nmbrs" version=\'2\'><nm:Transaction id="1"><nm:Header><nm:Date>2026-02-28</nm:Date><nm:Extra a="&amp;"/></nm:Header>' +
			'<nm:Lines><nm:Line><nm:Dim1>4000</nm:Dim1><nm:DebitCredit>CREDIT</nm:DebitCredit><nm:Value>5</nm:Value><x:Description xmlns:x="y">Zo</x:Description></nm:Line></nm:Lines></nm:Transaction></nm:Journal>';
		expect(linesOf(xml)).toEqual([
			{ account: '4000', description: 'Zo', credit: '5', bookingDate: '2026-02-28' },
		]);
	});

	it('leaves cost centre and cost unit out when their elements are absent or empty', () => {
		const lines = linesOf(
			journal([
				'<dim1>1700</dim1><debitcredit>credit</debitcredit><value>3</value>',
				'<dim1>1700</dim1><dim2/><dim3>  </dim3><debitcredit>credit</debitcredit><value>3</value>',
			]),
		);
		for (const line of lines) {
			expect(line).not.toHaveProperty('costCenter');
			expect(line).not.toHaveProperty('costUnit');
		}
	});

	it('keeps zero-value lines and the order of the XML', () => {
		const lines = linesOf(
			journal([
				'<dim1>3</dim1><debitcredit>debit</debitcredit><value>0.00</value>',
				'<dim1>1</dim1><debitcredit>c</debitcredit><value>0</value>',
				'<dim1>2</dim1><debitcredit>d</debitcredit><value>7</value>',
			]),
		);
		expect(lines.map((line) => [line.account, line.debit ?? line.credit])).toEqual([
			['3', '0.00'],
			['1', '0'],
			['2', '7'],
		]);
	});

	it('dates lines by a header that comes after them', () => {
		const xml =
			'<root><transaction><lines><line>' +
			LINE +
			'</line></lines><header><date>20240229</date></header></transaction></root>';
		expect(linesOf(xml)[0].bookingDate).toBe('2024-02-29');
	});

	it('reads a journal whose root is the transaction itself', () => {
		const xml = `<transaction><header><date>20260131</date></header><lines><line>${LINE}</line></lines></transaction>`;
		expect(readNmbrsJournalXml(xml)).toMatchObject({ transactionCount: 1, issues: [] });
	});
});

describe('readNmbrsJournalXml: missing input', () => {
	it.each([undefined, null, 42, {}, ['<root/>'], ''])('refuses %p as XML_MISSING', (input) => {
		const issue = onlyIssue(input);
		expect(issue).toMatchObject({ code: 'XML_MISSING', path: 'journalXml' });
		expect(issue.message).toMatch(/journalXml/);
	});

	it('uses the given source field in paths and messages', () => {
		expect(onlyIssue(undefined).path).toBe('journalXml');
		expect(readNmbrsJournalXml(undefined, 'data').issues[0]).toMatchObject({ path: 'data' });
		expect(readNmbrsJournalXml(journal(['<dim1>4000</dim1>']), 'data').issues[0].path).toBe(
			'data.transaction[0].line[0].value',
		);
	});
});

describe('readNmbrsJournalXml: broken XML gives one XML_MALFORMED naming line and column', () => {
	const cases: [string, string, string][] = [
		[
			'a mismatched closing tag',
			'<root>\n  <transaction>\n    <lines>\n      <line>\n      </lines>',
			'line 5, column 7: <line> was opened at line 4, column 7 but </lines> closes it',
		],
		[
			'an element left open at the end',
			'<root>\n  <transaction>\n',
			'line 3, column 1: the XML ends while <transaction> (opened at line 2, column 3) is still open',
		],
		[
			'a stray <',
			'<root>\n<a>1 < 2</a></root>',
			"line 2, column 6: there is a '<' that does not start a tag",
		],
		[
			'an unknown entity',
			'<root>\n\t<a>caf&eacute;</a></root>',
			'line 2, column 8: &eacute; is not an entity XML knows',
		],
		[
			'a bare ampersand',
			'<root><a>R&D</a></root>',
			"line 1, column 11: there is an '&' that does not start an entity",
		],
		[
			'a reference to a forbidden character',
			'<root><a>&#0;</a></root>',
			'line 1, column 10: &#0; does not name a character XML allows',
		],
		[
			'text after the root',
			'<root/>\nextra',
			'line 2, column 1: there is text after </root>, where the XML should end',
		],
		[
			'text before the root',
			'journal: <root/>',
			'line 1, column 1: there is text before the first element',
		],
		[
			'a second root',
			'<root/><root/>',
			'line 1, column 8: a second element <root> follows </root>',
		],
		['only whitespace', '  \n ', 'line 2, column 2: the XML holds no element at all'],
		['only a comment', '<!-- nothing -->', 'the XML holds no element at all'],
		[
			'a closing tag with nothing open',
			'</root>',
			'line 1, column 1: </root> closes an element that was never opened',
		],
		[
			'an unclosed comment',
			'<root><!-- x </root>',
			'line 1, column 7: a comment (<!--) is never closed with -->',
		],
		[
			'an unclosed CDATA section',
			'<root><![CDATA[ x </root>',
			'line 1, column 7: a CDATA section (<![CDATA[) is never closed with ]]>',
		],
		[
			'CDATA outside the root',
			'<![CDATA[x]]><root/>',
			'a CDATA section stands outside the root element',
		],
		[
			'an unquoted attribute',
			'<root a=1/>',
			'line 1, column 9: the value of the attribute a in <root> is not in quotes',
		],
		['an attribute without value', '<root a/>', 'the attribute a in <root> has no value'],
		['the end inside a tag', '<root><line', 'line 1, column 7: the XML ends inside the tag <line>'],
		['a lone < at the end', '<root>\n<', "line 2, column 1: the XML ends with a '<'"],
		[
			'markup that is not a comment, CDATA or DOCTYPE',
			'<root><!ENTITY x "y"></root>',
			"'<!' starts neither a comment",
		],
		[
			'a DOCTYPE after the root element started',
			'<root><!DOCTYPE root></root>',
			'a DOCTYPE may only stand once',
		],
	];

	it.each(cases)('%s', (_name, xml, detail) => {
		const issue = onlyIssue(xml);
		expect(issue.code).toBe('XML_MALFORMED');
		expect(issue.path).toBe('journalXml');
		expect(issue.message).toContain(detail);
		expect(issue.message).toMatch(
			/^Journal: the XML is broken at line \d+, column \d+: .+\. Ask for a fresh export from Nmbrs\.$/s,
		);
	});

	it('words the mismatch as the bookkeeper passes it on', () => {
		const xml = [
			'<root>',
			'<transaction>',
			'<lines>',
			'<line>',
			'<dim1>4000</dim1>',
			'</lines>',
		].join('\n');
		expect(onlyIssue(xml).message).toBe(
			'Journal: the XML is broken at line 6, column 1: <line> was opened at line 4, column 1 but </lines> closes it. Ask for a fresh export from Nmbrs.',
		);
	});

	it('does not count a byte-order mark as a column', () => {
		expect(onlyIssue('\uFEFF<root>&x;</root>').message).toContain('line 1, column 7:');
	});

	it('says when the broken XML is the journal inside a SOAP answer', () => {
		const soap =
			'<Envelope><Body><Journals_GetByRunCompany_v2Result>&lt;root&gt;&lt;transaction&gt;&lt;/root&gt;</Journals_GetByRunCompany_v2Result></Body></Envelope>';
		const issue = onlyIssue(soap);
		expect(issue.code).toBe('XML_MALFORMED');
		expect(issue.message).toContain(
			'the journal XML inside the SOAP answer is broken at line 1, column 20: <transaction> was opened',
		);
	});

	it('refuses a DOCTYPE with an internal subset (billion laughs) without expanding anything', () => {
		const laughs =
			'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<lolz>&lol2;</lolz>';
		const issue = onlyIssue(laughs);
		expect(issue.code).toBe('XML_MALFORMED');
		expect(issue.message).toContain(
			'line 2, column 16: the DOCTYPE declares definitions of its own',
		);
	});

	it('is not fooled by a [ inside a quoted DOCTYPE identifier', () => {
		const xml = `<!DOCTYPE root SYSTEM "a[b].dtd">${journal([LINE])}`;
		expect(readNmbrsJournalXml(xml).issues).toEqual([]);
	});
});

describe('readNmbrsJournalXml: content problems, all reported at once', () => {
	it('reports a journal without transactions', () => {
		const issue = onlyIssue('<root><something/></root>');
		expect(issue).toMatchObject({ code: 'XML_NO_TRANSACTIONS', path: 'journalXml' });
		expect(issue.message).toContain('the XML holds no <transaction>');
	});

	it('reports a SOAP fault as what Nmbrs answered', () => {
		const fault =
			'<soap:Envelope xmlns:soap="s"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Invalid run</faultstring></soap:Fault></soap:Body></soap:Envelope>';
		const issue = onlyIssue(fault);
		expect(issue.code).toBe('XML_NO_TRANSACTIONS');
		expect(issue.message).toContain(
			'Nmbrs answered with an error instead of a journal: "Invalid run"',
		);
	});

	it('reports an empty SOAP result as an empty journal', () => {
		const issue = onlyIssue(
			'<Envelope><Body><Journals_GetByRunCompany_v2Result /></Body></Envelope>',
		);
		expect(issue.code).toBe('XML_NO_TRANSACTIONS');
		expect(issue.message).toContain('holds an empty journal');
	});

	it('lists every problem of every transaction, in document order, and hands out no line', () => {
		const xml = [
			'<root>',
			'<transaction><header><other/></header><lines>',
			`<line>${LINE}</line>`,
			'<line><dim2>100</dim2><debitcredit>debit</debitcredit><value>5.00</value></line>',
			'</lines></transaction>',
			'<transaction><header><date>20260230</date></header><lines>',
			'<line><dim1>4000</dim1><debitcredit>X</debitcredit><value>12.50</value></line>',
			'<line><dim1>1700</dim1><debitcredit>credit</debitcredit><value> </value></line>',
			'<line><dim1>2100</dim1><value>3</value></line>',
			'<line><dim1>2100</dim1><debitcredit>debit</debitcredit><value>3</value><value>4</value></line>',
			'</lines></transaction>',
			'<transaction><lines/></transaction>',
			'<transaction><header><date>2026-01-31</date><date>2026-02-28</date></header></transaction>',
			'</root>',
		].join('\n');
		const result = readNmbrsJournalXml(xml);
		expect(result.lines).toEqual([]);
		expect(result.transactionCount).toBe(4);
		expect(result.issues.map((issue) => [issue.code, issue.path])).toEqual([
			['XML_DATE_INVALID', 'journalXml.transaction[0].header.date'],
			['XML_ELEMENT_MISSING', 'journalXml.transaction[0].line[1].dim1'],
			['XML_DATE_INVALID', 'journalXml.transaction[1].header.date'],
			['XML_SIDE_INVALID', 'journalXml.transaction[1].line[0].debitcredit'],
			['XML_ELEMENT_MISSING', 'journalXml.transaction[1].line[1].value'],
			['XML_ELEMENT_MISSING', 'journalXml.transaction[1].line[2].debitcredit'],
			['FIELD_INVALID', 'journalXml.transaction[1].line[3].value'],
			['XML_DATE_INVALID', 'journalXml.transaction[2].header.date'],
			['XML_DATE_INVALID', 'journalXml.transaction[3].header.date'],
		]);
		const messages = result.issues.map((issue) => issue.message);
		expect(messages[0]).toBe(
			'Journal: transaction 1 has no booking date: <header><date> is missing. Ask for a fresh export from Nmbrs.',
		);
		expect(messages[1]).toBe(
			'Journal: transaction 1, line 2 has no ledger account: <dim1> is missing. Give the wage component a ledger account in the Nmbrs journal settings, then export the journal again.',
		);
		expect(messages[2]).toContain(
			'transaction 2 has booking date "20260230", which is not a real date in the form YYYYMMDD.',
		);
		expect(messages[3]).toBe(
			'Journal: transaction 2, line 1 (account 4000, value 12.50) has <debitcredit> "X", where debit or credit (or D / C) is expected. Ask for a fresh export from Nmbrs.',
		);
		expect(messages[4]).toContain(
			'transaction 2, line 2 (account 1700) has no amount: <value> is empty.',
		);
		expect(messages[5]).toContain(
			'transaction 2, line 3 (account 2100, value 3) does not say debit or credit: <debitcredit> is missing.',
		);
		expect(messages[6]).toContain(
			'transaction 2, line 4 (account 2100, value 3) has <value> twice, as "3" and as "4"',
		);
		expect(messages[8]).toContain(
			'transaction 4 has two booking dates, "2026-01-31" and "2026-02-28"',
		);
		expect(result.issues[3]).toMatchObject({ field: 'debitcredit', value: '"X"' });
	});

	it.each([
		['20260229', false],
		['20240229', true],
		['2026-04-31', false],
		['2026-12-31', true],
		['19000229', false],
		['20000229', true],
		['2026-0131', false],
		['18991231', false],
		['2026131', false],
		['20261301', false],
		['20260100', false],
	])('takes %s as a real date: %p', (date, real) => {
		const result = readNmbrsJournalXml(journal([LINE], date));
		expect(result.issues.map((issue) => issue.code)).toEqual(real ? [] : ['XML_DATE_INVALID']);
	});

	it('accepts debit, credit, D and C in any case', () => {
		const sides = ['debit', 'CREDIT', 'd', 'C', ' Debit '].map(
			(side) => `<dim1>1</dim1><debitcredit>${side}</debitcredit><value>1</value>`,
		);
		expect(
			linesOf(journal(sides)).map((line) => (line.debit !== undefined ? 'debit' : 'credit')),
		).toEqual(['debit', 'credit', 'debit', 'credit', 'debit']);
	});

	it("does not judge amounts: that is money.ts's job when the journal is validated", () => {
		const [line] = linesOf(
			journal(['<dim1>1</dim1><debitcredit>debit</debitcredit><value>12.345abc</value>']),
		);
		expect(line.debit).toBe('12.345abc');
	});
});

describe('readNmbrsJournalXml: hostile input', () => {
	it('stops 100,000 levels of nesting at the depth limit, and says where a cut-off below it is open', () => {
		const depth = 100_000;
		const deep = '<a>'.repeat(depth) + '</a>'.repeat(depth);
		expect(onlyIssue(deep).code).toBe('XML_LIMIT_EXCEEDED');
		const below = XML_LIMITS.maxDepth;
		const issue = onlyIssue('<a>'.repeat(below));
		expect(issue.code).toBe('XML_MALFORMED');
		expect(issue.message).toContain(
			`column ${3 * below + 1}: the XML ends while <a> (opened at line 1, column ${3 * below - 2}) is still open`,
		);
	});

	it('finds transactions deep inside other elements, up to the depth limit', () => {
		const depth = XML_LIMITS.maxDepth - 5; // root, transaction, lines, line, field
		const xml = '<a>'.repeat(depth) + journal([LINE]) + '</a>'.repeat(depth);
		expect(linesOf(xml)).toHaveLength(1);
		expect(onlyIssue('<a>' + xml + '</a>').code).toBe('XML_LIMIT_EXCEEDED');
	});

	it('stays linear on many ampersands far from any semicolon', () => {
		const xml = `<root><a>${'&amp'.repeat(200_000)}</a></root>`;
		expect(onlyIssue(xml).code).toBe('XML_MALFORMED');
	});

	it('keeps messages short when names and values are huge', () => {
		const name = 'n'.repeat(100_000);
		expect(onlyIssue(`<root><${name}></root>`).message.length).toBeLessThan(300);
		const value = 'v'.repeat(100_000);
		const issue = readNmbrsJournalXml(
			journal([`<dim1>${value}</dim1><debitcredit>${value}</debitcredit><value>1</value>`]),
		).issues[0];
		expect(issue.message.length).toBeLessThan(400);
	});
});
