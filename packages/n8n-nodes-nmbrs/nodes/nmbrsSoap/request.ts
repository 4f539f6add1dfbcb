/**
 * The one way to Nmbrs: every SOAP call goes through `nmbrsSoapRequest`, on n8n's
 * `httpRequestWithAuthentication` with the `nmbrsApi` credential, whose `authenticate` adds the
 * SOAP auth header and the base URL. All calls here only read, so 429 and 5xx answers without a
 * SOAP fault, timeouts and dropped connections are tried again, by the package's one retry policy
 * (transport/retry.ts, shared with the Visma.net transport): after the answer's Retry-After when it
 * gives one (a wait beyond the policy's cap is not waited for: the call fails at once, saying how
 * long Nmbrs asked), else with backoff. A SOAP fault is Nmbrs' answer and is not tried again.
 */
import {
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import { decodeXmlBytes } from '../core/xmlScanner';
import { knownSecretsOf, serverText } from '../core/redact';
import {
	headerValue,
	isRedirectStatus,
	NO_REDIRECTS,
	redirectTargetHost,
} from '../transport/redirect';
import {
	DEFAULT_RETRY_POLICY,
	networkCodeOf,
	networkFailureKind,
	retryAfterOf,
	statusFailureKind,
	withRetryPolicy,
	type FailureKind,
	type RetryPolicy,
} from '../transport/retry';
import {
	faultToNodeApiError,
	unexpectedAnswerToNodeApiError,
	unreachableToNodeApiError,
	type NmbrsCallContext,
} from './errors';
import {
	buildSoapEnvelope,
	NMBRS_PRODUCTION_URL,
	nmbrsBaseUrl,
	servicePath,
	soapAction,
	type SoapCall,
} from './soapEnvelope';
import {
	readSoapFault,
	readSoapXml,
	soapBodyContent,
	type SoapElement,
	type SoapReadResult,
} from './soapReader';

export const NMBRS_CREDENTIAL_TYPE = 'nmbrsApi';

export type NmbrsContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export const NMBRS_RETRY_POLICY: RetryPolicy = {
	...DEFAULT_RETRY_POLICY,
	maxAttempts: 4,
	timeoutMs: 120_000,
};

export interface NmbrsRequest extends SoapCall {
	/** What the call does, for messages: "list the payroll runs of company 1234 in 2026". */
	readonly what: string;
	readonly itemIndex?: number;
}

/** A try that failed without an answer from Nmbrs' SOAP service (no SOAP fault). */
interface NmbrsFailure {
	readonly kind: FailureKind;
	readonly statusCode?: number;
	readonly networkCode?: string;
	readonly retryAfterMs?: number;
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
				secrets = knownSecretsOf(
					(await this.getCredentials(NMBRS_CREDENTIAL_TYPE)) as Record<string, unknown>,
				);
			} catch {
				secrets = [];
			}
		}
		return secrets;
	};
	const callContext = (attempts: number): NmbrsCallContext => ({
		what: request.what,
		operation: request.operation,
		itemIndex: request.itemIndex,
		attempts,
	});
	return await withRetryPolicy<SoapElement | undefined, NmbrsFailure>({
		policy,
		// Every call here only reads.
		idempotent: true,
		attempt: async (attempt) => {
			let response: { body: unknown; statusCode: number; headers?: Record<string, unknown> };
			try {
				response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					NMBRS_CREDENTIAL_TYPE,
					{ ...options },
				)) as {
					body: unknown;
					statusCode: number;
					headers?: Record<string, unknown>;
				};
			} catch (error) {
				const networkCode = networkCodeOf(error);
				if (networkCode === undefined) {
					// Not a network failure (e.g. the credential's custom URL is refused): n8n's message
					// only, never the error object, which holds the request and so the SOAP header.
					const message =
						serverText(error instanceof Error ? error.message : String(error), await secretsOf()) ??
						'no details';
					throw new NodeOperationError(
						node,
						`Could not call Nmbrs to ${request.what}: ${message}`,
						{
							description:
								'Check the Nmbrs credential: environment, custom URL, username and API token.',
							...(request.itemIndex === undefined ? {} : { itemIndex: request.itemIndex }),
						},
					);
				}
				return { ok: false, failure: { kind: networkFailureKind(networkCode), networkCode } };
			}
			if (isRedirectStatus(response.statusCode)) {
				// A relative Location points at the credential's own host.
				let base = NMBRS_PRODUCTION_URL;
				try {
					const credentials = (await this.getCredentials(NMBRS_CREDENTIAL_TYPE)) as Record<
						string,
						unknown
					>;
					const resolved = nmbrsBaseUrl(credentials.environment, credentials.customUrl);
					if ('url' in resolved) base = resolved.url;
				} catch {
					// The production base then.
				}
				const host = redirectTargetHost(headerValue(response.headers, 'location'), base);
				throw unreachableToNodeApiError(node, callContext(attempt), {
					statusCode: response.statusCode,
					redirectHost: host,
				});
			}
			const read = readBody(response.body);
			const fault = 'root' in read ? readSoapFault(read.root) : undefined;
			if (fault)
				throw faultToNodeApiError(
					node,
					fault,
					{ ...callContext(attempt), secrets: await secretsOf() },
					response.statusCode,
				);
			if (response.statusCode >= 200 && response.statusCode < 300) {
				const result = resultOf(read, request);
				if ('problem' in result)
					throw unexpectedAnswerToNodeApiError(
						node,
						{ ...callContext(attempt), secrets: await secretsOf() },
						result.problem,
					);
				return { ok: true, value: result.element };
			}
			const retryAfterMs = retryAfterOf(response.headers);
			return {
				ok: false,
				failure: {
					kind: statusFailureKind(response.statusCode),
					statusCode: response.statusCode,
					...(retryAfterMs === undefined ? {} : { retryAfterMs }),
				},
			};
		},
		giveUp: (failure, attempts) => unreachableToNodeApiError(node, callContext(attempts), failure),
		wait: sleep,
	});
}

/** The answer as text: bytes decoded as its XML declaration says, strictly (never a silent U+FFFD). */
function readBody(body: unknown): SoapReadResult {
	if (typeof body === 'string') return readSoapXml(body);
	if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
		const decoded = decodeXmlBytes(
			body instanceof ArrayBuffer ? new Uint8Array(body) : body,
			'answer',
		);
		return 'issue' in decoded
			? { problem: decoded.issue.message.replace(/^Journal: /, '') }
			: readSoapXml(decoded.text);
	}
	return { problem: 'the answer is empty' };
}

function resultOf(
	read: SoapReadResult,
	request: NmbrsRequest,
): { element: SoapElement | undefined } | { problem: string } {
	if (!('root' in read)) return { problem: read.problem };
	const content = soapBodyContent(read.root);
	if (!content || content.name !== `${request.operation}Response`) {
		return { problem: `expected <${request.operation}Response> in the SOAP body` };
	}
	return { element: content.children.find((child) => child.name === `${request.operation}Result`) };
}
