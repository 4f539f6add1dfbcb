#!/usr/bin/env node
/**
 * n8n queue mode, for real: PostgreSQL, Redis, an n8n 2.40.7 main instance and two workers on
 * 127.0.0.1, this package installed in each instance's user folder as n8n installs community
 * packages, the Visma.net and Nmbrs sandboxes; then many webhook executions race on the same
 * journals (and the month-end workflow runs beside them), and the Visma.net ledger is checked with
 * the fault suite's checks.
 *
 *   npm run test:queue [-- --journals 40 --copies 5 --short --faults --keep --seed 1 --concurrency 10]
 *
 * Exit code 0 only when every part is booked exactly once (no live duplicate, nothing missing,
 * no wrong amount, no unexpected batch) in every batch-number mode run. See test/queue/README.md.
 * Plain Node ESM; the n8n helpers come from test/n8n (smoke.mjs, n8n-server.mjs).
 */
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

import {
	OWNER,
	listenEnv,
	restClient,
	runCleanups,
	spawnGroup,
	waitForN8n,
} from '../n8n/n8n-server.mjs';
import {
	EXAMPLES_DIR,
	EXPECTED_BATCH_PERIODS,
	N8N_VERSION,
	NOTIFY_VARIABLE,
	REPO_ROOT,
	buildAndPack,
	ensureN8n,
	failureExcerpt,
	freePort,
	installCommunityPackages,
	n8nCacheDir,
	n8nEnv,
	nmbrsCredential,
	projectNodeBinDir,
	publishWorkflow,
	responseBody,
	run,
	sandboxCredential,
	sandboxState,
	startCaptureServer,
	startNmbrsSandbox,
	startSandbox,
	stepLogger,
	stripAnsi,
	unpublishWorkflow,
	waitUntil,
	withNodeOnPath,
} from '../n8n/smoke.mjs';
import { ensurePostgres, ensureRedis, startPostgres, startRedis } from './services.mjs';

export const WEBHOOK_PATH = 'queue-journal';
export const WEBHOOK_WORKFLOW_ID = 'VnpQueueJsonHook';
export const MONTH_END_WORKFLOW_ID = 'VnpQueueMonthEnd';
const JOURNALS = '/v2/journaltransaction';

/**
 * Batch-number modes the load runs in, each against a freshly reset ledger: Post Journal
 * Transaction's parameters for the mode (its *Batch Numbers* option).
 */
export const BATCH_NUMBER_MODES = {
	series: {
		description:
			"Visma.net's number series numbers each batch; saved On Hold first, the lowest number stands",
		post: { batchNumbers: 'series' },
	},
	derived: {
		description:
			'derived from the part (overrideNumberSeries): Visma.net refuses a second copy of a number',
		post: { batchNumbers: 'derived' },
	},
};

// ---------------------------------------------------------------------------------------------
// Options and small helpers
// ---------------------------------------------------------------------------------------------

