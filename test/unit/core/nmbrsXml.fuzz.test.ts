/**
 * Fuzzing the Nmbrs journal XML reader with fast-check, on a fixed seed so every run tries the
 * same inputs. About 10,500 inputs: random strings, XML-ish token soup, mutated valid journals
 * and valid journals in many spellings that must read back exactly; plus about 3,300 hostile
 * shapes (deep nesting, CR floods, nested structure, mixed content, raw control characters,
 * texts at the size limit, bytes in other encodings). FUZZ_SCALE=n runs n times as many.
 */
import fc from 'fast-check';

import { ISSUE_CODES, type Issue } from '../../../nodes/core/issues';
import {
	readNmbrsJournalXml,
	type NmbrsJournalLine,
	type NmbrsJournalReadResult,
} from '../../../nodes/core/nmbrsXml';
import { decodeXmlBytes, XML_LIMITS } from '../../../nodes/core/xmlScanner';
import { scaled as runs } from '../../fuzz/scale';

const SEED = 20260331;
const KNOWN_CODES: ReadonlySet<string> = new Set(ISSUE_CODES);

/** What every result must satisfy, whatever the input: a description of the first breach, or undefined. */
function breach(result: NmbrsJournalReadResult, sourceField = 'journalXml'): string | undefined {
	const badIssue = result.issues.find(
		(issue: Issue) =>
			!KNOWN_CODES.has(issue.code) ||
			issue.message.length === 0 ||
			!issue.path.startsWith(sourceField),
	);
	if (badIssue) return `bad issue ${JSON.stringify(badIssue)}`;
	if (result.issues.length > 0) {
		if (result.lines.length > 0) return 'lines handed out beside issues';
		const alone = [
			'XML_MALFORMED',
			'XML_LIMIT_EXCEEDED',
			'XML_UNEXPECTED_ELEMENT',
			'XML_ENCODING_INVALID',
		];
		if (result.issues.some((issue) => alone.includes(issue.code)) && result.issues.length !== 1)
			return `${result.issues[0].code} plus more`;
		return undefined;
	}
	if (result.transactionCount < 1) return 'no issue although no transaction';
	const badLine = result.lines.find(
		(line) =>
			line.account.trim() === '' ||
			line.account !== line.account.trim() ||
			(line.debit === undefined) === (line.credit === undefined) ||
			(line.debit ?? line.credit) === '' ||
			!/^\d{4}-\d{2}-\d{2}$/.test(line.bookingDate),
	);
	return badLine ? `bad line ${JSON.stringify(badLine)}` : undefined;
}

function neverBreaks(input: string): boolean {
	const problem = breach(readNmbrsJournalXml(input));
	if (problem !== undefined) throw new Error(problem);
	return true;
}

// --- a model of a journal, and how to write it as XML ------------------------------------------

interface ModelLine {
	account: string;
	side: 'debit' | 'credit';
	sideText: string;
	value: string;
	description: string;
	costCenter?: string;
	costUnit?: string;
	/** How an absent cost centre / unit is written: left out, `<dim2/>` or blank. */
	absentStyle: 0 | 1 | 2;
	/** A sort key per element, to write the line's elements in any order. */
	order: number[];
}

interface ModelTransaction {
	date: string; // YYYY-MM-DD
	compactDate: boolean;
	headerFirst: boolean;
	lines: ModelLine[];
}

interface Spelling {
	root: string;
	prefix: string;
	nameCase: 'lower' | 'upper' | 'pascal';
	indent: boolean;
	comments: boolean;
	bom: boolean;
	declaration: boolean;
	/** 0: plain; 1: entity-escaped in a SOAP result; 2: CDATA in a SOAP result. */
	soap: 0 | 1 | 2;
	/** Per text: 0 escape only what must be, 1 escape much as references, 2 CDATA. */
	textStyles: number[];
	pad: boolean;
}

