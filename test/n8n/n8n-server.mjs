/**
 * Helpers for a running `n8n start` (used by smoke.mjs's phases and by screenshot.mjs): a free
 * port, a process group that can be stopped as a whole, `n8n start` on 127.0.0.1 until it is ready,
 * a tiny /rest client that keeps the auth cookie, and the throwaway owner account.
 * Plain Node ESM without dependencies.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A throwaway account in a throwaway database (n8n wants ≥ 8 chars, a digit and an uppercase letter). */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Screenshot',
	lastName: 'Owner',
	password: 'Screenshot-Owner-2026',
};

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** A tiny REST client for n8n's /rest API that keeps the auth cookie. */
export function restClient(baseUrl) {
	let cookie = '';
	async function call(method, route, body) {
		const response = await fetch(`${baseUrl}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) cookie = setCookie.split(';')[0];
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} /rest${route} answered ${response.status}: ${text.slice(0, 500)}`);
		let json;
		try {
			json = text ? JSON.parse(text) : {};
		} catch {
			throw new Error(
				`${method} /rest${route} answered ${response.status} with no JSON: ${text.slice(0, 300)}`,
			);
		}
		return json.data ?? json;
	}
	return {
		call,
		get authCookie() {
			const [name, ...value] = cookie.split('=');
			return cookie ? { name, value: value.join('=') } : undefined;
		},
	};
}

/**
 * Runs the cleanups in order, taking each off the list first (a second call, from a signal
 * handler, runs only what is left); a failing one is reported and the rest still run.
 */
export async function runCleanups(cleanups) {
	while (cleanups.length) {
		const cleanup = cleanups.shift();
		try {
			await cleanup();
		} catch (error) {
			console.error(`cleanup failed: ${error}`);
		}
	}
}

/** Waits until n8n answers /healthz and /healthz/readiness (migrated, fully up). */
export async function waitForN8n(baseUrl, n8nProcess, timeoutMs = 180_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (n8nProcess.exitCode !== null)
			throw new Error(
				`n8n exited (${n8nProcess.exitCode}) before it answered:\n${n8nProcess.outputTail()}`,
			);
		try {
			// /healthz answers as soon as the HTTP server listens, while migrations still run (the REST
			// routes then answer 200 "n8n is starting up. Please wait"); /healthz/readiness is 200 only
			// once the database is migrated and the server is fully ready.
			const health = await fetch(`${baseUrl}/healthz`);
			if (health.ok && (await fetch(`${baseUrl}/healthz/readiness`)).ok) return;
		} catch {
			// not listening yet
		}
		await sleep(500);
	}
	throw new Error(
		`n8n did not answer on ${baseUrl} within ${timeoutMs / 1000}s:\n${n8nProcess.outputTail()}`,
	);
}

/**
 * Spawns a command in its own process group; `stop()` ends that group (and only it): SIGTERM,
 * SIGKILL after `graceMs`. `outputTail(lines)` is the end of its stdout+stderr; `stopped` tells
 * how it ended (`{ code, signal, killed }`).
 */
export function spawnGroup(command, args, options) {
	const child = spawn(command, args, {
		...options,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const keep = (chunk) => {
		output = (output + chunk).slice(-200_000);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	child.output = () => output;
	child.outputTail = (lines = 30) => output.trim().split('\n').slice(-lines).join('\n');
	child.stop = async (graceMs = 10_000) => {
		if (child.exitCode !== null || child.signalCode !== null)
			return { code: child.exitCode, signal: child.signalCode, killed: false };
		const exited = new Promise((resolve) =>
			child.once('exit', (code, signal) => resolve({ code, signal })),
		);
		const kill = (signal) => {
			try {
				process.kill(-child.pid, signal);
			} catch {
				// already gone
			}
		};
		kill('SIGTERM');
		let killed = false;
		const timer = setTimeout(() => {
			killed = true;
			kill('SIGKILL');
		}, graceMs);
		const ended = await exited;
		clearTimeout(timer);
		kill('SIGKILL'); // stragglers of the group (n8n's task runner, Chromium's helpers)
		return { ...ended, killed };
	};
	return child;
}

/**
 * n8n's settings to listen on 127.0.0.1:`port` only, over http, with the editor and webhook URLs
 * there (`http://127.0.0.1:<port>/`).
 */
export function listenEnv(port) {
	const baseUrl = `http://127.0.0.1:${port}`;
	return {
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${baseUrl}/`,
		WEBHOOK_URL: `${baseUrl}/`,
	};
}

/**
 * `n8n start` in `userFolder` with the smoke's environment `env`, listening on 127.0.0.1 only (free
 * HTTP and task-runner broker ports), until /healthz and /healthz/readiness answer. Returns
 * `{ baseUrl, n8n, stop }`; `stop()` (SIGTERM to the process group, SIGKILL after 20 s) runs once
 * and returns how n8n ended (`{ code, signal, killed }`). `log`, when given, hears the address
 * before n8n is spawned.
 */
export async function startN8n({ env, n8nBin, nodeBinary, userFolder, log }) {
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const startEnv = {
		...env,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...listenEnv(port),
	};
	log?.(`n8n start on ${baseUrl}`);
	const n8n = spawnGroup(nodeBinary, [n8nBin, 'start'], { cwd: userFolder, env: startEnv });
	let stopped;
	const stop = async () => (stopped ??= await n8n.stop(20_000));
	try {
		await waitForN8n(baseUrl, n8n);
	} catch (error) {
		await stop();
		throw error;
	}
	return { baseUrl, n8n, stop };
}

/**
 * Sets the owner up (unless an earlier phase did, in the same database) and logs `rest` in as the
 * owner. `{ fresh: true }`: the database is new, so the owner setup must succeed.
 */
export async function signInOwner(rest, { fresh = false } = {}) {
	const setup = rest.call('POST', '/owner/setup', OWNER);
	await (fresh
		? setup
		: setup.catch((error) => {
				if (!/already/i.test(String(error.message))) throw error;
			}));
	await rest.call('POST', '/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
}
