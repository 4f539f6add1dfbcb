/**
 * Nmbrs journal XML: reads the string `Journals_GetByRunCompany_v2` returns into canonical
 * journal lines (journal-contract §2), one per `<line>`, each dated by its transaction's header.
 *
 * The XML reader is our own (nothing outside n8n may be imported at run time). It is a single
 * forward scan with an explicit element stack: no recursion, so deep nesting cannot overflow the
 * call stack, and every search moves forward, so time stays linear in the input. It does not
 * build a tree: a small state machine (`JournalCollector`) picks the journal's elements out of
 * the event stream as they pass, so memory is proportional to the input.
 *
 * What the reader accepts: elements, attributes (checked, then ignored), text, the five XML
 * entities and character references, CDATA, comments, processing instructions, the XML
 * declaration, a byte-order mark and a DOCTYPE without an internal subset (skipped). Element
 * names match by local name, case-insensitively, so namespace prefixes do not matter. A DOCTYPE
 * with an internal subset is refused: it could declare entities that expand without bound.
 *
 * Amounts are only trimmed here; the amount rules live in `money.ts` and apply when the
 * canonical journal is validated.
 */

import { createIssue, displayValue, type Issue, type IssueCode } from './issues';
import { isBookingDate } from './period';

/** The canonical journal line (journal-contract §2) read from one `<line>`. Plain JSON. */
export interface NmbrsJournalLine {
	account: string;
	description: string;
	/** The `<value>` text as given (trimmed), on the side `<debitcredit>` names. */
	debit?: string;
	credit?: string;
	/** Codes; absent when the element is empty or absent. */
	costCenter?: string;
	costUnit?: string;
	/** YYYY-MM-DD, from the transaction's `<header><date>`. */
	bookingDate: string;
}

/**
 * `lines` is empty whenever `issues` is not: a journal with a problem is never half-booked.
 * `transactionCount` counts the `<transaction>` elements read.
 */
export interface NmbrsJournalReadResult {
	lines: NmbrsJournalLine[];
	transactionCount: number;
	issues: Issue[];
}

const DEFAULT_SOURCE_FIELD = 'journalXml';
const FRESH_EXPORT = 'Ask for a fresh export from Nmbrs.';

/**
 * Reads an Nmbrs journal XML string. Never throws on any input: a broken XML gives one
 * `XML_MALFORMED` issue, content problems give one issue each, all reported at once.
 * A SOAP answer whose result element holds the journal as escaped text is unwrapped.
 */
export function readNmbrsJournalXml(xml: unknown, sourceField: string = DEFAULT_SOURCE_FIELD): NmbrsJournalReadResult {
	if (typeof xml !== 'string' || xml.length === 0) {
		const what =
			typeof xml === 'string'
				? `the Nmbrs journal XML in "${sourceField}" is empty.`
				: `there is no Nmbrs journal XML in "${sourceField}" (found ${displayValue(xml)}).`;
		return failed(createIssue('XML_MISSING', { path: sourceField }, what, 'Check that the field holds the journal XML from Nmbrs.'));
	}
	const outer = readDocument(xml, sourceField, false);
	if (!(outer instanceof JournalCollector)) return failed(outer);
	const inner = soapResultJournal(outer);
	if (inner === undefined) return outer.result();
	const unwrapped = readDocument(inner, sourceField, true);
	return unwrapped instanceof JournalCollector ? unwrapped.result() : failed(unwrapped);
}

/** Missing or broken XML: one issue, nothing read. */
function failed(issue: Issue): NmbrsJournalReadResult {
	return { lines: [], transactionCount: 0, issues: [issue] };
}

/** Scans one XML document into a collector, or returns the one issue that says where it breaks. */
function readDocument(xml: string, sourceField: string, insideSoap: boolean): JournalCollector | Issue {
	const collector = new JournalCollector(sourceField);
	try {
		new XmlScanner(xml, collector).scan();
	} catch (error) {
		// The core knows no n8n errors; anything but a syntax error is a bug and must surface as is.
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		if (!(error instanceof XmlSyntaxError)) throw error;
		const { line, column } = lineAndColumn(xml, error.position);
		const what = `the ${insideSoap ? 'journal XML inside the SOAP answer' : 'XML'} is broken at line ${line}, column ${column}: ${error.detail}.`;
		return createIssue('XML_MALFORMED', { path: sourceField }, what, FRESH_EXPORT);
	}
	collector.finish();
	return collector;
}

