/**
 * Two real local HTTP servers for redirect tests: a FRONT that forwards every request to a real
 * sandbox except those a rule redirects (302, 307, ...) to ELSEWHERE, a second origin (another
 * port) that records everything it receives. A request of this package that follows a redirect
 * shows up in ELSEWHERE's log, with its headers and body.
 */
import {
	createServer,
	request as httpRequest,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import { useLocalServer } from './sandboxes';

export interface ReceivedRequest {
	readonly method: string;
	readonly url: string;
	readonly headers: IncomingMessage['headers'];
	readonly body: string;
}

export interface LocalServer {
	readonly url: string;
	readonly received: ReceivedRequest[];
	close(): Promise<void>;
}

async function listen(
	handler: (request: ReceivedRequest, response: ServerResponse) => void | Promise<void>,
): Promise<LocalServer> {
	const received: ReceivedRequest[] = [];
	const server: Server = createServer((incoming, response) => {
		const chunks: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
		incoming.on('end', () => {
			const request = {
				method: incoming.method ?? 'GET',
				url: incoming.url ?? '/',
				headers: incoming.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			received.push(request);
			void Promise.resolve(handler(request, response)).catch(() => response.destroy());
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** The second origin: records every request and answers with `answer` (default: 200 `[]`). */
export async function startElsewhere(
	answer: (request: ReceivedRequest) => {
		status: number;
		headers?: Record<string, string>;
		body: string;
	} = () => ({ status: 200, body: '[]' }),
): Promise<LocalServer> {
	return await listen((request, response) => {
		const { status, headers, body } = answer(request);
		response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
	});
}

export interface RedirectRule {
	readonly method?: string;
	/** Path prefix, e.g. `/v2/journaltransaction` or `/connect/token`. */
	readonly path?: string;
	/** A redirect status: answered with `Location: <elsewhere><same path>`, nothing forwarded. */
	readonly status?: number;
	/** Answered as given, nothing forwarded (e.g. a 201 without Location that booked nothing). */
	readonly answer?: { status: number; headers?: Record<string, string>; body?: string };
	/**
	 * Answered with this status and a body that echoes the request: its Authorization header (with
	 * and without the scheme) and its body, as a careless or hostile server does in an error.
	 */
	readonly echo?: number;
	/** Forwarded; the target's answer headers are changed by this before they go back. */
	readonly rewriteHeaders?: (
		headers: Record<string, string | string[] | undefined>,
	) => Record<string, string | string[] | undefined>;
}

/**
 * The front: a request matching a rule is redirected to `elsewhere` (same path), answered as the
 * rule says, or forwarded with its answer's headers rewritten; every other request is forwarded
 * to `target` as is.
 */
export async function startRedirectingFront(
	target: string,
	elsewhere: string,
	rules: () => readonly RedirectRule[],
): Promise<LocalServer> {
	return await listen(async (request, response) => {
		const rule = rules().find(
			(candidate) =>
				(candidate.method === undefined || candidate.method === request.method) &&
				(candidate.path === undefined ||
					request.url.toLowerCase().startsWith(candidate.path.toLowerCase())),
		);
		if (rule?.status !== undefined) {
			response
				.writeHead(rule.status, {
					location: `${elsewhere}${request.url}`,
					'content-type': 'text/plain',
				})
				.end('Moved');
			return;
		}
		if (rule?.echo !== undefined) {
			const authorization = String(request.headers.authorization ?? '');
			const bare = authorization.replace(/^\S+\s+/, '');
			const message = `Refused. You sent Authorization: ${authorization}; token ${bare} is not valid here; your body was: ${request.body}`;
			response
				.writeHead(rule.echo, { 'content-type': 'application/json' })
				.end(JSON.stringify({ message, detail: request.body, token: bare }));
			return;
		}
		if (rule?.answer) {
			response
				.writeHead(rule.answer.status, {
					'content-type': 'application/json',
					...rule.answer.headers,
				})
				.end(rule.answer.body ?? '');
			return;
		}
		const targetUrl = new URL(request.url, target);
		await new Promise<void>((resolve, reject) => {
			const headers = { ...request.headers, host: targetUrl.host };
			const forwarded = httpRequest(
				targetUrl,
				{ method: request.method, headers },
				(answer: IncomingMessage) => {
					response.writeHead(
						answer.statusCode ?? 502,
						rule?.rewriteHeaders ? rule.rewriteHeaders({ ...answer.headers }) : answer.headers,
					);
					answer.pipe(response);
					answer.on('end', resolve);
				},
			);
			forwarded.on('error', reject);
			forwarded.end(request.body);
		});
	});
}

/**
 * For a test file: `elsewhere` (startElsewhere, with `answer`) and a front before `target` that
 * redirects to it by `rules()` (startRedirectingFront), started before the file's tests (after
 * `target`, when it is a sandbox of useVismaSandbox declared first) and closed after them.
 */
export function useRedirectingFront(
	target: { readonly url: string },
	rules: () => readonly RedirectRule[],
	answer?: Parameters<typeof startElsewhere>[0],
): { elsewhere: LocalServer; front: LocalServer } {
	const elsewhere = useLocalServer(() => startElsewhere(answer));
	const front = useLocalServer(() => startRedirectingFront(target.url, elsewhere.url, rules));
	return { elsewhere, front };
}
