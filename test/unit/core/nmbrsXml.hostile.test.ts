/**
 * Hostile input for the Nmbrs journal XML reader: limits, structure, characters and encodings.
 * Every case must end in one structured issue naming where (line and column) and the rule.
 */
import type { Issue } from '../../../nodes/core/issues';
import { readNmbrsJournalXml } from '../../../nodes/core/nmbrsXml';
import { decodeXmlBytes, XML_LIMITS } from '../../../nodes/core/xmlScanner';

function journal(lines: string[], date = '20260331'): string {
	const body = lines.map((line) => `<line>${line}</line>`).join('');
	return `<root><transaction><header><date>${date}</date></header><lines>${body}</lines></transaction></root>`;
}

const LINE =
	'<dim1>4000</dim1><debitcredit>debit</debitcredit><value>10.00</value><description>Loon</description>';

function onlyIssue(xml: unknown): Issue {
	const result = readNmbrsJournalXml(xml);
	expect(result.lines).toEqual([]);
	expect(result.issues).toHaveLength(1);
	return result.issues[0];
}

function soapWith(result: string): string {
	return `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><R><Journals_GetByRunCompany_v2Result>${result}</Journals_GetByRunCompany_v2Result></R></soap:Body></soap:Envelope>`;
}

describe('readNmbrsJournalXml: limits', () => {
	it('refuses input above the size cap before reading any of it', () => {
		const huge = ' '.repeat(XML_LIMITS.maxInputChars + 1); // a rope: never flattened when refused
		const issue = onlyIssue(huge);
		expect(issue.code).toBe('XML_LIMIT_EXCEEDED');
		expect(issue.message).toContain(
			`${XML_LIMITS.maxInputChars.toLocaleString('en-US')} characters`,
		);
	});

	it('refuses nesting deeper than the depth limit, naming line, column and the limit', () => {
		const deep =
			'<a>\n' + '<b>'.repeat(XML_LIMITS.maxDepth) + '</b>'.repeat(XML_LIMITS.maxDepth) + '</a>';
		const issue = onlyIssue(deep);
		expect(issue.code).toBe('XML_LIMIT_EXCEEDED');
		expect(issue.message).toContain(`line 2, column ${3 * (XML_LIMITS.maxDepth - 1) + 1}`);
		expect(issue.message).toContain(`${XML_LIMITS.maxDepth} levels`);
	});

	it('stops deep unclosed nesting at the limit (no stack of millions)', () => {
		const issue = onlyIssue('<a>'.repeat(1_000_000));
		expect(issue.code).toBe('XML_LIMIT_EXCEEDED');
		expect(issue.message).toContain(`line 1, column ${3 * XML_LIMITS.maxDepth + 1}`);
	});

	it('refuses a journal field longer than the text limit, naming the field and where', () => {
		const long = '4'.repeat(XML_LIMITS.maxTextChars + 1);
		const issue = onlyIssue(
			journal([`<dim1>${long}</dim1><debitcredit>debit</debitcredit><value>1</value>`]),
		);
		expect(issue.code).toBe('XML_LIMIT_EXCEEDED');
		expect(issue.message).toContain(
			'line 1, column 71: the text of <dim1> is longer than 10,000 characters',
		);
		// Exactly at the limit is fine (and then fails on content, not on size).
		const atLimit = readNmbrsJournalXml(
			journal([`<dim1>${long.slice(1)}</dim1><debitcredit>debit</debitcredit><value>1</value>`]),
		);
		expect(atLimit.issues).toEqual([]);
	});

	it('counts decoded characters, CDATA and pieces split by comments towards the text limit', () => {
		const half = 'x'.repeat(XML_LIMITS.maxTextChars / 2 + 1);
		const issue = onlyIssue(
			journal([
				`<dim1>1</dim1><debitcredit>debit</debitcredit><value>1</value><description>${half}<!-- c --><![CDATA[${half}]]></description>`,
			]),
		);
		expect(issue.code).toBe('XML_LIMIT_EXCEEDED');
	});

	it('refuses too many attributes and too long attribute values', () => {
		const many = Array.from(
			{ length: XML_LIMITS.maxAttributes + 1 },
			(_, index) => `a${index}="1"`,
		).join(' ');
		const tooMany = onlyIssue(`<root ${many}>${journal([LINE])}</root>`);
		expect(tooMany.code).toBe('XML_LIMIT_EXCEEDED');
		expect(tooMany.message).toContain(`${XML_LIMITS.maxAttributes} attributes`);
		const tooLong = onlyIssue(
			`<root a="${'v'.repeat(XML_LIMITS.maxTextChars + 1)}">${journal([LINE])}</root>`,
		);
		expect(tooLong.code).toBe('XML_LIMIT_EXCEEDED');
		expect(tooLong.message).toContain('line 1, column 10');
	});

	it('refuses names longer than the name limit', () => {
		const issue = onlyIssue(`<root><${'n'.repeat(XML_LIMITS.maxNameChars + 1)}/></root>`);
		expect(issue.code).toBe('XML_LIMIT_EXCEEDED');
	});
});

