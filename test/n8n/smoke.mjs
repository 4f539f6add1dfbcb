#!/usr/bin/env node
/**
 * Smoke test in a REAL headless n8n (pinned 2.40.7): installs this package the way n8n installs a
 * community package, imports a Visma.net credential that points at the local sandbox, runs the
 * workflows in test/n8n/workflows with `n8n execute` and checks the sandbox afterwards.
 *
 *   npm run test:n8n            (= node test/n8n/smoke.mjs, on the project's Node 24)
 *   npm run test:n8n -- --n8n-version 2.41.1     (another n8n; or N8N_SMOKE_N8N_VERSION=2.41.1)
 *   npm run test:n8n -- --help  (the phases and the env vars that choose them)
 *
 * See test/n8n/README.md for the cache, the env vars and why each n8n setting is there.
 * Plain Node ESM without dependencies: the helpers are exported for reuse and inspection.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { freePort, restClient, runCleanups, signInOwner, startN8n } from './n8n-server.mjs';
import { PACKAGE_DIRS } from '../../scripts/packages.mjs';
import { endBrowserSession, screenshotsDir, startBrowserSession } from './browser.mjs';
import { credentialsPhase } from './credentials.mjs';
import { editorPhase } from './editor.mjs';

/** The pinned n8n: what `npm run test:n8n` (and CI) runs against unless another version is chosen. */
export const N8N_VERSION = '2.40.7';
export const PACKAGE_NAME = 'n8n-nodes-visma-net-payroll';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WORKFLOWS_DIR = path.join(REPO_ROOT, 'test', 'n8n', 'workflows');
/** The example workflows shipped for users (workflows/*.json): imported unchanged, see EXAMPLE_CHECKS. */
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'workflows');
export const CREDENTIAL_ID = 'VismaSmokeCred01';
export const CREDENTIAL_NAME = 'Visma.net sandbox (smoke)';
/** Second Visma.net administration (tenant …5e02, Installatiebedrijf Jansen BV) and the Nmbrs sandbox. */
export const CREDENTIAL_B_ID = 'VismaSmokeCred02';
export const CREDENTIAL_B_NAME = 'Visma.net Jansen sandbox (smoke)';
export const TENANT_B = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e02';
/** Third Visma.net administration (tenant …5e03, Schoonmaakbedrijf Bakker BV: 13 four-weekly periods a year). */
export const TENANT_C = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e03';
/** One credential for every administration (multi-company.json): Administrations 1234 → …5e01, 2345 → …5e02, 9012 → …5e03. */
export const CREDENTIAL_OFFICE_ID = 'VismaSmokeCredOffice';
export const CREDENTIAL_OFFICE_NAME = 'Visma.net office: all administrations (smoke)';
export const NMBRS_CREDENTIAL_ID = 'NmbrsSmokeCred01';
export const NMBRS_CREDENTIAL_NAME = 'Nmbrs sandbox (smoke)';
/** Fixed, test-only key: the throwaway database is deleted after the run. */
export const TEST_ENCRYPTION_KEY = 'visma-net-payroll-n8n-smoke-test-key-0001';
/** Native addons n8n needs to start and run a workflow (see README): loaded with Node 24 to check. */
export const REQUIRED_NATIVE_ADDONS = ['sqlite3', 'isolated-vm'];
export const EXPECTED_BATCH_PERIODS = ['202601', '202602', '202603'];
export const TENANT_A = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e01';
/**
 * The phases (N8N_SMOKE_PHASES, comma-separated): `execute` (phase 1, `n8n execute`), `start`
 * (phase 2, the published examples), `credentials` (phase 3, the credential's Test and Connect),
 * `editor` (phase 4, the editor in headless Chromium). Build, install and imports always run.
 */
export const DEFAULT_PHASES = 'execute,start,credentials,editor';
/** The n8n Variable the examples' notification nodes read (`$vars.PAYROLL_NOTIFY_URL`). */
export const NOTIFY_VARIABLE = 'PAYROLL_NOTIFY_URL';

// ---------------------------------------------------------------------------------------------
// Decisions (pure helpers)
// ---------------------------------------------------------------------------------------------

/**
 * The n8n version this run tests: `--n8n-version <v>` (or `--n8n-version=<v>`) on the command line,
 * else N8N_SMOKE_N8N_VERSION, else the pinned N8N_VERSION. An exact version only (no range, no
 * dist-tag): the cache folder is per version and an install is reused only when its version is
 * exactly this one. Not N8N_VERSION from the environment: n8n's own Docker image sets that variable.
 * Throws on an unknown argument or a malformed version.
 */
export function selectedN8nVersion(argv = process.argv.slice(2), env = process.env) {
	let chosen;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--n8n-version') {
			if (i + 1 >= argv.length)
				throw new Error('--n8n-version needs a version, e.g. --n8n-version 2.41.1');
			chosen = argv[++i];
		} else if (arg.startsWith('--n8n-version=')) {
			chosen = arg.slice('--n8n-version='.length);
		} else {
			throw new Error(
				`unknown argument ${JSON.stringify(arg)} (the only one is --n8n-version <version>)`,
			);
		}
	}
	const version = (chosen ?? env.N8N_SMOKE_N8N_VERSION ?? '').trim() || N8N_VERSION;
	if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version))
		throw new Error(`not an exact n8n version: ${JSON.stringify(version)} (e.g. 2.41.1)`);
	return version;
}

/**
 * Where n8n `version` is installed (outside the work tree; one folder per version, so the pinned
 * install is never replaced by another version's), overridable with N8N_SMOKE_CACHE_DIR.
 */
export function n8nCacheDir(env = process.env, version = N8N_VERSION) {
	if (env.N8N_SMOKE_CACHE_DIR) return path.resolve(env.N8N_SMOKE_CACHE_DIR);
	const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, PACKAGE_NAME, `n8n-${version}`);
}

/** Folder of the real Node 24 binary pinned as the dev dependency `node` (node_modules/.bin/node). */
export function projectNodeBinDir(repoRoot = REPO_ROOT) {
	return path.dirname(fs.realpathSync(path.join(repoRoot, 'node_modules', '.bin', 'node')));
}

/** The environment for npm and n8n child processes: Node 24 first on PATH. */
export function withNodeOnPath(nodeBinDir, env = process.env) {
	return { ...env, PATH: [nodeBinDir, env.PATH].filter(Boolean).join(path.delimiter) };
}

/**
 * n8n's settings for a headless, offline, throwaway instance. Everything else stays at n8n 2.40's
 * defaults on purpose (expression engine `vm` = isolated-vm, task runners `internal`, SSRF
 * protection off), so the smoke test runs what a self-hosted user runs.
 */
export function n8nEnv(baseEnv, userFolder, { runnerBrokerPort } = {}) {
	const env = { ...baseEnv };
	// Keep the caller's n8n settings out: the smoke run must not depend on them.
	for (const key of Object.keys(env)) {
		if (
			(key.startsWith('N8N_') && !key.startsWith('N8N_SMOKE_')) ||
			key.startsWith('DB_') ||
			key === 'NODE_PATH'
		)
			delete env[key];
	}
	return {
		...env,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		// No calls home, no banners: this machine reaches no host but the package registries.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		// The settings file in the throwaway folder is created by n8n; avoid its permission warning.
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// Default in 2.40 already (SSRF protection is opt-in); set explicitly because the nodes call
		// the sandbox on 127.0.0.1, which is in SSRF_DEFAULT_BLOCKED_IP_RANGES when it is turned on.
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		// Code nodes run in the JS task runner that n8n starts itself as a child process (the 2.x
		// default, spelled out). No Python runner is needed.
		N8N_RUNNERS_MODE: 'internal',
		// The runner broker listens on 127.0.0.1:5679 by default; a free port lets the smoke test run
		// beside a local n8n or another smoke run.
		...(runnerBrokerPort ? { N8N_RUNNERS_BROKER_PORT: String(runnerBrokerPort) } : {}),
		// Community packages: load from <N8N_USER_FOLDER>/.n8n/nodes/node_modules (the default).
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_LOG_LEVEL: baseEnv.N8N_SMOKE_LOG_LEVEL || 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_NO_COLOR: '1',
		NO_COLOR: '1',
	};
}

/** A TCP port that is free on 127.0.0.1 right now (in n8n-server.mjs; re-exported for the other scripts). */
export { freePort };