/**
 * Texts rich in what XML must escape, plus any Unicode character XML allows (a journal cannot
 * hold the others: raw or as references they are refused; U+FFFD is written as a reference).
 */
const textUnit = fc.oneof(
	fc.constantFrom(
		'&',
		'<',
		'>',
		'"',
		"'",
		']]>',
		']',
		' ',
		'\r',
		'\n',
		'\r\n',
		'\t',
		'\u00a0',
		'&amp;',
		'-->',
		'\ufffd',
	),
	fc
		.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })
		.filter((char) => isXmlChar(char.codePointAt(0) as number)),
	fc
		.string({ unit: 'binary', minLength: 1, maxLength: 1 })
		.filter((char) => isXmlChar(char.codePointAt(0) as number)),
);
const text = fc.string({ unit: textUnit, maxLength: 12 });
const nonBlank = text.filter((value) => value.trim() !== '');
const SIDES: Record<string, 'debit' | 'credit'> = {
	debit: 'debit',
	Debit: 'debit',
	DEBIT: 'debit',
	d: 'debit',
	D: 'debit',
	credit: 'credit',
	Credit: 'credit',
	c: 'credit',
	C: 'credit',
};

const modelLine: fc.Arbitrary<ModelLine> = fc
	.record(
		{
			account: fc.oneof(fc.stringMatching(/^[0-9]{1,6}$/), nonBlank),
			sideText: fc.constantFrom(...Object.keys(SIDES)),
			value: fc.stringMatching(/^-?[0-9]{1,7}(\.[0-9]{1,2})?$/),
			description: text,
			costCenter: nonBlank,
			costUnit: nonBlank,
			absentStyle: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
			order: fc.array(fc.integer(), { minLength: 6, maxLength: 6 }),
		},
		{ requiredKeys: ['account', 'sideText', 'value', 'description', 'absentStyle', 'order'] },
	)
	.map((line) => ({ ...line, side: SIDES[line.sideText] }));

const modelTransaction: fc.Arbitrary<ModelTransaction> = fc.record({
	date: fc
		.date({
			min: new Date(Date.UTC(1900, 0, 1)),
			max: new Date(Date.UTC(2999, 11, 31)),
			noInvalidDate: true,
		})
		.map((date) => date.toISOString().slice(0, 10)),
	compactDate: fc.boolean(),
	headerFirst: fc.boolean(),
	lines: fc.array(modelLine, { maxLength: 5 }),
});

const modelJournal = fc.array(modelTransaction, { minLength: 1, maxLength: 4 });

const spelling: fc.Arbitrary<Spelling> = fc.record({
	root: fc.constantFrom('root', 'journal', 'Journals', 'data'),
	prefix: fc.constantFrom('', 'nm:', 'x:'),
	nameCase: fc.constantFrom<'lower' | 'upper' | 'pascal'>('lower', 'upper', 'pascal'),
	indent: fc.boolean(),
	comments: fc.boolean(),
	bom: fc.boolean(),
	declaration: fc.boolean(),
	soap: fc.constantFrom<0 | 1 | 2>(0, 0, 1, 2),
	textStyles: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 }),
	pad: fc.boolean(),
});

function isXmlChar(codePoint: number): boolean {
	return (
		codePoint === 9 ||
		codePoint === 10 ||
		codePoint === 13 ||
		(codePoint >= 0x20 && codePoint <= 0xd7ff) ||
		(codePoint >= 0xe000 && codePoint <= 0xfffd) ||
		codePoint >= 0x10000
	);
}

