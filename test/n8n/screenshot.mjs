#!/usr/bin/env node
/**
 * Screenshot of the month-end workflow in a REAL n8n editor (pinned 2.40.7), for the README.
 *
 *   npm run screenshot          (= node test/n8n/screenshot.mjs, on the project's Node 24)
 *
 * Writes docs/images/month-end-workflow.png (1600×900). What it does:
 *   1. builds, packs and installs this package into a throwaway N8N_USER_FOLDER exactly as the
 *      smoke test does (the helpers are imported from test/n8n/smoke.mjs), then runs `n8n start`
 *      on a free 127.0.0.1 port and waits for /healthz and /healthz/readiness;
 *   2. creates the owner account (POST /rest/owner/setup) and logs in (POST /rest/login), keeping
 *      the `n8n-auth` cookie;
 *   3. creates a placeholder credential for every credential the workflow references (so no node
 *      shows a "credential not found" warning; nothing is ever executed) and creates the workflow
 *      (POST /rest/workflows) from workflows/month-end.json — waiting for that file up to
 *      SCREENSHOT_WAIT_SECONDS (default 900, checked every 30 s) — or, failing that, from
 *      test/n8n/workflows/01-post-march.json;
 *   4. starts headless Chromium, drives it over the DevTools protocol (Node's built-in WebSocket,
 *      no dependencies): sets the cookie, opens /workflow/<id> at 1600×900, waits until every
 *      node is on the canvas with its icon loaded, presses Escape against any modal, presses the
 *      editor's "Tidy up" (see SCREENSHOT_TIDY) and takes the screenshot;
 *   5. stops Chromium and n8n (their process groups) and deletes the temp folders.
 *
 * Needs: the cached n8n (see test/n8n/README.md; installed on first use like `npm run test:n8n`)
 * and Chromium (`apt-get install -y chromium`, i.e. /usr/bin/chromium). Only loopback addresses
 * are used; n8n's telemetry, templates and version notifications are off.
 *
 * Env vars:
 *   SCREENSHOT_WORKFLOW=<file>       use this workflow file, no waiting
 *   SCREENSHOT_WAIT_SECONDS=<n>      how long to wait for workflows/month-end.json (default 900; 0 = don't)
 *   SCREENSHOT_OUT=<file>            output PNG (default docs/images/month-end-workflow.png)
 *   SCREENSHOT_TIDY=0                skip the editor's "Tidy up" (Shift+Alt+T), which is pressed by
 *                                    default: n8n re-lays the nodes out in the page only (the workflow
 *                                    file is not changed), so branches show even when the file puts
 *                                    every node on one row
 *   CHROMIUM_PATH=<binary>           default /usr/bin/chromium
 *   N8N_SMOKE_CACHE_DIR, N8N_SMOKE_KEEP=1   as for the smoke test (cache location; keep the temp folder)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

import {
	REPO_ROOT,
	buildAndPack,
	ensureN8n,
	freePort,
	installCommunityPackages,
	n8nCacheDir,
	n8nEnv,
	projectNodeBinDir,
	sandboxCredential,
	withNodeOnPath,
} from './smoke.mjs';
import {
	OWNER,
	restClient,
	runCleanups,
	signInOwner,
	spawnGroup,
	waitForN8n,
} from './n8n-server.mjs';

export const MONTH_END_WORKFLOW = path.join(REPO_ROOT, 'workflows', 'month-end.json');
export const FALLBACK_WORKFLOW = path.join(
	REPO_ROOT,
	'test',
	'n8n',
	'workflows',
	'01-post-march.json',
);
export const DEFAULT_OUT = path.join(REPO_ROOT, 'docs', 'images', 'month-end-workflow.png');
export const VIEWPORT = { width: 1600, height: 900 };

const t0 = Date.now();
const timings = [];
const log = (message) =>
	console.log(`[screenshot +${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);
async function timed(label, fn) {
	const start = Date.now();
	try {
		return await fn();
	} finally {
		timings.push(`${label} ${((Date.now() - start) / 1000).toFixed(1)}s`);
	}
}

// ---------------------------------------------------------------------------------------------
// Workflow file
// ---------------------------------------------------------------------------------------------

/** The parsed workflow at `file`, or undefined while it is missing or not (yet) valid JSON. */
export function readWorkflow(file) {
	try {
		const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
		return Array.isArray(workflow.nodes) && workflow.connections ? workflow : undefined;
	} catch {
		return undefined;
	}
}

