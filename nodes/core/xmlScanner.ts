/**
 * The XML scanner: the one reader of XML in both packages. Its consumers are the Nmbrs journal
 * reader (`nmbrsXml.ts`, the journal export) and the Nmbrs SOAP reader
 * (`packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapReader.ts`, which gets this file by a link).
 * It knows XML, not what a journal or a SOAP answer is: it hands elements and text to a handler
 * (`XmlEventHandler`), which may refuse what it does not take.
 *
 * The scanner is our own (nothing outside n8n may be imported at run time). It is a single
 * forward scan with an explicit element stack: no recursion, so deep nesting cannot overflow the
 * call stack, and every search moves forward, so time stays linear in the input. It builds no
 * tree: the handler picks out what it needs as the events pass.
 *
 * What the scanner accepts: elements, attributes (checked, then ignored), text, the five XML
 * entities and character references, CDATA, comments, processing instructions, the XML
 * declaration, a byte-order mark and a DOCTYPE without an internal subset (skipped). A DOCTYPE
 * with an internal subset is refused: it could declare entities that expand without bound.
 *
 * Limits (`XML_LIMITS`; each hit gives one `XML_LIMIT_EXCEEDED` naming line, column and limit):
 * - input: at most 256 Mi characters (268,435,456). A 200,000-line journal is about 42 MB as
 *   plain XML and 58 MB as a SOAP answer (escaped); the 500,000-line benchmark journal about
 *   105 / 145 MB. The cap is well above those and well below V8's string limit (512 Mi).
 *   It applies to the SOAP `...Result` text too, which holds the whole journal. The caller
 *   checks it before scanning (it knows the words for its source).
 * - nesting: at most 64 elements deep (a journal needs 5, a SOAP answer around it 4 more).
 * - text: at most 10,000 characters per text a handler keeps (`maxTextChars`, checked by the
 *   handler, counted after decoding, CDATA and comment-split pieces included).
 * - attributes: at most 64 per element, each value at most 10,000 characters; names (of
 *   elements and attributes) at most 1,000 characters.
 *
 * Characters: XML 1.0 allows no raw NUL or other C0 control but tab, LF and CR, no lone surrogate
 * and no U+FFFE/U+FFFF; they are refused with line and column (`XML_MALFORMED`), as `&#0;` is. A raw
 * U+FFFD (replacement character) is always a sign of text decoded in the wrong encoding:
 * `XML_ENCODING_INVALID`. `decodeXmlBytes` turns bytes into text as the XML declares (UTF-8 by
 * default, fatal on invalid bytes; ISO-8859-1 / windows-1252 / US-ASCII as declared; UTF-16 with
 * a byte-order mark); anything else is refused.
 */

import { createIssue, type Issue } from './issues';

/** Where the XML comes from when the caller does not say: the journal's JSON field. */
export const DEFAULT_SOURCE_FIELD = 'journalXml';
/** What to do about XML in the wrong character encoding. */
export const ENCODING_TODO =
	'Pass the export from Nmbrs on unchanged; if a program re-saved the file, save it as UTF-8 and try again.';

/** The scanner's limits: see the file header. */
export const XML_LIMITS = {
	maxInputChars: 256 * 1024 * 1024,
	maxDepth: 64,
	maxTextChars: 10_000,
	maxAttributes: 64,
	maxNameChars: 1_000,
} as const;

/** Why a scan stopped: the issue code, where (offset, 1-based line and column) and what, in words. */
export interface XmlScanProblem {
	readonly code:
		| 'XML_MALFORMED'
		| 'XML_LIMIT_EXCEEDED'
		| 'XML_UNEXPECTED_ELEMENT'
		| 'XML_ENCODING_INVALID';
	readonly position: number;
	readonly line: number;
	readonly column: number;
	readonly detail: string;
}

/**
 * Scans one XML document into a handler. Never throws on any input; returns the problem that
 * stopped the scan, if any. The input size cap is the caller's to check first (it knows the words
 * for its source).
 */
export function scanXml<K>(xml: string, handler: XmlEventHandler<K>): XmlScanProblem | undefined {
	let stopped: unknown;
	try {
		new XmlScanner(xml, handler).scan();
		return undefined;
	} catch (error) {
		stopped = error;
	}
	// Anything but a syntax error is a bug: it goes on up as it is, and the node layer
	// (runPerItem) turns it into an n8n error; the core knows no n8n errors.
	if (!(stopped instanceof XmlSyntaxError)) throw stopped;
	const { line, column } = lineAndColumn(xml, stopped.position);
	return { code: stopped.code, position: stopped.position, line, column, detail: stopped.detail };
}