describe('readNmbrsJournalXml: carriage returns', () => {
	it('counts CR, CR LF and LF each as one line break in positions', () => {
		const issue = onlyIssue('<root>\r\r\n\r<a></b></root>');
		expect(issue.message).toContain('line 4, column 1');
	});

	it('reads a SOAP result flooded with carriage returns in time and memory linear in the input', () => {
		const crs = '\r'.repeat(8_000_000);
		const started = Date.now();
		const result = readNmbrsJournalXml(soapWith(crs));
		expect(Date.now() - started).toBeLessThan(1000);
		expect(result.issues.map((issue) => issue.code)).toEqual(['XML_NO_TRANSACTIONS']);
	});
});

describe('readNmbrsJournalXml: structure', () => {
	it.each([
		[
			'a transaction inside <lines>',
			`<root><transaction><header><date>20260331</date></header><lines><line>${LINE}</line><transaction><header><date>20260331</date></header><lines><line>${LINE}</line></lines></transaction></lines></transaction></root>`,
			'<transaction>',
		],
		['a line inside a line', journal([`${LINE}<line>${LINE}</line>`]), '<line>'],
		[
			'a transaction inside a transaction',
			`<root><transaction><header><date>20260331</date></header><transaction/><lines><line>${LINE}</line></lines></transaction></root>`,
			'<transaction>',
		],
		[
			'a line outside <lines>',
			`<root><transaction><header><date>20260331</date></header><line>${LINE}</line><lines><line>${LINE}</line></lines></transaction></root>`,
			'<line>',
		],
		[
			'a line outside any transaction',
			`<root><line>${LINE}</line><transaction><header><date>20260331</date></header><lines><line>${LINE}</line></lines></transaction></root>`,
			'<line>',
		],
		[
			'an unknown element inside <lines>',
			`<root><transaction><header><date>20260331</date></header><lines><entry>${LINE}</entry><line>${LINE}</line></lines></transaction></root>`,
			'<entry>',
		],
		['an unknown element inside <line>', journal([`${LINE}<amount>99.00</amount>`]), '<amount>'],
		[
			'a line field inside the header',
			`<root><transaction><header><date>20260331</date><value>5</value></header><lines><line>${LINE}</line></lines></transaction></root>`,
			'<value>',
		],
	])('refuses %s with one issue naming the element and where', (_what, xml, element) => {
		const issue = onlyIssue(xml);
		expect(issue.code).toBe('XML_UNEXPECTED_ELEMENT');
		expect(issue.message).toContain(element);
		expect(issue.message).toMatch(/line \d+, column \d+/);
	});

	it('refuses mixed content: an element inside a field is never concatenated away', () => {
		const issue = onlyIssue(
			journal(['<dim1>40<b>99</b>00</dim1><debitcredit>debit</debitcredit><value>1</value>']),
		);
		expect(issue.code).toBe('XML_UNEXPECTED_ELEMENT');
		expect(issue.message).toContain('<dim1>');
		expect(issue.message).toContain('<b>');
		expect(onlyIssue(journal([LINE], '2026<x/>0331')).code).toBe('XML_UNEXPECTED_ELEMENT');
	});

	it('ignores unknown elements in the header, the transaction and around them, as exports may carry more', () => {
		const xml = `<root><meta><run>3</run></meta><transaction><reference>R1</reference><header><date>20260331</date><period>3</period><description>Maart</description></header><lines><line>${LINE}</line></lines></transaction></root>`;
		expect(readNmbrsJournalXml(xml).lines).toHaveLength(1);
	});
});

describe('readNmbrsJournalXml: duplicate attributes (XML 1.0 well-formedness)', () => {
	it('refuses an attribute given twice in one tag, naming line, column and the attribute', () => {
		const xml = journal([LINE]).replace('<line>', '<line a="1" b="2"\n  a="2">');
		const issue = onlyIssue(xml);
		expect(issue.code).toBe('XML_MALFORMED');
		expect(issue.message).toContain('line 2, column 3');
		expect(issue.message).toContain('the attribute a is given twice in <line>');
	});

	it('takes the same attribute on different elements, and names that differ only in case or prefix', () => {
		const xml = journal([LINE, LINE])
			.replace(/<line>/g, '<line a="1" A="1" x:a="1">')
			.replace('<root>', '<root xmlns:x="urn:x">');
		const result = readNmbrsJournalXml(xml);
		expect(result.issues).toEqual([]);
		expect(result.lines).toHaveLength(2);
	});

	it('refuses the 64th attribute repeating the first, the check staying per element', () => {
		const attributes = Array.from(
			{ length: XML_LIMITS.maxAttributes - 1 },
			(_, index) => `a${index}="1"`,
		).join(' ');
		const issue = onlyIssue(journal([LINE]).replace('<line>', `<line ${attributes} a0="2">`));
		expect(issue.code).toBe('XML_MALFORMED');
		expect(issue.message).toContain('the attribute a0 is given twice in <line>');
	});
});

