/**
 * A small reader for Nmbrs' SOAP answers: builds a tree of elements (local names, text) from the
 * envelope. It is the second consumer of the one XML scanner (`scanXml` in core/xmlScanner.ts,
 * shared with the journal reader), so one scanner holds every rule: a single forward pass, no
 * recursion, the same limits (input size,
 * 64 levels of nesting, 64 attributes, 1,000-character names), the same refusal of characters
 * XML does not allow and of U+FFFD, the same entities. It never throws on bad input: a broken or
 * hostile answer gives `{ problem }` saying what and where (line, column).
 *
 * Limits of its own, as it keeps a tree: at most 1,000,000 elements per answer, and at most
 * 10,000 characters of text per element, except an operation's `...Result` element, which carries
 * the whole journal as escaped text and falls under the input size cap instead. Whitespace
 * between child elements is dropped (indentation), so a long list does not grow its parent's text.
 * A SOAP fault's text is cut to 1,000 characters.
 */
import { scanXml, XML_LIMITS, type XmlEventHandler, type XmlRefusal } from '../core/xmlScanner';

export interface SoapElement {
	/** Local name, prefix dropped, case kept (`RunInfo`). */
	readonly name: string;
	readonly children: SoapElement[];
	/** The element's own text, entities decoded (text of children not included). */
	text: string;
}

export type SoapReadResult = { readonly root: SoapElement } | { readonly problem: string };

export const SOAP_LIMITS = {
	maxElements: 1_000_000,
	maxFaultChars: 1_000,
} as const;

function localName(qualified: string): string {
	return qualified.slice(qualified.indexOf(':') + 1);
}

/** Builds the tree from the scanner's events; an element's kind is its local name. */
class SoapTreeBuilder implements XmlEventHandler<string> {
	readonly wantsText = true;
	readonly document: SoapElement = { name: '#document', children: [], text: '' };
	private readonly stack: SoapElement[] = [this.document];
	/** Whether the innermost open element may hold a text of any length (a `...Result`). */
	private readonly unlimited: boolean[] = [false];
	private elements = 0;

	/** Asked once per name the scanner meets: a few dozen, each sliced once. */
	classify(qualified: string): string {
		return localName(qualified);
	}

	open(_qualified: string, name: string): XmlRefusal | undefined {
		if (++this.elements > SOAP_LIMITS.maxElements) {
			return {
				limit: true,
				detail: `the answer holds more than ${SOAP_LIMITS.maxElements.toLocaleString('en-US')} elements`,
			};
		}
		const element: SoapElement = { name, children: [], text: '' };
		this.stack[this.stack.length - 1].children.push(element);
		this.stack.push(element);
		this.unlimited.push(name.endsWith('Result'));
		return undefined;
	}

	text(value: string): XmlRefusal | undefined {
		const element = this.stack[this.stack.length - 1];
		if (element.children.length > 0 && value.trim() === '') return undefined; // indentation
		if (
			!this.unlimited[this.unlimited.length - 1] &&
			element.text.length + value.length > XML_LIMITS.maxTextChars
		) {
			return {
				limit: true,
				detail: `the text of <${element.name.slice(0, 40)}> is longer than ${XML_LIMITS.maxTextChars.toLocaleString('en-US')} characters`,
			};
		}
		element.text += value;
		return undefined;
	}

	close(): void {
		this.stack.pop();
		this.unlimited.pop();
	}
}

/** Reads a SOAP answer (or any small XML document) into a tree. */
export function readSoapXml(xml: unknown): SoapReadResult {
	if (typeof xml === 'string' && xml.length > XML_LIMITS.maxInputChars) {
		return {
			problem: `the answer is ${xml.length.toLocaleString('en-US')} characters long, more than the ${XML_LIMITS.maxInputChars.toLocaleString('en-US')} characters this node reads`,
		};
	}
	if (typeof xml !== 'string' || xml.trim() === '') return { problem: 'the answer is empty' };
	const builder = new SoapTreeBuilder();
	const problem = scanXml(xml, builder);
	if (problem !== undefined) {
		const what =
			problem.code === 'XML_ENCODING_INVALID'
				? `it was decoded in the wrong character encoding: ${problem.detail}`
				: problem.detail;
		return { problem: `${what} (line ${problem.line}, column ${problem.column})` };
	}
	const root = builder.document.children[0];
	return root ? { root } : { problem: 'the answer holds no XML element' };
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
	const code = bounded(
		textOf(content, 'faultcode') ?? textOf(childOf(content, 'Code'), 'Value') ?? '',
	);
	const message = bounded(
		textOf(content, 'faultstring') ?? textOf(childOf(content, 'Reason'), 'Text') ?? '',
	);
	return { code, message };
}

/** A fault text for messages: at most maxFaultChars characters, cut with an ellipsis. */
function bounded(text: string): string {
	return text.length > SOAP_LIMITS.maxFaultChars
		? `${text.slice(0, SOAP_LIMITS.maxFaultChars - 1)}…`
		: text;
}