/** workflows/month-end.json once it exists (polling), else the smoke test's first workflow. */
export async function pickWorkflow(env = process.env) {
	if (env.SCREENSHOT_WORKFLOW) {
		const file = path.resolve(env.SCREENSHOT_WORKFLOW);
		const workflow = readWorkflow(file);
		if (!workflow) throw new Error(`SCREENSHOT_WORKFLOW=${file} is not a readable workflow`);
		return { file, workflow };
	}
	const waitSeconds = Number(env.SCREENSHOT_WAIT_SECONDS ?? 900);
	const deadline = Date.now() + waitSeconds * 1000;
	for (let first = true; ; first = false) {
		const workflow = readWorkflow(MONTH_END_WORKFLOW);
		if (workflow) return { file: MONTH_END_WORKFLOW, workflow };
		if (Date.now() >= deadline) break;
		if (first)
			log(
				`waiting up to ${waitSeconds}s for ${path.relative(REPO_ROOT, MONTH_END_WORKFLOW)} (checking every 30s)`,
			);
		await sleep(Math.min(30_000, Math.max(0, deadline - Date.now())));
	}
	log(
		`${path.relative(REPO_ROOT, MONTH_END_WORKFLOW)} not there: falling back to ${path.relative(REPO_ROOT, FALLBACK_WORKFLOW)}`,
	);
	return { file: FALLBACK_WORKFLOW, workflow: readWorkflow(FALLBACK_WORKFLOW) };
}

/** Credential references in the workflow: `[{ type, id, name }]`, one per distinct id/type. */
export function credentialRefs(workflow) {
	const refs = new Map();
	for (const node of workflow.nodes) {
		for (const [type, ref] of Object.entries(node.credentials ?? {}))
			refs.set(`${type}\u0000${ref.id ?? ref.name}`, { type, ...ref });
	}
	return [...refs.values()];
}

/** Placeholder credential data: never used (nothing runs), only so the editor finds a credential. */
export function placeholderCredentialData(type) {
	if (type === 'vismaNetOAuth2Api') {
		return sandboxCredential('http://127.0.0.1:9', {
			clientId: 'screenshot',
			clientSecret: 'screenshot',
			tenantId: '1',
		}).data;
	}
	return {};
}

// ---------------------------------------------------------------------------------------------
// n8n REST
// ---------------------------------------------------------------------------------------------

// restClient, waitForN8n, spawnGroup and OWNER live in ./n8n-server.mjs (shared with smoke.mjs).
export { OWNER, restClient };

// ---------------------------------------------------------------------------------------------
// Chromium over the DevTools protocol
// ---------------------------------------------------------------------------------------------

/** Starts headless Chromium and connects to its browser-level DevTools websocket. */
export async function startChromium({ binary, userDataDir }) {
	const args = [
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-quic',
		'--no-first-run',
		'--no-default-browser-check',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--hide-scrollbars',
		`--window-size=${VIEWPORT.width},${VIEWPORT.height}`,
		`--user-data-dir=${userDataDir}`,
		'--remote-debugging-address=127.0.0.1',
		'--remote-debugging-port=0',
		'about:blank',
	];
	const child = spawnGroup(binary, args, {});
	const portFile = path.join(userDataDir, 'DevToolsActivePort');
	const deadline = Date.now() + 30_000;
	let lines;
	while (!lines) {
		if (child.exitCode !== null)
			throw new Error(`Chromium exited (${child.exitCode}):\n${child.outputTail()}`);
		if (Date.now() > deadline)
			throw new Error(`Chromium wrote no DevToolsActivePort within 30s:\n${child.outputTail()}`);
		const text = fs.existsSync(portFile)
			? fs.readFileSync(portFile, 'utf8').trim().split('\n')
			: [];
		if (text.length >= 2) lines = text;
		else await sleep(100);
	}
	const cdp = await connectCdp(`ws://127.0.0.1:${lines[0]}${lines[1]}`);
	return { child, cdp };
}

/** A minimal DevTools protocol client: `send(method, params, sessionId)` and `on(event, fn)`. */
export function connectCdp(url) {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url);
		let nextId = 1;
		const pending = new Map();
		const listeners = new Map();
		ws.addEventListener('error', (event) =>
			reject(new Error(`DevTools websocket: ${event.message ?? 'error'}`)),
		);
		ws.addEventListener('message', (event) => {
			const message = JSON.parse(event.data);
			if (message.id && pending.has(message.id)) {
				const { resolve: ok, reject: fail, method } = pending.get(message.id);
				pending.delete(message.id);
				if (message.error) fail(new Error(`${method}: ${message.error.message}`));
				else ok(message.result);
			} else if (message.method) {
				for (const fn of listeners.get(message.method) ?? []) fn(message.params, message.sessionId);
			}
		});
		ws.addEventListener('open', () =>
			resolve({
				send(method, params = {}, sessionId) {
					const id = nextId++;
					ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
					return new Promise((ok, fail) => pending.set(id, { resolve: ok, reject: fail, method }));
				},
				on(method, fn) {
					listeners.set(method, [...(listeners.get(method) ?? []), fn]);
				},
				close: () => ws.close(),
			}),
		);
	});
}

