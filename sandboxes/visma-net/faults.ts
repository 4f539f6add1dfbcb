/**
 * Faults on demand: latency, 5xx answers, 429 storms and dropped connections after a commit.
 * Random choices come from a seeded generator, so a run with the same seed and the same request
 * sequence fails the same way.
 */
import { seededRandom } from '../../scripts/lib/seededRandom';

export interface RequestMatcher {
	/** HTTP method, e.g. "POST"; absent matches every method. */
	method?: string;
	/** Path prefix (case-insensitive, e.g. "/v2/journaltransaction"); absent matches every path. */
	path?: string;
	/** Only calls whose bearer token is for this company tenant; absent matches every tenant. */
	tenantId?: string;
}

export interface StatusFault extends RequestMatcher {
	/** 500, 502, 503, 504, or 429. */
	status: number;
	/** How many matching requests fail; default 1. */
	count?: number;
	/** Retry-After seconds on a 429; default 30. */
	retryAfter?: number;
}

export interface DropFault extends RequestMatcher {
	/** How many committed matching requests lose their response; default 1. Method defaults to POST. */
	count?: number;
}

export interface LatencyConfig {
	/** Every request waits this long ... */
	fixedMs?: number;
	/** ... or a seeded random time between minMs and maxMs. */
	minMs?: number;
	maxMs?: number;
}

export interface RandomFailureConfig extends RequestMatcher {
	/** Chance (0..1) that a matching request fails. */
	probability: number;
	/** Statuses to pick from; default [500, 502, 503]. */
	statuses?: number[];
}

/** The body of POST /_sandbox/faults; every part optional, parts given replace or add. */
export interface FaultConfig {
	seed?: number;
	latency?: LatencyConfig | null;
	failNext?: StatusFault | StatusFault[];
	rateLimitStorm?: RequestMatcher & { count: number; retryAfter?: number };
	dropAfterCommit?: DropFault;
	/** The token of the next `count` matching calls (default 1) expires just before the call: it is answered 401. */
	expireToken?: RequestMatcher & { count?: number };
	random?: RandomFailureConfig | null;
	/** Clear every fault before applying the rest. */
	clear?: boolean;
}

export interface InjectedStatus {
	status: number;
	retryAfter?: number;
}

interface Pending<T> {
	rule: T;
	remaining: number;
}

function matches(
	rule: RequestMatcher,
	method: string,
	path: string,
	defaultMethod?: string,
	tenantId?: string,
): boolean {
	const wanted = rule.method ?? defaultMethod;
	if (wanted && wanted.toUpperCase() !== method.toUpperCase()) return false;
	if (rule.tenantId !== undefined && rule.tenantId !== tenantId) return false;
	return !rule.path || path.toLowerCase().startsWith(rule.path.toLowerCase());
}

export class FaultController {
	private statusFaults: Pending<StatusFault>[] = [];
	private drops: Pending<DropFault>[] = [];
	private expiries: Pending<RequestMatcher>[] = [];
	private latency: LatencyConfig | null = null;
	private random: RandomFailureConfig | null = null;
	private seedValue: number;
	private next: () => number;

	constructor(seed = 1) {
		this.seedValue = seed;
		this.next = seededRandom(seed);
	}

	configure(config: FaultConfig): void {
		if (config.clear) this.clear();
		if (config.seed !== undefined) this.seed(config.seed);
		if (config.latency !== undefined) this.setLatency(config.latency);
		if (config.random !== undefined) this.setRandomFailures(config.random);
		for (const fault of [config.failNext ?? []].flat()) this.failNext(fault);
		if (config.rateLimitStorm)
			this.rateLimitStorm(
				config.rateLimitStorm.count,
				config.rateLimitStorm.retryAfter,
				config.rateLimitStorm,
			);
		if (config.dropAfterCommit) this.dropAfterCommit(config.dropAfterCommit);
		if (config.expireToken) this.expireToken(config.expireToken);
	}

	/** The token of the next `count` matching calls expires just before the call (a token expiring mid-run). */
	expireToken(fault: RequestMatcher & { count?: number }): void {
		this.expiries.push({ rule: fault, remaining: fault.count ?? 1 });
	}

