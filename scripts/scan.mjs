#!/usr/bin/env node
/**
 * n8n's community-package scanner, run here as n8n runs it before verification
 * (`@n8n/scan-community-package`, pinned): its ESLint configuration with inline `eslint-disable`
 * comments ignored, on
 *   1. the package's source (package.json, nodes/, credentials/), and
 *   2. the packed tarball (`npm pack`, compiled .js and the published package.json).
 * n8n's own CLI downloads the package from npm and its source from the provenance-attested
 * GitHub commit; this runs the same analysis (`analyzePackage`) on the working tree and a local
 * `npm pack`, so it works offline and before publishing.
 *
 *   node scripts/scan.mjs [packageDir ...]     (default: every package of this repository)
 *
 * Then `n8n-node cloud-support` (offline: it reads package.json and eslint.config.mjs) must say
 * each package is eligible for n8n Cloud (strict mode, n8n's default lint configuration).
 *
 * Exits 1 on any finding. Run `npm run build` first (the tarball is packed from dist/).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { PACKAGE_DIRS } = await import('./packages.mjs');
const dirs =
	process.argv.length > 2
		? process.argv.slice(2).map((d) => path.resolve(d))
		: PACKAGE_DIRS.map((d) => path.join(root, d));

function packInto(packageDir, tmp) {
	const packed = spawnSync(
		'npm',
		['pack', '--ignore-scripts', '--json', '--pack-destination', tmp],
		{ cwd: packageDir, encoding: 'utf8' },
	);
	if (packed.status !== 0) throw new Error(`npm pack failed in ${packageDir}: ${packed.stderr}`);
	const [{ filename }] = JSON.parse(packed.stdout);
	const out = path.join(tmp, 'package');
	fs.mkdirSync(out);
	const untar = spawnSync(
		'tar',
		['-xzf', path.join(tmp, path.basename(filename)), '-C', out, '--strip-components=1'],
		{ encoding: 'utf8' },
	);
	if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
	return out;
}

let failed = 0;
for (const dir of dirs) {
	const name = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
	try {
		const source = await analyzePackage(dir, SOURCE_FILE_PATTERNS);
		const tarball = await analyzePackage(packInto(dir, tmp), ['**/*.js', 'package.json']);
		for (const [leg, result] of [
			['source', source],
			['tarball', tarball],
		]) {
			console.log(
				`${result.passed ? 'PASS' : 'FAIL'}  n8n scanner, ${name}, ${leg}${result.passed ? '' : `: ${result.message}`}`,
			);
			if (!result.passed) {
				failed++;
				if (result.details) console.log(result.details);
			}
		}
		const cloud = spawnSync('npx', ['--no-install', 'n8n-node', 'cloud-support'], {
			cwd: dir,
			encoding: 'utf8',
		});
		// eslint-disable-next-line no-control-regex -- removes the terminal's colour codes
		const said = `${cloud.stdout}${cloud.stderr}`.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
		const eligible = cloud.status === 0 && said.includes('Cloud support is ENABLED');
		console.log(
			`${eligible ? 'PASS' : 'FAIL'}  n8n-node cloud-support, ${name}${eligible ? ': eligible for n8n Cloud verification' : `:\n${said}`}`,
		);
		if (!eligible) failed++;
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}
process.exit(failed ? 1 : 0);