/** A handler's refusal of what the scanner just met: a safety limit, or a structure it does not take. */
export interface XmlRefusal {
	readonly limit: boolean;
	readonly detail: string;
}

/**
 * Receives the scanner's events. `wantsText` says whether text at this point is needed.
 * `open` and `text` may refuse; the scan then stops there, at the element's start tag.
 * `classify` says what an element name (as written, prefix included) is to the handler; the
 * scanner asks once per name it meets and hands the answer to `open` with every element of that
 * name, so a name a document repeats millions of times is neither sliced nor classified again.
 */
export interface XmlEventHandler<K> {
	readonly wantsText: boolean;
	classify(name: string): K;
	open(name: string, kind: K): XmlRefusal | undefined;
	text(value: string): XmlRefusal | undefined;
	close(): void;
}

// ---------------------------------------------------------------------------------------------
// Bytes to text, as the XML declares.
// ---------------------------------------------------------------------------------------------

/** Declared encodings read as declared (WHATWG labels; ISO-8859-1 is read as its superset windows-1252). */
const SINGLE_BYTE_ENCODINGS: Readonly<Record<string, string>> = {
	'iso-8859-1': 'windows-1252',
	iso8859_1: 'windows-1252',
	'iso_8859-1': 'windows-1252',
	latin1: 'windows-1252',
	'latin-1': 'windows-1252',
	'windows-1252': 'windows-1252',
	cp1252: 'windows-1252',
	'iso-8859-15': 'iso-8859-15',
	latin9: 'iso-8859-15',
};
const ASCII_ENCODINGS = new Set(['us-ascii', 'ascii']);
const UTF8_ENCODINGS = new Set(['utf-8', 'utf8']);
/** `<?xml ... encoding="x" ...?>` at the very start; read on at most 256 bytes, so linear. */
const ENCODING_DECLARATION = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/;

/**
 * Bytes (a file, an HTTP body) to text, as the XML says they are encoded: a byte-order mark
 * (UTF-8, UTF-16 LE/BE) first, then the declaration's `encoding`, else UTF-8. UTF-8 and UTF-16
 * are decoded strictly: bytes that are not what is declared give `XML_ENCODING_INVALID` naming
 * the first bad byte's offset, never a silent U+FFFD. The BOM stays in the text (the scanner
 * skips it). An encoding this reader does not know is refused.
 */
export function decodeXmlBytes(
	bytes: Uint8Array,
	sourceField: string = DEFAULT_SOURCE_FIELD,
): { text: string } | { issue: Issue } {
	const refused = (what: string): { issue: Issue } => ({
		issue: createIssue('XML_ENCODING_INVALID', { path: sourceField }, what, ENCODING_TODO),
	});
	const invalidAt = (offset: number, encoding: string): { issue: Issue } =>
		refused(
			`the XML in "${sourceField}" is not valid ${encoding}: the byte at offset ${offset} (byte ${offset + 1} of the data) is 0x${bytes[offset]?.toString(16).toUpperCase().padStart(2, '0') ?? '??'}, which cannot be read as ${encoding}.`,
		);
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, 'utf-16le', invalidAt);
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, 'utf-16be', invalidAt);
	const utf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	if (
		!utf8Bom &&
		((bytes[0] === 0x3c && bytes[1] === 0) || (bytes[0] === 0 && bytes[1] === 0x3c))
	) {
		return refused(
			`the XML in "${sourceField}" looks like UTF-16 without a byte-order mark, which cannot be read safely.`,
		);
	}
	const declared = utf8Bom ? 'utf-8' : declaredEncoding(bytes);
	if (declared === undefined || UTF8_ENCODINGS.has(declared)) {
		try {
			return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
		} catch {
			return invalidAt(firstInvalidUtf8(bytes), 'UTF-8');
		}
	}
	if (ASCII_ENCODINGS.has(declared)) {
		const offset = bytes.findIndex((byte) => byte >= 0x80);
		if (offset >= 0) return invalidAt(offset, 'US-ASCII');
		return { text: new TextDecoder('windows-1252').decode(bytes) };
	}
	const singleByte = SINGLE_BYTE_ENCODINGS[declared];
	if (singleByte !== undefined) return { text: new TextDecoder(singleByte).decode(bytes) };
	if (declared.startsWith('utf-16') || declared === 'ucs-2') {
		return refused(
			`the XML in "${sourceField}" declares ${declared.toUpperCase()} but has no byte-order mark, so its byte order is unknown.`,
		);
	}
	return refused(
		`the XML in "${sourceField}" declares the encoding ${JSON.stringify(declared)}, which this node does not read (it reads UTF-8, UTF-16 with a byte-order mark, ISO-8859-1, ISO-8859-15, windows-1252 and US-ASCII).`,
	);
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
	const head = String.fromCharCode(...bytes.subarray(0, 256));
	return ENCODING_DECLARATION.exec(head)?.[1].toLowerCase();
}

