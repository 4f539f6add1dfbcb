/**
 * The one redaction of this package: every message, description and log line built from text a
 * server sent (Visma.net error bodies, Visma Connect answers, Nmbrs SOAP faults) or from an error
 * of n8n's client passes through here before a user or an operator can read it.
 *
 * Two layers: the KNOWN secrets of the credential in use (client secret, tokens, Nmbrs token,
 * passwords; also URL-encoded, and client id:secret as a Basic pair; from MIN_FUZZY_SECRET
 * characters on also split by line breaks or spaces, HTML-, JSON- or percent-encoded, with
 * zero-width characters inside, in another case, a GUID without hyphens), and anything TOKEN-SHAPED
 * (`Bearer …`, `Basic …`, `access_token=…`/`"client_secret": "…"` pairs, `<Token>…` elements,
 * JWTs, long opaque runs of letters and digits such as hex or base64 tokens and GUID-shaped API
 * tokens). Server text is also bounded (MAX_SERVER_TEXT) and made one line.
 *
 * Every regex here is linear: no nested quantifiers, runs are anchored at their start by a
 * look-behind, and the input is cut to MAX_SCANNED characters before anything else.
 * Pure: no n8n imports.
 */

export const REDACTED = '[redacted]';

/** At most this many characters of server text go into a message. */
export const MAX_SERVER_TEXT = 500;

/** Server text beyond this is not even looked at (it could never reach a message). */
const MAX_SCANNED = 8_192;

/** Known secrets shorter than this are left to the patterns: they cannot be told apart from words. */
const MIN_KNOWN_SECRET = 4;

/** `Bearer xyz`, `Basic xyz`: the scheme stays, the credential goes. */
const AUTH_SCHEME = /\b(Bearer|Basic|Digest|Token)([ \t]{1,5})[A-Za-z0-9._~+/=-]{6,}/gi;

