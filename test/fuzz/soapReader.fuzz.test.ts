/**
 * Fuzzing the SOAP answer reader with hostile shapes, on a fixed seed: it must never throw, and
 * give either a tree or a problem naming line and column. About 600 inputs; FUZZ_SCALE=n for n times.
 */
import fc from 'fast-check';

import { XML_LIMITS } from '../../nodes/core/xmlScanner';
import {
	readSoapFault,
	readSoapXml,
	SOAP_LIMITS,
} from '../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapReader';
import { FUZZ_SCALE as SCALE } from './scale';

const SEED = 20260401;

const envelope = (body: string): string =>
	`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><R><X_Result>${body}</X_Result></R></soap:Body></soap:Envelope>`;

const piece = fc.oneof(
	fc.constantFrom(
		'<a>',
		'</a>',
		'<b/>',
		'\r',
		'\r\n',
		'&amp;',
		'&lt;',
		'&#0;',
		'&nbsp;',
		'\u0000',
		'\ufffd',
		'\ud800',
		'<![CDATA[x]]>',
		'<!--c-->',
		'text',
		' ',
	),
	fc.integer({ min: 1, max: 200 }).map((depth) => '<d>'.repeat(depth)),
	fc.integer({ min: 1, max: 3000 }).map((count) => '\r'.repeat(count)),
	fc
		.integer({ min: XML_LIMITS.maxTextChars - 2, max: XML_LIMITS.maxTextChars + 2 })
		.map((length) => `<t>${'x'.repeat(length)}</t>`),
);

describe('readSoapXml under hostile shapes (fixed seed)', () => {
	it('never throws; a problem always names line and column, a tree never exceeds the limits', () => {
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
				const read = readSoapXml(envelope(pieces.join('')));
				if ('problem' in read) {
					expect(read.problem).toMatch(/line \d+, column \d+/);
					return true;
				}
				let count = 0;
				const walk = [{ element: read.root, depth: 1 }];
				while (walk.length > 0) {
					const { element, depth } = walk.pop() as (typeof walk)[number];
					count++;
					expect(depth).toBeLessThanOrEqual(XML_LIMITS.maxDepth);
					expect(element.text).not.toMatch(/[\u0000\ufffd\r]/);
					if (!element.name.endsWith('Result'))
						expect(element.text.length).toBeLessThanOrEqual(XML_LIMITS.maxTextChars);
					for (const child of element.children) walk.push({ element: child, depth: depth + 1 });
				}
				expect(count).toBeLessThanOrEqual(SOAP_LIMITS.maxElements);
				return true;
			}),
			{ seed: SEED, numRuns: Math.round(500 * SCALE) },
		);
	});

	it('bounds every fault text', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 3 * SOAP_LIMITS.maxFaultChars }), (length) => {
				const xml = `<soap:Envelope xmlns:soap="x"><soap:Body><soap:Fault><faultcode>c</faultcode><faultstring>${'f'.repeat(length)}</faultstring></soap:Fault></soap:Body></soap:Envelope>`;
				const read = readSoapXml(xml);
				if (!('root' in read)) return length > XML_LIMITS.maxTextChars;
				return (readSoapFault(read.root)?.message.length ?? 0) <= SOAP_LIMITS.maxFaultChars;
			}),
			{ seed: SEED + 1, numRuns: Math.round(100 * SCALE) },
		);
	});
});
