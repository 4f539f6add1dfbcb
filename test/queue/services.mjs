/**
 * PostgreSQL and Redis for the queue-mode test, on 127.0.0.1 with free ports, data in a temp
 * folder, each in its own process group (stopped with the group). Plain Node ESM.
 *
 * PostgreSQL: the machine's own binaries (`postgres` on PATH or /usr/lib/postgresql/<v>/bin), else
 * Debian's `postgresql` package (apt-get, as root). PostgreSQL refuses to run as root, so as root the
 * cluster belongs to the `postgres` user (Debian's package creates it) or, without one, `nobody`.
 * Redis: `redis-server` on PATH, else Debian's `redis-server` package.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { spawnGroup } from '../n8n/n8n-server.mjs';
import { freePort, run } from '../n8n/smoke.mjs';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function which(command) {
	const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
	return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Installs Debian packages (apt-get update once, then install), as root only. */
export async function aptInstall(packages, log) {
	if (!isRoot())
		throw new Error(
			`${packages.join(', ')} missing and not root: install ${packages.join(' ')} (apt-get) first`,
		);
	log(`installing ${packages.join(', ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
		const result = await run('apt-get', args, { env, capture: true, timeoutMs: 10 * 60_000 });
		if (result.code !== 0)
			throw new Error(
				`apt-get ${args.join(' ')} exited ${result.code}:\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15).join('\n')}`,
			);
	}
}

/** The folder with initdb and postgres: PATH first, then Debian's /usr/lib/postgresql/<newest>/bin. */
export function findPostgresBin() {
	const onPath = which('initdb') && which('postgres');
	if (onPath) return path.dirname(fs.realpathSync(onPath));
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

export async function ensurePostgres(log) {
	let bin = findPostgresBin();
	if (!bin) {
		await aptInstall(['postgresql'], log);
		bin = findPostgresBin();
		if (!bin) throw new Error('postgresql installed, but no initdb/postgres found');
	}
	return bin;
}

export async function ensureRedis(log) {
	let server = which('redis-server');
	if (!server) {
		await aptInstall(['redis-server'], log);
		server = which('redis-server');
		if (!server) throw new Error('redis-server installed, but not on PATH');
	}
	return server;
}

/** The OS user that runs PostgreSQL: the current one, or (as root) `postgres`, else `nobody`. */
function postgresOsUser() {
	if (!isRoot()) return undefined;
	for (const name of ['postgres', 'nobody']) {
		const id = spawnSync('id', ['-u', name], { encoding: 'utf8' });
		if (id.status === 0)
			return {
				name,
				uid: Number(id.stdout.trim()),
				gid: Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim()),
			};
	}
	throw new Error(
		'running as root and neither a postgres nor a nobody user exists to run PostgreSQL',
	);
}

/**
 * initdb + postgres in `dir` (created; owned by the PostgreSQL user), trust auth on 127.0.0.1 only,
 * fsync off (throwaway data), database `database` created. Returns connection settings and stop().
 */
export async function startPostgres({ bin, dir, database = 'n8n', user = 'n8n', log }) {
	const osUser = postgresOsUser();
	fs.mkdirSync(dir, { recursive: true });
	const data = path.join(dir, 'data');
	const socketDir = path.join(dir, 'socket');
	fs.mkdirSync(socketDir, { recursive: true });
	if (osUser) {
		// The parent folders must be traversable for that user.
		for (let at = dir; at !== path.dirname(at); at = path.dirname(at)) {
			const mode = fs.statSync(at).mode;
			if ((mode & 0o001) === 0) fs.chmodSync(at, mode | 0o001);
			if (at === path.dirname(dir) || at === '/tmp') break;
		}
		spawnSync('chown', ['-R', `${osUser.uid}:${osUser.gid}`, dir]);
	}
	// Started with the user's uid/gid directly (no runuser in between), so signals reach postgres.
	const ids = osUser ? { uid: osUser.uid, gid: osUser.gid } : {};
	const init = spawnSync(
		path.join(bin, 'initdb'),
		['-D', data, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
		{ cwd: dir, encoding: 'utf8', timeout: 120_000, ...ids },
	);
	if (init.status !== 0)
		throw new Error(`initdb exited ${init.status}:\n${init.stdout}\n${init.stderr}`);
	const port = await freePort();
	const args = [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		socketDir,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=200',
	];
	const server = spawnGroup(path.join(bin, 'postgres'), args, {
		cwd: dir,
		env: process.env,
		...ids,
	});
	const psql = path.join(bin, 'psql');
	const query = (sql, db = database) => {
		const result = spawnSync(
			psql,
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
				'-U',
				user,
				'-d',
				db,
				'-v',
				'ON_ERROR_STOP=1',
				'-At',
				'-F',
				'\t',
				'-c',
				sql,
			],
			{ encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
		);
		if (result.status !== 0) throw new Error(`psql: ${result.stderr?.trim() || result.error}`);
		return result.stdout.trim()
			? result.stdout
					.trim()
					.split('\n')
					.map((line) => line.split('\t'))
			: [];
	};
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (server.exitCode !== null)
			throw new Error(`postgres exited (${server.exitCode}):\n${server.outputTail()}`);
		try {
			query('SELECT 1', 'postgres');
			break;
		} catch (error) {
			if (Date.now() > deadline)
				throw new Error(
					`postgres did not answer within 60s: ${error.message}\n${server.outputTail()}`,
				);
			await sleep(250);
		}
	}
	query(`CREATE DATABASE ${database}`, 'postgres');
	log?.(
		`PostgreSQL (${path.basename(path.dirname(bin))}) on 127.0.0.1:${port}${osUser ? ` as OS user ${osUser.name}` : ''}, database ${database}`,
	);
	return {
		host: '127.0.0.1',
		port,
		database,
		user,
		query,
		process: server,
		// SIGINT = fast shutdown (SIGTERM would wait for every client to leave).
		stop: async () => {
			if (server.exitCode !== null || server.signalCode !== null) return;
			const exited = new Promise((resolve) =>
				server.once('exit', (code, signal) => resolve({ code, signal, killed: false })),
			);
			try {
				process.kill(server.pid, 'SIGINT');
			} catch {
				// gone
			}
			const timer = setTimeout(() => server.stop(1_000), 15_000);
			const ended = await exited;
			clearTimeout(timer);
			return ended;
		},
	};
}

/** redis-server on 127.0.0.1 with a free port, no persistence, data folder `dir`. */
export async function startRedis({ server, dir, log }) {
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const redis = spawnGroup(
		server,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
		],
		{ cwd: dir, env: process.env },
	);
	const deadline = Date.now() + 30_000;
	while (!/Ready to accept connections/i.test(redis.output())) {
		if (redis.exitCode !== null)
			throw new Error(`redis-server exited (${redis.exitCode}):\n${redis.outputTail()}`);
		if (Date.now() > deadline)
			throw new Error(`redis-server not ready within 30s:\n${redis.outputTail()}`);
		await sleep(100);
	}
	const version =
		/Redis version=([\d.]+)/.exec(redis.output())?.[1] ??
		/v=([\d.]+)/.exec(redis.output())?.[1] ??
		'?';
	log?.(`Redis ${version} on 127.0.0.1:${port}`);
	return { host: '127.0.0.1', port, process: redis, stop: () => redis.stop(5_000) };
}
