/**
 * The one rule for a custom URL in a credential (Visma.net API and Connect URLs, the Nmbrs SOAP
 * URL): https, except on this machine (a local sandbox); no user name or password in it; no
 * query and no fragment, because the package appends paths (`/v2/journaltransaction`,
 * `/connect/token`, `/CompanyService.asmx`) and text after `?` or `#` would swallow them, sending
 * the call (and the token) to another address than the one shown. Pure: no n8n imports.
 */

/** A decimal IPv4 octet, 0-255, no leading zero (`010` would be read as octal by some). */
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

/** This machine: the only hosts plain http may go to. */
export const LOOPBACK_HOST = `(?:localhost|127(?:\\.${OCTET}){3}|\\[::1\\])`;

/**
 * Any other host, https only: a dotted IPv4 address or a DNS name whose last label is no number
 * (not all digits, not `0x…`: a URL parser reads `1.2.3.999` and `a.0x` as IPv4 and refuses them).
 */
const OTHER_HOST = `(?:${OCTET}(?:\\.${OCTET}){3}|(?:[a-z0-9-]+\\.)*(?!0x[0-9a-f]*\\.?(?:[:/]|$))[0-9]*[a-z-][a-z0-9-]*\\.?)`;

/** 1-65535, no leading zero. */
const PORT = '(?::(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d\\d|6[0-4]\\d{3}|[1-5]\\d{4}|[1-9]\\d{0,3}))?';

/** A path of URL characters: no space, backslash, `?` or `#`. */
const PATH = "(?:/[a-z0-9._~!$&'()*+,;=:@%/-]*)?";

/**
 * THE rule, as one regular expression over the trimmed text, so that the credentials' n8n
 * expressions (which cannot import code) test the very same thing as checkCustomBaseUrl:
 * `https://<host>` or `http://<this machine>`, an optional port, an optional path, and nothing
 * else: no `user:password@` (no `@` before the path), no query, no fragment, no backslash or blank;
 * at most 2,048 characters. Linear: the labels of a host name are separated by a dot each.
 */
export const CUSTOM_URL_RULE = new RegExp(
	`^(?=[\\s\\S]{1,2048}$)(?:https://(?:${LOOPBACK_HOST}|${OTHER_HOST})|http://${LOOPBACK_HOST})${PORT}${PATH}$`,
	'i',
);

/** Trailing slashes of a base URL (the paths appended start with one); linear (`(?<!\/)`). */
export const TRAILING_SLASHES = /(?<!\/)\/+$/;

/** Where a credential expression sends a refused custom URL: `.invalid` never resolves (RFC 6761). */
export const REFUSED_URL_HOST = 'custom-url-refused.invalid';

/**
 * The body of an n8n expression (without `={{ }}`) giving `<base URL of valueExpression><path>`
 * when the value passes CUSTOM_URL_RULE, and otherwise an https address on REFUSED_URL_HOST
 * whose path says what is wrong. `valueExpression` is an expression such as
 * `$self["customConnectUrl"]`; `field` names the field in the refused address.
 */
export function customUrlExpression(valueExpression: string, path: string, field: string): string {
	const refused = `https://${REFUSED_URL_HOST}/${field}-must-be-https-or-http-on-this-machine-without-user-password-query-or-fragment${path}`;
	const rule = String(CUSTOM_URL_RULE);
	if (rule.includes('}}') || rule.includes('"'))
		throw new Error('CUSTOM_URL_RULE cannot stand in an n8n expression');
	return `((url) => ${rule}.test(url) ? url.replace(${String(TRAILING_SLASHES)}, "") + ${JSON.stringify(path)} : ${JSON.stringify(refused)})(typeof ${valueExpression} === "string" ? ${valueExpression}.trim() : "")`;
}

export const CUSTOM_URL_EXAMPLE =
	'https://api.example.com/path, or for the local sandbox http://127.0.0.1:4010';

/**
 * The URL as a base to append paths to (origin and path, no trailing slash), or what is wrong
 * with it in a bookkeeper's words. Accepted exactly when CUSTOM_URL_RULE holds (and the URL can
 * be parsed); the other tests below only pick the words. The message never repeats a password
 * the URL held.
 */
export function checkCustomBaseUrl(
	raw: unknown,
): { url: string; parsed: URL } | { problem: string; detail: string } {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { problem: 'is not a valid URL', detail: `Enter a URL such as ${CUSTOM_URL_EXAMPLE}.` };
	}
	if (CUSTOM_URL_RULE.test(text))
		return { url: `${url.origin}${url.pathname}`.replace(TRAILING_SLASHES, ''), parsed: url };
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return { problem: 'must use https', detail: `Got ${url.protocol}//${url.host}.` };
	}
	if (url.username !== '' || url.password !== '') {
		return {
			problem: 'must not hold a user name or password (user:password@)',
			detail: `Enter only the address, e.g. ${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}; the credential's own fields hold the secrets.`,
		};
	}
	if (url.protocol === 'http:' && !new RegExp(`^${LOOPBACK_HOST}$`, 'i').test(url.hostname)) {
		return {
			problem: 'must use https',
			detail: `http:// is only allowed for this machine (localhost, 127.0.0.1, [::1]), such as the local sandbox. Got ${url.protocol}//${url.host}.`,
		};
	}
	// `search`/`hash` are '' for both "no ?" and a bare "?", so the text itself is checked too.
	if (url.search !== '' || text.includes('?')) {
		return {
			problem: 'must not have a query (?...)',
			detail:
				'The path of each call is added after the URL; a query would swallow it. Remove everything from the ? on.',
		};
	}
	if (url.hash !== '' || text.includes('#')) {
		return {
			problem: 'must not have a fragment (#...)',
			detail:
				'The path of each call is added after the URL; a fragment would swallow it. Remove everything from the # on.',
		};
	}
	return {
		problem: 'is not a plain base URL',
		detail: `Use a host name of letters, digits, dots and hyphens (or an IPv4 address), a port from 1 to 65535 and a path without blanks or backslashes, at most 2,048 characters; e.g. ${CUSTOM_URL_EXAMPLE}.`,
	};
}