	/** Whether the token of this call must expire now; consumes one planned expiry. */
	takeTokenExpiry(method: string, path: string, tenantId: string | undefined): boolean {
		const planned = this.expiries.find(
			(p) => p.remaining > 0 && matches(p.rule, method, path, undefined, tenantId),
		);
		if (!planned) return false;
		planned.remaining--;
		this.expiries = this.expiries.filter((p) => p.remaining > 0);
		return true;
	}

	/** The next `count` matching requests answer `status`. */
	failNext(fault: StatusFault): void {
		if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599)
			throw new Error(`Fault status ${fault.status} is not an HTTP error status`);
		this.statusFaults.push({ rule: fault, remaining: fault.count ?? 1 });
	}

	/** The next `count` matching requests answer 429 with Retry-After. */
	rateLimitStorm(count: number, retryAfter = 30, matcher: RequestMatcher = {}): void {
		this.failNext({
			...matcher,
			method: matcher.method,
			path: matcher.path,
			status: 429,
			count,
			retryAfter,
		});
	}

	/** The next `count` matching requests are carried out, then the connection is destroyed unanswered. */
	dropAfterCommit(fault: DropFault = {}): void {
		this.drops.push({ rule: fault, remaining: fault.count ?? 1 });
	}

	setLatency(config: LatencyConfig | null): void {
		this.latency = config;
	}

	setRandomFailures(config: RandomFailureConfig | null): void {
		if (config && !(config.probability >= 0 && config.probability <= 1))
			throw new Error('probability must be between 0 and 1');
		this.random = config;
	}

	seed(seed: number): void {
		this.seedValue = seed;
		this.next = seededRandom(seed);
	}

	clear(): void {
		this.statusFaults = [];
		this.drops = [];
		this.expiries = [];
		this.latency = null;
		this.random = null;
		this.seed(this.seedValue);
	}

	/** Milliseconds to wait before handling a request. */
	delayFor(): number {
		if (!this.latency) return 0;
		const { fixedMs, minMs, maxMs } = this.latency;
		if (minMs !== undefined && maxMs !== undefined)
			return Math.round(minMs + this.next() * (maxMs - minMs));
		return fixedMs ?? 0;
	}

	/** A status to answer instead of handling the request, consuming one planned fault. */
	takeStatusFault(method: string, path: string, tenantId?: string): InjectedStatus | undefined {
		const planned = this.statusFaults.find(
			(p) => p.remaining > 0 && matches(p.rule, method, path, undefined, tenantId),
		);
		if (planned) {
			planned.remaining--;
			this.statusFaults = this.statusFaults.filter((p) => p.remaining > 0);
			return {
				status: planned.rule.status,
				retryAfter: planned.rule.status === 429 ? (planned.rule.retryAfter ?? 30) : undefined,
			};
		}
		if (
			this.random &&
			matches(this.random, method, path, undefined, tenantId) &&
			this.next() < this.random.probability
		) {
			const statuses = this.random.statuses ?? [500, 502, 503];
			return { status: statuses[Math.floor(this.next() * statuses.length)] };
		}
		return undefined;
	}

	/** Whether a committed request must lose its response; consumes one planned drop. */
	takeDrop(method: string, path: string, tenantId?: string): boolean {
		const planned = this.drops.find(
			(p) => p.remaining > 0 && matches(p.rule, method, path, 'POST', tenantId),
		);
		if (!planned) return false;
		planned.remaining--;
		this.drops = this.drops.filter((p) => p.remaining > 0);
		return true;
	}

	describe() {
		return {
			seed: this.seedValue,
			latency: this.latency,
			random: this.random,
			failNext: this.statusFaults.map((p) => ({ ...p.rule, remaining: p.remaining })),
			dropAfterCommit: this.drops.map((p) => ({ ...p.rule, remaining: p.remaining })),
			expireToken: this.expiries.map((p) => ({ ...p.rule, remaining: p.remaining })),
		};
	}
}