/** `access_token=…`, `"client_secret": "…"`, `password: …` (query, form, JSON, header style). */
const SECRET_PAIR =
	/\b(access_token|refresh_token|id_token|client_secret|clientsecret|client_assertion|password|passwd|pwd|api[_-]?key|apikey|secret|token|authorization)("?[ \t]{0,5}[:=][ \t]{0,5}"?)([^\s"'&,;<>]+)/gi;

/** `<Token>…`, `<nmbrs:Password>…` (a SOAP header echoed in a fault). */
const SECRET_ELEMENT =
	/(<(?:[A-Za-z_][\w.-]{0,30}:)?(?:Token|Password|ClientSecret|AccessToken|RefreshToken|ApiKey)[ \t]*>)[^<]*/gi;

/** A JWT: three base64url parts, the first starting with `eyJ` (`{"`). */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g;

/** A run of 32+ letters, digits, `_ - + =`: judged by `looksLikeToken`. */
const OPAQUE_RUN = /(?<![A-Za-z0-9_+=-])[A-Za-z0-9_+-]{32,}={0,2}/g;

/** Control characters (line breaks included): a message is one line. */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROL = /[\u0000-\u001F\u007F]+/g;

/**
 * A long run is a token when it mixes letters and digits (at least 4 of each) and is not words
 * joined by hyphens (a GUID has 4 hyphens in 36 characters; "R2026-03-bakkerij-de-vries" more).
 */
function looksLikeToken(run: string): boolean {
	let digits = 0;
	let letters = 0;
	let hyphens = 0;
	for (let index = 0; index < run.length; index++) {
		const code = run.charCodeAt(index) | 0x20; // lower-cases A-Z; digits and '-' keep their class
		if (code >= 0x30 && code <= 0x39) digits++;
		else if (code === 0x2d) hyphens++;
		else if (code >= 0x61 && code <= 0x7a) letters++;
	}
	return digits >= 4 && letters >= 4 && hyphens * 8 <= run.length;
}

/** Every form in which a known secret may come back: as is, URL-encoded. */
function variants(secret: string): string[] {
	const forms = new Set([secret]);
	try {
		forms.add(encodeURIComponent(secret));
	} catch {
		// A lone surrogate: only the plain form.
	}
	return [...forms];
}

/**
 * The secrets a credential holds, as found in its decrypted data (either credential of this
 * package): client secret, OAuth tokens, Nmbrs token, passwords, and the Basic pair id:secret.
 */
export function knownSecretsOf(
	credentials: Readonly<Record<string, unknown>> | undefined,
): string[] {
	if (!credentials) return [];
	const found = new Set<string>();
	const add = (value: unknown) => {
		if (typeof value === 'string' && value.trim().length >= MIN_KNOWN_SECRET) {
			found.add(value);
			found.add(value.trim());
		}
	};
	for (const key of ['clientSecret', 'token', 'password', 'apiKey', 'accessToken', 'refreshToken'])
		add(credentials[key]);
	const tokens = credentials.oauthTokenData;
	if (tokens && typeof tokens === 'object') {
		for (const key of ['access_token', 'refresh_token', 'id_token'])
			add((tokens as Record<string, unknown>)[key]);
	}
	if (
		typeof credentials.clientId === 'string' &&
		typeof credentials.clientSecret === 'string' &&
		credentials.clientSecret.length >= MIN_KNOWN_SECRET
	) {
		add(
			Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64'),
		);
	}
	return [...found];
}

/**
 * Known secrets of at least this many characters (counted in their normalised form, see
 * `normalise`) are also found split, escaped, encoded or case-folded. Shorter ones are matched
 * exactly only: a folded, hyphen- and space-blind match of "ount" would blank out "Account".
 */
export const MIN_FUZZY_SECRET = 8;

/** At most this many decoding rounds (`%252B` needs two; HTML over JSON over percent three): bounded, each round linear. */
const DECODE_ROUNDS = 5;

/**
 * A view of a text: `text[k]` stands for the original characters `start[k]` up to (not
 * including) `end[k]`.
 */
interface View {
	text: string[];
	start: number[];
	end: number[];
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00a0',
};

const JSON_ESCAPES: Readonly<Record<string, string>> = {
	'"': '"',
	'\\': '\\',
	'/': '/',
	"'": "'",
	n: '\n',
	r: '\r',
	t: '\t',
	b: '\b',
	f: '\f',
};

function hexValue(text: string[], from: number, count: number): number | undefined {
	let value = 0;
	for (let index = from; index < from + count; index++) {
		const digit = index < text.length ? parseInt(text[index], 16) : NaN;
		if (Number.isNaN(digit)) return undefined;
		value = value * 16 + digit;
	}
	return value;
}

/**
 * The escape starting at `text[at]`, decoded: an HTML entity (`&amp;`, `&#43;`, `&#x2B;`), a
 * JSON/JS escape (`\"`, `\u002b`, `\x2b`, `\n`) or a percent-encoded character (`%2B`, or the
 * 2 to 4 bytes of a UTF-8 character, `%C2%A0`). Looks at most 12 characters ahead.
 */
function decodeAt(text: string[], at: number): { value: string; length: number } | undefined {
	const first = text[at];
	if (first === '&') {
		let semicolon = -1;
		for (let index = at + 1; index < text.length && index <= at + 10; index++) {
			if (text[index] === ';') {
				semicolon = index;
				break;
			}
		}
		if (semicolon < 0) return undefined;
		const name = text.slice(at + 1, semicolon).join('');
		const length = semicolon - at + 1;
		if (/^#\d{1,7}$/.test(name) || /^#x[0-9a-f]{1,6}$/i.test(name)) {
			const code =
				name[1] === 'x' || name[1] === 'X'
					? parseInt(name.slice(2), 16)
					: parseInt(name.slice(1), 10);
			return code <= 0x10ffff ? { value: String.fromCodePoint(code), length } : undefined;
		}
		const named = NAMED_ENTITIES[name.toLowerCase()];
		return named === undefined ? undefined : { value: named, length };
	}
	if (first === '\\') {
		// Case-blind: an upper-cased echo has `\U002B`.
		const next = text[at + 1]?.toLowerCase();
		if (next === 'u') {
			const code = hexValue(text, at + 2, 4);
			return code === undefined ? undefined : { value: String.fromCharCode(code), length: 6 };
		}
		if (next === 'x') {
			const code = hexValue(text, at + 2, 2);
			return code === undefined ? undefined : { value: String.fromCharCode(code), length: 4 };
		}
		const escaped = next === undefined ? undefined : JSON_ESCAPES[next];
		return escaped === undefined ? undefined : { value: escaped, length: 2 };
	}
	if (first === '%') {
		const code = hexValue(text, at + 1, 2);
		if (code === undefined) return undefined;
		if (code < 0x80) return { value: String.fromCharCode(code), length: 3 };
		return decodePercentUtf8(text, at, code);
	}
	return undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A percent-encoded multi-byte UTF-8 character (`%E2%81%A0`, a word joiner; `%C2%A0`, a
 * non-breaking space) starting at `text[at]` with lead byte `lead`: decoded when the 2 to 4 bytes
 * form one valid character, so that an IGNORED character encoded this way cannot hide a secret.
 */
function decodePercentUtf8(
	text: string[],
	at: number,
	lead: number,
): { value: string; length: number } | undefined {
	const count = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
	if (count === 0) return undefined;
	const bytes = new Uint8Array(count);
	bytes[0] = lead;
	for (let index = 1; index < count; index++) {
		const from = at + 3 * index;
		const byte = text[from] === '%' ? hexValue(text, from + 1, 2) : undefined;
		if (byte === undefined) return undefined;
		bytes[index] = byte;
	}
	try {
		return { value: UTF8.decode(bytes), length: 3 * count };
	} catch {
		return undefined;
	}
}

/** One left-to-right decoding pass; `undefined` when nothing was decoded. */
function decodeOnce(view: View): View | undefined {
	const { text, start, end } = view;
	const decoded: View = { text: [], start: [], end: [] };
	let changed = false;
	for (let index = 0; index < text.length; ) {
		const escape = decodeAt(text, index);
		if (escape === undefined) {
			decoded.text.push(text[index]);
			decoded.start.push(start[index]);
			decoded.end.push(end[index]);
			index++;
			continue;
		}
		changed = true;
		for (let unit = 0; unit < escape.value.length; unit++) {
			decoded.text.push(escape.value[unit]);
			decoded.start.push(start[index]);
			decoded.end.push(end[index + escape.length - 1]);
		}
		index += escape.length;
	}
	return changed ? decoded : undefined;
}

/**
 * Characters a secret may be split or padded by without becoming another secret: white space,
 * control and format characters (zero-width space, soft hyphen, BOM, bidi marks), hyphens and
 * dashes (a GUID with or without them), `=` (base64 padding, the quoted-printable soft line
 * break `=\r\n`) and `+` (a space in a form-encoded echo).
 */
/* eslint-disable no-control-regex -- control characters are among what it ignores */
const IGNORED =
	/[\s\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2010-\u2015\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\-=+]/;
/* eslint-enable no-control-regex */

/** `view` without its IGNORED characters; with `fold`, letters lower-cased too. */
function dropIgnored(view: View, fold: boolean): View {
	const kept: View = { text: [], start: [], end: [] };
	for (let index = 0; index < view.text.length; index++) {
		const unit = view.text[index];
		if (IGNORED.test(unit)) continue;
		const lower = fold ? unit.toLowerCase() : unit;
		kept.text.push(lower.length === 1 ? lower : unit);
		kept.start.push(view.start[index]);
		kept.end.push(view.end[index]);
	}
	return kept;
}

/**
 * The normalised view of `value`: IGNORED characters dropped, then escapes decoded (HTML entities
 * and character references, JSON escapes, percent-encoding) and IGNORED characters dropped
 * again, repeatedly (at most DECODE_ROUNDS times), then letters lower-cased; each character
 * mapped back to the original characters it stands for. Dropping before decoding too makes a
 * split inside an escape (`%2\nB`, `&am\np;`) harmless.
 */
function normalise(value: string): View {
	let view: View = { text: [], start: [], end: [] };
	for (let index = 0; index < value.length; index++) {
		view.text.push(value[index]);
		view.start.push(index);
		view.end.push(index + 1);
	}
	view = dropIgnored(view, false);
	for (let round = 0; round < DECODE_ROUNDS; round++) {
		const decoded = decodeOnce(view);
		if (decoded === undefined) break;
		view = dropIgnored(decoded, false);
	}
	return dropIgnored(view, true);
}

/** `text` with every known secret (as is, URL-encoded, or in any form `normalise` reads) replaced by `[redacted]`. */
function redactKnown(text: string, knownSecrets: readonly string[]): string {
	const usable = knownSecrets.filter(
		(secret) => typeof secret === 'string' && secret.length >= MIN_KNOWN_SECRET,
	);
	if (usable.length === 0) return text;
	// 1. Any form: find the normalised secret in the normalised text, redact the original span.
	const needles = [...new Set(usable.map((secret) => normalise(secret).text.join('')))].filter(
		(needle) => needle.length >= MIN_FUZZY_SECRET,
	);
	let result = text;
	if (needles.length > 0) {
		const view = normalise(text);
		const haystack = view.text.join('');
		const spans: Array<[number, number]> = [];
		for (const needle of needles) {
			for (
				let found = haystack.indexOf(needle);
				found >= 0;
				found = haystack.indexOf(needle, found + needle.length)
			) {
				spans.push([view.start[found], view.end[found + needle.length - 1]]);
			}
		}
		if (spans.length > 0) {
			spans.sort((a, b) => a[0] - b[0]);
			const parts: string[] = [];
			let done = 0;
			for (const [from, to] of spans) {
				if (to <= done) continue;
				if (from >= done) parts.push(text.slice(done, from), REDACTED);
				done = to;
			}
			parts.push(text.slice(done));
			result = parts.join('');
		}
	}
	// 2. The exact forms, for any length from MIN_KNOWN_SECRET on. Longest first, so a secret that
	// contains another is removed whole.
	const forms = usable.flatMap(variants).sort((a, b) => b.length - a.length);
	for (const form of forms) {
		if (result.includes(form)) result = result.split(form).join(REDACTED);
	}
	return result;
}

/** `text` with everything token-shaped replaced by `[redacted]`. */
function redactPatterns(text: string): string {
	return text
		.replace(AUTH_SCHEME, `$1$2${REDACTED}`)
		.replace(SECRET_ELEMENT, `$1${REDACTED}`)
		.replace(SECRET_PAIR, (match: string, key: string, separator: string, value: string) =>
			value === REDACTED || value.startsWith(REDACTED) ? match : `${key}${separator}${REDACTED}`,
		)
		.replace(JWT, REDACTED)
		.replace(OPAQUE_RUN, (run) => (looksLikeToken(run) ? REDACTED : run));
}

/** `text` with every known secret and everything token-shaped replaced by `[redacted]`. */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
	return redactPatterns(redactKnown(text, knownSecrets));
}

/**
 * Text a server sent, fit for a message: redacted, one line, at most MAX_SERVER_TEXT characters
 * (cut with "…"); `undefined` when nothing is left.
 */
export function serverText(
	value: unknown,
	knownSecrets: readonly string[] = [],
): string | undefined {
	if (typeof value !== 'string') return undefined;
	const scanned = value.length > MAX_SCANNED ? value.slice(0, MAX_SCANNED) : value;
	// Known secrets first, on the text as sent: a secret holding a tab or a line break is still
	// recognised. Then one line, then the patterns.
	const text = redactPatterns(redactKnown(scanned, knownSecrets).replace(CONTROL, ' '))
		.replace(/ {2,}/g, ' ')
		.trim();
	if (text === '') return undefined;
	return text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT)}…` : text;
}
