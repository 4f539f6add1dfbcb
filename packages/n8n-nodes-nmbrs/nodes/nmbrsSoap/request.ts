/**
 * The one way to Nmbrs: every SOAP call goes through `nmbrsSoapRequest`, on n8n's
 * `httpRequestWithAuthentication` with the `nmbrsApi` credential, whose `authenticate` adds the
 * SOAP auth header and the base URL. All calls here only read, so 5xx answers without a SOAP
 * fault, timeouts and dropped connections are tried again with backoff; a SOAP fault is Nmbrs'
 * answer and is not.
 */
import {
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import { decodeXmlBytes } from '../core/nmbrsXml';
import { knownSecretsOf, serverText } from '../core/redact';
import { headerValue, isRedirectStatus, NO_REDIRECTS, redirectTargetHost } from '../transport/redirect';
import { DEFAULT_RETRY_POLICY, retryDelayMs, shouldRetry, type FailureKind, type RetryPolicy } from '../transport/retry';
import { faultToNodeApiError, unexpectedAnswerToNodeApiError, unreachableToNodeApiError, type NmbrsCallContext } from './errors';
import { buildSoapEnvelope, NMBRS_PRODUCTION_URL, nmbrsBaseUrl, servicePath, soapAction, type SoapCall } from './soapEnvelope';
import { readSoapFault, readSoapXml, soapBodyContent, type SoapElement, type SoapReadResult } from './soapReader';

export const NMBRS_CREDENTIAL_TYPE = 'nmbrsApi';

export type NmbrsContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export const NMBRS_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 4, timeoutMs: 120_000 };

export interface NmbrsRequest extends SoapCall {
	/** What the call does, for messages: "list the payroll runs of company 1234 in 2026". */
	readonly what: string;
	readonly itemIndex?: number;
}

const NETWORK_CODE = /^E[A-Z_]{1,30}$/;

function networkCodeOf(error: unknown): string | undefined {
	for (const candidate of [error, (error as { cause?: unknown } | undefined)?.cause]) {
		if (candidate && typeof candidate === 'object') {
			const code = (candidate as { code?: unknown }).code;
			if (typeof code === 'string' && NETWORK_CODE.test(code)) return code;
		}
	}
	return undefined;
}

/**
 * Sends one SOAP call and returns the operation's `...Result` element (undefined when Nmbrs
 * left it out, which the WSDL allows: minOccurs 0).
 */
export async function nmbrsSoapRequest(
	this: NmbrsContext,
	request: NmbrsRequest,
	policy: RetryPolicy = NMBRS_RETRY_POLICY,
): Promise<SoapElement | undefined> {
	const node = this.getNode();
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: servicePath(request.service),
		headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${soapAction(request)}"` },
		body: buildSoapEnvelope(request),
		json: false,
		// Bytes, so that the answer is decoded as it declares, strictly (see readBody).
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: policy.timeoutMs,
		// A 3xx is an answer, never followed: the SOAP envelope carries the API token.
		...NO_REDIRECTS,
	};
	// Read only when an error is built: the API token must not come back in its text.
	let secrets: string[] | undefined;
	const secretsOf = async (): Promise<string[]> => {
		if (secrets === undefined) {
			try {
				secrets = knownSecretsOf((await this.getCredentials(NMBRS_CREDENTIAL_TYPE)) as Record<string, unknown>);
			} catch {
				secrets = [];
			}
		}
		return secrets;
	};
	for (let attempt = 1; ; attempt++) {
		const context: NmbrsCallContext = { what: request.what, operation: request.operation, itemIndex: request.itemIndex, attempts: attempt };
		let response: { body: unknown; statusCode: number; headers?: Record<string, unknown> } | undefined;
		let networkCode: string | undefined;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, NMBRS_CREDENTIAL_TYPE, { ...options })) as {
				body: unknown;
				statusCode: number;
				headers?: Record<string, unknown>;
			};
		} catch (error) {
			networkCode = networkCodeOf(error);
			if (networkCode === undefined) {
				// Not a network failure (e.g. the credential's custom URL is refused): n8n's message
				// only, never the error object, which holds the request and so the SOAP header.
				const message = serverText(error instanceof Error ? error.message : String(error), await secretsOf()) ?? 'no details';
				throw new NodeOperationError(node, `Could not call Nmbrs to ${request.what}: ${message}`, {
					description: 'Check the Nmbrs credential: environment, custom URL, username and API token.',
					...(request.itemIndex === undefined ? {} : { itemIndex: request.itemIndex }),
				});
			}
		}
		let kind: FailureKind = 'outcomeUnknown';
		if (response !== undefined && isRedirectStatus(response.statusCode)) {
			// A relative Location points at the credential's own host.
			let base = NMBRS_PRODUCTION_URL;
			try {
				const credentials = (await this.getCredentials(NMBRS_CREDENTIAL_TYPE)) as Record<string, unknown>;
				const resolved = nmbrsBaseUrl(credentials.environment, credentials.customUrl);
				if ('url' in resolved) base = resolved.url;
			} catch {
				// The production base then.
			}
			const host = redirectTargetHost(headerValue(response.headers, 'location'), base);
			throw unreachableToNodeApiError(node, context, { statusCode: response.statusCode, redirectHost: host });
		}
		if (response !== undefined) {
			const read = readBody(response.body);
			const fault = 'root' in read ? readSoapFault(read.root) : undefined;
			if (fault) throw faultToNodeApiError(node, fault, { ...context, secrets: await secretsOf() }, response.statusCode);
			if (response.statusCode >= 200 && response.statusCode < 300) {
				const result = resultOf(read, request);
				if ('problem' in result) throw unexpectedAnswerToNodeApiError(node, { ...context, secrets: await secretsOf() }, result.problem);
				return result.element;
			}
			if (response.statusCode < 500 && response.statusCode !== 429) kind = 'final';
		}
		const detail = response === undefined ? { networkCode } : { statusCode: response.statusCode };
		if (!shouldRetry(kind, attempt, policy, true)) throw unreachableToNodeApiError(node, context, detail);
		const delay = retryDelayMs(kind, attempt, policy);
		if (delay === null) throw unreachableToNodeApiError(node, context, detail);
		if (delay > 0) await sleep(delay);
	}
}

/** The answer as text: bytes decoded as its XML declaration says, strictly (never a silent U+FFFD). */
function readBody(body: unknown): SoapReadResult {
	if (typeof body === 'string') return readSoapXml(body);
	if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
		const decoded = decodeXmlBytes(body instanceof ArrayBuffer ? new Uint8Array(body) : body, 'answer');
		return 'issue' in decoded ? { problem: decoded.issue.message.replace(/^Journal: /, '') } : readSoapXml(decoded.text);
	}
	return { problem: 'the answer is empty' };
}

function resultOf(read: SoapReadResult, request: NmbrsRequest): { element: SoapElement | undefined } | { problem: string } {
	if (!('root' in read)) return { problem: read.problem };
	const content = soapBodyContent(read.root);
	if (!content || content.name !== `${request.operation}Response`) {
		return { problem: `expected <${request.operation}Response> in the SOAP body` };
	}
	return { element: content.children.find((child) => child.name === `${request.operation}Result`) };
}
