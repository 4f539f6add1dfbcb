/**
 * The local Visma.net sandbox: Visma Connect + the ERP API routes + control endpoints, on one
 * node:http server. Start it in-process with `startSandbox()` or from the shell with cli.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_ROUTES, type ApiRoute } from './api';
import { Clock } from './clock';
import { SERVICE_SCOPE_PREFIX, VismaConnect, type AccessToken } from './connect';
import { buildCompany, loadSandboxData, type Company } from './data';
import { journalTransactionDto } from './dto';
import { serverFault, tooManyRequests, vismaMessage } from './errors';
import { FaultController, type FaultConfig } from './faults';
import { HttpError, json, parseForm, readBody, writeResponse, type SandboxResponse } from './http';
import { emptyListAnswer, readQuirks, refusalAnswer, type SandboxQuirk } from './quirks';
import { RateLimiter, type RateLimitConfig } from './ratelimit';
import { SandboxStore, type StoredBatch } from './store';
import type { SandboxData } from './types';

export interface SandboxOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Company mirror; default: fixtures/default-company.json (or `dataFile`). */
	data?: SandboxData;
	dataFile?: string;
	/** Batches and numbering are read from and written to this JSON file. */
	stateFile?: string;
	/** Access token lifetime; default 3600. */
	tokenLifetimeSeconds?: number;
	/** Calls per hour per tenant + client; default 10000 per 3600 s. */
	rateLimit?: RateLimitConfig;
	/** Largest page of a list; default 1000. */
	maxPageSize?: number;
	/** Seed for random faults; default 1. */
	seed?: number;
	/** Base of absolute Location headers; default: the Host the caller used. */
	publicUrl?: string;
	/** Largest request body in bytes; default 100 MB. */
	maxBodyBytes?: number;
	/** Answers Visma.net may plausibly give where its spec is silent (quirks.ts); default none. */
	quirks?: readonly SandboxQuirk[];
}

/** Settings that can change while the sandbox runs (POST /_sandbox/config). */
export interface RuntimeConfig {
	rateLimit?: RateLimitConfig;
	maxPageSize?: number;
	tokenLifetimeSeconds?: number;
	/** Replaces the quirks switched on (an empty list: none). */
	quirks?: readonly SandboxQuirk[];
}

export interface ResetOptions {
	/** Also forget every issued token (default false: callers keep their tokens). */
	tokens?: boolean;
	/** Also clear planned faults (default true). */
	faults?: boolean;
}

export interface DemoCredentials {
	clientId: string;
	clientSecret: string;
	/** The first company's tenant id. */
	tenantId: string;
	customerTenantId?: string;
	companies: { tenantId: string; name: string }[];
	tokenUrl: string;
	authorizeUrl: string;
	scope: string;
}

export interface RequestLogEntry {
	at: string;
	method: string;
	path: string;
	query: string;
	status: number | 'dropped';
	tenantId?: string;
	clientId?: string;
	/** Set when the answer came from a fault rather than the API. */
	fault?: string;
	/** The parsed JSON body of POST/PUT API calls. */
	body?: unknown;
}

export interface SandboxState {
	url: string;
	tenants: {
		tenantId: string;
		name: string;
		nextBatchNumber: number;
		batches: ReturnType<typeof journalTransactionDto>[];
	}[];
	faults: ReturnType<FaultController['describe']>;
	config: Required<RuntimeConfig>;
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:4010; API and Connect share it. */
	readonly url: string;
	readonly port: number;
	readonly demo: DemoCredentials;
	/** Programmatic fault controls. */
	readonly faults: FaultController;
	/** A ready service token (all four service scopes) without a token request. */
	issueToken(options?: { tenantId?: string; clientId?: string; scopes?: string[] }): string;
	/** Every access token expires now; returns how many there were. */
	expireTokens(): number;
	/** Moves the sandbox clock (token expiry, rate-limit windows, timestamps). */
	advanceClock(seconds: number): void;
	configure(config: RuntimeConfig): void;
	reset(options?: ResetOptions): void;
	/**
	 * Changes a stored batch outside the API, as a fix in Visma.net's database or another program
	 * might (a new version; tenant: the first company's by default). A line's `answerAs` puts
	 * fields into its answer as they are: for tests of a batch the package cannot read back.
	 */
	amendBatch(batchNumber: string, change: (batch: StoredBatch) => void, tenantId?: string): void;
	state(): SandboxState;
	requests(): readonly RequestLogEntry[];
	clearRequests(): void;
	close(): Promise<void>;
}

