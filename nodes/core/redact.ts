/**
 * The one redaction of this package: every message, description and log line built from text a
 * server sent (Visma.net error bodies, Visma Connect answers, Nmbrs SOAP faults) or from an error
 * of n8n's client passes through here before a user or an operator can read it.
 *
 * Two layers: the KNOWN secrets of the credential in use (client secret, tokens, Nmbrs token,
 * passwords; also URL-encoded, and client id:secret as a Basic pair), and anything TOKEN-SHAPED
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
const SECRET_ELEMENT = /(<(?:[A-Za-z_][\w.-]{0,30}:)?(?:Token|Password|ClientSecret|AccessToken|RefreshToken|ApiKey)[ \t]*>)[^<]*/gi;

/** A JWT: three base64url parts, the first starting with `eyJ` (`{"`). */
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g;

/** A run of 32+ letters, digits, `_ - + =`: judged by `looksLikeToken`. */
const OPAQUE_RUN = /(?<![A-Za-z0-9_+=-])[A-Za-z0-9_+-]{32,}={0,2}/g;

/** Control characters (line breaks included): a message is one line. */
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
export function knownSecretsOf(credentials: Readonly<Record<string, unknown>> | undefined): string[] {
	if (!credentials) return [];
	const found = new Set<string>();
	const add = (value: unknown) => {
		if (typeof value === 'string' && value.trim().length >= MIN_KNOWN_SECRET) {
			found.add(value);
			found.add(value.trim());
		}
	};
	for (const key of ['clientSecret', 'token', 'password', 'apiKey', 'accessToken', 'refreshToken']) add(credentials[key]);
	const tokens = credentials.oauthTokenData;
	if (tokens && typeof tokens === 'object') {
		for (const key of ['access_token', 'refresh_token', 'id_token']) add((tokens as Record<string, unknown>)[key]);
	}
	if (typeof credentials.clientId === 'string' && typeof credentials.clientSecret === 'string' && credentials.clientSecret.length >= MIN_KNOWN_SECRET) {
		add(Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64'));
	}
	return [...found];
}

/** `text` with every known secret (in each of its forms) replaced by `[redacted]`. */
function redactKnown(text: string, knownSecrets: readonly string[]): string {
	let result = text;
	const forms = knownSecrets
		.filter((secret) => typeof secret === 'string' && secret.length >= MIN_KNOWN_SECRET)
		.flatMap(variants)
		// Longest first, so a secret that contains another is removed whole.
		.sort((a, b) => b.length - a.length);
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
export function serverText(value: unknown, knownSecrets: readonly string[] = []): string | undefined {
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
