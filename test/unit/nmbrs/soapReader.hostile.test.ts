/**
 * Hostile answers for the SOAP reader: it reads with the scanner the journal reader uses, so the same
 * limits hold (size, depth, text per element, attributes, characters), plus a cap on elements.
 */
import { timeGrowth } from '../../helpers/timeGrowth';
import { XML_LIMITS } from '../../../nodes/core/xmlScanner';
import {
	readSoapFault,
	readSoapXml,
	SOAP_LIMITS,
} from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapReader';

const envelope = (body: string): string =>
	`<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;

function problemOf(xml: string): string {
	const read = readSoapXml(xml);
	if ('root' in read) throw new Error('expected a problem');
	return read.problem;
}

describe('SOAP answer reader: hostile answers', () => {
	it('stops deep unclosed nesting at the depth limit, quickly and naming where', () => {
		const started = Date.now();
		const problem = problemOf('<a>'.repeat(2_000_000));
		expect(Date.now() - started).toBeLessThan(1000);
		expect(problem).toContain(`${XML_LIMITS.maxDepth} levels`);
		expect(problem).toContain(`line 1, column ${3 * XML_LIMITS.maxDepth + 1}`);
	});

	it('refuses more elements than an answer can sensibly hold', () => {
		const problem = problemOf(envelope(`<R>${'<c/>'.repeat(SOAP_LIMITS.maxElements)}</R>`));
		expect(problem).toContain(`${SOAP_LIMITS.maxElements.toLocaleString('en-US')} elements`);
	});

	it('refuses an answer above the size cap', () => {
		expect(problemOf(' '.repeat(XML_LIMITS.maxInputChars + 1))).toContain('characters');
	});

	it('refuses a long text in an ordinary element, but not in the ...Result that carries the journal', () => {
		expect(
			problemOf(envelope(`<R><Name>${'x'.repeat(XML_LIMITS.maxTextChars + 1)}</Name></R>`)),
		).toContain('<Name>');
		const journal = '&lt;a&gt;'.repeat(XML_LIMITS.maxTextChars);
		const read = readSoapXml(
			envelope(
				`<X><Journals_GetByRunCompany_v2Result>${journal}</Journals_GetByRunCompany_v2Result></X>`,
			),
		);
		if (!('root' in read)) throw new Error(read.problem);
	});

	it('refuses raw control characters and replacement characters with line and column', () => {
		expect(problemOf(envelope('<R><Name>a\u0000b</Name></R>'))).toMatch(
			/U\+0000.*line 1, column \d+/,
		);
		expect(problemOf(envelope('<R><Name>Bakkerij M\ufffdller</Name></R>'))).toMatch(
			/encoding.*line 1, column \d+/,
		);
	});

	it('refuses unknown entities instead of keeping them as written', () => {
		expect(problemOf(envelope('<R><Name>a &nbsp; b</Name></R>'))).toContain('&nbsp;');
	});

	it('normalizes CR LF in text as XML does', () => {
		const read = readSoapXml(envelope('<R><Name>a\r\nb\rc</Name></R>'));
		if (!('root' in read)) throw new Error(read.problem);
		expect(read.root.children[0].children[0].children[0].text).toBe('a\nb\nc');
	});

	it('reads a SOAP answer of a 200,000-line journal in linear time', () => {
		const line =
			'&lt;line&gt;&lt;dim1&gt;4000&lt;/dim1&gt;&lt;debitcredit&gt;debit&lt;/debitcredit&gt;&lt;value&gt;10.00&lt;/value&gt;&lt;/line&gt;\n';
		const answer = (lines: number) =>
			envelope(
				`<X><Journals_GetByRunCompany_v2Result>${line.repeat(lines)}</Journals_GetByRunCompany_v2Result></X>`,
			);
		const read = readSoapXml(answer(200_000));
		if (!('root' in read)) throw new Error(read.problem);
		// Four times the lines take about four times as long (quadratic: sixteen). Compared with
		// itself, not with a clock limit, so a busy machine slows both sides alike.
		const growth = timeGrowth((lines) => readSoapXml(answer(lines)), 50_000, 200_000);
		expect(growth).toMatchObject({ linear: true });
	});

	it('bounds the fault text', () => {
		const read = readSoapXml(
			envelope(
				`<soap:Fault><faultcode>soap:Server</faultcode><faultstring>${'Company not found. '.repeat(400)}</faultstring></soap:Fault>`,
			),
		);
		if (!('root' in read)) throw new Error(read.problem);
		const fault = readSoapFault(read.root);
		expect(fault?.message.length).toBeLessThanOrEqual(SOAP_LIMITS.maxFaultChars);
		expect(fault?.message.endsWith('…')).toBe(true);
	});
});