function decodeUtf16(
	bytes: Uint8Array,
	encoding: 'utf-16le' | 'utf-16be',
	invalidAt: (offset: number, encoding: string) => { issue: Issue },
): { text: string } | { issue: Issue } {
	const name = encoding === 'utf-16le' ? 'UTF-16 (little-endian)' : 'UTF-16 (big-endian)';
	if (bytes.length % 2 !== 0) return invalidAt(bytes.length - 1, name);
	try {
		return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes) };
	} catch {
		// A lone surrogate: its place in the leniently decoded text, two bytes per unit.
		const lenient = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
		return invalidAt(Math.max(0, lenient.indexOf('\uFFFD')) * 2, name);
	}
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
	for (let index = 0; index < bytes.length; ) {
		const byte = bytes[index];
		let length: number;
		let min: number;
		if (byte < 0x80) {
			index++;
			continue;
		} else if (byte >= 0xc2 && byte <= 0xdf) [length, min] = [2, 0x80];
		else if (byte >= 0xe0 && byte <= 0xef) [length, min] = [3, 0x800];
		else if (byte >= 0xf0 && byte <= 0xf4) [length, min] = [4, 0x10000];
		else return index;
		let codePoint = byte & (0x7f >> length);
		for (let next = 1; next < length; next++) {
			const continuation = bytes[index + next];
			if (continuation === undefined || (continuation & 0xc0) !== 0x80) return index;
			codePoint = (codePoint << 6) | (continuation & 0x3f);
		}
		if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
			return index;
		index += length;
	}
	return bytes.length;
}

// ---------------------------------------------------------------------------------------------
// The scanner: one forward pass, an explicit stack, events to a handler.
// ---------------------------------------------------------------------------------------------

/** A well-formedness error: where (offset into the XML) and what, in words for people. */
class XmlSyntaxError extends Error {
	constructor(
		readonly position: number,
		readonly detail: string,
		readonly code: XmlScanProblem['code'] = 'XML_MALFORMED',
	) {
		super(detail);
	}
}

/**
 * The first character XML 1.0 does not allow raw, or a U+FFFD: a C0 control but tab/LF/CR,
 * U+FFFD/U+FFFE/U+FFFF, a high surrogate not followed by a low one, a low one not preceded by a
 * high one. Linear: every alternative looks at one or two code units at most.
 */
/* eslint-disable no-control-regex -- these control characters are what it looks for */
const FORBIDDEN_CHARACTER =
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/* eslint-enable no-control-regex */