/** Writes a text so that it reads back as itself: escaped, referenced or in CDATA. */
function writeText(value: string, style: number): string {
	if (style === 2 && !value.includes('\r') && !value.includes('\ufffd'))
		return `<![CDATA[${value.split(']]>').join(']]]]><![CDATA[>')}]]>`;
	let written = '';
	for (const char of value) {
		const codePoint = char.codePointAt(0) as number;
		if (char === '&') written += '&amp;';
		else if (char === '<') written += '&lt;';
		else if (char === '\r')
			written += '&#13;'; // a raw CR would read back as LF
		else if (char === '\ufffd')
			written += '&#xfffd;'; // raw, it is a sign of mis-decoding
		else if (style === 1 && char === '>') written += '&gt;';
		else if (style === 1 && char === '"') written += '&quot;';
		else if (style === 1 && char === "'") written += '&apos;';
		else if (style === 1 && codePoint > 0x7e && isXmlChar(codePoint))
			written += codePoint % 2 ? `&#${codePoint};` : `&#x${codePoint.toString(16)};`;
		else written += char;
	}
	return written;
}

function writeJournal(transactions: ModelTransaction[], spell: Spelling): string {
	const nl = spell.indent ? '\n\t' : '';
	const tag = (name: string): string => {
		const cased =
			spell.nameCase === 'upper'
				? name.toUpperCase()
				: spell.nameCase === 'pascal'
					? name[0].toUpperCase() + name.slice(1)
					: name;
		return spell.prefix + cased;
	};
	const element = (name: string, content: string): string =>
		`<${tag(name)}>${content}</${tag(name)}>`;
	const pad = (value: string): string => (spell.pad ? ` ${value}\n` : value);
	const comment = spell.comments ? '<!-- c -->' : '';
	let styleIndex = 0;
	const textOf = (value: string): string =>
		writeText(value, spell.textStyles[styleIndex++ % spell.textStyles.length]);
	const absent = (name: string, style: number): string =>
		style === 0 ? '' : style === 1 ? `<${tag(name)}/>` : element(name, '  ');
	const writeLine = (line: ModelLine): string => {
		const parts = [
			element('dim1', pad(textOf(line.account))),
			line.costCenter !== undefined
				? element('dim2', textOf(line.costCenter))
				: absent('dim2', line.absentStyle),
			line.costUnit !== undefined
				? element('dim3', textOf(line.costUnit))
				: absent('dim3', line.absentStyle),
			element('debitcredit', pad(line.sideText)),
			element('value', pad(line.value)),
			element('description', textOf(line.description)),
		];
		const ordered = parts
			.map((part, index) => ({ part, key: line.order[index] }))
			.sort((a, b) => a.key - b.key);
		return element('line', ordered.map(({ part }) => nl + part).join(comment) + nl);
	};
	const writeTransaction = (transaction: ModelTransaction): string => {
		const date = transaction.compactDate ? transaction.date.replace(/-/g, '') : transaction.date;
		const header = element(
			'header',
			`${element('date', pad(date))}${element('description', 'Run')}`,
		);
		const lines = element('lines', transaction.lines.map(writeLine).join(nl) + nl);
		return element(
			'transaction',
			nl + (transaction.headerFirst ? header + nl + lines : lines + nl + header) + nl,
		);
	};
	const xmlns = spell.prefix ? ` xmlns:${spell.prefix.slice(0, -1)}="urn:nmbrs"` : '';
	const body = `<${spell.prefix}${spell.root}${xmlns}>${comment}${transactions.map(writeTransaction).join(nl)}${nl}</${spell.prefix}${spell.root}>`;
	const journal = `${spell.declaration ? '<?xml version="1.0" encoding="utf-8"?>\n' : ''}${body}${spell.comments ? '\n<!-- end -->' : ''}\n`;
	if (spell.soap === 0) return (spell.bom ? '\uFEFF' : '') + journal;
	const payload =
		spell.soap === 2 && !journal.includes(']]>') ? `<![CDATA[${journal}]]>` : writeText(journal, 0);
	return `${spell.bom ? '\uFEFF' : ''}<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Journals_GetByRunCompany_v2Response><Journals_GetByRunCompany_v2Result>${payload}</Journals_GetByRunCompany_v2Result></Journals_GetByRunCompany_v2Response></soap:Body></soap:Envelope>`;
}