/**
 * The journal a SOAP answer carries as escaped text in its `...Result` element, when the answer
 * itself holds no transaction. Unwrapped once only: a journal inside a journal is not a thing.
 */
function soapResultJournal(collector: JournalCollector): string | undefined {
	if (collector.transactionCount > 0 || collector.resultText === undefined) return undefined;
	const text = collector.resultText.trimStart();
	return text.startsWith('<') ? text : undefined;
}

// ---------------------------------------------------------------------------------------------
// Element kinds: the scanner names each element by what it is to the journal, once per name.
// ---------------------------------------------------------------------------------------------

/** What an element is to the journal, from its local name (no prefix, any case). */
const enum Kind {
	Other,
	Transaction,
	Header,
	Date,
	Lines,
	Line,
	/** The six line fields, in the order of LINE_FIELDS. */
	Dim1,
	Dim2,
	Dim3,
	DebitCredit,
	Value,
	Description,
	/** A SOAP answer's `...Result` element, which may hold the journal as escaped text. */
	Result,
	FaultString,
}

const LINE_FIELDS = ['dim1', 'dim2', 'dim3', 'debitcredit', 'value', 'description'] as const;
type LineField = (typeof LINE_FIELDS)[number];
const FIELD_DIM1 = 0;
const FIELD_DIM2 = 1;
const FIELD_DIM3 = 2;
const FIELD_SIDE = 3;
const FIELD_VALUE = 4;
const FIELD_DESCRIPTION = 5;

const KIND_BY_LOCAL_NAME: Readonly<Record<string, Kind>> = {
	transaction: Kind.Transaction,
	header: Kind.Header,
	date: Kind.Date,
	lines: Kind.Lines,
	line: Kind.Line,
	dim1: Kind.Dim1,
	dim2: Kind.Dim2,
	dim3: Kind.Dim3,
	debitcredit: Kind.DebitCredit,
	value: Kind.Value,
	description: Kind.Description,
	faultstring: Kind.FaultString,
};

/** `ns:Transaction` → Transaction: the name without prefix, in lower case. */
function kindOf(name: string): Kind {
	const local = name.slice(name.lastIndexOf(':') + 1).toLowerCase();
	if (Object.prototype.hasOwnProperty.call(KIND_BY_LOCAL_NAME, local)) return KIND_BY_LOCAL_NAME[local];
	return local.endsWith('result') ? Kind.Result : Kind.Other;
}

// ---------------------------------------------------------------------------------------------
// The journal collector: turns element events into lines and content issues.
// ---------------------------------------------------------------------------------------------

/** What the text being collected belongs to. */
const enum Capture {
	None,
	Date,
	Field,
	Result,
	Fault,
}

const enum Section {
	None,
	Header,
	Lines,
}

/** A field given twice with different text: which one is meant is unclear. */
interface FieldConflict {
	field: LineField;
	first: string;
	second: string;
}

interface OpenTransaction {
	index: number;
	depth: number;
	date?: string;
	secondDate?: string;
	/** `date` as YYYY-MM-DD, when it is a real date. */
	bookingDate?: string;
	lineCount: number;
	/** Where this transaction's lines and issues start in the collector's lists. */
	firstLine: number;
	firstIssue: number;
	/** Lines were built before the header's date was read (a header after the lines). */
	undatedLines: boolean;
}

/** Receives the scanner's events. `wantsText` says whether text at this point is needed. */
interface XmlHandler {
	readonly wantsText: boolean;
	open(kind: Kind): void;
	text(value: string): void;
	close(): void;
}

class JournalCollector implements XmlHandler {
	wantsText = false;
	transactionCount = 0;
	/** Text of the first `...Result` element outside any transaction (a SOAP answer's payload). */
	resultText?: string;
	private faultText?: string;
	private readonly lines: NmbrsJournalLine[] = [];
	private readonly issues: Issue[] = [];
	private depth = 0;
	private transaction?: OpenTransaction;
	private section = Section.None;
	/** The open `<line>`: its index in the transaction, or -1. Its fields are reused per line. */
	private lineIndex = -1;
	private readonly fields: (string | undefined)[] = new Array<string | undefined>(LINE_FIELDS.length);
	private conflicts?: FieldConflict[];
	private capture = Capture.None;
	private captureDepth = 0;
	private captureField = 0;
	private captureText = '';