function codePointName(code: number): string {
	return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_BANG = 33;
const CH_DQUOTE = 34;
const CH_HASH = 35;
const CH_SQUOTE = 39;
const CH_DASH = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_COLON = 58;
const CH_SEMICOLON = 59;
const CH_LT = 60;
const CH_EQUALS = 61;
const CH_GT = 62;
const CH_QUESTION = 63;
const CH_LBRACKET = 91;
const CH_UNDERSCORE = 95;
const CH_BOM = 0xfeff;
const CH_REPLACEMENT = 0xfffd;

/** How many decoded pieces are joined at once. */
const JOIN_CHUNK = 8192;

/** `&#x0001F600;` is the longest sensible reference; anything longer is a bare '&'. */
const MAX_REFERENCE_LENGTH = 32;

/** The five entities XML predefines, most frequent first, with what they stand for. */
const PREDEFINED_ENTITIES: readonly (readonly [string, string])[] = [
	['&lt;', '<'],
	['&gt;', '>'],
	['&amp;', '&'],
	['&quot;', '"'],
	['&apos;', "'"],
];
const CHARACTER_REFERENCE = /^#(?:x([0-9a-fA-F]{1,8})|([0-9]{1,10}))$/;

function isWhitespace(code: number): boolean {
	return code === CH_SPACE || code === CH_LF || code === CH_TAB || code === CH_CR;
}

/** Loose on purpose: any non-ASCII character may start a name, as almost all may in XML 1.0. */
function isNameStart(code: number): boolean {
	return (
		(code >= 97 && code <= 122) ||
		(code >= 65 && code <= 90) ||
		code === CH_UNDERSCORE ||
		code === CH_COLON ||
		code >= 0x80
	);
}

function isNameChar(code: number): boolean {
	return isNameStart(code) || (code >= 48 && code <= 57) || code === CH_DASH || code === CH_DOT;
}

/** The characters XML 1.0 allows, which a character reference must name. */
function isXmlChar(codePoint: number): boolean {
	return (
		codePoint === CH_TAB ||
		codePoint === CH_LF ||
		codePoint === CH_CR ||
		(codePoint >= 0x20 && codePoint <= 0xd7ff) ||
		(codePoint >= 0xe000 && codePoint <= 0xfffd) ||
		(codePoint >= 0x10000 && codePoint <= 0x10ffff)
	);
}

/**
 * XML reads CR LF and a lone CR as LF. A run of line breaks becomes one piece and pieces are
 * joined in chunks: a global regex replace here kept a match record per carriage return, about
 * 34 bytes of heap per character of a CR flood (1.36 GB for 40 MB).
 */
function normalizeNewlines(text: string): string {
	let carriageReturn = text.indexOf('\r');
	if (carriageReturn < 0) return text;
	let normalized = '';
	const pieces: string[] = [];
	let from = 0;
	while (carriageReturn >= 0) {
		let end = carriageReturn;
		let breaks = 0;
		for (;;) {
			const code = text.charCodeAt(end);
			if (code === CH_CR) end += text.charCodeAt(end + 1) === CH_LF ? 2 : 1;
			else if (code === CH_LF) end++;
			else break;
			breaks++;
		}
		pieces.push(text.slice(from, carriageReturn), breaks === 1 ? '\n' : '\n'.repeat(breaks));
		if (pieces.length >= JOIN_CHUNK) {
			normalized += pieces.join('');
			pieces.length = 0;
		}
		from = end;
		carriageReturn = text.indexOf('\r', end);
	}
	pieces.push(text.slice(from));
	return normalized + pieces.join('');
}

/** Keeps messages short when the input holds absurdly long texts (names, values). */
export function shorten(text: string): string {
	return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** A name as it goes into a message. */
function quoteName(name: string): string {
	return shorten(name);
}

class XmlScanner<K> {
	/** Open elements: qualified names and start offsets, innermost last; never more than maxDepth. */
	private readonly names: string[] = [];
	private readonly starts: number[] = [];
	private readonly nameTable: NameTable<K>;
	private rootName?: string;
	private sawDoctype = false;
	/**
	 * Offset of the next '&' at or after the last search; searched again only once the scan has
	 * passed it, so looking for entities never rescans the same text (the scan stays linear).
	 */
	private nextAmp = -1;
	private nextCarriageReturn = -1;
	private nameHash = 0;
	private referenceText = '';

	constructor(
		private readonly xml: string,
		private readonly handler: XmlEventHandler<K>,
	) {
		this.nameTable = new NameTable(handler);
	}

	scan(): void {
		const xml = this.xml;
		const length = xml.length;
		this.checkCharacters();
		let position = xml.charCodeAt(0) === CH_BOM ? 1 : 0;
		while (position < length) {
			position =
				xml.charCodeAt(position) === CH_LT ? this.scanMarkup(position) : this.scanText(position);
		}
		if (this.names.length > 0) {
			const open = this.names[this.names.length - 1];
			const at = this.describePosition(this.starts[this.starts.length - 1]);
			this.fail(
				length,
				`the XML ends while <${quoteName(open)}> (opened at ${at}) is still open; the export looks cut off`,
			);
		}
		if (this.rootName === undefined) this.fail(length, 'the XML holds no element at all');
	}

	private fail(
		position: number,
		detail: string,
		code: XmlScanProblem['code'] = 'XML_MALFORMED',
	): never {
		throw new XmlSyntaxError(position, detail, code);
	}

	private failLimit(position: number, detail: string): never {
		return this.fail(position, detail, 'XML_LIMIT_EXCEEDED');
	}

	/** Refuses the first character XML does not allow raw, before anything is read. */
	private checkCharacters(): void {
		const found = FORBIDDEN_CHARACTER.exec(this.xml);
		if (found === null) return;
		const code = found[0].charCodeAt(0);
		if (code === CH_REPLACEMENT) {
			this.fail(
				found.index,
				'it holds the replacement character U+FFFD (\uFFFD), which stands where a character could not be decoded',
				'XML_ENCODING_INVALID',
			);
		}
		const what =
			code >= 0xd800 && code <= 0xdfff
				? `half of a character pair (${codePointName(code)})`
				: `the character ${codePointName(code)}`;
		this.fail(
			found.index,
			`it holds ${what}, which XML does not allow (not even written as a reference)`,
		);
	}

	/** The handler's refusal at `position`, as the scan's problem. */
	private refused(position: number, refusal: XmlRefusal): never {
		return this.fail(
			position,
			refusal.detail,
			refusal.limit ? 'XML_LIMIT_EXCEEDED' : 'XML_UNEXPECTED_ELEMENT',
		);
	}

	/** Hands text to the handler; a refusal (text too long) is reported at its element's start tag. */
	private giveText(value: string): void {
		const refusal = this.handler.text(value);
		if (refusal !== undefined) this.refused(this.starts[this.starts.length - 1], refusal);
	}

	private describePosition(position: number): string {
		const { line, column } = lineAndColumn(this.xml, position);
		return `line ${line}, column ${column}`;
	}

	// --- text ----------------------------------------------------------------------------------

	private scanText(start: number): number {
		const xml = this.xml;
		const lt = xml.indexOf('<', start);
		const end = lt < 0 ? xml.length : lt;
		if (this.names.length === 0) this.checkOutsideText(start, end);
		else if (this.handler.wantsText) this.giveText(this.decode(start, end));
		else if (this.hasAmpersand(start, end)) this.decode(start, end); // checks the entities, result unused
		return end;
	}

	/** Only whitespace may stand outside the root element. */
	private checkOutsideText(start: number, end: number): void {
		const xml = this.xml;
		for (let position = start; position < end; position++) {
			if (isWhitespace(xml.charCodeAt(position))) continue;
			if (this.rootName === undefined)
				this.fail(
					position,
					'there is text before the first element, where only the XML itself may start',
				);
			this.fail(
				position,
				`there is text after </${quoteName(this.rootName)}>, where the XML should end`,
			);
		}
	}

	private hasAmpersand(start: number, end: number): boolean {
		if (this.nextAmp < start) {
			const found = this.xml.indexOf('&', start);
			this.nextAmp = found < 0 ? Number.POSITIVE_INFINITY : found;
		}
		return this.nextAmp < end;
	}

	/**
	 * Text or an attribute value with its references replaced; fails on an unknown entity.
	 * Newlines are normalized in the raw text only: a `&#13;` stays a carriage return.
	 */
	private decode(start: number, end: number): string {
		if (!this.hasAmpersand(start, end)) return this.raw(start, end);
		// Pieces are joined in chunks: a SOAP answer's escaped journal has millions of them.
		let decoded = '';
		const pieces: string[] = [];
		let from = start;
		while (this.hasAmpersand(from, end)) {
			const amp = this.nextAmp;
			if (amp > from) pieces.push(this.raw(from, amp));
			from = this.resolveReference(amp, end);
			pieces.push(this.referenceText);
			if (pieces.length >= JOIN_CHUNK) {
				decoded += pieces.join('');
				pieces.length = 0;
			}
		}
		pieces.push(this.raw(from, end));
		return decoded + pieces.join('');
	}

	private raw(start: number, end: number): string {
		const text = this.xml.slice(start, end);
		return this.hasCarriageReturn(start, end) ? normalizeNewlines(text) : text;
	}

	/** Like hasAmpersand, for '\r': cached, so a text in millions of pieces is not searched millions of times. */
	private hasCarriageReturn(start: number, end: number): boolean {
		if (this.nextCarriageReturn < start) {
			const found = this.xml.indexOf('\r', start);
			this.nextCarriageReturn = found < 0 ? Number.POSITIVE_INFINITY : found;
		}
		return this.nextCarriageReturn < end;
	}

	/** Resolves the reference at `amp` into `referenceText`; returns the offset after it. */
	private resolveReference(amp: number, end: number): number {
		const xml = this.xml;
		for (const [entity, text] of PREDEFINED_ENTITIES) {
			if (xml.startsWith(entity, amp)) {
				this.referenceText = text;
				return amp + entity.length;
			}
		}
		const semicolon = this.findSemicolon(amp, end);
		const name = xml.slice(amp + 1, semicolon);
		if (name.charCodeAt(0) !== CH_HASH) {
			this.fail(
				amp,
				`&${name}; is not an entity XML knows (only &amp; &lt; &gt; &quot; &apos; and numbers such as &#233; are)`,
			);
		}
		const match = CHARACTER_REFERENCE.exec(name);
		const codePoint = match
			? match[1] !== undefined
				? parseInt(match[1], 16)
				: parseInt(match[2], 10)
			: Number.NaN;
		if (!isXmlChar(codePoint)) this.fail(amp, `&${name}; does not name a character XML allows`);
		this.referenceText = String.fromCodePoint(codePoint);
		return semicolon + 1;
	}

	private findSemicolon(amp: number, end: number): number {
		const limit = Math.min(end, amp + MAX_REFERENCE_LENGTH);
		for (let position = amp + 1; position < limit; position++) {
			if (this.xml.charCodeAt(position) === CH_SEMICOLON) return position;
		}
		return this.fail(
			amp,
			"there is an '&' that does not start an entity (an ampersand itself must be written &amp;)",
		);
	}

	// --- markup --------------------------------------------------------------------------------

	private scanMarkup(position: number): number {
		const next = this.xml.charCodeAt(position + 1);
		if (next === CH_SLASH) return this.scanEndTag(position);
		if (next === CH_BANG) return this.scanDeclaration(position);
		if (next === CH_QUESTION) return this.scanInstruction(position);
		if (isNameStart(next)) return this.scanStartTag(position);
		if (position + 1 >= this.xml.length) return this.fail(position, "the XML ends with a '<'");
		return this.fail(
			position,
			"there is a '<' that does not start a tag (a less-than sign in a text must be written &lt;)",
		);
	}

	/** Reads a name from `start`; returns its end and leaves its hash in `nameHash`. */
	private readName(start: number): number {
		const xml = this.xml;
		const limit = Math.min(xml.length, start + XML_LIMITS.maxNameChars + 1);
		let position = start;
		let hash = 0;
		for (; position < limit; position++) {
			const code = xml.charCodeAt(position);
			if (!isNameChar(code)) break;
			hash = (Math.imul(hash, 31) + code) | 0;
		}
		if (position - start > XML_LIMITS.maxNameChars) {
			this.failLimit(
				start,
				`a name is longer than ${XML_LIMITS.maxNameChars.toLocaleString('en-US')} characters`,
			);
		}
		this.nameHash = hash;
		return position;
	}

	private skipWhitespace(start: number): number {
		const xml = this.xml;
		let position = start;
		while (position < xml.length && isWhitespace(xml.charCodeAt(position))) position++;
		return position;
	}

	private scanStartTag(start: number): number {
		const xml = this.xml;
		const nameEnd = this.readName(start + 1);
		const name = this.nameTable.lookup(xml, start + 1, nameEnd, this.nameHash);
		// The usual tag, `<name>` inside the root, takes the short way.
		if (xml.charCodeAt(nameEnd) === CH_GT && this.names.length > 0) {
			this.openElement(name, start);
			return nameEnd + 1;
		}
		return this.scanStartTagRest(start, name, nameEnd);
	}

	/** A start tag with attributes, whitespace or `/>`, or the root's. */
	private scanStartTagRest(start: number, name: string, nameEnd: number): number {
		const xml = this.xml;
		if (this.names.length === 0 && this.rootName !== undefined) {
			this.fail(
				start,
				`a second element <${quoteName(name)}> follows </${quoteName(this.rootName)}>, but the XML should end there`,
			);
		}
		let position = nameEnd;
		/** This tag's attribute names so far (at most maxAttributes), to refuse one given twice. */
		let seen: string[] | undefined;
		for (;;) {
			const afterName = position;
			position = this.skipWhitespace(position);
			if (position >= xml.length)
				return this.fail(start, `the XML ends inside the tag <${quoteName(name)}>`);
			const code = xml.charCodeAt(position);
			if (code === CH_GT) {
				this.openElement(name, start);
				return position + 1;
			}
			if (code === CH_SLASH && xml.charCodeAt(position + 1) === CH_GT) {
				this.openElement(name, start);
				this.closeElement();
				return position + 2;
			}
			if (position === afterName || !isNameStart(code)) {
				this.fail(
					position,
					`the tag <${quoteName(name)}> holds an unexpected ${JSON.stringify(xml.charAt(position))}`,
				);
			}
			if ((seen ??= []).length >= XML_LIMITS.maxAttributes) {
				this.failLimit(
					position,
					`the tag <${quoteName(name)}> has more than ${XML_LIMITS.maxAttributes} attributes`,
				);
			}
			position = this.scanAttribute(position, name, seen);
		}
	}

	/**
	 * Checks one `name="value"` (its entities too) and skips it; attributes carry nothing we use.
	 * A name already in `seen` (this tag's, at most maxAttributes) is refused, as XML 1.0 requires.
	 */
	private scanAttribute(start: number, tag: string, seen: string[]): number {
		const xml = this.xml;
		const nameEnd = this.readName(start);
		const rawName = xml.slice(start, nameEnd);
		const attribute = quoteName(rawName);
		if (seen.includes(rawName))
			this.fail(start, `the attribute ${attribute} is given twice in <${quoteName(tag)}>`);
		seen.push(rawName);
		let position = this.skipWhitespace(nameEnd);
		if (xml.charCodeAt(position) !== CH_EQUALS) {
			this.fail(
				position,
				`the attribute ${attribute} in <${quoteName(tag)}> has no value (expected ${attribute}="...")`,
			);
		}
		position = this.skipWhitespace(position + 1);
		const quote = xml.charCodeAt(position);
		if (quote !== CH_DQUOTE && quote !== CH_SQUOTE) {
			this.fail(
				position,
				`the value of the attribute ${attribute} in <${quoteName(tag)}> is not in quotes`,
			);
		}
		const valueStart = position + 1;
		for (position = valueStart; position < xml.length; position++) {
			const code = xml.charCodeAt(position);
			if (code === quote) break;
			if (code === CH_LT)
				this.fail(
					position,
					`the value of the attribute ${attribute} in <${quoteName(tag)}> holds a '<' or lacks its closing quote`,
				);
		}
		if (position >= xml.length)
			this.fail(start, `the XML ends inside the attribute ${attribute} of <${quoteName(tag)}>`);
		if (this.decode(valueStart, position).length > XML_LIMITS.maxTextChars) {
			this.failLimit(
				valueStart,
				`the value of the attribute ${attribute} in <${quoteName(tag)}> is longer than ${XML_LIMITS.maxTextChars.toLocaleString('en-US')} characters`,
			);
		}
		return position + 1;
	}

	private openElement(name: string, start: number): void {
		if (this.names.length >= XML_LIMITS.maxDepth) {
			this.failLimit(
				start,
				`<${quoteName(name)}> nests elements more than ${XML_LIMITS.maxDepth} levels deep`,
			);
		}
		if (this.rootName === undefined) this.rootName = name;
		this.names.push(name);
		this.starts.push(start);
		const refusal = this.handler.open(name, this.nameTable.lastKind);
		if (refusal !== undefined) this.refused(start, refusal);
	}

	private closeElement(): void {
		this.names.pop();
		this.starts.pop();
		this.handler.close();
	}

	private scanEndTag(start: number): number {
		const xml = this.xml;
		const nameStart = start + 2;
		const depth = this.names.length;
		if (depth === 0) {
			const name = xml.slice(nameStart, this.readName(nameStart));
			return this.fail(start, `</${quoteName(name)}> closes an element that was never opened`);
		}
		const open = this.names[depth - 1];
		let position = nameStart + open.length;
		if (xml.charCodeAt(position) === CH_GT && xml.startsWith(open, nameStart)) {
			this.closeElement(); // the usual `</name>`
			return position + 1;
		}
		if (
			!xml.startsWith(open, nameStart) ||
			(position < xml.length && isNameChar(xml.charCodeAt(position)))
		) {
			const name = xml.slice(nameStart, this.readName(nameStart));
			const at = this.describePosition(this.starts[depth - 1]);
			if (name === '')
				this.fail(
					start,
					`'</' is not followed by a tag name (<${quoteName(open)}> from ${at} is open)`,
				);
			this.fail(
				start,
				`<${quoteName(open)}> was opened at ${at} but </${quoteName(name)}> closes it`,
			);
		}
		position = this.skipWhitespace(position);
		if (position >= xml.length)
			return this.fail(start, `the XML ends inside the closing tag </${quoteName(open)}>`);
		if (xml.charCodeAt(position) !== CH_GT)
			this.fail(position, `the closing tag </${quoteName(open)}> does not end with '>'`);
		this.closeElement();
		return position + 1;
	}

	/** `<!--`, `<![CDATA[` or `<!DOCTYPE`. */
	private scanDeclaration(start: number): number {
		const xml = this.xml;
		if (xml.startsWith('<!--', start)) {
			const end = xml.indexOf('-->', start + 4);
			if (end < 0) this.fail(start, 'a comment (<!--) is never closed with -->');
			return end + 3;
		}
		if (xml.startsWith('<![CDATA[', start)) {
			if (this.names.length === 0)
				this.fail(start, 'a CDATA section stands outside the root element');
			const end = xml.indexOf(']]>', start + 9);
			if (end < 0) this.fail(start, 'a CDATA section (<![CDATA[) is never closed with ]]>');
			if (this.handler.wantsText) this.giveText(normalizeNewlines(xml.slice(start + 9, end)));
			return end + 3;
		}
		if (xml.startsWith('<!DOCTYPE', start)) return this.scanDoctype(start);
		return this.fail(start, "'<!' starts neither a comment, a CDATA section nor a DOCTYPE");
	}

	/**
	 * Skips a plain DOCTYPE. One with an internal subset (`[...]`) is refused: it can declare
	 * entities, and entities that expand into entities make a few bytes of XML fill all memory.
	 */
	private scanDoctype(start: number): number {
		const xml = this.xml;
		if (this.rootName !== undefined || this.sawDoctype)
			this.fail(start, 'a DOCTYPE may only stand once, before the first element');
		this.sawDoctype = true;
		for (let position = start + 9; position < xml.length; position++) {
			const code = xml.charCodeAt(position);
			if (code === CH_GT) return position + 1;
			if (code === CH_LBRACKET) {
				this.fail(
					position,
					'the DOCTYPE declares definitions of its own ([...]), which are refused for safety: they can make entities expand without end',
				);
			}
			if (code === CH_DQUOTE || code === CH_SQUOTE) {
				const close = xml.indexOf(code === CH_DQUOTE ? '"' : "'", position + 1);
				if (close < 0) break;
				position = close;
			}
		}
		return this.fail(start, 'the DOCTYPE is never closed with >');
	}

	/** `<?target ...?>`, the XML declaration among them; skipped. */
	private scanInstruction(start: number): number {
		const xml = this.xml;
		if (!isNameStart(xml.charCodeAt(start + 2))) this.fail(start, "'<?' is not followed by a name");
		const end = xml.indexOf('?>', start + 2);
		if (end < 0) this.fail(start, 'a processing instruction (<?) is never closed with ?>');
		return end + 2;
	}
}

/**
 * The element names met so far, found again by a hash of their characters: a journal repeats a
 * dozen names millions of times, and this way none is sliced out of the XML or classified twice.
 */
class NameTable<K> {
	private static readonly SIZE = 256;
	private readonly names: (string | undefined)[] = new Array<string | undefined>(NameTable.SIZE);
	private readonly kinds: K[] = new Array<K>(NameTable.SIZE);
	/** The kind of the name the last lookup returned (set by every lookup before it is read). */
	lastKind!: K;

	constructor(private readonly handler: XmlEventHandler<K>) {}

	lookup(xml: string, start: number, end: number, hash: number): string {
		const slot = hash & (NameTable.SIZE - 1);
		const known = this.names[slot];
		if (known !== undefined && known.length === end - start && xml.startsWith(known, start)) {
			this.lastKind = this.kinds[slot];
			return known;
		}
		const name = xml.slice(start, end);
		this.names[slot] = name;
		this.kinds[slot] = this.lastKind = this.handler.classify(name);
		return name;
	}
}

/**
 * 1-based line and column of an offset; CR LF, a lone CR and LF each end a line, as in an editor.
 * Only computed for an error: one pass up to the offset, nothing allocated.
 */
function lineAndColumn(xml: string, position: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	const end = Math.min(position, xml.length);
	for (let index = 0; index < end; index++) {
		const code = xml.charCodeAt(index);
		if (code === CH_LF || (code === CH_CR && xml.charCodeAt(index + 1) !== CH_LF)) {
			line++;
			lineStart = index + 1;
		}
	}
	// A byte-order mark is invisible in an editor; do not count it.
	const bom = line === 1 && xml.charCodeAt(0) === CH_BOM && position > 0 ? 1 : 0;
	return { line, column: position - lineStart + 1 - bom };
}
