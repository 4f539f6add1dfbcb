/**
 * A small reader for Nmbrs' SOAP answers: builds a tree of elements (local names, text) from the
 * envelope. Like `core/nmbrsXml.ts` it is a single forward scan with an explicit stack (no
 * recursion), and it never throws on bad input: a broken answer gives `{ problem }` saying where.
 *
 * It accepts what an ASMX service sends: the XML declaration, elements with attributes (ignored;
 * namespace prefixes dropped), text with the five entities and character references, CDATA and
 * comments. A DOCTYPE is refused (a SOAP answer never has one). The journal, which Nmbrs returns
 * as escaped text inside `Journals_GetByRunCompany_v2Result`, comes out as that element's text.
 */

export interface SoapElement {
	/** Local name, prefix dropped, case kept (`RunInfo`). */
	readonly name: string;
	readonly children: SoapElement[];
	/** The element's own text, entities decoded (text of children not included). */
	text: string;
}

export type SoapReadResult = { readonly root: SoapElement } | { readonly problem: string };

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes entities and character references; an unknown one is kept as written. */
export function decodeXmlText(text: string): string {
	if (!text.includes('&')) return text;
	return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, body: string) => {
		if (body.startsWith('#')) {
			const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
			return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
		}
		return ENTITIES[body] ?? whole;
	});
}

function localName(qualified: string): string {
	return qualified.slice(qualified.indexOf(':') + 1);
}

/** Reads a SOAP answer (or any small XML document) into a tree. */
export function readSoapXml(xml: unknown): SoapReadResult {
	if (typeof xml !== 'string' || xml.trim() === '') return { problem: 'the answer is empty' };
	const document: SoapElement = { name: '#document', children: [], text: '' };
	const stack: SoapElement[] = [document];
	let position = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
	const fail = (what: string): SoapReadResult => ({ problem: `${what} (at character ${position + 1})` });
	while (position < xml.length) {
		const open = xml.indexOf('<', position);
		const textEnd = open < 0 ? xml.length : open;
		if (textEnd > position) {
			const text = xml.slice(position, textEnd);
			if (stack.length === 1) {
				if (text.trim() !== '') return fail('text outside the root element');
			} else {
				stack[stack.length - 1].text += decodeXmlText(text);
			}
		}
		if (open < 0) break;
		position = open;
		if (xml.startsWith('<!--', open)) {
			const end = xml.indexOf('-->', open + 4);
			if (end < 0) return fail('a comment is never closed');
			position = end + 3;
		} else if (xml.startsWith('<![CDATA[', open)) {
			const end = xml.indexOf(']]>', open + 9);
			if (end < 0) return fail('a CDATA section is never closed');
			if (stack.length === 1) return fail('CDATA outside the root element');
			stack[stack.length - 1].text += xml.slice(open + 9, end);
			position = end + 3;
		} else if (xml.startsWith('<?', open)) {
			const end = xml.indexOf('?>', open + 2);
			if (end < 0) return fail('a processing instruction is never closed');
			position = end + 2;
		} else if (xml.startsWith('<!', open)) {
			return fail('a DOCTYPE or declaration is not expected in a SOAP answer');
		} else if (xml.startsWith('</', open)) {
			const end = xml.indexOf('>', open + 2);
			if (end < 0) return fail('a closing tag is never ended with >');
			const name = localName(xml.slice(open + 2, end).trim());
			const current = stack[stack.length - 1];
			if (stack.length === 1 || current.name !== name) return fail(`</${name}> does not close the open element`);
			stack.pop();
			position = end + 1;
		} else {
			const end = findTagEnd(xml, open + 1);
			if (end < 0) return fail('a tag is never ended with >');
			const selfClosing = xml.charCodeAt(end - 1) === 0x2f; // '/'
			const inner = xml.slice(open + 1, selfClosing ? end - 1 : end);
			const match = /^([A-Za-z_][\w.:-]*)/.exec(inner);
			if (!match) return fail("'<' is not followed by an element name");
			if (stack.length === 1 && document.children.length > 0) return fail('a second root element');
			const element: SoapElement = { name: localName(match[1]), children: [], text: '' };
			stack[stack.length - 1].children.push(element);
			if (!selfClosing) stack.push(element);
			position = end + 1;
		}
	}
	if (stack.length > 1) return { problem: `<${stack[stack.length - 1].name}> is never closed` };
	const root = document.children[0];
	return root ? { root } : { problem: 'the answer holds no XML element' };
}

/** The `>` ending a start tag, skipping quoted attribute values; -1 when there is none. */
function findTagEnd(xml: string, from: number): number {
	let quote = 0;
	for (let index = from; index < xml.length; index++) {
		const code = xml.charCodeAt(index);
		if (quote !== 0) {
			if (code === quote) quote = 0;
		} else if (code === 0x22 || code === 0x27) {
			quote = code;
		} else if (code === 0x3e) {
			return index;
		} else if (code === 0x3c) {
			return -1;
		}
	}
	return -1;
}

/** The first child with this local name (case-insensitive), if any. */
export function childOf(element: SoapElement | undefined, name: string): SoapElement | undefined {
	if (!element) return undefined;
	const wanted = name.toLowerCase();
	return element.children.find((child) => child.name.toLowerCase() === wanted);
}

/** All children with this local name (case-insensitive). */
export function childrenOf(element: SoapElement | undefined, name: string): SoapElement[] {
	if (!element) return [];
	const wanted = name.toLowerCase();
	return element.children.filter((child) => child.name.toLowerCase() === wanted);
}

/** Trimmed text of a child, or undefined when the child is absent. */
export function textOf(element: SoapElement | undefined, name: string): string | undefined {
	const child = childOf(element, name);
	return child === undefined ? undefined : child.text.trim();
}

/** The SOAP body's first element (the operation's answer or a Fault). */
export function soapBodyContent(root: SoapElement): SoapElement | undefined {
	if (root.name !== 'Envelope') return undefined;
	return childOf(root, 'Body')?.children[0];
}

export interface SoapFault {
	readonly code: string;
	readonly message: string;
}

/** The fault of a SOAP 1.1 answer (faultcode, faultstring), or of a SOAP 1.2 one (Code, Reason). */
export function readSoapFault(root: SoapElement): SoapFault | undefined {
	const content = soapBodyContent(root);
	if (!content || content.name !== 'Fault') return undefined;
	const code = textOf(content, 'faultcode') ?? textOf(childOf(content, 'Code'), 'Value') ?? '';
	const message = textOf(content, 'faultstring') ?? textOf(childOf(content, 'Reason'), 'Text') ?? '';
	return { code, message };
}
