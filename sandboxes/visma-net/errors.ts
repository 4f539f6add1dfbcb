/**
 * Visma.net's error envelopes (docs/visma-net-api.md §6.1). The wording of each message is ours:
 * Visma does not publish its texts, so they imitate the known examples (see README).
 */
import { randomUUID } from 'node:crypto';
import { HttpError, json, type SandboxResponse } from './http';

/** What the failed operation was doing: the first sentence after the VismaId. */
export type Operation = 'create' | 'update' | 'read' | 'release' | 'query';

const OPERATION_TEXT: Record<Operation, string> = {
	create: 'Error creating document.',
	update: 'Error updating document.',
	read: 'Error reading document.',
	release: 'Error releasing document.',
	query: 'Error reading data.',
};

/** `{"message":"VismaId: <uuid>. Error creating document. Error: <detail>"}` */
export function vismaMessage(
	status: number,
	operation: Operation,
	detail: string,
): SandboxResponse {
	return json(status, {
		message: `VismaId: ${randomUUID()}. ${OPERATION_TEXT[operation]} Error: ${detail}`,
	});
}

export function validationError(operation: Operation, detail: string): HttpError {
	return new HttpError(vismaMessage(400, operation, detail));
}

export function notFound(operation: Operation, detail: string): HttpError {
	return new HttpError(vismaMessage(404, operation, detail));
}

/** The IPP exception envelope used for authorisation and tenant problems and for server faults. */
export function ippException(
	status: number,
	message: string,
	faultCode: string,
	details = '',
): SandboxResponse {
	return json(status, {
		ExceptionType: 'IPPException',
		ExceptionMessage: message,
		ExceptionFaultCode: faultCode,
		ExceptionMessageID: `${faultCode}_${randomUUID()}`,
		ExceptionDetails: details,
	});
}

/** Azure API Management's own bodies (the gateway in front of Visma.net): 429 and gateway errors. */
export function gatewayError(
	status: number,
	message: string,
	headers: Record<string, string> = {},
): SandboxResponse {
	return json(status, { statusCode: status, message }, headers);
}

export function tooManyRequests(
	retryAfterSeconds: number,
	headers: Record<string, string> = {},
): SandboxResponse {
	return gatewayError(429, `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`, {
		...headers,
		'Retry-After': String(retryAfterSeconds),
	});
}

export function serverFault(status: number): SandboxResponse {
	if (status === 500) return ippException(500, 'An error has occurred.', '10000');
	if (status === 502) return gatewayError(502, 'Bad Gateway');
	if (status === 503) return gatewayError(503, 'Service Unavailable');
	if (status === 504) return gatewayError(504, 'Gateway Timeout');
	return gatewayError(status, 'Injected fault');
}