describe('readNmbrsJournalXml: characters', () => {
	it.each([
		['NUL', '\u0000'],
		['a C0 control', '\u0007'],
		['a lone high surrogate', '\ud800'],
		['a lone low surrogate', '\udc00'],
		['U+FFFE', '\ufffe'],
		['U+FFFF', '\uffff'],
	])('refuses a raw %s with line and column, as &#0; is refused', (_what, char) => {
		const issue = onlyIssue(
			`<root>\n${journal([`<dim1>40${char}00</dim1><debitcredit>debit</debitcredit><value>1</value>`])}</root>`,
		);
		expect(issue.code).toBe('XML_MALFORMED');
		expect(issue.message).toContain('line 2, column 79');
		expect(issue.message).toContain('U+');
	});

	it('accepts tab, LF, CR and paired surrogates', () => {
		const [line] = readNmbrsJournalXml(
			journal([
				'<dim1>4000</dim1><debitcredit>debit</debitcredit><value>1</value><description>\t😀\r\n</description>',
			]),
		).lines;
		expect(line.description).toBe('😀');
	});

	it('reports a replacement character as an encoding problem with line and column', () => {
		const issue = onlyIssue(
			journal([
				'<dim1>4000</dim1><debitcredit>debit</debitcredit><value>1</value><description>Vakantiegeld b\ufffdnus</description>',
			]),
		);
		expect(issue.code).toBe('XML_ENCODING_INVALID');
		expect(issue.message).toContain('line 1, column');
	});
});

describe('decodeXmlBytes', () => {
	const bytes = (text: string, encoding: BufferEncoding = 'utf8'): Uint8Array =>
		new Uint8Array(Buffer.from(text, encoding));
	const decoded = (input: Uint8Array): string => {
		const result = decodeXmlBytes(input, 'binary.data');
		if ('issue' in result) throw new Error(result.issue.message);
		return result.text;
	};

	it('decodes UTF-8, with or without a BOM or declaration', () => {
		expect(decoded(bytes('<a>é</a>'))).toBe('<a>é</a>');
		expect(decoded(bytes('\ufeff<?xml version="1.0" encoding="UTF-8"?><a>é</a>'))).toBe(
			'\ufeff<?xml version="1.0" encoding="UTF-8"?><a>é</a>',
		);
	});

	it('refuses bytes that are not UTF-8, naming the byte offset', () => {
		const result = decodeXmlBytes(bytes('<a>b\u00e9</a>', 'latin1'), 'binary.data');
		expect('issue' in result && result.issue.code).toBe('XML_ENCODING_INVALID');
		expect('issue' in result && result.issue.message).toContain('byte 5');
	});

	it('decodes ISO-8859-1 and windows-1252 as declared', () => {
		expect(
			decoded(bytes('<?xml version="1.0" encoding="ISO-8859-1"?><a>\u00e9</a>', 'latin1')),
		).toContain('<a>é</a>');
		expect(
			decoded(
				new Uint8Array([
					...bytes("<?xml version='1.0' encoding='windows-1252'?><a>"),
					0x80,
					...bytes('</a>'),
				]),
			),
		).toContain('<a>€</a>');
	});

	it('decodes UTF-16 with a byte-order mark', () => {
		expect(decoded(new Uint8Array(Buffer.from('\ufeff<a>é</a>', 'utf16le')))).toBe(
			'\ufeff<a>é</a>',
		);
		const be = Buffer.from('\ufeff<a>é</a>', 'utf16le').swap16();
		expect(decoded(new Uint8Array(be))).toBe('\ufeff<a>é</a>');
	});

	it('refuses an encoding it does not read, and UTF-16 declared without a BOM', () => {
		for (const input of [
			bytes('<?xml version="1.0" encoding="EBCDIC-US"?><a/>'),
			bytes('<?xml version="1.0" encoding="UTF-16"?><a/>'),
		]) {
			const result = decodeXmlBytes(input, 'binary.data');
			expect('issue' in result && result.issue.code).toBe('XML_ENCODING_INVALID');
		}
	});
});