const LEGACY_PREFIX = /^\/api\/controller\/api(?=\/)/i;
const MAX_LOG = 1000;
export const ALL_SERVICE_SCOPES = ['read', 'create', 'update', 'delete'].map(
	(s) => SERVICE_SCOPE_PREFIX + s,
);

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const data = options.data ?? loadSandboxData(options.dataFile);
	const companies = new Map<string, Company>(
		data.companies.map((c) => [c.tenantId, buildCompany(c)]),
	);
	const clock = new Clock();
	const config: Required<RuntimeConfig> = {
		rateLimit: { windowSeconds: 3600, ...(options.rateLimit ?? { limit: 10_000 }) },
		maxPageSize: options.maxPageSize ?? 1000,
		tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
		quirks: readQuirks(options.quirks ?? []),
	};
	let quirks = new Set<SandboxQuirk>(config.quirks);
	const store = new SandboxStore(companies, options.stateFile, () => clock.now());
	const connect = new VismaConnect(data, clock, config.tokenLifetimeSeconds);
	const limiter = new RateLimiter(clock, { windowSeconds: 3600, ...config.rateLimit });
	const faults = new FaultController(options.seed ?? 1);
	const maxBodyBytes = options.maxBodyBytes ?? 100 * 1024 * 1024;
	let log: RequestLogEntry[] = [];

	const configure = (change: RuntimeConfig) => {
		if (change.rateLimit) {
			config.rateLimit = { windowSeconds: 3600, ...change.rateLimit };
			limiter.config = { windowSeconds: 3600, ...config.rateLimit };
		}
		if (change.maxPageSize !== undefined) config.maxPageSize = change.maxPageSize;
		if (change.tokenLifetimeSeconds !== undefined)
			connect.tokenLifetimeSeconds = config.tokenLifetimeSeconds = change.tokenLifetimeSeconds;
		if (change.quirks !== undefined) {
			config.quirks = readQuirks(change.quirks);
			quirks = new Set(config.quirks);
		}
	};

	const reset = (opts: ResetOptions = {}) => {
		store.reset();
		store.persist();
		limiter.reset();
		if (opts.faults ?? true) faults.clear();
		if (opts.tokens) connect.reset();
	};

	const state = (url: string): SandboxState => ({
		url,
		tenants: [...companies.values()].map((company) => {
			const tenant = store.tenant(company.tenantId);
			return {
				tenantId: company.tenantId,
				name: company.data.name,
				nextBatchNumber: tenant.nextBatchNumber,
				batches: tenant.batches.map((b) => journalTransactionDto(company, b, tenant.subaccounts)),
			};
		}),
		faults: faults.describe(),
		config: structuredClone(config),
	});

	const issueToken = (opts: { tenantId?: string; clientId?: string; scopes?: string[] } = {}) =>
		connect.issueAccessToken(
			opts.clientId ?? data.clients[0].clientId,
			opts.tenantId ?? data.companies[0].tenantId,
			opts.scopes ?? ALL_SERVICE_SCOPES,
		).value;

	// -- API ----------------------------------------------------------------------------------

	async function api(
		req: IncomingMessage,
		path: string,
		query: URLSearchParams,
		baseUrl: string,
		entry: RequestLogEntry,
	): Promise<SandboxResponse> {
		const method = req.method ?? 'GET';
		const candidates = API_ROUTES.filter((r) => r.pattern.test(path));
		if (candidates.length === 0) {
			return vismaMessage(
				404,
				'read',
				`No HTTP resource was found that matches the request URI '${baseUrl}${path}'.`,
			);
		}
		const route: ApiRoute | undefined = candidates.find((r) => r.method === method);
		let token: AccessToken | undefined;
		let authError: HttpError | undefined;
		try {
			token = connect.authenticate(req.headers.authorization, route?.permission ?? 'read');
		} catch (error) {
			if (!(error instanceof HttpError)) throw error;
			authError = error;
		}
		const limit = limiter.hit(
			token ? `${token.tenantId}|${token.clientId}` : `anonymous|${req.socket.remoteAddress ?? ''}`,
		);
		const withLimits = (response: SandboxResponse) => ({
			...response,
			headers: { ...response.headers, ...limit.headers },
		});
		if (!limit.allowed) return withLimits(tooManyRequests(limit.resetSeconds));
		if (authError || !token) return withLimits(authError?.response ?? serverFault(500));
		entry.tenantId = token.tenantId;
		entry.clientId = token.clientId;
		if (!route)
			return withLimits(
				vismaMessage(
					405,
					'read',
					`The requested resource does not support http method '${method}'.`,
				),
			);
		try {
			const body =
				method === 'POST' || method === 'PUT'
					? parseJsonBody(req, await readBody(req, maxBodyBytes))
					: undefined;
			if (body !== undefined) entry.body = body;
			const company = companies.get(token.tenantId) as Company;
			const params = (path.match(route.pattern) ?? []).slice(1).map((p) => decodeURIComponent(p));
			const response = route.handle({
				company,
				store,
				query,
				headers: req.headers,
				body,
				baseUrl,
				maxPageSize: config.maxPageSize,
				params,
				quirks,
			});
			return withLimits(method === 'GET' ? emptyListAnswer(response, quirks) : response);
		} catch (error) {
			if (error instanceof HttpError)
				return withLimits(refusalAnswer(method, error.response, quirks));
			throw error;
		}
	}

	// -- control endpoints --------------------------------------------------------------------

	async function control(
		req: IncomingMessage,
		path: string,
		url: string,
	): Promise<SandboxResponse> {
		const method = req.method ?? 'GET';
		const raw = method === 'GET' ? '' : await readBody(req, maxBodyBytes);
		const body = (raw.trim() ? JSON.parse(raw) : {}) as Record<string, unknown>;
		const key = `${method} ${path.replace(/\/$/, '')}`;
		switch (key) {
			case 'GET /_sandbox/state':
				return json(200, state(url));
			case 'POST /_sandbox/reset':
				reset(body as ResetOptions);
				return json(200, { reset: true });
			case 'GET /_sandbox/faults':
				return json(200, faults.describe());
			case 'POST /_sandbox/faults':
				faults.configure(body as FaultConfig);
				return json(200, faults.describe());
			case 'DELETE /_sandbox/faults':
				faults.clear();
				return json(200, faults.describe());
			case 'POST /_sandbox/tokens/expire':
				return json(200, { expired: connect.expireAll() });
			case 'POST /_sandbox/token':
				return json(200, {
					access_token: issueToken(body as Parameters<typeof issueToken>[0]),
					token_type: 'Bearer',
				});
			case 'POST /_sandbox/clock':
				clock.advance(Number(body.advanceSeconds ?? 0));
				return json(200, { now: new Date(clock.now()).toISOString() });
			case 'POST /_sandbox/config':
				configure(body as RuntimeConfig);
				return json(200, config);
			case 'GET /_sandbox/requests':
				return json(200, log);
			case 'DELETE /_sandbox/requests':
				log = [];
				return json(200, []);
			default:
				return json(404, {
					message: `Unknown control endpoint ${key}. See sandboxes/visma-net/README.md.`,
				});
		}
	}

	// -- dispatch -----------------------------------------------------------------------------

	async function dispatch(
		req: IncomingMessage,
		path: string,
		url: URL,
		baseUrl: string,
		entry: RequestLogEntry,
	): Promise<SandboxResponse> {
		const method = req.method ?? 'GET';
		const lower = path.toLowerCase();
		if (lower === '/.well-known/openid-configuration' && method === 'GET')
			return connect.discovery(baseUrl);
		if (lower === '/connect/token' && method === 'POST')
			return connect.token(parseForm(await readBody(req, maxBodyBytes)), req.headers);
		if (lower === '/connect/authorize' && method === 'GET')
			return connect.authorize(url.searchParams);
		if (lower === '/connect/authorize/consent' && method === 'POST')
			return connect.consent(parseForm(await readBody(req, maxBodyBytes)));
		return api(req, path, url.searchParams, baseUrl, entry);
	}

	async function handle(
		req: IncomingMessage,
		res: ServerResponse,
		sandboxUrl: string,
	): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox.local');
		const path = url.pathname.replace(LEGACY_PREFIX, '');
		const method = req.method ?? 'GET';
		const baseUrl =
			options.publicUrl ?? (req.headers.host ? `http://${req.headers.host}` : sandboxUrl);
		if (path.startsWith('/_sandbox/')) {
			writeResponse(
				res,
				await control(req, path, sandboxUrl).catch((e: unknown) =>
					json(400, { message: String(e) }),
				),
			);
			return;
		}
		const entry: RequestLogEntry = {
			at: new Date(clock.now()).toISOString(),
			method,
			path,
			query: url.search,
			status: 0,
		};
		log.push(entry);
		if (log.length > MAX_LOG) log = log.slice(-MAX_LOG);

		const delay = faults.delayFor();
		if (delay > 0) await sleep(delay);
		let response: SandboxResponse;
		const presented = connect.peek(req.headers.authorization);
		if (presented && faults.takeTokenExpiry(method, path, presented.tenantId)) {
			presented.expiresAt = Math.min(presented.expiresAt, clock.now());
			entry.fault = 'token expired';
			entry.tenantId = presented.tenantId;
		}
		const injected = faults.takeStatusFault(method, path, presented?.tenantId);
		if (injected) {
			entry.fault = `status ${injected.status}`;
			// The tenant of the token the refused call carried, when it is one of this server's.
			if (presented) entry.tenantId = presented.tenantId;
			response =
				injected.status === 429
					? tooManyRequests(injected.retryAfter ?? 30, {
							'X-RateLimit-Policy': '4-fixed-window',
							'X-RateLimit-Remaining': '0',
						})
					: serverFault(injected.status);
		} else {
			try {
				response = await dispatch(req, path, url, baseUrl, entry);
			} catch (error) {
				if (error instanceof HttpError) response = error.response;
				else {
					process.stderr.write(
						`[visma-sandbox] ${method} ${path} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
					);
					response = serverFault(500);
				}
			}
			if (response.status < 300 && faults.takeDrop(method, path, presented?.tenantId)) {
				entry.status = 'dropped';
				entry.fault = 'dropped after commit';
				req.socket.destroy();
				return;
			}
		}
		entry.status = response.status;
		writeResponse(res, response);
	}

	const server = createServer();
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const port = (server.address() as AddressInfo).port;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	server.on('request', (req: IncomingMessage, res: ServerResponse) => {
		handle(req, res, url).catch((error: unknown) => {
			process.stderr.write(`[visma-sandbox] ${String(error)}\n`);
			if (!res.headersSent) writeResponse(res, serverFault(500));
		});
	});

	const firstClient = data.clients.find((c) => c.clientSecret !== undefined) ?? data.clients[0];
	return {
		url,
		port,
		demo: {
			clientId: firstClient.clientId,
			clientSecret: firstClient.clientSecret ?? '',
			tenantId: data.companies[0].tenantId,
			customerTenantId: data.customerTenants[0]?.tenantId,
			companies: data.companies.map((c) => ({ tenantId: c.tenantId, name: c.name })),
			tokenUrl: `${url}/connect/token`,
			authorizeUrl: `${url}/connect/authorize`,
			scope: ALL_SERVICE_SCOPES.join(' '),
		},
		faults,
		issueToken,
		expireTokens: () => connect.expireAll(),
		advanceClock: (seconds) => clock.advance(seconds),
		configure,
		reset,
		amendBatch: (batchNumber, change, tenantId = data.companies[0].tenantId) => {
			store.amend(tenantId, batchNumber, change);
		},
		state: () => state(url),
		requests: () => log,
		clearRequests: () => {
			log = [];
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			}),
	};
}

function parseJsonBody(req: IncomingMessage, raw: string): unknown {
	if (raw.trim() === '') return undefined;
	const type = String(req.headers['content-type'] ?? 'application/json');
	if (!/json/i.test(type)) {
		throw new HttpError(
			vismaMessage(
				415,
				'create',
				`The sandbox reads JSON bodies only (application/json or text/json), not '${type}'.`,
			),
		);
	}
	try {
		return JSON.parse(raw) as unknown;
	} catch (error) {
		throw new HttpError(
			vismaMessage(
				400,
				req.method === 'PUT' ? 'update' : 'create',
				`The request is invalid: the body is not valid JSON (${(error as Error).message}).`,
			),
		);
	}
}