	constructor(private readonly sourceField: string) {}

	open(kind: Kind): void {
		const depth = ++this.depth;
		// A result element with elements inside holds the journal itself, not escaped text.
		if (this.capture === Capture.Result) this.endCapture(false);
		if (this.capture !== Capture.None) {
			this.wantsText = false; // text of nested elements is not the captured element's own
			return;
		}
		const transaction = this.transaction;
		if (transaction === undefined) {
			this.openOutsideTransaction(kind, depth);
			return;
		}
		const level = depth - transaction.depth;
		if (level === 1) {
			this.section = kind === Kind.Header ? Section.Header : kind === Kind.Lines ? Section.Lines : Section.None;
		} else if (level === 2 && this.section === Section.Header && kind === Kind.Date) {
			this.startCapture(Capture.Date, depth);
		} else if (level === 2 && this.section === Section.Lines && kind === Kind.Line) {
			this.startLine(transaction);
		} else if (level === 3 && this.lineIndex >= 0 && kind >= Kind.Dim1 && kind <= Kind.Description) {
			this.captureField = kind - Kind.Dim1;
			this.startCapture(Capture.Field, depth);
		}
	}

	text(value: string): void {
		this.captureText += value;
	}

	close(): void {
		const depth = this.depth--;
		if (this.capture !== Capture.None) {
			if (depth === this.captureDepth) this.endCapture(true);
			else this.wantsText = this.depth === this.captureDepth;
			return;
		}
		const transaction = this.transaction;
		if (transaction === undefined) return;
		const level = depth - transaction.depth;
		if (level === 2 && this.lineIndex >= 0) this.endLine(transaction);
		else if (level === 1) this.section = Section.None;
		else if (level === 0) this.endTransaction(transaction);
	}

	/** Called once the whole document is read. */
	finish(): void {
		if (this.transactionCount > 0) return;
		const what =
			this.faultText !== undefined
				? `Nmbrs answered with an error instead of a journal: ${displayValue(this.faultText)}.`
				: this.resultText !== undefined
					? 'the answer from Nmbrs holds an empty journal: there is no <transaction> to book.'
					: 'the XML holds no <transaction>, so there is nothing to book.';
		const todo = 'Check in Nmbrs (Journal Export) that the payroll run has a journal, then fetch it again.';
		this.issues.push(createIssue('XML_NO_TRANSACTIONS', { path: this.sourceField }, what, todo));
	}

	result(): NmbrsJournalReadResult {
		const { transactionCount, issues } = this;
		return issues.length > 0 ? { lines: [], transactionCount, issues } : { lines: this.lines, transactionCount, issues };
	}

	private openOutsideTransaction(kind: Kind, depth: number): void {
		if (kind === Kind.Transaction) {
			this.transaction = {
				index: this.transactionCount++,
				depth,
				lineCount: 0,
				firstLine: this.lines.length,
				firstIssue: this.issues.length,
				undatedLines: false,
			};
			this.section = Section.None;
		} else if (kind === Kind.Result && this.resultText === undefined) {
			this.startCapture(Capture.Result, depth);
		} else if (kind === Kind.FaultString && this.faultText === undefined) {
			this.startCapture(Capture.Fault, depth);
		}
	}

	private startCapture(capture: Capture, depth: number): void {
		this.capture = capture;
		this.captureDepth = depth;
		this.captureText = '';
		this.wantsText = true;
	}

	private endCapture(keep: boolean): void {
		const text = this.captureText;
		const capture = this.capture;
		this.captureText = '';
		this.capture = Capture.None;
		this.wantsText = false;
		if (!keep) return;
		if (capture === Capture.Field) this.setField(this.captureField, text.trim());
		else if (capture === Capture.Date && this.transaction !== undefined) setDate(this.transaction, text.trim());
		else if (capture === Capture.Result) this.resultText = text;
		else if (capture === Capture.Fault) this.faultText = text.trim();
	}

