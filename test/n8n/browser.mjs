/**
 * The browser phases of the real-n8n test share one `n8n start` and one headless Chromium: phase 3
 * (credentials.mjs: the credential dialog's Test and Connect) and phase 4 (editor.mjs: every node at
 * its defaults, the example workflows, the month-end example's first run). smoke.mjs's main starts
 * the session once (`startBrowserSession`), hands it to both phases and ends it
 * (`endBrowserSession`); everything a phase needs from a browser is here, not copied per phase.
 *
 * Chromium: Debian's /usr/bin/chromium (CHROMIUM_PATH), driven by playwright-core (a dev
 * dependency; it never downloads a browser), `launchPersistentContext` on a fresh temp
 * --user-data-dir, with --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
 * --disable-background-networking --disable-component-update --disable-sync (the network here is
 * closed: without them Chromium hangs on refused connections; the session checks the browser
 * process's command line). Every page request that is not for 127.0.0.1 is aborted before it is
 * sent and reported: n8n 2.40.7's editor asks for a Google Fonts stylesheet (expected, it renders
 * without it); anything else fails the session's last check.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { restClient, signInOwner, startN8n } from './n8n-server.mjs';

/** The flags the brief for this machine asks for (closed network): see the file comment. */
export const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
export const VIEWPORT = { width: 1400, height: 900 };
/** What n8n 2.40.7's editor asks for outside the machine (blocked): its Google Fonts stylesheet. */
export const EDITOR_FONT_ORIGINS = ['https://fonts.googleapis.com', 'https://fonts.gstatic.com'];
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
/**
 * The editor is a single-page app of ~30 MB of JavaScript: its first load is CPU-bound and took
 * 10–50 s on this shared 2-core machine (it waits for a real element, this is only the cap).
 */
export const EDITOR_LOAD_TIMEOUT_MS = 120_000;

/** Where screenshots go: N8N_SMOKE_SCREENSHOTS (relative to the repository), default test/n8n/.cache/screenshots. */
export function screenshotsDir(repoRoot, value = process.env.N8N_SMOKE_SCREENSHOTS) {
	return path.resolve(repoRoot, value || path.join('test', 'n8n', '.cache', 'screenshots'));
}

/** The command lines of running processes whose command line contains `needle` (Linux /proc). */
export function processesWith(needle) {
	const found = [];
	for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
			if (args.some((a) => a.includes(needle))) found.push({ pid: Number(pid), args });
		} catch {
			// gone
		}
	}
	return found;
}

/**
 * Starts Chromium (see the file comment). Returns `{ missing }` when there is no Chromium at
 * CHROMIUM_PATH, else the browser: `context`, its first `page`, `offLoopback` (origins of the
 * requests it blocked), `browserProcess`/`missingFlags` (what the command line showed),
 * `signIn(baseUrl, cookie)` (sets n8n's auth cookie, replacing any other user's), `shot(target, file)`,
 * `failureShot(name)` (every open page, `<name>-<n>.png`) and `close()`.
 */