export function parseOptions(argv = process.argv.slice(2)) {
	const { values } = parseArgs({
		args: argv,
		options: {
			journals: { type: 'string' },
			copies: { type: 'string', default: '5' },
			short: { type: 'boolean', default: false },
			faults: { type: 'boolean', default: false },
			keep: { type: 'boolean', default: false },
			seed: { type: 'string', default: '1' },
			concurrency: { type: 'string', default: '10' },
			'spread-ms': { type: 'string', default: '300' },
			'stagger-ms': { type: 'string', default: '150' },
			modes: { type: 'string', default: Object.keys(BATCH_NUMBER_MODES).join(',') },
			'month-end': { type: 'boolean', default: true },
			'no-month-end': { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	const modes = values.modes
		.split(',')
		.map((m) => m.trim())
		.filter(Boolean);
	for (const mode of modes)
		if (!BATCH_NUMBER_MODES[mode])
			throw new Error(
				`unknown batch-number mode '${mode}' (defined: ${Object.keys(BATCH_NUMBER_MODES).join(', ')})`,
			);
	return {
		help: values.help,
		journals: Number(values.journals ?? (values.short ? 8 : 40)),
		copies: Number(values.copies),
		short: values.short,
		faults: values.faults,
		keep: values.keep || process.env.N8N_QUEUE_KEEP === '1',
		seed: Number(values.seed),
		concurrency: Number(values.concurrency),
		spreadMs: Number(values['spread-ms']),
		staggerMs: Number(values['stagger-ms']),
		modes,
		monthEnd: values['month-end'] && !values['no-month-end'],
	};
}

const HELP = `npm run test:queue -- [options]
  --journals N       distinct journals per mode (default 40; 8 with --short)
  --copies N         sends of each journal within --spread-ms (default 5)
  --short            the CI form: 8 journals
  --faults           kill a worker mid-run and restart it; the sandbox drops connections after
                     commit and answers 429s
  --keep             keep the temp folder (logs, user folders, database files)
  --seed N           journal generator seed (default 1)
  --concurrency N    jobs per worker (n8n worker --concurrency, default 10)
  --spread-ms N      window the copies of one journal are sent in (default 300)
  --stagger-ms N     gap between the first sends of two journals (default 150)
  --modes a,b        batch-number modes to run (default: every defined one: ${Object.keys(BATCH_NUMBER_MODES).join(', ')})
  --no-month-end     do not run the month-end workflow beside the load`;

const { log, timed, timings, t0 } = stepLogger('queue');

/** Runs test/queue/ledger.ts (the fault suite's generator and checks) with tsx; returns its JSON. */
async function ledger(env, command, argument) {
	const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
	const result = await run(
		tsx,
		[path.join(REPO_ROOT, 'test', 'queue', 'ledger.ts'), command, argument],
		{ cwd: REPO_ROOT, env, capture: true, timeoutMs: 120_000 },
	);
	if (result.code !== 0)
		throw new Error(`ledger.ts ${command} exited ${result.code}: ${result.stderr.slice(-2000)}`);
	return JSON.parse(result.stdout);
}

/**
 * A counting reverse proxy in front of the Visma.net sandbox: the credential points here, every API
 * call is counted by kind (the sandbox keeps only its last 1,000 requests), and a connection the
 * sandbox drops after commit is dropped towards n8n too.
 */
export async function startCountingProxy(targetUrl) {
	const target = new URL(targetUrl);
	const counts = new Map();
	const count = (kind) => counts.set(kind, (counts.get(kind) ?? 0) + 1);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const server = http.createServer((req, res) => {
		const lower = (req.url ?? '')
			.split('?')[0]
			.toLowerCase()
			.replace(/^\/api\/controller\/api(?=\/)/, '');
		const kind =
			lower === '/connect/token'
				? 'token'
				: lower === JOURNALS
					? `${req.method} journaltransaction`
					: lower.startsWith(`${JOURNALS}/`) && lower.endsWith('/action/release')
						? 'release'
						: lower.startsWith(`${JOURNALS}/`)
							? `${req.method} journaltransaction/{n}`
							: lower.startsWith('/v')
								? `${req.method} other API`
								: 'other';
		count(kind);
		const upstream = http.request(
			{
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: target.host },
				agent,
			},
			(answer) => {
				if (answer.statusCode === 429) count('429 answered');
				// A journal POST Visma.net accepted: in derived mode a rerun's POST is sent and refused.
				if (
					kind === 'POST journaltransaction' &&
					answer.statusCode >= 200 &&
					answer.statusCode < 300
				)
					count('POST journaltransaction accepted');
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
				answer.on('aborted', () => res.destroy());
			},
		);
		upstream.on('error', () => {
			count('dropped');
			res.destroy();
		});
		req.pipe(upstream);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		snapshot: () => Object.fromEntries(counts),
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
				agent.destroy();
			}),
	};
}

/** Differences between two proxy snapshots. */
function countsSince(before, after) {
	return Object.fromEntries(
		Object.keys(after)
			.map((k) => [k, after[k] - (before[k] ?? 0)])
			.filter(([, v]) => v > 0),
	);
}

/** A copy of an example workflow of workflows/ under another id and name; `adapt(node)` changes nodes. */
function exampleCopy(file, id, name, adapt) {
	const example = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
	const workflow = { ...structuredClone(example), id, name, active: false };
	for (const node of workflow.nodes) {
		node.id = node.id.replace(example.id, id);
		adapt(node);
	}
	return workflow;
}

/** The webhook example (workflows/nmbrs-xml-webhook.json) adapted to take a canonical JSON journal. */
export function webhookTestWorkflow(postOverrides = {}) {
	return exampleCopy(
		'nmbrs-xml-webhook.json',
		WEBHOOK_WORKFLOW_ID,
		'Queue test: journal (JSON) by webhook to Visma.net',
		(node) => {
			if (node.type === 'n8n-nodes-base.webhook') {
				node.parameters.path = WEBHOOK_PATH;
				node.parameters.options = {};
				node.webhookId = '7e4d2a1f-9b66-4d2f-8c8b-4e3e8d2f6b02';
			}
			if (node.name === 'Journal from request')
				node.parameters.jsCode =
					'// The request body is one canonical journal (reference, company, run, lines).\nreturn $input.all().map((item) => ({ json: item.json.body }));';
			if (node.type.endsWith('.vismaNetValidateJournal'))
				node.parameters = { inputFormat: 'canonical' };
			if (node.type.endsWith('.vismaNetPostJournal'))
				node.parameters = { ...node.parameters, ...postOverrides };
		},
	);
}

/** The month-end example with its own id, polling every minute instead of hourly. */
export function monthEndTestWorkflow() {
	return exampleCopy(
		'month-end.json',
		MONTH_END_WORKFLOW_ID,
		'Queue test: month end (Nmbrs Trigger every minute)',
		(node) => {
			if (node.type.endsWith('.nmbrsTrigger'))
				node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
		},
	);
}

/** POSTs one journal to the production webhook; never throws. */
async function sendJournal(baseUrl, journal, timeoutMs) {
	const started = Date.now();
	try {
		const response = await fetch(`${baseUrl}/webhook/${WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(journal),
			signal: AbortSignal.timeout(timeoutMs),
		});
		return {
			reference: journal.reference,
			status: response.status,
			body: await responseBody(response),
			ms: Date.now() - started,
		};
	} catch (error) {
		return {
			reference: journal.reference,
			status: 0,
			body: String(error?.cause?.code ?? error?.name ?? error),
			ms: Date.now() - started,
		};
	}
}

/** posted / alreadyPosted / failed part counts in webhook answers. */
function tallyAnswers(answers) {
	const tally = {
		answers: answers.length,
		http200: 0,
		http422: 0,
		httpOther: 0,
		noAnswer: 0,
		posted: 0,
		alreadyPosted: 0,
		failedParts: 0,
		duplicatedReported: 0,
	};
	for (const answer of answers) {
		if (answer.status === 200) tally.http200++;
		else if (answer.status === 422) tally.http422++;
		else if (answer.status === 0) tally.noAnswer++;
		else tally.httpOther++;
		for (const part of (typeof answer.body === 'object' && answer.body?.parts) || []) {
			if (part.status === 'posted') tally.posted++;
			else if (part.status === 'alreadyPosted') tally.alreadyPosted++;
			else tally.failedParts++;
			if (/more than once/.test(String(part.summary ?? ''))) tally.duplicatedReported++;
		}
	}
	return tally;
}

const journalDone = (answer, partCount) =>
	answer.status === 200 &&
	answer.body?.ok === true &&
	(answer.body.parts ?? []).length === partCount &&
	answer.body.parts.every((p) => p.status === 'posted' || p.status === 'alreadyPosted');

/**
 * What Post Journal Transaction put out in each execution, read from PostgreSQL (execution_data,
 * n8n's flatted format, parsed with n8n's own `flatted`): per part its status (main output) or
 * its error code (error output). The webhook's answer cannot tell this: the example's Summary node
 * reads only Post's main output.
 */
function postOutcomes(pg, cacheDir, afterId, workflowId) {
	const { parse } = createRequire(path.join(cacheDir, 'node_modules', 'n8n', 'package.json'))(
		'flatted',
	);
	const tally = { executions: 0, withPost: 0, posted: 0, alreadyPosted: 0, errors: {} };
	for (const [, data] of pg.query(
		`SELECT d."executionId", d.data FROM execution_data d JOIN execution_entity e ON e.id = d."executionId" WHERE e.id > ${afterId} AND e."workflowId" = '${workflowId}'`,
	)) {
		tally.executions++;
		let run;
		try {
			run = parse(data);
		} catch {
			continue;
		}
		const post = run?.resultData?.runData?.['Post Journal Transaction']?.[0];
		if (!post) continue;
		tally.withPost++;
		const [main = [], failed = []] = post.data?.main ?? [];
		for (const item of main ?? []) {
			const status = item.json?.visma?.status;
			if (status === 'posted') tally.posted++;
			else if (status === 'alreadyPosted') tally.alreadyPosted++;
			else tally.errors[String(status)] = (tally.errors[String(status)] ?? 0) + 1;
		}
		for (const item of failed ?? []) {
			// With "Continue (using error output)" n8n reduces an error item to `{ error: message }`.
			const error = item.json?.error;
			const message =
				typeof error === 'string' ? error : String(error?.code ?? error?.message ?? 'error');
			const code = /more than once/.test(message)
				? 'duplicate found (part is in Visma.net more than once)'
				: message.replace(/\d{6,}/g, 'N').slice(0, 90);
			tally.errors[code] = (tally.errors[code] ?? 0) + 1;
		}
	}
	return tally;
}

// ---------------------------------------------------------------------------------------------
// n8n instances
// ---------------------------------------------------------------------------------------------

/** A long-running n8n process (main or worker) whose log goes to a file and is parsed line by line. */
function startN8nProcess({ name, nodeBinary, n8nBin, args, env, cwd, logDir, onLine }) {
	const logFile = fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
	const child = spawnGroup(nodeBinary, [n8nBin, ...args], { cwd, env });
	let partial = '';
	const onData = (chunk) => {
		logFile.write(chunk);
		const text = partial + stripAnsi(chunk.toString());
		const lines = text.split('\n');
		partial = lines.pop();
		for (const line of lines) onLine?.(line);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	child.on('exit', () => logFile.end());
	child.instanceName = name;
	return child;
}

async function waitForLine(child, pattern, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (!pattern.test(stripAnsi(child.output()))) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(
				`${child.instanceName} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${child.outputTail(40)}`,
			);
		if (Date.now() > deadline)
			throw new Error(
				`${child.instanceName} not ready within ${timeoutMs / 1000}s:\n${child.outputTail(40)}`,
			);
		await sleep(200);
	}
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

export async function main(options = parseOptions()) {
	if (options.help) {
		console.log(HELP);
		return 0;
	}
	const cleanups = [];
	const cleanUp = () => runCleanups(cleanups);
	let interrupted = false;
	const onSignal = (signal) => {
		if (interrupted) return;
		interrupted = true;
		log(`${signal}: stopping everything`);
		cleanUp().finally(() => process.exit(130));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	const report = { modes: [], failures: [] };
	try {
		const nodeBinDir = projectNodeBinDir();
		const nodeBinary = path.join(nodeBinDir, 'node');
		const baseEnv = withNodeOnPath(nodeBinDir);
		const cacheDir = n8nCacheDir();
		log(
			`${options.journals} journals × ${options.copies} copies per mode, modes ${options.modes.join(', ')}, faults ${options.faults ? 'on' : 'off'}, month end ${options.monthEnd ? 'on' : 'off'}, worker concurrency ${options.concurrency}`,
		);

		const n8nBin = await timed('ensure n8n', () =>
			ensureN8n({ cacheDir, env: baseEnv, nodeBinary }),
		);
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
		const logDir = path.join(tmp, 'logs');
		fs.mkdirSync(logDir);
		cleanups.push(() => {
			if (options.keep) log(`kept ${tmp} (logs in ${logDir})`);
			else fs.rmSync(tmp, { recursive: true, force: true });
		});
		log(`temp folder ${tmp}`);

		// --- PostgreSQL and Redis -----------------------------------------------------------
		const pgBin = await timed('ensure PostgreSQL', () => ensurePostgres(log));
		const redisServer = await timed('ensure Redis', () => ensureRedis(log));
		const pg = await timed('start PostgreSQL', () =>
			startPostgres({ bin: pgBin, dir: path.join(tmp, 'pg'), log }),
		);
		cleanups.unshift(() => pg.stop());
		const redis = await timed('start Redis', () =>
			startRedis({ server: redisServer, dir: path.join(tmp, 'redis'), log }),
		);
		cleanups.unshift(() => redis.stop());

		// --- the package, installed in each instance's user folder -------------------------
		const packs = await buildAndPack({ env: baseEnv, destination: tmp });
		const instances = ['main', 'worker1', 'worker2'];
		const folders = Object.fromEntries(instances.map((name) => [name, path.join(tmp, name)]));
		await timed('install the community package in main, worker1, worker2', async () => {
			for (const name of instances)
				await installCommunityPackages({ packs, userFolder: folders[name], env: baseEnv });
		});

		// --- sandboxes ---------------------------------------------------------------------
		const sandbox = await timed('start Visma.net sandbox', () => startSandbox({ env: baseEnv }));
		cleanups.unshift(() => sandbox.stop());
		// 10,000 calls per hour per tenant + client is Visma.net's limit; the load must not hit it by accident.
		await fetch(`${sandbox.url}/_sandbox/config`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ rateLimit: { limit: 1_000_000 } }),
		});
		const proxy = await startCountingProxy(sandbox.url);
		cleanups.unshift(() => proxy.close());
		const nmbrs = await timed('start Nmbrs sandbox', () => startNmbrsSandbox({ env: baseEnv }));
		cleanups.unshift(() => nmbrs.stop());
		const capture = await startCaptureServer();
		cleanups.unshift(() => capture.close());
		log(
			`Visma.net sandbox ${sandbox.url} (n8n calls it through the counting proxy ${proxy.url}), Nmbrs sandbox ${nmbrs.url}`,
		);

		// --- n8n environment ----------------------------------------------------------------
		const mainPort = await freePort();
		const baseUrl = `http://127.0.0.1:${mainPort}`;
		const queueEnv = async (name) => ({
			...n8nEnv(baseEnv, folders[name], { runnerBrokerPort: await freePort() }),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: pg.host,
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Webhook URLs the main registers and answers (all instances share the database).
			...listenEnv(mainPort),
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '15',
			// With --faults a worker is killed: Bull notices its jobs stalled after the lock ran out
			// (defaults: lock 60 s, stall check every 30 s); shorter so the run sees the outcome.
			...(options.faults
				? {
						QUEUE_WORKER_LOCK_DURATION: '15000',
						QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
						QUEUE_WORKER_STALLED_INTERVAL: '5000',
					}
				: {}),
		});
		const mainEnv = await queueEnv('main');
		const n8nCli = (args) =>
			run(nodeBinary, [n8nBin, ...args], {
				cwd: folders.main,
				env: mainEnv,
				capture: true,
				timeoutMs: 5 * 60_000,
			});
		const cliOrThrow = async (label, args, expect) => {
			const result = await timed(label, () => n8nCli(args));
			if (result.code !== 0 || !expect.test(result.stdout + result.stderr)) {
				for (const line of failureExcerpt(`${result.stdout}\n${result.stderr}`))
					console.log(`  n8n | ${line}`);
				throw new Error(`${label} failed (exit ${result.code})`);
			}
		};
		const credentials = [sandboxCredential(proxy.url, sandbox.demo), nmbrsCredential(nmbrs)];
		fs.writeFileSync(path.join(tmp, 'credentials.json'), JSON.stringify(credentials, null, 2));
		await cliOrThrow(
			'n8n import:credentials (PostgreSQL: runs the migrations)',
			['import:credentials', `--input=${path.join(tmp, 'credentials.json')}`],
			/Successfully imported 2 credential/,
		);
		const workflowFiles = {
			webhook: path.join(tmp, 'webhook.json'),
			monthEnd: path.join(tmp, 'month-end.json'),
		};
		fs.writeFileSync(
			workflowFiles.webhook,
			JSON.stringify(webhookTestWorkflow(BATCH_NUMBER_MODES[options.modes[0]].post), null, 2),
		);
		fs.writeFileSync(workflowFiles.monthEnd, JSON.stringify(monthEndTestWorkflow(), null, 2));
		for (const [what, file] of Object.entries(workflowFiles))
			await cliOrThrow(
				`n8n import:workflow ${what}`,
				['import:workflow', `--input=${file}`],
				/Successfully imported 1 workflow/,
			);
		// $vars.PAYROLL_NOTIFY_URL for the month-end's notifications (the row Settings → Variables writes).
		const variableColumns = pg
			.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'variables'`)
			.map((r) => r[0]);
		const variable = {
			id: 'QueueVariable001',
			key: NOTIFY_VARIABLE,
			type: 'string',
			value: capture.url,
		};
		const cols = Object.keys(variable).filter((c) => variableColumns.includes(c));
		pg.query(
			`INSERT INTO variables (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => `'${String(variable[c]).replace(/'/g, "''")}'`).join(', ')})`,
		);

		// --- main and workers ---------------------------------------------------------------
		/** executionId → worker name, from "Worker started execution <id> (job <n>)". */
		const executionWorker = new Map();
		const finishedOn = new Map();
		const workerLine = (name) => (line) => {
			const started = /Worker started execution (\d+) \(job (\d+)\)/.exec(line);
			if (started) executionWorker.set(started[1], name);
			const finished = /Worker finished execution (\d+) \(job (\d+)\)/.exec(line);
			if (finished) finishedOn.set(finished[1], name);
		};
		const n8nMain = startN8nProcess({
			name: 'main',
			nodeBinary,
			n8nBin,
			args: ['start'],
			env: mainEnv,
			cwd: folders.main,
			logDir,
		});
		cleanups.unshift(() => n8nMain.stop(25_000));
		await timed('n8n main (queue mode) until /healthz/readiness', () =>
			waitForN8n(baseUrl, n8nMain),
		);
		const rest = restClient(baseUrl);
		await rest.call('POST', '/owner/setup', OWNER);
		await rest.call('POST', '/login', {
			emailOrLdapLoginId: OWNER.email,
			password: OWNER.password,
		});

		const workerEnvs = {};
		const workers = {};
		const startWorker = async (name) => {
			workerEnvs[name] ??= await queueEnv(name);
			const child = startN8nProcess({
				name,
				nodeBinary,
				n8nBin,
				args: ['worker', `--concurrency=${options.concurrency}`],
				env: workerEnvs[name],
				cwd: folders[name],
				logDir,
				onLine: workerLine(name),
			});
			workers[name] = child;
			await waitForLine(child, /n8n worker is now ready/, 180_000);
			return child;
		};
		cleanups.unshift(async () => {
			for (const child of Object.values(workers)) await child.stop(25_000);
		});
		await timed('two workers until "n8n worker is now ready"', () =>
			Promise.all([startWorker('worker1'), startWorker('worker2')]),
		);
		const memory = () =>
			Object.fromEntries(
				[n8nMain, ...Object.values(workers)].map((child) => [
					child.instanceName,
					rssOfGroup(child.pid),
				]),
			);
		log(`RSS after start (MB, process group incl. task runner): ${JSON.stringify(memory())}`);

		// --- the webhook workflow, published ------------------------------------------------
		await publishWorkflow(rest, WEBHOOK_WORKFLOW_ID);
		const registered = await waitUntil(
			async () => {
				const response = await fetch(`${baseUrl}/webhook/${WEBHOOK_PATH}`, {
					method: 'OPTIONS',
					headers: { origin: baseUrl, 'access-control-request-method': 'POST' },
				});
				return /\bPOST\b/.test(response.headers.get('access-control-allow-methods') ?? '');
			},
			{ timeoutMs: 30_000, everyMs: 200 },
		);
		if (!registered)
			throw new Error(`the webhook POST /webhook/${WEBHOOK_PATH} was not registered within 30s`);

		let peakMemory = memory();
		const memoryTimer = setInterval(() => {
			const now = memory();
			for (const [name, mb] of Object.entries(now))
				peakMemory[name] = Math.max(peakMemory[name] ?? 0, mb);
		}, 2_000);
		cleanups.unshift(() => clearInterval(memoryTimer));

		for (const [modeIndex, mode] of options.modes.entries()) {
			if (modeIndex > 0) {
				// The workflow with this mode's Post parameters: re-import, publish again.
				await unpublishWorkflow(rest, WEBHOOK_WORKFLOW_ID);
				fs.writeFileSync(
					workflowFiles.webhook,
					JSON.stringify(webhookTestWorkflow(BATCH_NUMBER_MODES[mode].post), null, 2),
				);
				await cliOrThrow(
					`n8n import:workflow webhook (${mode})`,
					['import:workflow', `--input=${workflowFiles.webhook}`],
					/Successfully imported 1 workflow/,
				);
				await publishWorkflow(rest, WEBHOOK_WORKFLOW_ID);
				await sleep(2_000);
			}
			const result = await runMode({
				mode,
				options,
				cacheDir,
				keepDir: options.keep ? tmp : undefined,
				modeIndex,
				sandbox,
				nmbrs,
				proxy,
				pg,
				rest,
				baseUrl,
				env: baseEnv,
				workers,
				startWorker,
				executionWorker,
				executionFinished: finishedOn,
				withMonthEnd: options.monthEnd && modeIndex === 0,
			});
			report.modes.push(result);
		}
		clearInterval(memoryTimer);
		report.peakMemory = peakMemory;
		report.notifications = capture.received.length;
		await unpublishWorkflow(rest, WEBHOOK_WORKFLOW_ID).catch(() => undefined);

		const stopped = await timed('stop n8n (workers, then main)', async () => {
			const ends = {};
			for (const [name, child] of Object.entries(workers)) ends[name] = await child.stop(25_000);
			ends.main = await n8nMain.stop(25_000);
			return ends;
		});
		report.stopped = stopped;
	} catch (error) {
		report.failures.push(error instanceof Error ? error.message : String(error));
		console.error(`queue test failed: ${error instanceof Error ? error.stack : String(error)}`);
	} finally {
		await cleanUp();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	printSummary(report, options);
	const bad =
		report.failures.length > 0 ||
		report.modes.length === 0 ||
		report.modes.some((m) => m.verdict !== 'ok');
	console.log(
		`timings: ${timings.map((t) => `${t.label} ${t.seconds.toFixed(1)}s`).join('; ')}; total ${((Date.now() - t0) / 1000).toFixed(1)}s`,
	);
	console.log(
		`queue: ${bad ? 'FAIL' : 'PASS'}${report.modes.map((m) => ` [${m.mode}: ${m.ledger ? `${m.ledger.liveDuplicates} live duplicates, ${m.ledger.missing} missing, ${m.ledger.wrongAmounts} wrong amounts` : 'not measured'}]`).join('')}`,
	);
	return bad ? 1 : 0;
}

/** Resident memory (MB) of a process group (n8n and its task runner). */
function rssOfGroup(pgid) {
	let total = 0;
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) !== pgid) continue;
			total += Number(fields[21]) * 4096;
		} catch {
			// gone
		}
	}
	return Math.round(total / 1048576);
}

/** One batch-number mode: reset the ledger, fire the load (and month end), settle, check. */
async function runMode({
	mode,
	options,
	keepDir,
	cacheDir,
	modeIndex,
	sandbox,
	nmbrs,
	proxy,
	pg,
	rest,
	baseUrl,
	env,
	workers,
	startWorker,
	executionWorker,
	executionFinished,
	withMonthEnd,
}) {
	log(`--- mode ${mode}: ${BATCH_NUMBER_MODES[mode].description}`);
	await fetch(`${sandbox.url}/_sandbox/reset`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	});
	const generated = await timed('generate journals (fault suite generator)', () =>
		ledger(
			env,
			'generate',
			JSON.stringify({
				journals: options.journals,
				copies: options.copies,
				spreadMs: options.spreadMs,
				seed: options.seed,
				prefix: `Q${options.seed}${mode.slice(0, 1).toUpperCase()}${modeIndex}`,
			}),
		),
	);
	const { journals, parts, offsets, maxReruns } = generated;
	const partsOf = new Map(
		journals.map((j) => [j.reference, parts.filter((p) => p.reference === j.reference).length]),
	);
	const lastExecutionId = Number(
		pg.query(`SELECT COALESCE(MAX(id), 0) FROM execution_entity`)[0][0],
	);
	const callsBefore = proxy.snapshot();
	const answerTimeoutMs = 300_000;
	const started = Date.now();

	if (options.faults) {
		// Drops after commit and 429 storms during the load (the sandbox's own fault controller).
		const faults = {
			clear: true,
			seed: options.seed,
			dropAfterCommit: { count: Math.max(2, Math.round(options.journals / 5)), path: JOURNALS },
			rateLimitStorm: { count: Math.max(3, Math.round(options.journals / 4)), retryAfter: 1 },
		};
		await fetch(`${sandbox.url}/_sandbox/faults`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(faults),
		});
		log(`sandbox faults: ${JSON.stringify(faults)}`);
	}

	// Month end beside the load: publish it a moment after the load starts (its activation poll runs at once).
	let monthEnd;
	if (withMonthEnd) {
		monthEnd = (async () => {
			await sleep(Math.min(2_000, (options.journals * options.staggerMs) / 3));
			await publishWorkflow(rest, MONTH_END_WORKFLOW_ID);
			log('month-end workflow published (activation poll: the locked March run R2026-03)');
			// Once the activation poll's execution exists, lock the April run: the next scheduled poll
			// (every minute) emits it, and a worker books it, during the load if it is still running.
			await waitUntil(
				() =>
					pg.query(
						`SELECT id FROM execution_entity WHERE "workflowId" = '${MONTH_END_WORKFLOW_ID}'`,
					).length > 0,
				{ timeoutMs: 60_000, everyMs: 250 },
			);
			await fetch(`${nmbrs.url}/_sandbox/runs/lock`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ companyId: 1234, runId: 88131 }),
			});
			log('Nmbrs: April run 88131 locked (R2026-04: the next minute poll)');
			return Date.now();
		})();
	}

	// Faults: kill worker2 (SIGKILL, its task runner too) once it has started a sixth of the load's
	// executions and has some running (at most 120 s in), restart it 5 s later.
	let kill;
	if (options.faults) {
		kill = (async () => {
			const startedOn2 = () =>
				[...executionWorker.entries()].filter(
					([id, name]) => name === 'worker2' && Number(id) > lastExecutionId,
				);
			const inFlight = () => startedOn2().filter(([id]) => !executionFinished.has(id)).length;
			await waitUntil(
				() =>
					startedOn2().length >= Math.max(2, Math.round((options.journals * options.copies) / 6)) &&
					inFlight() > 0,
				{ timeoutMs: 120_000, everyMs: 50 },
			);
			const victim = workers.worker2;
			const running = `${startedOn2().length} started, ${inFlight()} running`;
			try {
				process.kill(-victim.pid, 'SIGKILL');
			} catch {
				// gone already
			}
			log(`fault: worker2 killed (SIGKILL; its executions of this mode: ${running})`);
			await sleep(5_000);
			await startWorker('worker2');
			log('fault: worker2 restarted and ready');
		})();
	}

	// The load: journal j starts at j × stagger; its copies within spreadMs.
	const sends = [];
	for (const [index, journal] of journals.entries()) {
		for (const offset of offsets[index]) {
			sends.push(
				(async () => {
					await sleep(index * options.staggerMs + offset);
					return {
						...(await sendJournal(baseUrl, journal, answerTimeoutMs)),
						sentAt: Date.now() - started,
					};
				})(),
			);
		}
	}
	const answers = await timed(
		`load: ${sends.length} webhook calls (${journals.length} journals × ${options.copies})`,
		() => Promise.all(sends),
	);
	await kill;
	const loadSeconds = (Date.now() - started) / 1000;

	// Reruns (as the caller retries a failed call), sequential per journal, at most the fault suite's MAX_RERUNS.
	if (options.faults) await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
	const reruns = [];
	const pending = journals.filter(
		(journal) =>
			!answers.some(
				(a) => a.reference === journal.reference && journalDone(a, partsOf.get(journal.reference)),
			),
	);
	for (let round = 1; round <= maxReruns && pending.length > 0; round++) {
		const answersRound = await Promise.all(
			pending.map((journal) => sendJournal(baseUrl, journal, answerTimeoutMs)),
		);
		reruns.push(...answersRound);
		for (const answer of answersRound)
			if (journalDone(answer, partsOf.get(answer.reference)))
				pending.splice(
					pending.findIndex((j) => j.reference === answer.reference),
					1,
				);
	}
	if (reruns.length)
		log(`reruns: ${reruns.length} call(s); ${pending.length} journal(s) still not done`);

	// Month end: wait for its execution(s), then unpublish.
	let monthEndExecutions = [];
	if (monthEnd) {
		await monthEnd;
		// Two executions: the activation poll (March) and a scheduled poll (April), ≤ 75 s after the lock.
		await timed('month end: activation poll and the next scheduled poll finished', () =>
			waitUntil(
				() => {
					const rows = pg.query(
						`SELECT id, status FROM execution_entity WHERE "workflowId" = '${MONTH_END_WORKFLOW_ID}'`,
					);
					return (
						rows.length >= 2 &&
						rows.every(([, status]) => !['new', 'running', 'waiting', 'unknown'].includes(status))
					);
				},
				{ timeoutMs: 75_000, everyMs: 500 },
			),
		);
		await unpublishWorkflow(rest, MONTH_END_WORKFLOW_ID).catch(() => undefined);
		monthEndExecutions = pg.query(
			`SELECT id, status, mode FROM execution_entity WHERE "workflowId" = '${MONTH_END_WORKFLOW_ID}' ORDER BY id`,
		);
	}

	// Every execution finished (crashed ones included), at most 120 s.
	const settled = await timed('executions settled', () =>
		waitUntil(
			() =>
				Number(
					pg.query(
						`SELECT COUNT(*) FROM execution_entity WHERE id > ${lastExecutionId} AND status IN ('new', 'running', 'waiting')`,
					)[0][0],
				) === 0,
			{ timeoutMs: 120_000, everyMs: 500 },
		),
	);

	// Confirmation: each journal once more must find everything and post nothing.
	const before = proxy.snapshot();
	const confirmation = await timed('confirmation: each journal once more', () =>
		Promise.all(journals.map((journal) => sendJournal(baseUrl, journal, answerTimeoutMs))),
	);
	const after = proxy.snapshot();
	const confirmationPostsSent =
		(after['POST journaltransaction'] ?? 0) - (before['POST journaltransaction'] ?? 0);
	const confirmationPosts =
		(after['POST journaltransaction accepted'] ?? 0) -
		(before['POST journaltransaction accepted'] ?? 0);
	// Respond to Webhook answers before the execution is saved as finished: settle once more.
	await waitUntil(
		() =>
			Number(
				pg.query(
					`SELECT COUNT(*) FROM execution_entity WHERE id > ${lastExecutionId} AND status IN ('new', 'running', 'waiting')`,
				)[0][0],
			) === 0,
		{ timeoutMs: 30_000, everyMs: 250 },
	);
	const calls = countsSince(callsBefore, proxy.snapshot());

	// Executions: status, per worker.
	const executions = pg
		.query(
			`SELECT id, "workflowId", status, mode FROM execution_entity WHERE id > ${lastExecutionId} ORDER BY id`,
		)
		.map(([id, workflowId, status, execMode]) => ({
			id,
			workflowId,
			status,
			mode: execMode,
			worker: executionWorker.get(id) ?? 'unknown',
		}));

	const post = postOutcomes(pg, cacheDir, lastExecutionId, WEBHOOK_WORKFLOW_ID);

	// The ledger, with the fault suite's checks.
	const state = await sandboxState(sandbox.url);
	const inputFile = path.join(os.tmpdir(), `queue-check-${process.pid}-${mode}.json`);
	fs.writeFileSync(
		inputFile,
		JSON.stringify({
			state,
			tenantId: sandbox.demo.tenantId,
			parts,
			countOnly: withMonthEnd
				? [
						...EXPECTED_BATCH_PERIODS.map((financialPeriod) => ({
							reference: 'R2026-03',
							financialPeriod,
						})),
						{ reference: 'R2026-04', financialPeriod: '202604' },
					]
				: [],
		}),
	);
	const checked = await ledger(env, 'check', inputFile).finally(() =>
		fs.rmSync(inputFile, { force: true }),
	);

	const result = {
		mode,
		journals: journals.length,
		parts: parts.length,
		twkParts: parts.filter((p) => p.isTwk).length,
		loadSeconds,
		sends: answers.length,
		load: tallyAnswers(answers),
		reruns: tallyAnswers(reruns),
		stillPending: pending.length,
		confirmation: tallyAnswers(confirmation),
		confirmationPosts,
		confirmationPostsSent,
		settled: Boolean(settled),
		executions,
		monthEndExecutions,
		calls,
		ledger: checked,
		post,
		answerMs: answers.map((a) => a.ms).sort((a, b) => a - b),
		/** A few answers that were not HTTP 200 with every part done, as the caller saw them. */
		notDone: [...answers, ...reruns]
			.filter((a) => !journalDone(a, partsOf.get(a.reference)))
			.slice(0, 5),
	};
	if (keepDir)
		fs.writeFileSync(
			path.join(keepDir, `answers-${mode}.json`),
			JSON.stringify({ answers, reruns, confirmation }, null, 2),
		);
	result.verdict =
		checked.liveDuplicates +
			checked.missing +
			checked.wrongAmounts +
			checked.unexpected +
			confirmationPosts >
		0
			? 'fail'
			: 'ok';
	return result;
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

function printSummary(report, options) {
	console.log('');
	console.log(
		`=== n8n ${N8N_VERSION} queue mode: main + 2 workers (concurrency ${options.concurrency}), PostgreSQL, Redis ===`,
	);
	for (const failure of report.failures) console.log(`FAILED: ${failure}`);
	for (const m of report.modes) {
		const webhook = m.executions.filter((e) => e.workflowId === WEBHOOK_WORKFLOW_ID);
		const byWorker = {};
		for (const e of m.executions) byWorker[e.worker] = (byWorker[e.worker] ?? 0) + 1;
		const byStatus = {};
		for (const e of m.executions) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
		const pct = (q) =>
			m.answerMs[Math.min(m.answerMs.length - 1, Math.floor(q * m.answerMs.length))] ?? 0;
		const apiCalls = Object.entries(m.calls)
			.filter(
				([k]) =>
					!['other', 'dropped', '429 answered', 'POST journaltransaction accepted'].includes(k),
			)
			.reduce((s, [, v]) => s + v, 0);
		const rows = [
			['batch-number mode', `${m.mode}: ${BATCH_NUMBER_MODES[m.mode].description}`],
			[
				'journals',
				`${m.journals} distinct × ${options.copies} sends within ${options.spreadMs} ms (${m.sends} webhook calls in ${m.loadSeconds.toFixed(1)} s; answer time p50 ${(pct(0.5) / 1000).toFixed(1)} s, p95 ${(pct(0.95) / 1000).toFixed(1)} s, max ${((m.answerMs.at(-1) ?? 0) / 1000).toFixed(1)} s)`,
			],
			[
				'executions',
				`${m.executions.length} in all (${webhook.length} webhook, ${m.monthEndExecutions.length} month end, rest: reruns/confirmation counted in webhook); by status ${JSON.stringify(byStatus)}${m.settled ? '' : '; NOT all finished within 120 s'}`,
			],
			[
				'month end',
				m.monthEndExecutions.length
					? m.monthEndExecutions
							.map(
								([id, status, execMode]) =>
									`#${id} ${execMode} ${status} on ${m.executions.find((e) => e.id === id)?.worker ?? '?'}`,
							)
							.join(', ')
					: 'not run',
			],
			[
				'executions per worker',
				Object.entries(byWorker)
					.sort()
					.map(([w, n]) => `${w} ${n}`)
					.join(', '),
			],
			[
				'webhook answers (load)',
				`HTTP 200 ${m.load.http200}, 422 ${m.load.http422}, other ${m.load.httpOther}, none ${m.load.noAnswer}`,
			],
			[
				'parts expected',
				`${m.ledger.parts} (${m.twkParts} TWK${m.monthEndExecutions.length ? ', 4 of month end: R2026-03 × 3, R2026-04' : ''})`,
			],
			[
				'parts in webhook answers',
				`${m.load.posted} posted, ${m.load.alreadyPosted} alreadyPosted, ${m.load.failedParts} failed (${m.load.duplicatedReported} reported "more than once")`,
			],
			[
				'Post node output (all executions)',
				`${m.post.posted} posted, ${m.post.alreadyPosted} alreadyPosted, errors ${JSON.stringify(m.post.errors)} (${m.post.withPost} of ${m.post.executions} webhook executions reached Post)`,
			],
			[
				'reruns',
				`${m.reruns.answers} call(s): ${m.reruns.posted} posted, ${m.reruns.alreadyPosted} alreadyPosted, ${m.reruns.failedParts} failed; ${m.stillPending} journal(s) never done`,
			],
			[
				'confirmation run',
				`${m.confirmation.alreadyPosted} alreadyPosted, ${m.confirmation.posted} posted, ${m.confirmation.failedParts} failed; journal POSTs sent: ${m.confirmationPostsSent}, accepted by Visma.net: ${m.confirmationPosts}`,
			],
			[
				'ledger: batches',
				`${m.ledger.batches} under the test references; ${m.ledger.partsBookedOnce} of ${m.ledger.parts} parts booked exactly once`,
			],
			[
				'LIVE DUPLICATES',
				`${m.ledger.liveDuplicates} extra live batch(es) over ${m.ledger.partsWithLiveDuplicates} part(s)`,
			],
			['MISSING PARTS', String(m.ledger.missing)],
			['WRONG AMOUNTS', String(m.ledger.wrongAmounts)],
			['unexpected batches', String(m.ledger.unexpected)],
			['held duplicate copies', String(m.ledger.heldCopies)],
			[
				'Visma API calls',
				`${apiCalls} (${(apiCalls / Math.max(1, m.ledger.parts)).toFixed(2)} per part): ${Object.entries(
					m.calls,
				)
					.sort()
					.map(([k, v]) => `${k} ${v}`)
					.join(', ')}`,
			],
			['verdict', m.verdict === 'ok' ? 'ok: every part exactly once' : 'FAIL'],
		];
		const width = Math.max(...rows.map(([k]) => k.length));
		for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
		for (const answer of m.notDone)
			console.log(
				`  answer not done: ${answer.reference} HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 400)}`,
			);
		const problems = m.ledger.problems;
		if (problems.length) {
			console.log(`problems (${problems.length}, first 15):`);
			for (const p of problems.slice(0, 15)) console.log(`  ${p}`);
		}
		console.log('');
	}
	if (report.peakMemory)
		console.log(
			`peak RSS (MB, process group incl. task runner): ${JSON.stringify(report.peakMemory)}`,
		);
	if (report.stopped) console.log(`stopped: ${JSON.stringify(report.stopped)}`);
	if (report.notifications !== undefined)
		console.log(`notifications at the capture server: ${report.notifications}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
	process.exitCode = await main();
}
