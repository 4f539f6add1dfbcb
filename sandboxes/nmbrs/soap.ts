/**
 * SOAP 1.1 on the sandbox side: reads a request envelope (its AuthHeaderWithDomain and the
 * operation element with its parameters) and writes answers and faults the way an ASMX service
 * does. Written from the WSDL, independently of the nodes' envelope code.
 */

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const COMPANY_SERVICE_NS = 'https://api.nmbrs.nl/soap/v3/CompanyService';

export interface ParsedRequest {
	auth?: { username: string; token: string; domain: string };
	operation: string;
	namespace: string;
	parameters: Record<string, string>;
}

export function escapeText(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function unescapeText(value: string): string {
	return value
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
		.replace(/&#x([0-9a-f]+);/gi, (_, code: string) =>
			String.fromCodePoint(Number.parseInt(code, 16)),
		)
		.replace(/&amp;/g, '&');
}

function namespaces(xml: string): Map<string, string> {
	const map = new Map<string, string>();
	for (const match of xml.matchAll(/xmlns(?::([\w.-]+))?\s*=\s*"([^"]*)"/g))
		map.set(match[1] ?? '', match[2]);
	return map;
}

function childText(xml: string, name: string): string | undefined {
	const match = new RegExp(
		`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>`,
	).exec(xml);
	return match ? unescapeText(match[1]) : undefined;
}

/** Reads a SOAP 1.1 request, or says what is wrong with it. */
export function parseSoapRequest(xml: string): ParsedRequest | { problem: string } {
	const ns = namespaces(xml);
	const envelope = /<([\w.-]+):Envelope\b/.exec(xml);
	if (!envelope || ns.get(envelope[1]) !== SOAP_NS)
		return { problem: 'The request is not a SOAP 1.1 envelope.' };
	const soap = envelope[1];
	const header = new RegExp(`<${soap}:Header>([\\s\\S]*?)</${soap}:Header>`).exec(xml)?.[1] ?? '';
	const authXml =
		/<(?:[\w.-]+:)?AuthHeaderWithDomain\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?AuthHeaderWithDomain>/.exec(
			header,
		)?.[1];
	const body = new RegExp(`<${soap}:Body>\\s*([\\s\\S]*?)\\s*</${soap}:Body>`).exec(xml)?.[1];
	if (body === undefined) return { problem: 'The SOAP envelope has no Body.' };
	const operationMatch = /^<(?:([\w.-]+):)?([\w]+)((?:\s[^>]*)?)(\/?)>/.exec(body);
	if (!operationMatch) return { problem: 'The SOAP Body holds no operation element.' };
	const [, prefix, operation, attributes, selfClosing] = operationMatch;
	const namespace = prefix
		? (ns.get(prefix) ?? '')
		: (/xmlns="([^"]*)"/.exec(attributes)?.[1] ?? ns.get('') ?? '');
	const inner = selfClosing
		? ''
		: (new RegExp(
				`^<(?:[\\w.-]+:)?${operation}[^>]*>([\\s\\S]*)</(?:[\\w.-]+:)?${operation}>$`,
			).exec(body)?.[1] ?? '');
	const parameters: Record<string, string> = {};
	for (const match of inner.matchAll(
		/<(?:[\w.-]+:)?(\w+)(?:\s[^>]*)?>([\s\S]*?)<\/(?:[\w.-]+:)?\1>/g,
	))
		parameters[match[1]] = unescapeText(match[2]).trim();
	return {
		...(authXml === undefined
			? {}
			: {
					auth: {
						username: childText(authXml, 'Username') ?? '',
						token: childText(authXml, 'Token') ?? '',
						domain: childText(authXml, 'Domain') ?? '',
					},
				}),
		operation,
		namespace,
		parameters,
	};
}

export function soapResponse(
	operation: string,
	resultXml: string | undefined,
	namespace = COMPANY_SERVICE_NS,
): string {
	return (
		'<?xml version="1.0" encoding="utf-8"?>' +
		`<soap:Envelope xmlns:soap="${SOAP_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
		`<soap:Body><${operation}Response xmlns="${namespace}">` +
		(resultXml === undefined ? '' : `<${operation}Result>${resultXml}</${operation}Result>`) +
		`</${operation}Response></soap:Body></soap:Envelope>`
	);
}

export function soapFault(code: 'soap:Client' | 'soap:Server', message: string): string {
	return (
		'<?xml version="1.0" encoding="utf-8"?>' +
		`<soap:Envelope xmlns:soap="${SOAP_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
		`<soap:Body><soap:Fault><faultcode>${code}</faultcode><faultstring>${escapeText(message)}</faultstring><detail /></soap:Fault></soap:Body></soap:Envelope>`
	);
}

/** An element per field, in the order given (the WSDL's sequence). */
export function elements(
	fields: readonly (readonly [string, string | number | boolean | undefined])[],
): string {
	return fields
		.map(([name, value]) =>
			value === undefined ? '' : `<${name}>${escapeText(String(value))}</${name}>`,
		)
		.join('');
}