export async function launchBrowser({ shotsDir, log }) {
	const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!fs.existsSync(chromiumPath)) return { missing: chromiumPath };
	const { chromium, selectors } = await import('playwright-core');
	selectors.setTestIdAttribute('data-test-id'); // n8n's editor marks its elements with data-test-id
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-smoke-chromium-'));
	let context;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: chromiumPath,
			headless: true,
			chromiumSandbox: false,
			// playwright adds --headless, --no-sandbox and --user-data-dir itself; the rest are ours.
			args: CHROMIUM_FLAGS.filter((flag) => flag !== '--headless' && flag !== '--no-sandbox'),
			viewport: VIEWPORT,
			timeout: 60_000,
		});
	} catch (error) {
		fs.rmSync(userDataDir, { recursive: true, force: true });
		throw error;
	}
	const browserProcess = processesWith(`--user-data-dir=${userDataDir}`).find(
		(p) => !p.args.some((a) => a.startsWith('--type=')),
	);
	const missingFlags = CHROMIUM_FLAGS.filter((flag) => !browserProcess?.args.includes(flag));
	// Only loopback: any page request elsewhere is aborted before it is sent, and reported.
	const offLoopback = [];
	await context.route('**/*', (route) => {
		const url = new URL(route.request().url());
		if (!/^https?:$/.test(url.protocol) || LOOPBACK_HOSTS.includes(url.hostname))
			return route.continue();
		offLoopback.push(url.origin);
		return route.abort('blockedbyclient');
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(30_000);
	// A navigation gets longer: the first editor page in the fresh profile loads the whole editor
	// uncached (n8n-editor-ui's dist: 35 MB in 2.40.7, 40 MB in 2.41.1). Measured on this 2-core
	// machine under load (load average ~12): 2.41.1's first page.goto ran past 30 s once (blank
	// page, "page.goto: Timeout 30000ms exceeded") and took ~30 s in the next run.
	page.setDefaultNavigationTimeout(90_000);
	fs.mkdirSync(shotsDir, { recursive: true });
	let closed = false;
	return {
		chromiumPath,
		context,
		page,
		userDataDir,
		browserProcess,
		missingFlags,
		offLoopback,
		async signIn(baseUrl, cookie) {
			await context.addCookies([
				{ name: cookie.name, value: cookie.value, url: baseUrl, httpOnly: true },
			]);
		},
		async shot(target, file) {
			const out = path.join(shotsDir, file);
			await target.screenshot({ path: out });
			log(`screenshot ${out}`);
			return out;
		},
		async failureShot(name) {
			const pages = context.pages();
			for (const [index, p] of pages.entries()) {
				await p
					.screenshot({ path: path.join(shotsDir, `${name}-${index}.png`) })
					.catch(() => undefined);
			}
			log(`failure screenshots ${name}-*.png in ${shotsDir}`);
		},
		async close() {
			if (closed) return;
			closed = true;
			await context.close().catch(() => undefined);
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** Opens an editor URL and waits until `ready` (a locator) is visible: the app has loaded. */
export async function openEditorPage(page, url, ready) {
	await page.goto(url, { waitUntil: 'domcontentloaded', timeout: EDITOR_LOAD_TIMEOUT_MS });
	await ready.waitFor({ timeout: EDITOR_LOAD_TIMEOUT_MS });
}

/**
 * One `n8n start` in the smoke's user folder (the installed packages, the imported credentials and
 * workflows), the owner signed in over REST (`rest`), and Chromium with the owner's auth cookie.
 * Records the start and the browser's flags. `browser` is undefined when there is no Chromium (a
 * FAIL is recorded; the phases then skip what needs a browser).
 */
export async function startBrowserSession({
	record,
	env,
	n8nBin,
	nodeBinary,
	userFolder,
	shotsDir,
	timed,
	log,
}) {
	const server = await timed('browser phases: n8n start until /healthz/readiness', () =>
		startN8n({ env, n8nBin, nodeBinary, userFolder }),
	);
	const rest = restClient(server.baseUrl);
	try {
		await timed('browser phases: owner setup (if not yet) + login', () => signInOwner(rest));
	} catch (error) {
		await server.stop();
		throw error;
	}
	record(
		`browser phases: n8n start (${server.baseUrl}), owner logged in`,
		Boolean(rest.authCookie),
		server.baseUrl,
	);
	const session = { ...server, rest, browser: undefined };
	const browser = await timed('browser phases: start Chromium', () =>
		launchBrowser({ shotsDir, log }),
	).catch((error) => ({ error }));
	if (browser.missing || browser.error) {
		record(
			'browser phases: Chromium',
			false,
			browser.missing
				? `no Chromium at ${browser.missing} (apt-get install -y chromium; .ci/run installs it)`
				: String(browser.error.message).split('\n')[0],
		);
		return session;
	}
	const { browserProcess, missingFlags, userDataDir } = browser;
	record(
		`browser phases: Chromium ${browser.chromiumPath} started with ${CHROMIUM_FLAGS.join(' ')} and a fresh --user-data-dir`,
		Boolean(browserProcess) &&
			missingFlags.length === 0 &&
			browserProcess.args.includes(`--user-data-dir=${userDataDir}`),
		browserProcess
			? missingFlags.length
				? `missing ${missingFlags.join(' ')}`
				: `pid ${browserProcess.pid}`
			: 'browser process not found',
	);
	await browser.signIn(server.baseUrl, rest.authCookie);
	session.browser = browser;
	return session;
}

/** Closes the browser (recording what it was kept from sending elsewhere) and stops n8n. */
export async function endBrowserSession(session, { record, timed }) {
	if (session.browser) {
		const { offLoopback } = session.browser;
		const blockedOrigins = [...new Set(offLoopback)];
		const unexpected = blockedOrigins.filter((origin) => !EDITOR_FONT_ORIGINS.includes(origin));
		record(
			"browser phases: the browser sent nothing outside 127.0.0.1 (page requests elsewhere blocked; only the editor's font stylesheet expected)",
			unexpected.length === 0,
			blockedOrigins.length
				? `blocked ${offLoopback.length} request(s) to ${blockedOrigins.join(', ')}${unexpected.length ? `; unexpected: ${unexpected.join(', ')}` : ''}`
				: 'every request went to n8n or the sandboxes',
		);
		await session.browser.close();
	}
	const ended = await timed('browser phases: stop n8n', () => session.stop());
	record(
		'browser phases: n8n stopped on SIGTERM',
		Boolean(ended) && !ended.killed,
		`exit ${ended?.code ?? ended?.signal}${ended?.killed ? ' (had to SIGKILL)' : ''}`,
	);
	if (process.env.N8N_SMOKE_VERBOSE === '1') console.log(session.n8n.output());
}