/** The credential n8n imports (plain data; `n8n import:credentials` encrypts an object `data`). */
export function sandboxCredential(sandboxUrl, demo) {
	return {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: 'vismaNetOAuth2Api',
		data: {
			grantType: 'clientCredentials',
			environment: 'custom',
			customApiUrl: sandboxUrl,
			customConnectUrl: sandboxUrl,
			clientId: demo.clientId,
			clientSecret: demo.clientSecret,
			tenantId: demo.tenantId,
		},
	};
}

/** sandboxCredential under another `id` and `name`, with `data` over its data. */
function sandboxCredentialAs(sandboxUrl, demo, id, name, data) {
	const credential = sandboxCredential(sandboxUrl, demo);
	return { ...credential, id, name, data: { ...credential.data, ...data } };
}

/** The same Visma.net sandbox, as the administration of tenant …5e02. */
export function sandboxCredentialB(sandboxUrl, demo) {
	return sandboxCredentialAs(sandboxUrl, demo, CREDENTIAL_B_ID, CREDENTIAL_B_NAME, {
		tenantId: TENANT_B,
	});
}

/** The same Visma.net sandbox as an office sees it: one service integration, Administrations for three companies. */
export function sandboxCredentialOffice(sandboxUrl, demo) {
	return sandboxCredentialAs(sandboxUrl, demo, CREDENTIAL_OFFICE_ID, CREDENTIAL_OFFICE_NAME, {
		administrations: {
			administration: [
				{ companyId: '1234', tenantId: TENANT_A, name: 'Bakkerij De Vries BV' },
				{ companyId: '2345', tenantId: TENANT_B, name: 'Installatiebedrijf Jansen BV' },
				{ companyId: '9012', tenantId: TENANT_C, name: 'Schoonmaakbedrijf Bakker BV' },
			],
		},
	});
}

/** The nmbrsApi credential pointing at the Nmbrs SOAP sandbox. */
export function nmbrsCredential(nmbrs) {
	return {
		id: NMBRS_CREDENTIAL_ID,
		name: NMBRS_CREDENTIAL_NAME,
		type: 'nmbrsApi',
		data: {
			username: nmbrs.username,
			token: nmbrs.token,
			domain: nmbrs.domain,
			environment: 'custom',
			customUrl: nmbrs.url,
		},
	};
}

/** Parses the Nmbrs sandbox's first line. */
export function parseNmbrsBanner(line) {
	const match = /Nmbrs sandbox listening on (\S+) username=(\S+) token=(\S+) domain=(\S*)/.exec(
		line,
	);
	if (!match) return undefined;
	return { url: match[1], username: match[2], token: match[3], domain: match[4] };
}

/**
 * What `n8n execute` can run: it starts a workflow at its Manual Trigger (or Execute Workflow
 * Trigger) only, in mode `cli` (a poll node then passes its empty input on instead of polling, and
 * pinData is ignored outside manual/evaluation mode). Example workflows started by the Nmbrs
 * Trigger or a Webhook are therefore imported (and checked by the unit test) but not executed.
 */
export function executableByCli(workflow) {
	return workflow.nodes.some(
		(node) =>
			node.type === 'n8n-nodes-base.manualTrigger' ||
			node.type === 'n8n-nodes-base.executeWorkflowTrigger',
	);
}

/** Per example file: checks on the `n8n execute` output (runData by node name) and the sandbox. */
export const EXAMPLE_CHECKS = {
	'dry-run-preview.json': (runData) => {
		const previews = runData['Build preview']?.[0]?.data?.main?.[0]?.map((item) => item.json) ?? [];
		const files = runData['Preview file (HTML)']?.[0]?.data?.main?.[0] ?? [];
		const preview = previews[0];
		const binary = files[0]?.binary?.data;
		const problems = [];
		if (previews.length !== 1) problems.push(`want 1 preview, got ${previews.length}`);
		if (JSON.stringify(preview?.periods) !== JSON.stringify(EXPECTED_BATCH_PERIODS))
			problems.push(`periods ${JSON.stringify(preview?.periods)}`);
		if (JSON.stringify(preview?.twkPeriods) !== JSON.stringify(['202601', '202602']))
			problems.push(`TWK periods ${JSON.stringify(preview?.twkPeriods)}`);
		if (!/<table>/.test(preview?.html ?? '') || !/TWK/.test(preview?.html ?? ''))
			problems.push('no HTML table with TWK marked');
		if (binary?.mimeType !== 'text/plain' && !/html/.test(binary?.fileName ?? ''))
			problems.push(`no preview file (${JSON.stringify(binary ?? null)})`);
		return {
			ok: problems.length === 0,
			detail: problems.length
				? problems.join('; ')
				: `periods ${preview.periods.join(', ')}, TWK ${preview.twkPeriods.join(', ')}, debit ${preview.debitTotal} = credit ${preview.creditTotal}, file ${binary?.fileName} (${binary?.fileSize ?? '?'})`,
		};
	},
};

/** runData of an `n8n execute` that printed "Execution was successful". */
export function executionRunData(executeStdout) {
	const text = stripAnsi(executeStdout);
	const marker = text.indexOf('Execution was successful');
	if (marker < 0) return undefined;
	for (let at = text.indexOf('{', marker); at >= 0; at = text.indexOf('{', at + 1)) {
		const data = parseObjectAt(text, at);
		if (data?.data?.resultData) return data.data.resultData.runData ?? {};
	}
	return undefined;
}

/** Parses the sandbox's first line: URL and demo credentials. */
export function parseSandboxBanner(line) {
	const match = /listening on (\S+) client_id=(\S+) client_secret=(\S+) tenant_id=(\S+)/.exec(line);
	if (!match) return undefined;
	return {
		url: match[1],
		demo: { clientId: match[2], clientSecret: match[3], tenantId: match[4] },
	};
}

/** What n8n's CommunityPackagesService.downloadPackage strips before `npm install` in the package folder. */
export function stripForCommunityInstall(packageJson) {
	const { devDependencies, peerDependencies, optionalDependencies, ...rest } = packageJson;
	return rest;
}

