/**
 * SOAP 1.1 envelopes for the Nmbrs SOAP API v3 (https://api.nmbrs.nl/soap/v3/<Service>.asmx).
 *
 * Names follow Nmbrs' WSDL: the body element is the operation (`Run_GetList`), its children the
 * parameters in WSDL order (`CompanyId`, `Year`), all in the service's namespace
 * (`https://api.nmbrs.nl/soap/v3/CompanyService`); the SOAPAction is `<namespace>/<operation>`.
 *
 * The envelope is built WITHOUT credentials: it carries an empty `<soap:Header/>` that the
 * credential's `authenticate` (credentials/NmbrsApi.credentials.ts) fills with the
 * `AuthHeaderWithDomain` from the decrypted credential. So a node never holds the API token.
 */

import { checkCustomBaseUrl } from '../transport/customUrl';

export const SOAP_ENVELOPE_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';
export const NMBRS_SOAP_BASE_NAMESPACE = 'https://api.nmbrs.nl/soap/v3';
export const NMBRS_PRODUCTION_URL = 'https://api.nmbrs.nl/soap/v3';

/** The prefix the envelope binds to the service namespace; the auth header uses it too. */
export const SERVICE_PREFIX = 'nmbrs';

/** Where the credential puts the auth header. */
export const AUTH_HEADER_PLACEHOLDER = '<soap:Header/>';

export type NmbrsService = 'CompanyService' | 'DebtorService' | 'EmployeeService';

/** One parameter of an operation: element name and value (numbers and text; booleans as xsd). */
export type SoapParameter = readonly [name: string, value: string | number | boolean];

export interface SoapCall {
	readonly service: NmbrsService;
	readonly operation: string;
	readonly parameters?: readonly SoapParameter[];
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;',
};

/**
 * Escapes text for XML content and attribute values. Characters XML 1.0 cannot carry at all
 * (control characters other than tab, newline and carriage return; lone surrogates) are dropped.
 */
export function escapeXml(value: string): string {
	return value
		.replace(/[&<>"']/g, (character) => XML_ESCAPES[character])
		.replace(
			// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids, which it removes
			/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
			'',
		);
}

export function serviceNamespace(service: NmbrsService): string {
	return `${NMBRS_SOAP_BASE_NAMESPACE}/${service}`;
}

export function soapAction(call: Pick<SoapCall, 'service' | 'operation'>): string {
	return `${serviceNamespace(call.service)}/${call.operation}`;
}

/** Path of the service below the API base: `/CompanyService.asmx`. */
export function servicePath(service: NmbrsService): string {
	return `/${service}.asmx`;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The request envelope; operation and parameter names are checked, values escaped. */
export function buildSoapEnvelope(call: SoapCall): string {
	for (const name of [call.operation, ...(call.parameters ?? []).map(([parameter]) => parameter)]) {
		// A name comes from our own code, never from input: a bad one is a bug.
		if (!NAME.test(name)) throw new Error(`Not an XML element name: ${JSON.stringify(name)}`);
	}
	const p = SERVICE_PREFIX;
	const parameters = (call.parameters ?? [])
		.map(([name, value]) => `<${p}:${name}>${escapeXml(String(value))}</${p}:${name}>`)
		.join('');
	return (
		'<?xml version="1.0" encoding="utf-8"?>' +
		`<soap:Envelope xmlns:soap="${SOAP_ENVELOPE_NAMESPACE}" xmlns:${p}="${serviceNamespace(call.service)}">` +
		AUTH_HEADER_PLACEHOLDER +
		`<soap:Body><${p}:${call.operation}>${parameters}</${p}:${call.operation}></soap:Body>` +
		'</soap:Envelope>'
	);
}

export interface NmbrsAuthValues {
	readonly username: string;
	readonly token: string;
	readonly domain?: string;
}

/** The SOAP header Nmbrs v3 reads: `AuthHeaderWithDomain { Username, Token, Domain }`. */
export function buildAuthHeader(auth: NmbrsAuthValues): string {
	const p = SERVICE_PREFIX;
	const domain = auth.domain?.trim() ?? '';
	return (
		`<soap:Header><${p}:AuthHeaderWithDomain>` +
		`<${p}:Username>${escapeXml(auth.username.trim())}</${p}:Username>` +
		`<${p}:Token>${escapeXml(auth.token.trim())}</${p}:Token>` +
		(domain ? `<${p}:Domain>${escapeXml(domain)}</${p}:Domain>` : '') +
		`</${p}:AuthHeaderWithDomain></soap:Header>`
	);
}

/** The envelope with the auth header in place of the placeholder (once; nothing else changes). */
export function insertAuthHeader(envelope: string, auth: NmbrsAuthValues): string {
	const at = envelope.indexOf(AUTH_HEADER_PLACEHOLDER);
	if (at < 0) return envelope;
	return (
		envelope.slice(0, at) +
		buildAuthHeader(auth) +
		envelope.slice(at + AUTH_HEADER_PLACEHOLDER.length)
	);
}

/**
 * The API base of a credential: production, or a custom URL (a local sandbox, a proxy). A custom
 * URL without a path gets `/soap/v3`. The rule for custom URLs is the package's one rule
 * (transport/customUrl.ts): https except on this machine, no query, fragment or user:password.
 * Returns a message instead of throwing, so the caller decides the error type.
 */
export function nmbrsBaseUrl(
	environment: unknown,
	customUrl: unknown,
): { url: string } | { problem: string } {
	if (environment !== 'custom') return { url: NMBRS_PRODUCTION_URL };
	const checked = checkCustomBaseUrl(customUrl);
	if ('problem' in checked) {
		const example =
			checked.problem === 'is not a valid URL'
				? ' Enter e.g. http://127.0.0.1:4020 for the local Nmbrs sandbox (npm run sandbox:nmbrs).'
				: ` ${checked.detail}`;
		return { problem: `The custom URL in the Nmbrs credential ${checked.problem}.${example}` };
	}
	const path = checked.parsed.pathname;
	return { url: path === '/' || path === '' ? `${checked.url}/soap/v3` : checked.url };
}