/** What the page shows right now: node count, loaded node icons, visible modals, the URL. */
const CANVAS_STATE = `(() => {
	const nodes = [...document.querySelectorAll('[data-test-id="canvas-node"]')];
	const imgs = nodes.flatMap((n) => [...n.querySelectorAll('img')]);
	return JSON.stringify({
		url: location.pathname,
		nodes: nodes.length,
		imgs: imgs.length,
		imgsLoaded: imgs.filter((i) => i.complete && i.naturalWidth > 0).length,
		modals: [...document.querySelectorAll('.el-dialog, [role="dialog"]')].filter((m) => { const r = m.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(m).visibility !== 'hidden'; }).length,
		title: document.title,
	});
})()`;

/** Opens `url` with the cookie set, waits for `expectedNodes` nodes on the canvas, returns a PNG. */
export async function screenshotPage(
	cdp,
	{ url, cookie, expectedNodes, tidyUp = false, timeoutMs = 90_000 },
) {
	const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
	const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
	const send = (method, params) => cdp.send(method, params, sessionId);
	await send('Page.enable');
	await send('Network.enable');
	await send('Emulation.setDeviceMetricsOverride', {
		...VIEWPORT,
		deviceScaleFactor: 1,
		mobile: false,
	});
	await send('Network.setCookie', {
		name: cookie.name,
		value: cookie.value,
		url: new URL(url).origin,
		httpOnly: true,
	});
	await send('Page.navigate', { url });
	const evaluate = async (expression) =>
		(await send('Runtime.evaluate', { expression, returnByValue: true })).result.value;
	const deadline = Date.now() + timeoutMs;
	let state;
	for (;;) {
		state = JSON.parse((await evaluate(CANVAS_STATE).catch(() => 'null')) ?? 'null');
		if (state && state.nodes >= expectedNodes && state.imgsLoaded === state.imgs) break;
		if (Date.now() > deadline)
			throw new Error(
				`canvas did not render ${expectedNodes} nodes within ${timeoutMs / 1000}s: ${JSON.stringify(state)}`,
			);
		await sleep(500);
	}
	log(`canvas rendered: ${JSON.stringify(state)}`);
	const press = async (key, code, keyCode, modifiers = 0) => {
		for (const type of ['keyDown', 'keyUp'])
			await send('Input.dispatchKeyEvent', {
				type,
				key,
				code,
				windowsVirtualKeyCode: keyCode,
				modifiers,
			});
	};
	// Let the fit-to-view animation and late UI (banners, toasts) settle, then close any modal.
	await sleep(2_500);
	await press('Escape', 'Escape', 27);
	await sleep(500);
	if (tidyUp) {
		// The editor's "Tidy up" (Shift+Alt+T; modifiers Alt=1 | Shift=8): n8n's own auto-layout, in the
		// page only (nothing is saved). It also fits the view.
		await press('T', 'KeyT', 84, 1 | 8);
		await sleep(2_000);
	}
	const { data } = await send('Page.captureScreenshot', {
		format: 'png',
		captureBeyondViewport: false,
	});
	log(`page state when captured: ${await evaluate(CANVAS_STATE)}`);
	return Buffer.from(data, 'base64');
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

export async function main() {
	const out = path.resolve(process.env.SCREENSHOT_OUT ?? DEFAULT_OUT);
	const chromiumBinary = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!fs.existsSync(chromiumBinary))
		throw new Error(
			`no Chromium at ${chromiumBinary} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
		);
	const cleanups = [];
	try {
		const nodeBinDir = projectNodeBinDir();
		const nodeBinary = path.join(nodeBinDir, 'node');
		const baseEnv = withNodeOnPath(nodeBinDir);
		log(
			`Node for npm and n8n: ${nodeBinary} (${spawnSync(nodeBinary, ['-v'], { encoding: 'utf8' }).stdout.trim()})`,
		);
		const n8nBin = await timed('ensure n8n', () =>
			ensureN8n({ cacheDir: n8nCacheDir(), env: baseEnv, nodeBinary }),
		);

		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-screenshot-'));
		cleanups.unshift(() => {
			if (process.env.N8N_SMOKE_KEEP === '1') log(`kept ${tmp} (N8N_SMOKE_KEEP=1)`);
			else fs.rmSync(tmp, { recursive: true, force: true });
		});
		const userFolder = path.join(tmp, 'n8n');
		fs.mkdirSync(userFolder);
		const packs = await timed('build + pack', () =>
			buildAndPack({ env: baseEnv, destination: tmp }),
		);
		await timed('install the community packages', () =>
			installCommunityPackages({ packs, userFolder, env: baseEnv }),
		);

		const port = await freePort();
		const baseUrl = `http://127.0.0.1:${port}`;
		const env = {
			...n8nEnv(baseEnv, userFolder, { runnerBrokerPort: await freePort() }),
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PORT: String(port),
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
			N8N_LOG_LEVEL: 'warn',
		};
		log(`starting n8n on ${baseUrl}`);
		const n8n = spawnGroup(nodeBinary, [n8nBin, 'start'], { cwd: userFolder, env });
		cleanups.unshift(() => n8n.stop());
		await timed('n8n start until /healthz + /healthz/readiness', () => waitForN8n(baseUrl, n8n));
		log('n8n is up');

		const rest = restClient(baseUrl);
		await timed('owner setup + login', () => signInOwner(rest, { fresh: true }));
		if (!rest.authCookie) throw new Error('login set no n8n-auth cookie');

		const { file, workflow } = await timed('wait for the workflow file', () => pickWorkflow());
		log(
			`workflow: ${path.relative(REPO_ROOT, file)} (${workflow.nodes.length} nodes: ${workflow.nodes.map((n) => n.name).join(', ')})`,
		);
		const created = await timed('create credentials + workflow', async () => {
			const idMap = new Map();
			for (const ref of credentialRefs(workflow)) {
				const credential = await rest.call('POST', '/credentials', {
					name: ref.name ?? ref.type,
					type: ref.type,
					data: placeholderCredentialData(ref.type),
				});
				idMap.set(`${ref.type}\u0000${ref.id ?? ref.name}`, credential.id);
			}
			const nodes = workflow.nodes.map((node) => {
				if (!node.credentials) return node;
				const credentials = Object.fromEntries(
					Object.entries(node.credentials).map(([type, ref]) => [
						type,
						{ ...ref, id: idMap.get(`${type}\u0000${ref.id ?? ref.name}`) },
					]),
				);
				return { ...node, credentials };
			});
			const { name, connections, settings, pinData, meta } = workflow;
			return await rest.call('POST', '/workflows', {
				name,
				nodes,
				connections,
				settings,
				...(pinData ? { pinData } : {}),
				...(meta ? { meta } : {}),
			});
		});
		log(`created workflow ${created.id} "${created.name}"`);

		const userDataDir = path.join(tmp, 'chromium');
		fs.mkdirSync(userDataDir);
		const chromium = await timed('start Chromium', () =>
			startChromium({ binary: chromiumBinary, userDataDir }),
		);
		cleanups.unshift(() => chromium.child.stop(5_000));
		cleanups.unshift(() => chromium.cdp.close());
		// Sticky notes are canvas nodes too, but without the `canvas-node` test id on some versions: count real nodes.
		const tidyUp = process.env.SCREENSHOT_TIDY !== '0';
		log(
			tidyUp
				? "applying the editor's Tidy up before the screenshot (SCREENSHOT_TIDY=0 to skip)"
				: 'SCREENSHOT_TIDY=0: the layout of the file as it is',
		);
		const expectedNodes = workflow.nodes.filter(
			(n) => n.type !== 'n8n-nodes-base.stickyNote',
		).length;
		const png = await timed('open editor + screenshot', () =>
			screenshotPage(chromium.cdp, {
				url: `${baseUrl}/workflow/${created.id}`,
				cookie: rest.authCookie,
				expectedNodes,
				tidyUp,
			}),
		);
		fs.mkdirSync(path.dirname(out), { recursive: true });
		fs.writeFileSync(out, png);
		log(
			`wrote ${path.relative(REPO_ROOT, out)} (${png.length} bytes) from ${path.relative(REPO_ROOT, file)}`,
		);
		return 0;
	} catch (error) {
		console.error(`screenshot failed: ${error instanceof Error ? error.message : error}`);
		return 1;
	} finally {
		await runCleanups(cleanups);
		console.log(`timings: ${timings.join('; ')}; total ${((Date.now() - t0) / 1000).toFixed(1)}s`);
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
	process.exitCode = await main();
}