/** The exact `npm install` arguments n8n 2.40 uses inside an unpacked community package. */
export const COMMUNITY_INSTALL_ARGS = [
	'install',
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

/** Removes ANSI colour codes (n8n colours its console log unless told not to). */
export function stripAnsi(text) {
	// eslint-disable-next-line no-control-regex -- ESC starts the colour codes it removes
	return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** The first complete JSON object in `text` at or after `from` (string-aware brace matching). */
export function extractJsonObject(text, from = 0) {
	const start = text.indexOf('{', from);
	if (start < 0) return undefined;
	return parseObjectAt(text, start);
}

function parseObjectAt(text, start) {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const ch = text[i];
		if (inString) {
			if (ch === '\\') i++;
			else if (ch === '"') inString = false;
		} else if (ch === '"') inString = true;
		else if (ch === '{') depth++;
		else if (ch === '}' && --depth === 0) {
			try {
				return JSON.parse(text.slice(start, i + 1));
			} catch {
				return undefined;
			}
		}
	}
	return undefined;
}

/** The items the workflow's last (checking) node returned, from `n8n execute` output. */
export function checkNodeResult(executeStdout, checkNodeName) {
	const text = stripAnsi(executeStdout);
	const marker = text.indexOf('Execution was successful');
	if (marker < 0) return undefined;
	// The execution is printed as one JSON object; log lines around it carry small metadata objects.
	for (let at = text.indexOf('{', marker); at >= 0; at = text.indexOf('{', at + 1)) {
		const data = parseObjectAt(text, at);
		if (data?.data?.resultData) {
			const runs = data.data.resultData.runData?.[checkNodeName];
			return runs?.[0]?.data?.main?.[0]?.map((item) => item.json);
		}
	}
	return undefined;
}

/** What n8n's debug log says it loaded from this package: `{ credentials, nodes }`, or undefined. */
export function loadedPackageCounts(output, packageName = PACKAGE_NAME) {
	const line = stripAnsi(output)
		.split('\n')
		.find((l) => l.includes(`Loaded all credentials and nodes from ${packageName}`));
	if (!line) return undefined;
	const credentials = /"credentials":\s*(\d+)/.exec(line)?.[1];
	const nodes = /"nodes":\s*(\d+)/.exec(line)?.[1];
	return { credentials: Number(credentials), nodes: Number(nodes) };
}

/** The lines of a failed n8n command worth reading: errors and the end, without the run-data dump. */
export function failureExcerpt(output, maxLines = 40) {
	const lines = stripAnsi(output)
		.split('\n')
		.filter((line) => line.trim());
	const interesting = lines.filter(
		(line) =>
			/error|fail|cannot|could not|not found|unrecognized|SMOKE CHECK/i.test(line) &&
			line.length < 600,
	);
	const tail = lines.slice(-8).map((line) => (line.length > 600 ? `${line.slice(0, 600)}…` : line));
	return [...new Set([...interesting.slice(0, maxLines), ...tail])];
}

export function summaryLine(results) {
	const passed = results.filter((r) => r.ok).length;
	return `smoke: ${passed} passed, ${results.length - passed} failed`;
}

// ---------------------------------------------------------------------------------------------
// Process helpers
// ---------------------------------------------------------------------------------------------

/** `log` (lines prefixed `[name +seconds]`) and `timed` (runs a step, logs and records its time). */
export function stepLogger(name) {
	const t0 = Date.now();
	const timings = [];
	const log = (message) =>
		console.log(`[${name} +${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);
	const timed = async (label, fn) => {
		const start = Date.now();
		try {
			return await fn();
		} finally {
			const seconds = (Date.now() - start) / 1000;
			timings.push({ label, seconds });
			log(`${label}: ${seconds.toFixed(1)}s`);
		}
	};
	return { t0, timings, log, timed };
}

const { t0, timings, log, timed } = stepLogger('smoke');

/** Runs a command, streaming its output with a prefix (or capturing it), and resolves with the result. */
export function run(
	command,
	args,
	{ cwd, env, capture = false, prefix = '', timeoutMs = 30 * 60_000, heartbeat } = {},
) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		const started = Date.now();
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		const beat = heartbeat
			? setInterval(
					() => log(`${heartbeat}: still running (${Math.round((Date.now() - started) / 1000)}s)`),
					30_000,
				)
			: undefined;
		child.on('close', () => clearInterval(beat));
		const relay = (stream, chunk) => {
			if (capture) return;
			for (const line of chunk.toString().split('\n'))
				if (line.trim()) stream.write(`${prefix}${line}\n`);
		};
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			relay(process.stdout, chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
			relay(process.stderr, chunk);
		});
		child.on('error', (error) => {
			clearTimeout(timer);
			resolve({ code: -1, stdout, stderr: `${stderr}${error.message}` });
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code: code ?? (signal ? 128 : -1), signal, stdout, stderr });
		});
	});
}

async function runOrThrow(command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
		throw new Error(
			`${command} ${args.join(' ')} exited ${result.code}${capture(options) ? `\n${tail}` : ''}`,
		);
	}
	return result;
}
const capture = (options) => Boolean(options?.capture);

// ---------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------

/** Does `require(name)` work for n8n's copy with the given Node binary? */
export function nativeAddonLoads(cacheDir, name, nodeBinary) {
	const script = `const { createRequire } = require('node:module');
const r = createRequire(require.resolve('n8n/package.json', { paths: [process.cwd()] }));
const m = r(${JSON.stringify(name)});
if (${JSON.stringify(name)} === 'isolated-vm') { const i = new m.Isolate({ memoryLimit: 8 }); i.compileScriptSync('1+1').runSync(i.createContextSync()); i.dispose(); }
if (${JSON.stringify(name)} === 'sqlite3') { new m.Database(':memory:').close(); }`;
	const result = spawnSync(nodeBinary, ['-e', script], { cwd: cacheDir, encoding: 'utf8' });
	return {
		ok: result.status === 0,
		error: result.stderr.trim().split('\n').slice(0, 6).join('\n'),
	};
}

/** npm's configured nodedir when it holds headers of exactly this Node version, else undefined. */
function matchingNodeHeaders(env, cacheDir) {
	const candidates = [];
	const configured = spawnSync('npm', ['config', 'get', 'nodedir'], {
		cwd: cacheDir,
		env,
		encoding: 'utf8',
	}).stdout?.trim();
	if (configured && configured !== 'null' && configured !== 'undefined')
		candidates.push(configured);
	candidates.push(path.join(cacheDir, `node-headers-${process.versions.node}`));
	for (const dir of candidates) {
		const header = path.join(dir, 'include', 'node', 'node_version.h');
		if (!fs.existsSync(header)) continue;
		const text = fs.readFileSync(header, 'utf8');
		const v = (name) => new RegExp(`#define\\s+NODE_${name}_VERSION\\s+(\\d+)`).exec(text)?.[1];
		if (`${v('MAJOR')}.${v('MINOR')}.${v('PATCH')}` === process.versions.node) return dir;
	}
	return undefined;
}

/** Headers of this exact Node version (for node-gyp), from the registry package node-<os>-<arch>. */
async function ensureNodeHeaders(env, cacheDir) {
	const existing = matchingNodeHeaders(env, cacheDir);
	if (existing) return existing;
	const dir = path.join(cacheDir, `node-headers-${process.versions.node}`);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'node-headers-'));
	try {
		const spec = `node-${process.platform}-${process.arch}@${process.versions.node}`;
		log(`fetching Node ${process.versions.node} headers for node-gyp (npm pack ${spec})`);
		const packed = await runOrThrow('npm', ['pack', spec, '--silent'], {
			cwd: tmp,
			env,
			capture: true,
		});
		fs.mkdirSync(dir, { recursive: true });
		await runOrThrow(
			'tar',
			[
				'-xzf',
				path.join(tmp, packed.stdout.trim().split('\n').pop()),
				'-C',
				dir,
				'--strip-components=1',
				'package/include',
			],
			{ capture: true },
		);
		return dir;
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

/** Installs n8n@version (default: the pinned one) into the cache (once) and makes its native addons load on Node 24. */
export async function ensureN8n({ cacheDir, env, nodeBinary, version = N8N_VERSION }) {
	const n8nPackage = path.join(cacheDir, 'node_modules', 'n8n', 'package.json');
	const installed =
		fs.existsSync(n8nPackage) &&
		JSON.parse(fs.readFileSync(n8nPackage, 'utf8')).version === version;
	if (installed) {
		log(`n8n ${version} found in ${cacheDir}`);
	} else {
		log(
			`installing n8n ${version} into ${cacheDir} (the first time takes ~9 minutes: ~2,350 packages, 2.8 GB)`,
		);
		fs.rmSync(path.join(cacheDir, 'node_modules'), { recursive: true, force: true });
		fs.mkdirSync(cacheDir, { recursive: true });
		fs.writeFileSync(
			path.join(cacheDir, 'package.json'),
			`${JSON.stringify({ name: 'n8n-smoke-cache', private: true }, null, 2)}\n`,
		);
		await timed(`npm install n8n@${version}`, () =>
			runOrThrow(
				'npm',
				['install', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${version}`],
				{
					cwd: cacheDir,
					env,
					capture: true,
					heartbeat: `npm install n8n@${version}`,
				},
			),
		);
	}
	for (const name of REQUIRED_NATIVE_ADDONS) {
		let check = nativeAddonLoads(cacheDir, name, nodeBinary);
		if (check.ok) {
			log(`native addon ${name}: loads on Node ${process.versions.node}`);
			continue;
		}
		log(
			`native addon ${name} does not load on Node ${process.versions.node}; rebuilding (sqlite3 compiles from source: ~4 minutes)\n${check.error}`,
		);
		const nodedir = await ensureNodeHeaders(env, cacheDir);
		await timed(`npm rebuild ${name}`, () =>
			runOrThrow('npm', ['rebuild', name, '--foreground-scripts'], {
				cwd: cacheDir,
				env: { ...env, npm_config_nodedir: nodedir },
				capture: true,
				heartbeat: `npm rebuild ${name}`,
			}),
		);
		check = nativeAddonLoads(cacheDir, name, nodeBinary);
		if (!check.ok)
			throw new Error(
				`native addon ${name} still does not load after npm rebuild:\n${check.error}`,
			);
		log(`native addon ${name}: rebuilt, loads`);
	}
	return path.join(cacheDir, 'node_modules', 'n8n', 'bin', 'n8n');
}

/**
 * Builds every package of this repository (`npm run build` at the root builds them all) and packs
 * each (`npm pack` in its folder): `[{ name, dir, tarball, version, fileCount, n8n }]`, the
 * Visma.net package first. Fails when a tarball lacks a file its package.json's n8n section names.
 */
export async function buildAndPack({ env, destination }) {
	await timed('npm run build', () =>
		runOrThrow('npm', ['run', 'build'], { cwd: REPO_ROOT, env, capture: true }),
	);
	const packs = [];
	for (const relative of PACKAGE_DIRS) {
		const dir = path.join(REPO_ROOT, relative);
		const packed = await timed(`npm pack ${relative}`, () =>
			runOrThrow('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
				cwd: dir,
				env,
				capture: true,
			}),
		);
		const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')))[0];
		const files = info.files.map((file) => file.path);
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
		const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter(
			(file) => !files.includes(file),
		);
		if (missing.length)
			throw new Error(
				`the tarball of ${pkg.name} lacks files its package.json's n8n section names: ${missing.join(', ')}`,
			);
		packs.push({
			name: pkg.name,
			dir,
			tarball: path.join(destination, info.filename),
			version: info.version,
			fileCount: files.length,
			n8n: pkg.n8n,
		});
	}
	return packs;
}

/**
 * Installs each tarball as n8n 2.40's CommunityPackagesService.downloadPackage does: unpack into
 * <userFolder>/.n8n/nodes/node_modules/<name>, drop dev/peer/optional dependencies from its
 * package.json, `npm install` its own dependencies inside that folder, record it in
 * <userFolder>/.n8n/nodes/package.json. n8n then finds each with scanDirectoryForPackages
 * (`n8n-nodes-*` in nodes/node_modules) at every start. Returns the package folders.
 */
export async function installCommunityPackages({ packs, userFolder, env }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const installed = {};
	const dirs = [];
	for (const { name, tarball } of packs) {
		const packageDir = path.join(nodesDir, 'node_modules', name);
		fs.mkdirSync(packageDir, { recursive: true });
		await runOrThrow('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], {
			capture: true,
		});
		const packageJsonPath = path.join(packageDir, 'package.json');
		const packageJson = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
		fs.writeFileSync(
			packageJsonPath,
			JSON.stringify(stripForCommunityInstall(packageJson), null, 2),
			'utf8',
		);
		await runOrThrow('npm', COMMUNITY_INSTALL_ARGS, { cwd: packageDir, env, capture: true });
		installed[name] = packageJson.version;
		dirs.push(packageDir);
	}
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: installed }, null, 2),
	);
	return dirs;
}