	private startLine(transaction: OpenTransaction): void {
		this.lineIndex = transaction.lineCount++;
		this.fields.fill(undefined);
		this.conflicts = undefined;
	}

	private setField(field: number, text: string): void {
		const first = this.fields[field];
		if (first === undefined) this.fields[field] = text;
		else if (first !== text) (this.conflicts ??= []).push({ field: LINE_FIELDS[field], first, second: text });
	}

	private endLine(transaction: OpenTransaction): void {
		const location = { sourceField: this.sourceField, transactionIndex: transaction.index, lineIndex: this.lineIndex };
		this.lineIndex = -1;
		const before = this.issues.length;
		const side = checkLine(location, this.fields, this.conflicts, this.issues);
		// Once anything is wrong no line is handed out, so building more would only cost memory.
		if (side === undefined || before > 0 || this.issues.length > 0) return;
		if (transaction.bookingDate === undefined) transaction.undatedLines = true;
		this.lines.push(toCanonicalLine(this.fields, side, transaction.bookingDate ?? ''));
	}

	private endTransaction(transaction: OpenTransaction): void {
		this.transaction = undefined;
		this.section = Section.None;
		const dateIssue = checkDate(this.sourceField, transaction);
		// The date issue goes before the transaction's line issues, as the header comes first.
		if (dateIssue !== undefined) this.issues.splice(transaction.firstIssue, 0, dateIssue);
		if (this.issues.length > 0 || !transaction.undatedLines || transaction.bookingDate === undefined) return;
		for (let index = transaction.firstLine; index < this.lines.length; index++) {
			this.lines[index].bookingDate = transaction.bookingDate;
		}
	}
}

function setDate(transaction: OpenTransaction, text: string): void {
	if (transaction.date === undefined) {
		transaction.date = text;
		transaction.bookingDate = toIsoDate(text);
	} else if (transaction.date !== text && transaction.secondDate === undefined) {
		transaction.secondDate = text;
	}
}

// ---------------------------------------------------------------------------------------------
// Content checks: every problem becomes an issue; nothing stops at the first.
// ---------------------------------------------------------------------------------------------

const FIELD_TODO: Record<LineField, string> = {
	dim1: 'Give the wage component a ledger account in the Nmbrs journal settings, then export the journal again.',
	dim2: FRESH_EXPORT,
	dim3: FRESH_EXPORT,
	debitcredit: FRESH_EXPORT,
	value: FRESH_EXPORT,
	description: FRESH_EXPORT,
};

interface LineLocation {
	sourceField: string;
	transactionIndex: number;
	lineIndex: number;
}

/**
 * Checks one line's fields (indexed as LINE_FIELDS), adding an issue for each problem.
 * Returns the line's side when the line is sound.
 */
function checkLine(
	location: LineLocation,
	fields: readonly (string | undefined)[],
	conflicts: readonly FieldConflict[] | undefined,
	issues: Issue[],
): 'debit' | 'credit' | undefined {
	const account = fields[FIELD_DIM1];
	const value = fields[FIELD_VALUE];
	const debitcredit = fields[FIELD_SIDE];
	const side = debitcredit === undefined ? undefined : toSide(debitcredit);
	if (account && value && side !== undefined && conflicts === undefined) return side; // the usual case
	const { sourceField, transactionIndex, lineIndex } = location;
	const basePath = `${sourceField}.transaction[${transactionIndex}].line[${lineIndex}]`;
	const where = `transaction ${transactionIndex + 1}, line ${lineIndex + 1}`;
	const label = `${where}${account ? ` (account ${shorten(account)}${value ? `, value ${shorten(value)}` : ''})` : ''}`;
	const add = (code: IssueCode, field: LineField, what: string, found?: string): void => {
		issues.push(createIssue(code, { path: `${basePath}.${field}`, field }, what, FIELD_TODO[field], found));
	};
	if (!account) add('XML_ELEMENT_MISSING', 'dim1', `${label} has no ledger account: <dim1> is ${missingOrEmpty(account)}.`);
	if (!value) add('XML_ELEMENT_MISSING', 'value', `${label} has no amount: <value> is ${missingOrEmpty(value)}.`);
	if (debitcredit === undefined) {
		add('XML_ELEMENT_MISSING', 'debitcredit', `${label} does not say debit or credit: <debitcredit> is missing.`);
	} else if (side === undefined) {
		const what = `${label} has <debitcredit> ${displayValue(debitcredit)}, where debit or credit (or D / C) is expected.`;
		add('XML_SIDE_INVALID', 'debitcredit', what, debitcredit);
	}
	for (const { field, first, second } of conflicts ?? []) {
		const what = `${label} has <${field}> twice, as ${displayValue(first)} and as ${displayValue(second)}; which one is meant is unclear.`;
		add('FIELD_INVALID', field, what, second);
	}
	return undefined;
}

