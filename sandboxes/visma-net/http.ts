/**
 * The HTTP plumbing every module shares: a handler returns a `SandboxResponse` value (never writes
 * to the socket itself), so the server can add headers, log, delay or drop it in one place.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SandboxResponse {
	status: number;
	headers?: Record<string, string>;
	/** A JSON value, or a string sent as is with `contentType`. Absent: empty body. */
	body?: unknown;
	contentType?: string;
}

/** Thrown by handlers to answer with an error response; anything else thrown becomes a 500. */
export class HttpError extends Error {
	constructor(readonly response: SandboxResponse) {
		super(`HTTP ${response.status}`);
	}
}

export function json(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): SandboxResponse {
	return { status, body, headers };
}

export function empty(status: number, headers: Record<string, string> = {}): SandboxResponse {
	return { status, headers };
}

export function html(status: number, page: string): SandboxResponse {
	return { status, body: page, contentType: 'text/html; charset=utf-8' };
}

export function redirect(location: string): SandboxResponse {
	return { status: 302, headers: { Location: location } };
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				reject(
					new HttpError(json(413, { message: `Request body larger than ${maxBytes} bytes.` })),
				);
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

export function parseForm(body: string): Record<string, string> {
	const form: Record<string, string> = {};
	for (const [key, value] of new URLSearchParams(body)) form[key] = value;
	return form;
}

export function writeResponse(res: ServerResponse, response: SandboxResponse): void {
	const headers: Record<string, string> = { ...response.headers };
	let payload: string | undefined;
	if (response.body !== undefined) {
		if (typeof response.body === 'string' && response.contentType) {
			payload = response.body;
			headers['Content-Type'] = response.contentType;
		} else {
			payload = JSON.stringify(response.body);
			headers['Content-Type'] = 'application/json; charset=utf-8';
		}
		headers['Content-Length'] = String(Buffer.byteLength(payload));
	} else {
		headers['Content-Length'] = '0';
	}
	res.writeHead(response.status, headers);
	res.end(payload);
}

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