function expectedLines(transactions: ModelTransaction[]): NmbrsJournalLine[] {
	return transactions.flatMap((transaction) =>
		transaction.lines.map((line) => {
			const expected: NmbrsJournalLine = {
				account: line.account.trim(),
				description: line.description.trim(),
				bookingDate: transaction.date,
			};
			expected[line.side] = line.value;
			if (line.costCenter !== undefined) expected.costCenter = line.costCenter.trim();
			if (line.costUnit !== undefined) expected.costUnit = line.costUnit.trim();
			return expected;
		}),
	);
}

const validJournal = fc
	.tuple(modelJournal, spelling)
	.map(([transactions, spell]) => ({ transactions, xml: writeJournal(transactions, spell) }));

// --- mutations ---------------------------------------------------------------------------------

type Mutation = (xml: string) => string;

const INSERTS = [
	'<',
	'&',
	']]>',
	'</',
	'<!--',
	'"',
	'&#0;',
	'&#x110000;',
	'>',
	'<a>',
	'</line>',
	'&nbsp;',
	'<![CDATA[',
	'<!DOCTYPE x [',
	'\uFEFF',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.double({ min: 0, max: 1, noNaN: true }).map(
		(at): Mutation =>
			(xml) =>
				xml.slice(0, Math.floor(at * xml.length)),
	),
	fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 0xffff })).map(
		([at, code]): Mutation =>
			(xml) => {
				const index = Math.floor(at * xml.length);
				return xml.slice(0, index) + String.fromCharCode(code) + xml.slice(index + 1);
			},
	),
	fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...INSERTS)).map(
		([at, insert]): Mutation =>
			(xml) => {
				const index = Math.floor(at * xml.length);
				return xml.slice(0, index) + insert + xml.slice(index);
			},
	),
	fc.tuple(fc.nat(), fc.boolean()).map(
		([pick, duplicate]): Mutation =>
			(xml) => {
				const tags = [...xml.matchAll(/<[^<>]*>/g)];
				if (tags.length === 0) return xml;
				const tag = tags[pick % tags.length];
				const index = tag.index ?? 0;
				return (
					xml.slice(0, index) +
					(duplicate ? tag[0] + tag[0] : '') +
					xml.slice(index + tag[0].length)
				);
			},
	),
);

// --- properties --------------------------------------------------------------------------------

describe('readNmbrsJournalXml under fuzzing (fixed seed)', () => {
	it('never throws and keeps its promises on random strings', () => {
		fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), neverBreaks), {
			seed: SEED,
			numRuns: runs(2000),
		});
	});

	it('never throws and keeps its promises on XML-ish token soup', () => {
		const token = fc.constantFrom(
			'<',
			'>',
			'/',
			'&',
			';',
			'#',
			'x',
			'"',
			"'",
			'=',
			' ',
			'\n',
			'!',
			'-',
			'[',
			']',
			'?',
			'a',
			'1',
			'transaction',
			'header',
			'date',
			'lines',
			'line',
			'dim1',
			'dim2',
			'debitcredit',
			'value',
			'description',
			'20260131',
			'debit',
			'credit',
			'12.50',
			'<![CDATA[',
			']]>',
			'<!--',
			'-->',
			'&amp;',
			'&#65;',
			'<!DOCTYPE',
			'Result',
			':',
		);
		fc.assert(fc.property(fc.string({ unit: token, maxLength: 80 }), neverBreaks), {
			seed: SEED + 1,
			numRuns: runs(3000),
		});
	});

	it('never throws on mutated valid journals, and a cut-off journal is always XML_MALFORMED', () => {
		fc.assert(
			fc.property(
				validJournal,
				fc.array(mutation, { minLength: 1, maxLength: 3 }),
				({ xml }, mutations) => {
					const mutated = mutations.reduce((current, mutate) => mutate(current), xml);
					return neverBreaks(mutated);
				},
			),
			{ seed: SEED + 2, numRuns: runs(3000) },
		);
		fc.assert(
			fc.property(
				validJournal,
				fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
				({ xml }, at) => {
					const cut = xml.slice(0, Math.floor(at * xml.trimEnd().length));
					const result = readNmbrsJournalXml(cut);
					const codes = result.issues.map((issue) => issue.code);
					// An empty cut is missing XML; any other cut leaves an element or a comment open.
					return cut === '' ? codes.join() === 'XML_MISSING' : codes.join() === 'XML_MALFORMED';
				},
			),
			{ seed: SEED + 3, numRuns: runs(500) },
		);
	});

	it('reads every valid journal back exactly, in every spelling', () => {
		fc.assert(
			fc.property(validJournal, ({ transactions, xml }) => {
				const result = readNmbrsJournalXml(xml);
				expect(result).toEqual({
					lines: expectedLines(transactions),
					transactionCount: transactions.length,
					issues: [],
				});
			}),
			{ seed: SEED + 4, numRuns: runs(2500) },
		);
	});
});