/** A sound line's fields as the canonical line, keys in the contract's order. */
function toCanonicalLine(fields: readonly (string | undefined)[], side: 'debit' | 'credit', bookingDate: string): NmbrsJournalLine {
	const account = fields[FIELD_DIM1] as string;
	const value = fields[FIELD_VALUE] as string;
	const description = fields[FIELD_DESCRIPTION] ?? '';
	const costCenter = fields[FIELD_DIM2];
	const costUnit = fields[FIELD_DIM3];
	// Built key by key so the keys keep the contract's order, bookingDate last.
	const line: Partial<NmbrsJournalLine> = { account, description };
	if (side === 'debit') line.debit = value;
	else line.credit = value;
	if (costCenter) line.costCenter = costCenter;
	if (costUnit) line.costUnit = costUnit;
	line.bookingDate = bookingDate;
	return line as NmbrsJournalLine;
}

function toSide(text: string): 'debit' | 'credit' | undefined {
	const side = text.toLowerCase();
	if (side === 'debit' || side === 'd') return 'debit';
	if (side === 'credit' || side === 'c') return 'credit';
	return undefined;
}

/** The issue with the transaction's header date, if any. */
function checkDate(sourceField: string, transaction: OpenTransaction): Issue | undefined {
	const { date, secondDate, bookingDate } = transaction;
	const where = `transaction ${transaction.index + 1}`;
	let what: string;
	if (date === undefined) what = `${where} has no booking date: <header><date> is missing.`;
	else if (date === '') what = `${where} has no booking date: <header><date> is empty.`;
	else if (bookingDate === undefined) what = `${where} has booking date ${displayValue(date)}, which is not a real date in the form YYYYMMDD.`;
	else if (secondDate !== undefined) {
		what = `${where} has two booking dates, ${displayValue(date)} and ${displayValue(secondDate)}; which one is meant is unclear.`;
	} else return undefined;
	const path = `${sourceField}.transaction[${transaction.index}].header.date`;
	return createIssue('XML_DATE_INVALID', { path, field: 'date' }, what, FRESH_EXPORT, secondDate ?? date);
}

const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * YYYYMMDD or YYYY-MM-DD to YYYY-MM-DD, when it is a booking date by period.ts's rule (a real
 * calendar date in the payroll years 1900–2999), the same rule as for canonical JSON.
 */
function toIsoDate(text: string): string | undefined {
	const match = COMPACT_DATE.exec(text) ?? ISO_DATE.exec(text);
	if (!match) return undefined;
	const [, yearText, monthText, dayText] = match;
	const isoDate = `${yearText}-${monthText}-${dayText}`;
	return isBookingDate(isoDate) ? isoDate : undefined;
}

function missingOrEmpty(text: string | undefined): string {
	return text === undefined ? 'missing' : 'empty';
}

