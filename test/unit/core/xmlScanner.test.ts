/**
 * One XML scanner, two consumers: the Nmbrs journal reader and the Nmbrs SOAP reader. Every
 * hostile input the scanner refuses is refused by both, with the scanner's words and place (line
 * and column), and both stay linear in time on 100,000 characters of input built to be slow.
 */
import { readNmbrsJournalXml } from '../../../nodes/core/nmbrsXml';
import {
	scanXml,
	XML_LIMITS,
	type XmlEventHandler,
	type XmlScanProblem,
} from '../../../nodes/core/xmlScanner';
import { readSoapXml } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapReader';

/** A handler that takes everything: what the scanner alone says of an input. */
const everything: XmlEventHandler<null> = {
	wantsText: true,
	classify: () => null,
	open: () => undefined,
	text: () => undefined,
	close: () => undefined,
};

function scannerProblem(xml: string): XmlScanProblem {
	const problem = scanXml(xml, everything);
	if (problem === undefined) throw new Error('expected the scanner to refuse the input');
	return problem;
}

function journalMessage(xml: string): string {
	const { issues } = readNmbrsJournalXml(xml);
	expect(issues).toHaveLength(1);
	return issues[0].message;
}

function soapProblem(xml: string): string {
	const read = readSoapXml(xml);
	if ('root' in read) throw new Error('expected the SOAP reader to refuse the input');
	return read.problem;
}

const laughs =
	'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<lolz>&lol2;</lolz>';

const hostile: ReadonlyArray<[string, string, string]> = [
	['entity expansion (billion laughs)', laughs, 'DOCTYPE declares definitions of its own'],
	['an entity XML does not know', '<r><a>&nbsp;</a></r>', '&nbsp; is not an entity XML knows'],
	['a character reference to NUL', '<r><a>&#0;</a></r>', '&#0; does not name a character'],
	['a raw NUL', '<r><a>a\u0000b</a></r>', 'U+0000'],
	['a lone surrogate', '<r><a>a\uD800b</a></r>', 'half of a character pair (U+D800)'],
	['U+FFFE', '<r><a>\uFFFE</a></r>', 'U+FFFE'],
	['a replacement character', '<r><a>M\uFFFDller</a></r>', 'replacement character U+FFFD'],
	[
		'nesting beyond the depth limit',
		'<a>'.repeat(XML_LIMITS.maxDepth + 1),
		`more than ${XML_LIMITS.maxDepth} levels deep`,
	],
	[
		'a name beyond the name limit',
		`<r><${'n'.repeat(XML_LIMITS.maxNameChars + 1)}/></r>`,
		'a name is longer than 1,000 characters',
	],
	[
		'too many attributes',
		`<r ${Array.from({ length: XML_LIMITS.maxAttributes + 1 }, (_, i) => `a${i}="x"`).join(' ')}/>`,
		`more than ${XML_LIMITS.maxAttributes} attributes`,
	],
	[
		'an attribute value beyond the text limit',
		`<r a="${'v'.repeat(XML_LIMITS.maxTextChars + 1)}"/>`,
		'is longer than 10,000 characters',
	],
	['a comment never closed', '<r><!-- a</r>', 'a comment (<!--) is never closed'],
	['a bare ampersand', '<r>a & b</r>', "there is an '&' that does not start an entity"],
	['a second root', '<r/><s/>', 'a second element <s> follows </r>'],
];

describe('one XML scanner, two consumers: hostile input is refused by both', () => {
	it.each(hostile)('%s', (_what, xml, detail) => {
		const problem = scannerProblem(xml);
		expect(problem.detail).toContain(detail);
		const at = `line ${problem.line}, column ${problem.column}`;
		const journal = journalMessage(xml);
		expect(journal).toContain(at);
		expect(journal).toContain(problem.detail);
		const soap = soapProblem(xml);
		expect(soap).toContain(problem.detail);
		expect(soap).toContain(`(${at})`);
	});

	it('both refuse input above the size cap before scanning it', () => {
		const huge = ' '.repeat(XML_LIMITS.maxInputChars + 1);
		expect(readNmbrsJournalXml(huge).issues[0].code).toBe('XML_LIMIT_EXCEEDED');
		expect(soapProblem(huge)).toContain('268,435,456 characters this node reads');
	});
});

/** 100,000 characters or so of inputs built to make a careless scanner quadratic. */
const slow: ReadonlyArray<[string, string]> = [
	['ampersands far from any semicolon', `<r><a>${'&amp'.repeat(25_000)}</a></r>`],
	['start tags never closed', '<a '.repeat(33_000)],
	['comment openers', `<r>${'<!--'.repeat(25_000)}`],
	['CDATA openers', `<r>${'<![CDATA['.repeat(11_000)}`],
	['processing instruction openers', `<r>${'<?x'.repeat(33_000)}`],
	['carriage returns', `<r><a>${'\r'.repeat(100_000)}</a></r>`],
	['quotes in a DOCTYPE', `<!DOCTYPE r ${'"a" '.repeat(25_000)}`],
	['entities', `<r><a>${'&lt;'.repeat(25_000)}</a></r>`],
];

describe('one XML scanner, two consumers: linear time on 100,000 characters', () => {
	it.each(slow)('%s', (_what, xml) => {
		expect(xml.length).toBeGreaterThanOrEqual(99_000);
		for (const read of [() => readNmbrsJournalXml(xml), () => readSoapXml(xml)]) {
			const started = Date.now();
			read();
			// Linear: a few milliseconds; quadratic on 100,000 characters takes seconds.
			expect(Date.now() - started).toBeLessThan(1000);
		}
	});
});