// --- hostile shapes ----------------------------------------------------------------------------

/** Line elements in an unescaped journal, whatever their prefix and case. */
function countLineElements(xml: string): number {
	return xml.match(/<(?:[A-Za-z_][\w.-]*:)?line[\s/>]/gi)?.length ?? 0;
}

/** The promise about lines: every `<line>` element is a canonical line, or the result has issues. */
function noLineLost(xml: string, result: NmbrsJournalReadResult): boolean {
	if (result.issues.length === 0 && result.lines.length !== countLineElements(xml)) {
		throw new Error(
			`${countLineElements(xml)} <line> elements but ${result.lines.length} lines and no issue`,
		);
	}
	return true;
}

const plainJournal = fc.tuple(modelJournal, spelling).map(([transactions, spell]) => ({
	transactions,
	xml: writeJournal(transactions, { ...spell, soap: 0, prefix: '', nameCase: 'lower' }),
}));

/** Offsets just after a start or end tag: where an element may be slipped in. */
function tagEnds(xml: string): number[] {
	return [...xml.matchAll(/<\/?[A-Za-z][^<>]*>/g)].map(
		(match) => (match.index ?? 0) + match[0].length,
	);
}

const SNIPPETS = [
	'<transaction><header><date>20260331</date></header><lines><line><dim1>1</dim1><debitcredit>debit</debitcredit><value>1</value></line></lines></transaction>',
	'<line><dim1>1</dim1><debitcredit>credit</debitcredit><value>1</value></line>',
	'<lines><line><dim1>1</dim1><debitcredit>debit</debitcredit><value>2</value></line></lines>',
	'<dim1>9</dim1>',
	'<value>5</value>',
	'<description>x</description>',
	'<extra>1</extra>',
	'<b/>',
	'<date>20260101</date>',
	'<header/>',
];
const FORBIDDEN = [
	'\u0000',
	'\u0001',
	'\u0008',
	'\u000b',
	'\u000c',
	'\u001f',
	'\ud800',
	'\udfff',
	'\ufffe',
	'\uffff',
	'\ufffd',
];