/**
 * Starts a sandbox CLI (`tsx <script> --port 0`) as a child process and waits until `parseBanner`
 * recognises the line it prints when listening; `stop()` ends it (SIGTERM, then SIGKILL after 5 s).
 */
async function startCliSandbox({ env, script, parseBanner, label }) {
	const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
	const child = spawn(tsx, [script, '--port', '0'], {
		cwd: REPO_ROOT,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	const banner = await new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`${label} did not start within 60s:\n${output}`)),
			60_000,
		);
		const onData = (chunk) => {
			output += chunk;
			for (const line of output.split('\n')) {
				const parsed = parseBanner(line);
				if (parsed) {
					clearTimeout(timer);
					resolve(parsed);
				}
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${label} exited (${code}) before it listened:\n${output}`));
		});
	});
	child.stdout.resume();
	child.stderr.resume();
	return {
		...banner,
		child,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/** Starts the Visma.net sandbox (tsx sandboxes/visma-net/cli.ts --port 0) and waits for its banner. */
export async function startSandbox({ env }) {
	return await startCliSandbox({
		env,
		script: 'sandboxes/visma-net/cli.ts',
		parseBanner: parseSandboxBanner,
		label: 'sandbox',
	});
}

/** Starts the Nmbrs SOAP sandbox (tsx sandboxes/nmbrs/cli.ts --port 0) and waits for its banner. */
export async function startNmbrsSandbox({ env }) {
	return await startCliSandbox({
		env,
		script: 'sandboxes/nmbrs/cli.ts',
		parseBanner: parseNmbrsBanner,
		label: 'Nmbrs sandbox',
	});
}

export async function sandboxState(url) {
	const response = await fetch(`${url}/_sandbox/state`);
	if (!response.ok) throw new Error(`GET /_sandbox/state answered ${response.status}`);
	return await response.json();
}

export async function sandboxRequests(url) {
	const response = await fetch(`${url}/_sandbox/requests`);
	if (!response.ok) throw new Error(`GET /_sandbox/requests answered ${response.status}`);
	const body = await response.json();
	return Array.isArray(body) ? body : (body.requests ?? []);
}

const isJournalPost = (request) =>
	request.method === 'POST' && /journaltransaction/i.test(request.path ?? '');

/** The workflows to run, in file name order, with the name of their final (checking) node. */
export function loadWorkflows(dir = WORKFLOWS_DIR) {
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			const targets = new Set(
				Object.values(workflow.connections).flatMap((c) => c.main.flat().map((edge) => edge.node)),
			);
			const sources = new Set(Object.keys(workflow.connections));
			const last = workflow.nodes.find((node) => targets.has(node.name) && !sources.has(node.name));
			return {
				file,
				path: path.join(dir, file),
				id: workflow.id,
				name: workflow.name,
				checkNode: last?.name,
				workflow,
			};
		});
}

/** Warns when a workflow's seed Code node no longer holds the fixture's journal. */
function seedMatchesFixture(workflow) {
	const fixture = JSON.parse(
		fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'march-2026-with-twk.json'), 'utf8'),
	);
	const seed = workflow.nodes.find(
		(node) =>
			node.type === 'n8n-nodes-base.code' && node.parameters.jsCode.includes('const journal = '),
	);
	if (!seed) return false;
	const body = seed.parameters.jsCode.slice(
		seed.parameters.jsCode.indexOf('const journal = ') + 16,
		seed.parameters.jsCode.lastIndexOf(';\nreturn'),
	);
	try {
		return JSON.stringify(JSON.parse(body)) === JSON.stringify(fixture);
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------
// Phase 2: `n8n start` with the trigger- and webhook-started examples published
// ---------------------------------------------------------------------------------------------

/**
 * A local HTTP server that stands in for the bookkeeper's notification endpoint: it records every
 * request (method, path, JSON body) and answers 200 `{ ok: true }`.
 */
export async function startCaptureServer() {
	const received = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => {
			body += chunk;
		});
		req.on('end', () => {
			let parsed = body;
			try {
				parsed = JSON.parse(body);
			} catch {
				// keep the text
			}
			received.push({
				method: req.method,
				path: req.url,
				contentType: req.headers['content-type'],
				body: parsed,
			});
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${server.address().port}/notify`,
		received,
		clear: () => received.splice(0, received.length),
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

/**
 * Writes a global n8n Variable straight into the throwaway SQLite database (table `variables`),
 * with n8n's own sqlite3 and Node 24, while n8n is not running. Variables are a licensed feature
 * for the editor and /rest/variables, but executions read every row of the table
 * (WorkflowHelpers.getVariables → VariablesService.getAllCached, no licence check), so `$vars.<key>`
 * resolves in the workflow exactly as it does for a user who set it under Settings → Variables.
 */
export function insertVariable({ cacheDir, nodeBinary, userFolder, key, value }) {
	const database = path.join(userFolder, '.n8n', 'database.sqlite');
	const script = `const { createRequire } = require('node:module');
const r = createRequire(require.resolve('n8n/package.json', { paths: [process.cwd()] }));
const sqlite3 = r('sqlite3');
const [database, key, value] = process.argv.slice(1);
const db = new sqlite3.Database(database);
db.all('PRAGMA table_info(variables)', (error, columns) => {
	if (error) throw error;
	const names = columns.map((c) => c.name);
	const row = { id: 'SmokeVar' + Date.now().toString(36), key, type: 'string', value };
	const cols = Object.keys(row).filter((c) => names.includes(c));
	db.run('INSERT INTO variables (' + cols.map((c) => '"' + c + '"').join(', ') + ') VALUES (' + cols.map(() => '?').join(', ') + ')', cols.map((c) => row[c]), (insertError) => {
		if (insertError) throw insertError;
		db.close();
		console.log(JSON.stringify({ columns: names }));
	});
});`;
	const result = spawnSync(nodeBinary, ['-e', script, database, key, value], {
		cwd: cacheDir,
		encoding: 'utf8',
	});
	if (result.status !== 0)
		throw new Error(
			`could not insert the n8n Variable ${key}: ${result.stderr.trim().split('\n').slice(0, 8).join('\n')}`,
		);
	return JSON.parse(result.stdout.trim().split('\n').pop());
}

/** A response's body as JSON, or as text when it is not JSON. */
export async function responseBody(response) {
	const text = await response.text();
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** Polls `probe` (async, returns a truthy value when done) every `everyMs` until `timeoutMs`. */
export async function waitUntil(probe, { timeoutMs, everyMs = 500 }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let value;
		try {
			value = await probe();
		} catch {
			value = undefined;
		}
		if (value) return value;
		if (Date.now() >= deadline) return undefined;
		await sleep(everyMs);
	}
}

/** The executions of a workflow as n8n lists them (newest first). */
export async function workflowExecutions(rest, workflowId) {
	const list = await rest.call(
		'GET',
		`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=20`,
	);
	return list.results ?? list;
}

export const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Publishes (activates) a workflow over REST; in n8n 2.x that needs the version to publish. */
export async function publishWorkflow(rest, workflowId) {
	const workflow = await rest.call('GET', `/workflows/${workflowId}`);
	return await rest.call('POST', `/workflows/${workflowId}/activate`, {
		versionId: workflow.versionId,
	});
}

export async function unpublishWorkflow(rest, workflowId) {
	return await rest.call('POST', `/workflows/${workflowId}/deactivate`, {});
}

/** An execution with its data: GET /rest/executions/<id> answers the data flatted; parsed with n8n's own `flatted`. */
export async function executionWithData(rest, executionId, cacheDir) {
	const execution = await rest.call('GET', `/executions/${executionId}`);
	const { parse } = createRequire(path.join(cacheDir, 'node_modules', 'n8n', 'package.json'))(
		'flatted',
	);
	return {
		...execution,
		data: typeof execution.data === 'string' ? parse(execution.data) : execution.data,
	};
}

/**
 * A rerun as the examples' messages tell a user to make one ("open this execution and choose Debug
 * in editor"): the items the trigger gave a finished execution are pinned to the trigger
 * (PATCH /rest/workflows/<id> `pinData`), the workflow is run by hand (POST /rest/workflows/<id>/run
 * from that trigger: mode manual, the pinned items instead of a poll) and unpinned afterwards.
 * Returns the finished execution with its data (`runData`), or `{ error }`.
 */
export async function rerunWithTriggerItems({
	rest,
	workflowId,
	executionId,
	triggerName,
	cacheDir,
	timeoutMs,
}) {
	try {
		const first = await executionWithData(rest, executionId, cacheDir);
		const items = first.data?.resultData?.runData?.[triggerName]?.[0]?.data?.main?.[0] ?? [];
		if (items.length === 0)
			return { error: new Error(`execution ${executionId} has no items of ${triggerName}`) };
		await rest.call('PATCH', `/workflows/${workflowId}`, {
			pinData: { [triggerName]: items.map((item) => ({ json: item.json })) },
		});
		try {
			const started = await rest.call('POST', `/workflows/${workflowId}/run`, {
				triggerToStartFrom: { name: triggerName },
			});
			if (!started.executionId)
				return {
					error: new Error(
						`POST /rest/workflows/${workflowId}/run answered ${JSON.stringify(started).slice(0, 300)}`,
					),
				};
			const finished = await waitUntil(
				async () => {
					const execution = await rest.call('GET', `/executions/${started.executionId}`);
					return FINISHED.has(execution.status) ? execution : undefined;
				},
				{ timeoutMs },
			);
			if (!finished)
				return {
					error: new Error(
						`execution ${started.executionId} did not finish within ${timeoutMs / 1000}s`,
					),
				};
			const rerun = await executionWithData(rest, started.executionId, cacheDir);
			return {
				id: rerun.id,
				mode: rerun.mode,
				status: rerun.status,
				items: items.length,
				runData: rerun.data?.resultData?.runData ?? {},
			};
		} finally {
			await rest.call('PATCH', `/workflows/${workflowId}`, { pinData: {} });
		}
	} catch (error) {
		return { error };
	}
}

/** Batches per tenant in the Visma.net sandbox: `{ [tenantId]: [{ period, description, batchNumber }] }`. */
async function batchesByTenant(sandboxUrl) {
	const state = await sandboxState(sandboxUrl);
	return Object.fromEntries(
		(state.tenants ?? []).map((tenant) => [
			tenant.tenantId,
			(tenant.batches ?? []).map((batch) => ({
				period: String(batch.financialPeriod),
				description: batch.description ?? '',
				batchNumber: batch.batchNumber,
			})),
		]),
	);
}

const periodsOf = (batches = []) => batches.map((b) => b.period).sort();
const short = (tenantId) => `…${tenantId.slice(-4)}`;

/** One notification as the checks read it. */
function notice(entry) {
	const body = entry.body ?? {};
	return {
		kind: body.kind,
		companyId: body.companyId == null ? null : String(body.companyId),
		reference: body.reference,
		text: String(body.text ?? ''),
	};
}

/**
 * Waits for the first execution of a just-published trigger workflow to finish, for at most
 * `timeoutMs`. Returns the finished execution summary, or undefined.
 */
async function waitForExecution(rest, workflowId, timeoutMs) {
	return await waitUntil(
		async () => {
			const executions = await workflowExecutions(rest, workflowId);
			if (executions.length === 0) return undefined;
			if (executions.some((e) => !FINISHED.has(e.status))) return undefined;
			return executions[0];
		},
		{ timeoutMs },
	);
}

/**
 * Phase 2: the examples `n8n execute` cannot start, in a real `n8n start`. Month end and multi
 * company are published one after the other (both book company 1234 into tenant …5e01), each
 * against a freshly reset Visma.net sandbox; then the webhook example is published and called.
 */
export async function triggerPhase({
	record,
	env,
	n8nBin,
	nodeBinary,
	cacheDir,
	userFolder,
	sandbox,
	show,
}) {
	const executionTimeoutMs = Number(process.env.N8N_SMOKE_EXECUTION_TIMEOUT ?? 90) * 1000;
	const capture = await startCaptureServer();
	const cleanups = [() => capture.close()];
	try {
		const { columns } = insertVariable({
			cacheDir,
			nodeBinary,
			userFolder,
			key: NOTIFY_VARIABLE,
			value: capture.url,
		});
		record(
			`n8n Variable ${NOTIFY_VARIABLE} → capture server (row in the SQLite table variables)`,
			true,
			`${capture.url}; columns ${columns.join(', ')}`,
		);

		// startN8n stops n8n itself when it does not get ready; once ready, the cleanups stop it.
		const {
			baseUrl,
			n8n,
			stop: stopN8n,
		} = await timed('n8n start until /healthz/readiness', () =>
			startN8n({ env, n8nBin, nodeBinary, userFolder, log }),
		);
		cleanups.unshift(stopN8n);
		const rest = restClient(baseUrl);
		await timed('owner setup + login', () => signInOwner(rest, { fresh: true }));
		record(
			'n8n start (127.0.0.1, free ports), owner set up, logged in',
			Boolean(rest.authCookie),
			baseUrl,
		);

		const resetSandbox = async () => {
			const response = await fetch(`${sandbox.url}/_sandbox/reset`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
			});
			if (!response.ok) throw new Error(`POST /_sandbox/reset answered ${response.status}`);
			capture.clear();
		};
		const tenantA = sandbox.demo.tenantId;

		/** Publishes a trigger workflow, waits for its first execution, unpublishes it. */
		const runTriggerWorkflow = async (file) => {
			const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
			await resetSandbox();
			const published = await timed(`publish workflows/${file}`, async () => {
				try {
					return await publishWorkflow(rest, workflow.id);
				} catch (error) {
					return { error };
				}
			});
			record(
				`publish workflows/${file} (POST /rest/workflows/${workflow.id}/activate)`,
				!published.error && published.active === true,
				published.error
					? String(published.error.message)
					: `active, version ${published.activeVersionId ?? published.versionId}`,
			);
			if (published.error) return undefined;
			const execution = await timed(`workflows/${file}: first poll's execution`, () =>
				waitForExecution(rest, workflow.id, executionTimeoutMs),
			);
			// Give the notification requests a moment if the execution list raced ahead of them.
			await sleep(200);
			const unpublished = await unpublishWorkflow(rest, workflow.id).then(
				(w) => ({ ok: w.active === false }),
				(error) => ({ ok: false, error }),
			);
			record(
				`unpublish workflows/${file}`,
				unpublished.ok,
				unpublished.error ? String(unpublished.error.message) : 'inactive',
			);
			const executions = await workflowExecutions(rest, workflow.id);
			record(
				`workflows/${file}: the activation poll started exactly 1 execution, status success`,
				execution?.status === 'success' && executions.length === 1,
				execution
					? `${executions.length} execution(s), ${executions.map((e) => `#${e.id} ${e.mode} ${e.status}`).join(', ')}`
					: `no finished execution within ${executionTimeoutMs / 1000}s`,
			);
			if (execution && execution.status !== 'success') {
				const full = await rest.call('GET', `/executions/${execution.id}`).catch(() => undefined);
				if (full)
					console.log(
						`  n8n | execution ${execution.id}: ${String(JSON.stringify(full)).slice(0, 1500)}`,
					);
			}
			return {
				execution,
				batches: await batchesByTenant(sandbox.url),
				notices: capture.received.map(notice),
				raw: [...capture.received],
			};
		};

		// --- month-end.json: companies 1234 and 1235 (test company) -----------------------------
		const monthEnd = await runTriggerWorkflow('month-end.json');
		if (monthEnd) {
			const a = monthEnd.batches[tenantA] ?? [];
			const others = Object.entries(monthEnd.batches).filter(
				([tenant, list]) => tenant !== tenantA && list.length > 0,
			);
			record(
				`month-end: 1234's March run (R2026-03) booked in tenant ${short(tenantA)} as 3 batches 202601, 202602, 202603; nothing elsewhere`,
				JSON.stringify(periodsOf(a)) === JSON.stringify(EXPECTED_BATCH_PERIODS) &&
					a.every((b) => b.description.includes('R2026-03')) &&
					others.length === 0,
				`${short(tenantA)}: ${a.map((b) => `${b.period} ${b.batchNumber} "${b.description}"`).join('; ') || 'none'}${others.length ? `; also ${others.map(([t, l]) => `${short(t)}: ${l.length}`).join(', ')}` : ''}`,
			);
			const notices = monthEnd.notices;
			const test = notices.filter((n) => n.companyId === '1235');
			record(
				'month-end: test company 1235 refused, exactly 1 notification (journalInvalid, COMPANY_TEST message) at the capture server',
				notices.length === 1 &&
					test.length === 1 &&
					test[0].kind === 'journalInvalid' &&
					/test/i.test(test[0].text) &&
					monthEnd.raw[0]?.method === 'POST',
				notices
					.map(
						(n) =>
							`${n.kind} ${n.companyId} ${n.reference}: ${JSON.stringify(n.text.split('\n').slice(1, 2).join(' '))}`,
					)
					.join(' | ') || 'no notification',
			);
		}

		// --- multi-company.json: every company through ONE credential whose Administrations map ----
		// --- 1234 → …5e01, 2345 → …5e02, 9012 → …5e03 (tokens per tenant obtained by the package) ---
		const multi = await runTriggerWorkflow('multi-company.json');
		if (multi) {
			// Bakker's (…5e03) year has 13 four-weekly periods: its March run (31 March) falls in
			// 202604 and its January TWK (31 January) in 202602 (Split reads the periods per company).
			const expected = {
				[tenantA]: EXPECTED_BATCH_PERIODS,
				[TENANT_B]: ['202603'],
				[TENANT_C]: ['202602', '202604'],
			};
			const bookedAsExpected = (batches) =>
				Object.entries(expected).every(
					([tenant, periods]) =>
						JSON.stringify(periodsOf(batches[tenant])) === JSON.stringify(periods) &&
						(batches[tenant] ?? []).every((x) => x.description.includes('R2026-03')),
				) &&
				Object.entries(batches).every(([tenant, list]) => tenant in expected || list.length === 0);
			const describeBatches = (batches) =>
				Object.entries(batches)
					.filter(([tenant, list]) => tenant in expected || list.length > 0)
					.map(
						([tenant, list]) =>
							`${short(tenant)}: ${list.map((x) => `${x.period} ${x.batchNumber} "${x.description}"`).join('; ') || 'none'}`,
					)
					.join(' | ');
			record(
				`multi-company (one credential, three administrations): 1234 in tenant ${short(tenantA)} (202601, 202602, 202603), 2345 in tenant ${short(TENANT_B)} (4-weekly period 3 → 202603), 9012 in tenant ${short(TENANT_C)} (13-period year: January TWK → 202602, March → 202604), nothing else`,
				bookedAsExpected(multi.batches),
				describeBatches(multi.batches),
			);
			const notices = multi.notices;
			const refusedAsExpected = (list) => {
				const byCompany = Object.fromEntries(list.map((n) => [n.companyId, n]));
				return (
					list.length === 2 &&
					byCompany['1235']?.kind === 'journalInvalid' &&
					byCompany['1236']?.kind === 'journalInvalid' &&
					/test/i.test(byCompany['1235'].text) &&
					/debt/i.test(byCompany['1236'].text)
				);
			};
			const describeNotices = (list) =>
				list
					.map(
						(n) =>
							`${n.kind} ${n.companyId} ${n.reference}: ${JSON.stringify(n.text.split('\n').slice(1, 2).join(' '))}`,
					)
					.join(' | ') || 'no notification';
			record(
				'multi-company: exactly 2 notifications: test company 1235 and blocked debtor 1236 refused (journalInvalid)',
				refusedAsExpected(notices),
				describeNotices(notices),
			);

			// The rerun: the same five journals once more (Debug in editor on that execution, then run).
			const workflowId = JSON.parse(
				fs.readFileSync(path.join(EXAMPLES_DIR, 'multi-company.json'), 'utf8'),
			).id;
			capture.clear();
			const cleared = await fetch(`${sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
			if (!cleared.ok) throw new Error(`DELETE /_sandbox/requests answered ${cleared.status}`);
			const rerun = multi.execution
				? await timed('multi-company: rerun (trigger items pinned, run by hand)', () =>
						rerunWithTriggerItems({
							rest,
							workflowId,
							executionId: multi.execution.id,
							triggerName: 'Nmbrs Trigger',
							cacheDir,
							timeoutMs: executionTimeoutMs,
						}),
					)
				: { error: new Error('no first execution to rerun') };
			await sleep(200);
			const posts = (await sandboxRequests(sandbox.url)).filter(isJournalPost);
			const after = await batchesByTenant(sandbox.url);
			const statuses = (
				rerun.runData?.['Post Journal Transaction']?.[0]?.data?.main?.[0] ?? []
			).map((item) => item.json?.visma?.status);
			record(
				`multi-company: a rerun of that execution (its ${rerun.items ?? '?'} trigger items pinned, run by hand) succeeds, 6 parts alreadyPosted (3 + 1 + 2), 0 POSTs to /v2/journaltransaction, the batches unchanged; again only 1235 and 1236 notified`,
				!rerun.error &&
					rerun.status === 'success' &&
					rerun.items === 5 &&
					statuses.length === 6 &&
					statuses.every((status) => status === 'alreadyPosted') &&
					posts.length === 0 &&
					JSON.stringify(after) === JSON.stringify(multi.batches) &&
					refusedAsExpected(capture.received.map(notice)),
				rerun.error
					? String(rerun.error.message ?? rerun.error)
					: `execution #${rerun.id} ${rerun.mode} ${rerun.status}; Post: ${statuses.join(', ') || 'no output'}; ${posts.length} POST(s)${posts.length ? ` (${posts.map((p) => `${p.path} ${p.status}`).join(', ')})` : ''}; ${describeBatches(after)}; ${describeNotices(capture.received.map(notice))}`,
			);
		}

		// --- nmbrs-xml-webhook.json: POST the journal XML --------------------------------------
		await resetSandbox();
		const hook = JSON.parse(
			fs.readFileSync(path.join(EXAMPLES_DIR, 'nmbrs-xml-webhook.json'), 'utf8'),
		);
		const hookPublished = await publishWorkflow(rest, hook.id).then(
			(w) => ({ ok: w.active === true }),
			(error) => ({ ok: false, error }),
		);
		// The production webhook is registered just after the activate call returns: wait until a CORS
		// preflight lists POST for the path (getWebhookMethods reads the registered webhooks).
		const registered = hookPublished.ok
			? await timed('webhook registered (OPTIONS preflight lists POST)', () =>
					waitUntil(
						async () => {
							const response = await fetch(`${baseUrl}/webhook/nmbrs-journal`, {
								method: 'OPTIONS',
								headers: { origin: baseUrl, 'access-control-request-method': 'POST' },
							});
							return /\bPOST\b/.test(response.headers.get('access-control-allow-methods') ?? '');
						},
						{ timeoutMs: 20_000, everyMs: 200 },
					),
				)
			: false;
		record(
			`publish workflows/nmbrs-xml-webhook.json (POST /rest/workflows/${hook.id}/activate), webhook POST /webhook/nmbrs-journal registered`,
			hookPublished.ok && Boolean(registered),
			hookPublished.error
				? String(hookPublished.error.message)
				: registered
					? 'active, registered'
					: 'active, but the webhook was not registered within 20s',
		);
		if (hookPublished.ok && registered) {
			const xml = fs.readFileSync(
				path.join(REPO_ROOT, 'test', 'fixtures', 'nmbrs', 'run-2026-03-twk.xml'),
			);
			const query = new URLSearchParams({
				reference: 'XML2026-03',
				companyId: '1234',
				companyName: 'Bakkerij De Vries BV',
				runId: '88121',
				year: '2026',
				period: '3',
			});
			const callHook = async () => {
				const response = await fetch(`${baseUrl}/webhook/nmbrs-journal?${query}`, {
					method: 'POST',
					headers: { 'content-type': 'application/xml' },
					body: xml,
					signal: AbortSignal.timeout(executionTimeoutMs),
				});
				return { status: response.status, body: await responseBody(response) };
			};
			const describe = (answer) =>
				`HTTP ${answer.status}, ${typeof answer.body === 'object' ? `ok ${answer.body.ok}, parts ${(answer.body.parts ?? []).map((p) => `${p.financialPeriod}${p.isTwk ? ' TWK' : ''} ${p.status}`).join(', ')}${answer.body.errors?.length ? `, errors ${JSON.stringify(answer.body.errors)}` : ''}${answer.body.message ? `, message ${JSON.stringify(answer.body.message)}` : ''}` : String(answer.body).slice(0, 300)}`;
			const partsAre = (answer, status) => {
				const parts = answer.body?.parts ?? [];
				return (
					answer.status === 200 &&
					answer.body?.ok === true &&
					JSON.stringify(parts.map((p) => String(p.financialPeriod)).sort()) ===
						JSON.stringify(EXPECTED_BATCH_PERIODS) &&
					parts.every((p) => p.status === status)
				);
			};
			const first = await timed('POST /webhook/nmbrs-journal', () =>
				callHook().catch((error) => ({ status: 0, body: String(error) })),
			);
			const batches = await batchesByTenant(sandbox.url);
			const a = batches[tenantA] ?? [];
			const othersHook = Object.entries(batches).filter(
				([tenant, list]) => tenant !== tenantA && list.length > 0,
			);
			record(
				'webhook: POST run-2026-03-twk.xml (reference XML2026-03) answers 200, ok, 3 parts posted (202601, 202602, 202603)',
				partsAre(first, 'posted'),
				describe(first),
			);
			record(
				`webhook: tenant ${short(tenantA)} holds exactly the 3 batches of XML2026-03`,
				JSON.stringify(periodsOf(a)) === JSON.stringify(EXPECTED_BATCH_PERIODS) &&
					a.every((b) => b.description.includes('XML2026-03')) &&
					othersHook.length === 0,
				a.map((b) => `${b.period} ${b.batchNumber} "${b.description}"`).join('; ') || 'none',
			);
			const again = await timed('POST /webhook/nmbrs-journal (again)', () =>
				callHook().catch((error) => ({ status: 0, body: String(error) })),
			);
			const after = (await batchesByTenant(sandbox.url))[tenantA] ?? [];
			record(
				'webhook: the same POST again answers 200 with 3 parts alreadyPosted, no new batch',
				partsAre(again, 'alreadyPosted') && after.length === 3,
				`${describe(again)}; ${after.length} batches`,
			);
			record(
				'webhook: no notification was sent',
				capture.received.length === 0,
				`${capture.received.length} request(s) at the capture server`,
			);
			await unpublishWorkflow(rest, hook.id).catch(() => undefined);
		}

		const ended = await timed('stop n8n', stopN8n);
		record(
			'n8n stopped on SIGTERM',
			ended && !ended.killed,
			ended
				? `exit ${ended.code ?? ended.signal}${ended.killed ? ' (had to SIGKILL)' : ''}`
				: 'not running',
		);
		if (ended?.killed || (ended && ended.code !== 0)) show({ stdout: n8n.output(), stderr: '' });
		if (process.env.N8N_SMOKE_VERBOSE === '1') console.log(stripAnsi(n8n.output()));
	} finally {
		await runCleanups(cleanups);
	}
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

export async function main(argv = process.argv.slice(2)) {
	let n8nVersion;
	try {
		n8nVersion = selectedN8nVersion(argv);
	} catch (error) {
		console.error(`smoke: ${error.message}`);
		return 2;
	}
	const results = [];
	const record = (name, ok, detail = '') => {
		results.push({ name, ok, detail });
		console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
	};
	const cleanups = [];
	let userFolder;
	try {
		const nodeBinDir = projectNodeBinDir();
		const nodeBinary = path.join(nodeBinDir, 'node');
		const baseEnv = withNodeOnPath(nodeBinDir);
		const version = spawnSync(nodeBinary, ['-v'], { encoding: 'utf8' }).stdout.trim();
		log(`Node for npm and n8n: ${nodeBinary} (${version}); this script runs on ${process.version}`);
		const cacheDir = n8nCacheDir(process.env, n8nVersion);
		log(
			`n8n under test: ${n8nVersion}${n8nVersion === N8N_VERSION ? ' (the pinned version)' : ` (chosen; the pinned version is ${N8N_VERSION})`}`,
		);

		const n8nBin = await timed('ensure n8n', () =>
			ensureN8n({ cacheDir, env: baseEnv, nodeBinary, version: n8nVersion }),
		);
		record(
			`n8n ${n8nVersion} installed, native addons (${REQUIRED_NATIVE_ADDONS.join(', ')}) load on Node ${version}`,
			true,
		);

		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-smoke-'));
		userFolder = tmp;
		cleanups.push(() => {
			if (process.env.N8N_SMOKE_KEEP === '1') log(`kept ${tmp} (N8N_SMOKE_KEEP=1)`);
			else fs.rmSync(tmp, { recursive: true, force: true });
		});
		const packs = await buildAndPack({ env: baseEnv, destination: tmp });
		for (const pack of packs)
			log(`packed ${path.basename(pack.tarball)} (${pack.fileCount} files)`);
		const packageDirs = await timed('install the community packages', () =>
			installCommunityPackages({ packs, userFolder, env: baseEnv }),
		);
		log(`installed into ${packageDirs.join(', ')}`);

		const sandbox = await timed('start sandbox', () => startSandbox({ env: baseEnv }));
		cleanups.unshift(() => sandbox.stop());
		log(`sandbox at ${sandbox.url}`);
		const nmbrs = await timed('start Nmbrs sandbox', () => startNmbrsSandbox({ env: baseEnv }));
		cleanups.unshift(() => nmbrs.stop());
		log(`Nmbrs sandbox at ${nmbrs.url}`);

		const env = n8nEnv(baseEnv, userFolder, { runnerBrokerPort: await freePort() });
		const n8n = (args, options = {}) =>
			run(nodeBinary, [n8nBin, ...args], {
				cwd: userFolder,
				env,
				capture: true,
				timeoutMs: 5 * 60_000,
				...options,
			});
		const show = (result) => {
			for (const line of failureExcerpt(`${result.stdout}\n${result.stderr}`))
				console.log(`  n8n | ${line}`);
		};

		const credentialsFile = path.join(tmp, 'credentials.json');
		const credentials = [
			sandboxCredential(sandbox.url, sandbox.demo),
			sandboxCredentialB(sandbox.url, sandbox.demo),
			sandboxCredentialOffice(sandbox.url, sandbox.demo),
			nmbrsCredential(nmbrs),
		];
		fs.writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2));
		const importedCredential = await timed(
			'n8n import:credentials (first start: creates the database)',
			() => n8n(['import:credentials', `--input=${credentialsFile}`]),
		);
		const credentialOk =
			importedCredential.code === 0 &&
			/Successfully imported 4 credential/.test(
				importedCredential.stdout + importedCredential.stderr,
			);
		if (!credentialOk) show(importedCredential);
		record(
			'n8n import:credentials (vismaNetOAuth2Api → sandbox …5e01, …5e02, and the office credential with Administrations for …5e01, …5e02, …5e03; nmbrsApi → Nmbrs sandbox)',
			credentialOk,
			`exit ${importedCredential.code}`,
		);

		const workflows = loadWorkflows(
			process.env.N8N_SMOKE_WORKFLOWS_DIR
				? path.resolve(process.env.N8N_SMOKE_WORKFLOWS_DIR)
				: WORKFLOWS_DIR,
		);
		for (const wf of workflows) {
			if (!seedMatchesFixture(wf.workflow))
				log(
					`WARNING: ${wf.file}: its seed journal differs from test/fixtures/march-2026-with-twk.json`,
				);
			const imported = await timed(`n8n import:workflow ${wf.file}`, () =>
				n8n(['import:workflow', `--input=${wf.path}`]),
			);
			const ok =
				imported.code === 0 &&
				/Successfully imported 1 workflow/.test(imported.stdout + imported.stderr);
			if (!ok) show(imported);
			record(`n8n import:workflow ${wf.file}`, ok, `exit ${imported.code}`);
		}

		const phases = new Set(
			(process.env.N8N_SMOKE_PHASES ?? DEFAULT_PHASES).split(',').map((p) => p.trim()),
		);
		let loadChecked = false;
		for (const wf of phases.has('execute') ? workflows : []) {
			// Debug level: n8n then logs which packages it loaded, with how many nodes and credentials.
			const executed = await timed(`n8n execute ${wf.file}`, () =>
				n8n(['execute', `--id=${wf.id}`], { env: { ...env, N8N_LOG_LEVEL: 'debug' } }),
			);
			const output = `${executed.stdout}\n${executed.stderr}`;
			if (!loadChecked) {
				loadChecked = true;
				for (const pack of packs) {
					const want = { credentials: pack.n8n.credentials.length, nodes: pack.n8n.nodes.length };
					const counts = loadedPackageCounts(output, pack.name);
					record(
						`n8n loaded ${pack.name} from <N8N_USER_FOLDER>/.n8n/nodes/node_modules`,
						counts?.nodes === want.nodes && counts?.credentials === want.credentials,
						counts
							? `${counts.nodes} nodes, ${counts.credentials} credential(s)`
							: 'no "Loaded all credentials and nodes" line in the debug log',
					);
				}
			}
			const checked = checkNodeResult(executed.stdout, wf.checkNode);
			const ok = executed.code === 0 && checked?.[0]?.smokeCheck === 'ok';
			if (!ok) show(executed);
			if (process.env.N8N_SMOKE_VERBOSE === '1') console.log(stripAnsi(output));
			record(
				`n8n execute ${wf.file} (${wf.name})`,
				ok,
				checked?.[0]
					? `exit ${executed.code}, ${wf.checkNode}: ${JSON.stringify(checked[0])}`
					: `exit ${executed.code}, no output from ${wf.checkNode}`,
			);
		}

		// The example workflows of workflows/: every file imported unchanged; the ones `n8n execute`
		// can start (a Manual Trigger) are run and checked.
		const examples = fs
			.readdirSync(EXAMPLES_DIR)
			.filter((file) => file.endsWith('.json'))
			.sort();
		for (const file of examples) {
			const filePath = path.join(EXAMPLES_DIR, file);
			const workflow = JSON.parse(fs.readFileSync(filePath, 'utf8'));
			const imported = await timed(`n8n import:workflow workflows/${file}`, () =>
				n8n(['import:workflow', `--input=${filePath}`]),
			);
			const importOk =
				imported.code === 0 &&
				/Successfully imported 1 workflow/.test(imported.stdout + imported.stderr);
			if (!importOk) show(imported);
			record(`n8n import:workflow workflows/${file}`, importOk, `exit ${imported.code}`);
			if (!importOk || !executableByCli(workflow) || !phases.has('execute')) {
				if (importOk && !executableByCli(workflow))
					log(
						`workflows/${file}: started by ${workflow.nodes.find((n) => /Trigger$|webhook$/i.test(n.type))?.type}; not runnable by \`n8n execute\`: run in the \`n8n start\` phase`,
					);
				continue;
			}
			const journalPostsBefore = (await sandboxRequests(sandbox.url)).filter(isJournalPost).length;
			const executed = await timed(`n8n execute workflows/${file}`, () =>
				n8n(['execute', `--id=${workflow.id}`]),
			);
			const runData = executionRunData(executed.stdout);
			const check = EXAMPLE_CHECKS[file];
			const verdict =
				executed.code === 0 && runData
					? check
						? check(runData)
						: { ok: true, detail: 'no check' }
					: { ok: false, detail: `exit ${executed.code}, no run data` };
			const journalPosts =
				(await sandboxRequests(sandbox.url)).filter(isJournalPost).length - journalPostsBefore;
			if (file === 'dry-run-preview.json' && journalPosts !== 0) verdict.ok = false;
			if (!verdict.ok) show(executed);
			if (process.env.N8N_SMOKE_VERBOSE === '1')
				console.log(stripAnsi(`${executed.stdout}\n${executed.stderr}`));
			record(
				`n8n execute workflows/${file} (${workflow.name})`,
				verdict.ok,
				`${verdict.detail}; ${journalPosts} POST(s) to /v2/journaltransaction`,
			);
		}

		if (phases.has('execute')) {
			const state = await sandboxState(sandbox.url);
			const tenant = state.tenants?.find((t) => t.tenantId === sandbox.demo.tenantId);
			const periods = (tenant?.batches ?? []).map((batch) => String(batch.financialPeriod)).sort();
			record(
				'sandbox holds exactly 3 batches (202601, 202602, 202603)',
				JSON.stringify(periods) === JSON.stringify(EXPECTED_BATCH_PERIODS),
				`batches for periods [${periods.join(', ')}]`,
			);
		}

		// Phase 2: `n8n start`, the trigger- and webhook-started examples published (see README).
		if (phases.has('start')) {
			await triggerPhase({ record, env, n8nBin, nodeBinary, cacheDir, userFolder, sandbox, show });
		}

		// Phases 3 and 4 share one `n8n start` and one headless Chromium (test/n8n/browser.mjs).
		// Phase 3: the Visma.net credential as users meet it, Test and Connect (test/n8n/credentials.mjs).
		// Phase 4: the editor as a new user meets the nodes and the examples (test/n8n/editor.mjs).
		if (phases.has('credentials') || phases.has('editor')) {
			const session = await startBrowserSession({
				record,
				env,
				n8nBin,
				nodeBinary,
				userFolder,
				shotsDir: screenshotsDir(REPO_ROOT),
				timed,
				log,
			});
			try {
				if (phases.has('credentials')) await credentialsPhase({ record, sandbox, session });
				if (phases.has('editor')) await editorPhase({ record, session, sandbox, nmbrs });
			} finally {
				await endBrowserSession(session, { record, timed });
			}
		}
	} catch (error) {
		record('smoke run', false, error instanceof Error ? error.message : String(error));
	} finally {
		await runCleanups(cleanups);
	}
	console.log(
		`timings: ${timings.map((t) => `${t.label} ${t.seconds.toFixed(1)}s`).join('; ')}; total ${((Date.now() - t0) / 1000).toFixed(1)}s`,
	);
	console.log(summaryLine(results));
	return results.every((r) => r.ok) && results.length > 0 ? 0 : 1;
}

export const USAGE = `npm run test:n8n  (node test/n8n/smoke.mjs)

Builds and packs both packages, installs them into a cached n8n ${N8N_VERSION} as n8n installs
community packages, starts the Visma.net and Nmbrs sandboxes, imports the credentials and workflows
(always), then runs the phases in N8N_SMOKE_PHASES (comma-separated, default ${DEFAULT_PHASES}):
  execute      phase 1: n8n execute (the smoke workflows, the dry-run example), the 3-batch check
  start        phase 2: n8n start, the trigger- and webhook-started examples published
  credentials  phase 3: the Visma.net credential's Test and Connect (headless Chromium)
  editor       phase 4: the editor in headless Chromium: every node at its defaults, the examples,
               the month-end example's first manual run
Phases 3 and 4 share one n8n start and one Chromium. Another n8n: --n8n-version <v> (or
N8N_SMOKE_N8N_VERSION). Other env vars: test/n8n/README.md.
Example: N8N_SMOKE_PHASES=editor npm run test:n8n`;

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
	if (process.argv.includes('--help') || process.argv.includes('-h')) console.log(USAGE);
	else process.exitCode = await main();
}
