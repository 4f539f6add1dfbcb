/**
 * Redirects, for every request this package sends (Visma.net API, Nmbrs SOAP): never followed.
 * n8n's client follows 3xx by default and, unless told otherwise, sends the Authorization header
 * to the new origin; a 307/308 re-sends the body too (the journal, or the SOAP envelope with the
 * Nmbrs API token). So each request asks n8n not to follow (`disableFollowRedirect`, honoured by
 * n8n-core 2.40's request helper as axios `maxRedirects: 0`) and, should that ever be ignored, not
 * to carry credentials across origins. The 3xx comes back as an answer and becomes an error that
 * names the status and the host it pointed to. Pure: no n8n imports.
 */

/** Added to every request of this package. */
export const NO_REDIRECTS = {
	disableFollowRedirect: true,
	sendCredentialsOnCrossOriginRedirect: false,
} as const;

export function isRedirectStatus(status: number): boolean {
	return status >= 300 && status < 400;
}

/** The first value of a header, looked up case-insensitively. */
export function headerValue(
	headers: Readonly<Record<string, unknown>> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const first = Array.isArray(value) ? value[0] : value;
		return typeof first === 'string' ? first : undefined;
	}
	return undefined;
}

/**
 * Where a redirect pointed, for a message: the host only (never the path or query, which may
 * carry a token), resolved against the request URL, at most 100 characters.
 */
export function redirectTargetHost(location: string | undefined, requestUrl: string): string {
	if (location === undefined || location.trim() === '') return 'no Location given';
	try {
		const host = new URL(location.trim().slice(0, 2048), requestUrl).host;
		return host ? host.slice(0, 100) : 'an address without a host';
	} catch {
		return 'an address that cannot be read';
	}
}