/** Keeps messages short when the input holds absurdly long texts. */
function shorten(text: string): string {
	return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// The XML scanner: one forward pass, an explicit stack, events to a handler.
// ---------------------------------------------------------------------------------------------

/** A well-formedness error: where (offset into the XML) and what, in words for people. */
class XmlSyntaxError extends Error {
	constructor(
		readonly position: number,
		readonly detail: string,
	) {
		super(detail);
	}
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
	return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === CH_UNDERSCORE || code === CH_COLON || code >= 0x80;
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

/** XML reads CR LF and a lone CR as LF. */
function normalizeNewlines(text: string): string {
	return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

function quoteName(name: string): string {
	return shorten(name);
}

class XmlScanner {
	/** Open elements: qualified names and start offsets, innermost last. */
	private readonly names: string[] = [];
	private readonly starts: number[] = [];
	private readonly nameTable = new NameTable();
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
		private readonly handler: XmlHandler,
	) {}

	scan(): void {
		const xml = this.xml;
		const length = xml.length;
		let position = xml.charCodeAt(0) === CH_BOM ? 1 : 0;
		while (position < length) {
			position = xml.charCodeAt(position) === CH_LT ? this.scanMarkup(position) : this.scanText(position);
		}
		if (this.names.length > 0) {
			const open = this.names[this.names.length - 1];
			const at = this.describePosition(this.starts[this.starts.length - 1]);
			this.fail(length, `the XML ends while <${quoteName(open)}> (opened at ${at}) is still open; the export looks cut off`);
		}
		if (this.rootName === undefined) this.fail(length, 'the XML holds no element at all');
	}

	private fail(position: number, detail: string): never {
		throw new XmlSyntaxError(position, detail);
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
		else if (this.handler.wantsText) this.handler.text(this.decode(start, end));
		else if (this.hasAmpersand(start, end)) this.decode(start, end); // checks the entities, result unused
		return end;
	}

	/** Only whitespace may stand outside the root element. */
	private checkOutsideText(start: number, end: number): void {
		const xml = this.xml;
		for (let position = start; position < end; position++) {
			if (isWhitespace(xml.charCodeAt(position))) continue;
			if (this.rootName === undefined) this.fail(position, 'there is text before the first element, where only the XML itself may start');
			this.fail(position, `there is text after </${quoteName(this.rootName)}>, where the XML should end`);
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
			this.fail(amp, `&${name}; is not an entity XML knows (only &amp; &lt; &gt; &quot; &apos; and numbers such as &#233; are)`);
		}
		const match = CHARACTER_REFERENCE.exec(name);
		const codePoint = match ? (match[1] !== undefined ? parseInt(match[1], 16) : parseInt(match[2], 10)) : Number.NaN;
		if (!isXmlChar(codePoint)) this.fail(amp, `&${name}; does not name a character XML allows`);
		this.referenceText = String.fromCodePoint(codePoint);
		return semicolon + 1;
	}

	private findSemicolon(amp: number, end: number): number {
		const limit = Math.min(end, amp + MAX_REFERENCE_LENGTH);
		for (let position = amp + 1; position < limit; position++) {
			if (this.xml.charCodeAt(position) === CH_SEMICOLON) return position;
		}
		return this.fail(amp, "there is an '&' that does not start an entity (an ampersand itself must be written &amp;)");
	}

	// --- markup --------------------------------------------------------------------------------

	private scanMarkup(position: number): number {
		const next = this.xml.charCodeAt(position + 1);
		if (next === CH_SLASH) return this.scanEndTag(position);
		if (next === CH_BANG) return this.scanDeclaration(position);
		if (next === CH_QUESTION) return this.scanInstruction(position);
		if (isNameStart(next)) return this.scanStartTag(position);
		if (position + 1 >= this.xml.length) return this.fail(position, "the XML ends with a '<'");
		return this.fail(position, "there is a '<' that does not start a tag (a less-than sign in a text must be written &lt;)");
	}

	/** Reads a name from `start`; returns its end and leaves its hash in `nameHash`. */
	private readName(start: number): number {
		const xml = this.xml;
		let position = start;
		let hash = 0;
		for (; position < xml.length; position++) {
			const code = xml.charCodeAt(position);
			if (!isNameChar(code)) break;
			hash = (Math.imul(hash, 31) + code) | 0;
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
			this.fail(start, `a second element <${quoteName(name)}> follows </${quoteName(this.rootName)}>, but the XML should end there`);
		}
		let position = nameEnd;
		for (;;) {
			const afterName = position;
			position = this.skipWhitespace(position);
			if (position >= xml.length) return this.fail(start, `the XML ends inside the tag <${quoteName(name)}>`);
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
				this.fail(position, `the tag <${quoteName(name)}> holds an unexpected ${JSON.stringify(xml.charAt(position))}`);
			}
			position = this.scanAttribute(position, name);
		}
	}

	/** Checks one `name="value"` (its entities too) and skips it; attributes carry nothing we use. */
	private scanAttribute(start: number, tag: string): number {
		const xml = this.xml;
		const nameEnd = this.readName(start);
		const attribute = quoteName(xml.slice(start, nameEnd));
		let position = this.skipWhitespace(nameEnd);
		if (xml.charCodeAt(position) !== CH_EQUALS) {
			this.fail(position, `the attribute ${attribute} in <${quoteName(tag)}> has no value (expected ${attribute}="...")`);
		}
		position = this.skipWhitespace(position + 1);
		const quote = xml.charCodeAt(position);
		if (quote !== CH_DQUOTE && quote !== CH_SQUOTE) {
			this.fail(position, `the value of the attribute ${attribute} in <${quoteName(tag)}> is not in quotes`);
		}
		const valueStart = position + 1;
		for (position = valueStart; position < xml.length; position++) {
			const code = xml.charCodeAt(position);
			if (code === quote) break;
			if (code === CH_LT) this.fail(position, `the value of the attribute ${attribute} in <${quoteName(tag)}> holds a '<' or lacks its closing quote`);
		}
		if (position >= xml.length) this.fail(start, `the XML ends inside the attribute ${attribute} of <${quoteName(tag)}>`);
		this.decode(valueStart, position);
		return position + 1;
	}

	private openElement(name: string, start: number): void {
		if (this.rootName === undefined) this.rootName = name;
		this.names.push(name);
		this.starts.push(start);
		this.handler.open(this.nameTable.lastKind);
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
		if (!xml.startsWith(open, nameStart) || (position < xml.length && isNameChar(xml.charCodeAt(position)))) {
			const name = xml.slice(nameStart, this.readName(nameStart));
			const at = this.describePosition(this.starts[depth - 1]);
			if (name === '') this.fail(start, `'</' is not followed by a tag name (<${quoteName(open)}> from ${at} is open)`);
			this.fail(start, `<${quoteName(open)}> was opened at ${at} but </${quoteName(name)}> closes it`);
		}
		position = this.skipWhitespace(position);
		if (position >= xml.length) return this.fail(start, `the XML ends inside the closing tag </${quoteName(open)}>`);
		if (xml.charCodeAt(position) !== CH_GT) this.fail(position, `the closing tag </${quoteName(open)}> does not end with '>'`);
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
			if (this.names.length === 0) this.fail(start, 'a CDATA section stands outside the root element');
			const end = xml.indexOf(']]>', start + 9);
			if (end < 0) this.fail(start, 'a CDATA section (<![CDATA[) is never closed with ]]>');
			if (this.handler.wantsText) this.handler.text(normalizeNewlines(xml.slice(start + 9, end)));
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
		if (this.rootName !== undefined || this.sawDoctype) this.fail(start, 'a DOCTYPE may only stand once, before the first element');
		this.sawDoctype = true;
		for (let position = start + 9; position < xml.length; position++) {
			const code = xml.charCodeAt(position);
			if (code === CH_GT) return position + 1;
			if (code === CH_LBRACKET) {
				this.fail(position, 'the DOCTYPE declares definitions of its own ([...]), which are refused for safety: they can make entities expand without end');
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
class NameTable {
	private static readonly SIZE = 256;
	private readonly names: (string | undefined)[] = new Array<string | undefined>(NameTable.SIZE);
	private readonly kinds: Kind[] = new Array<Kind>(NameTable.SIZE).fill(Kind.Other);
	/** The kind of the name the last lookup returned. */
	lastKind = Kind.Other;

	lookup(xml: string, start: number, end: number, hash: number): string {
		const slot = hash & (NameTable.SIZE - 1);
		const known = this.names[slot];
		if (known !== undefined && known.length === end - start && xml.startsWith(known, start)) {
			this.lastKind = this.kinds[slot];
			return known;
		}
		const name = xml.slice(start, end);
		this.names[slot] = name;
		this.kinds[slot] = this.lastKind = kindOf(name);
		return name;
	}
}

/** 1-based line and column of an offset; only computed for an error, so a plain count is fine. */
function lineAndColumn(xml: string, position: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let newline = xml.indexOf('\n'); newline >= 0 && newline < position; newline = xml.indexOf('\n', newline + 1)) {
		line++;
		lineStart = newline + 1;
	}
	// A byte-order mark is invisible in an editor; do not count it.
	const bom = line === 1 && xml.charCodeAt(0) === CH_BOM && position > 0 ? 1 : 0;
	return { line, column: position - lineStart + 1 - bom };
}