describe('readNmbrsJournalXml under hostile shapes (fixed seed)', () => {
	it('refuses nesting beyond the depth limit, and reads a journal nested within it', () => {
		fc.assert(
			fc.property(
				plainJournal,
				fc.integer({ min: 0, max: 3 * XML_LIMITS.maxDepth }),
				fc.boolean(),
				({ transactions, xml }, depth, closed) => {
					const wrapped =
						'<w>'.repeat(depth) +
						xml.replace(/^\uFEFF?(<\?xml[^>]*\?>)?/, '') +
						(closed ? '</w>'.repeat(depth) : '');
					const result = readNmbrsJournalXml(wrapped);
					neverBreaks(wrapped);
					const deepest = depth + 5; // root, transaction, lines, line, field
					if (depth + 2 > XML_LIMITS.maxDepth)
						expect(result.issues.map((issue) => issue.code)).toEqual(['XML_LIMIT_EXCEEDED']);
					else if (closed && deepest <= XML_LIMITS.maxDepth)
						expect(result.lines).toEqual(expectedLines(transactions));
					return noLineLost(wrapped, result);
				},
			),
			{ seed: SEED + 10, numRuns: runs(300) },
		);
	});

	it('reads carriage-return floods anywhere as line breaks, never losing a line', () => {
		fc.assert(
			fc.property(
				plainJournal,
				fc.array(
					fc.tuple(
						fc.nat(),
						fc.constantFrom('\r', '\r\n', '\n\r'),
						fc.integer({ min: 1, max: 3000 }),
					),
					{ maxLength: 4 },
				),
				({ xml }, floods) => {
					let flooded = xml;
					for (const [pick, unit, count] of floods) {
						const ends = tagEnds(flooded);
						const at = ends[pick % ends.length];
						flooded = flooded.slice(0, at) + unit.repeat(count) + flooded.slice(at);
					}
					neverBreaks(flooded);
					return noLineLost(flooded, readNmbrsJournalXml(flooded));
				},
			),
			{ seed: SEED + 11, numRuns: runs(300) },
		);
	});

	it('never drops or merges a nested transaction, line, field or unknown element: read, or refused', () => {
		fc.assert(
			fc.property(
				plainJournal,
				fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SNIPPETS)), { minLength: 1, maxLength: 3 }),
				({ xml }, inserts) => {
					let changed = xml;
					for (const [pick, snippet] of inserts) {
						const ends = tagEnds(changed);
						const at = ends[pick % ends.length];
						changed = changed.slice(0, at) + snippet + changed.slice(at);
					}
					neverBreaks(changed);
					return noLineLost(changed, readNmbrsJournalXml(changed));
				},
			),
			{ seed: SEED + 12, numRuns: runs(600) },
		);
	});

	it('refuses mixed content in a field instead of joining its text', () => {
		fc.assert(
			fc.property(
				plainJournal,
				fc.nat(),
				fc.constantFrom('<b>99</b>', '<b/>', '<x:y>1</x:y>'),
				({ xml }, pick, element) => {
					// The fields read: a line's six and the header's date (a header's description is not read).
					const inHeader = (index: number): boolean =>
						xml.lastIndexOf('<header>', index) > xml.lastIndexOf('</header>', index);
					const fields = [
						...xml.matchAll(/<(dim1|dim2|dim3|debitcredit|value|description|date)>/g),
					].filter((match) => match[1] !== 'description' || !inHeader(match.index ?? 0));
					if (fields.length === 0) return true;
					const field = fields[pick % fields.length];
					const at = (field.index ?? 0) + field[0].length;
					const mixed = xml.slice(0, at) + element + xml.slice(at);
					expect(readNmbrsJournalXml(mixed).issues.map((issue) => issue.code)).toEqual([
						'XML_UNEXPECTED_ELEMENT',
					]);
					return true;
				},
			),
			{ seed: SEED + 13, numRuns: runs(300) },
		);
	});

	it('refuses a raw character XML does not allow, or a U+FFFD, anywhere, naming line and column', () => {
		fc.assert(
			fc.property(
				validJournal,
				fc.double({ min: 0, max: 1, noNaN: true }),
				fc.constantFrom(...FORBIDDEN),
				({ xml }, where, char) => {
					const at = Math.floor(where * xml.length);
					const bad = xml.slice(0, at) + char + xml.slice(at);
					const result = readNmbrsJournalXml(bad);
					expect(result.issues).toHaveLength(1);
					expect(['XML_MALFORMED', 'XML_ENCODING_INVALID']).toContain(result.issues[0].code);
					expect(result.issues[0].message).toMatch(/line \d+, column \d+/);
					return true;
				},
			),
			{ seed: SEED + 14, numRuns: runs(300) },
		);
	});

	it('refuses a field text above the limit and reads one at the limit, entities and CDATA counted decoded', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: -3, max: 3 }),
				fc.constantFrom('x', '&amp;', '&#233;', '<![CDATA[x]]>'),
				(delta, unit) => {
					const length = XML_LIMITS.maxTextChars + delta;
					const xml = `<root><transaction><header><date>20260331</date></header><lines><line><dim1>1</dim1><debitcredit>debit</debitcredit><value>1</value><description>${unit.repeat(length)}</description></line></lines></transaction></root>`;
					const codes = readNmbrsJournalXml(xml).issues.map((issue) => issue.code);
					expect(codes).toEqual(delta > 0 ? ['XML_LIMIT_EXCEEDED'] : []);
					return true;
				},
			),
			{ seed: SEED + 15, numRuns: runs(100) },
		);
	});

	it('decodes bytes as declared or refuses them, never a silent U+FFFD, and never throws', () => {
		const encodings = [
			'utf-8',
			'ISO-8859-1',
			'windows-1252',
			'utf-16le',
			'utf-16be',
			'latin1-as-utf-8',
		] as const;
		fc.assert(
			fc.property(
				plainJournal,
				fc.constantFrom(...encodings),
				fc.string({ unit: 'binary', maxLength: 6 }),
				({ xml }, encoding, extra) => {
					const text = xml
						.replace(
							'</root>',
							`<!--${extra.replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, 'é').replace(/-/g, '_')}--></root>`,
						)
						.replace(/^\uFEFF/, '');
					let bytes: Uint8Array;
					if (encoding === 'utf-16le')
						bytes = new Uint8Array(Buffer.from(`\uFEFF${text}`, 'utf16le'));
					else if (encoding === 'utf-16be')
						bytes = new Uint8Array(Buffer.from(`\uFEFF${text}`, 'utf16le').swap16());
					else if (encoding === 'utf-8') bytes = new Uint8Array(Buffer.from(text, 'utf8'));
					else {
						const declared = encoding === 'latin1-as-utf-8' ? 'utf-8' : encoding;
						const body = text.replace(/^<\?xml[^>]*\?>\n?/, '');
						if (/[^\u0000-\u00ff]/.test(body)) return true; // not representable in Latin-1
						bytes = new Uint8Array(
							Buffer.from(`<?xml version="1.0" encoding="${declared}"?>\n${body}`, 'latin1'),
						);
					}
					const decoded = decodeXmlBytes(bytes, 'binary.data');
					if (encoding === 'latin1-as-utf-8') {
						// Only pure ASCII is also valid UTF-8; anything else must be refused, not replaced.
						if ([...bytes].some((byte) => byte >= 0x80))
							expect('issue' in decoded && decoded.issue.code).toBe('XML_ENCODING_INVALID');
						return true;
					}
					if ('issue' in decoded) throw new Error(decoded.issue.message);
					expect(decoded.text.replace(/^\uFEFF/, '').replace(/^<\?xml[^>]*\?>\n?/, '')).toBe(
						text.replace(/^<\?xml[^>]*\?>\n?/, ''),
					);
					return neverBreaks(decoded.text);
				},
			),
			{ seed: SEED + 16, numRuns: runs(400) },
		);
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
				const decoded = decodeXmlBytes(bytes, 'binary.data');
				if ('text' in decoded) {
					expect(
						decoded.text.includes('\uFFFD') && !new TextDecoder().decode(bytes).includes('\uFFFD'),
					).toBe(false);
					neverBreaks(decoded.text.length > 0 ? decoded.text : ' ');
				}
				return true;
			}),
			{ seed: SEED + 17, numRuns: runs(1000) },
		);
	});
});
