/**
 * The one rule for a custom URL in a credential (Visma.net API and Connect URLs, the Nmbrs SOAP
 * URL): https, except on this machine (a local sandbox); no user name or password in it; no
 * query and no fragment, because the package appends paths (`/v2/journaltransaction`,
 * `/connect/token`, `/CompanyService.asmx`) and text after `?` or `#` would swallow them, sending
 * the call (and the token) to another address than the one shown. Pure: no n8n imports.
 */

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export const CUSTOM_URL_EXAMPLE = 'https://api.example.com/path, or for the local sandbox http://127.0.0.1:4010';

/**
 * The URL as a base to append paths to (origin and path, no trailing slash), or what is wrong
 * with it in a bookkeeper's words. The message never repeats a password the URL held.
 */
export function checkCustomBaseUrl(raw: unknown): { url: string; parsed: URL } | { problem: string; detail: string } {
	const text = typeof raw === 'string' ? raw.trim() : '';
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return { problem: 'is not a valid URL', detail: `Enter a URL such as ${CUSTOM_URL_EXAMPLE}.` };
	}
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname))) {
		return {
			problem: 'must use https',
			detail: `http:// is only allowed for this machine (localhost, 127.0.0.1, [::1]), such as the local sandbox. Got ${url.protocol}//${url.host}.`,
		};
	}
	if (url.username !== '' || url.password !== '') {
		return {
			problem: 'must not hold a user name or password (user:password@)',
			detail: `Enter only the address, e.g. ${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}; the credential's own fields hold the secrets.`,
		};
	}
	// `search`/`hash` are '' for both "no ?" and a bare "?", so the text itself is checked too.
	if (url.search !== '' || text.includes('?')) {
		return { problem: 'must not have a query (?...)', detail: 'The path of each call is added after the URL; a query would swallow it. Remove everything from the ? on.' };
	}
	if (url.hash !== '' || text.includes('#')) {
		return { problem: 'must not have a fragment (#...)', detail: 'The path of each call is added after the URL; a fragment would swallow it. Remove everything from the # on.' };
	}
	return { url: `${url.origin}${url.pathname}`.replace(/(?<!\/)\/+$/, ''), parsed: url };
}
