/**
 * Phase 4 of the real-n8n test: the n8n editor (2.40.7) as a new user meets this project, in the
 * browser session smoke.mjs's main starts (browser.mjs: one `n8n start`, headless Chromium).
 *
 * The new user is a member invited by the owner (POST /rest/invitations, POST
 * /rest/invitations/accept): a fresh personal project that holds only the two credentials a new
 * user creates, a Visma.net one (Service API → the sandbox, tenant …5e01) and an Nmbrs one (→ the
 * Nmbrs sandbox). The owner's imported credentials (the ids the examples reference) are not theirs.
 *
 * 1. Every node of the two packages at its defaults shows no issue. Per node a new workflow
 *    (/workflow/new), into which the editor imports (its "Import from File" input) a workflow with
 *    that one node, `parameters: {}` (how n8n stores a node left at its defaults) and the user's
 *    credential of each type the node declares; the editor fills in the defaults and computes the
 *    issues. Then the node's parameter panel is opened and, once its option lists have loaded, it
 *    must show no parameter issue and, where it shows a credential, the user's; after the panel is
 *    closed the node on the canvas must show no issue. A control node first (n8n's HTTP Request at
 *    its defaults: "Parameter "URL" is required.") must show the same markers, or the check proves
 *    nothing.
 * 2. Each example workflow (workflows/*.json) imports into a new workflow and opens with no node
 *    showing an issue: n8n gives the imported nodes the user's credentials ("Credentials auto-added").
 * 3. The month-end example's first manual execution books three batches: imported as in 2, *Execute
 *    workflow* clicked (the Nmbrs Trigger fetches its test event: company 1234's March run; the test
 *    company is skipped), against an emptied Visma.net sandbox; the execution must succeed and the
 *    ledger of tenant …5e01 hold exactly 202601, 202602, 202603 of R2026-03, nothing elsewhere.
 *
 * The issue markers (n8n 2.40.7's editor-ui, the data-test-id attributes n8n's own end-to-end tests
 * use): a parameter with an issue gets the icon `[data-test-id="parameter-issues"]` (its tooltip
 * lists "Parameter "…" is required.", "The value "" is not supported!", "There was a problem
 * loading the parameter options …") and its input the class `has-issues` (the red border); a node
 * with any issue (parameters, credentials) gets `[data-test-id="node-issues"]` on the canvas, its
 * tooltip listing them. Waits are for real conditions: elements, the imported workflow saved (its
 * id known to GET /rest/workflows/<id>), no option list still loading (`/rest/dynamic-node-parameters/`
 * requests in flight) and the panel's markers unchanged for 400 ms. A new workflow comes from the
 * editor's own router (no reload of the 30 MB app; "Leave without saving" when it asks).
 */
/* global window, document, PopStateEvent, requestAnimationFrame -- in the functions page.evaluate and
   page.waitForFunction run in the editor's page */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { PACKAGE_DIRS } from '../../scripts/packages.mjs';
import { openEditorPage } from './browser.mjs';
import { restClient } from './n8n-server.mjs';
import {
	EXAMPLES_DIR,
	EXPECTED_BATCH_PERIODS,
	FINISHED,
	REPO_ROOT,
	TENANT_A,
	nmbrsCredential,
	sandboxCredential,
	sandboxRequests,
	sandboxState,
	stepLogger,
	waitUntil,
	workflowExecutions,
} from './smoke.mjs';

/** The invited member (a throwaway account in a throwaway database). */
export const NEW_USER = {
	email: 'new.user@example.com',
	firstName: 'New',
	lastName: 'User',
	password: 'New-User-Password-2026',
};
export const NEW_USER_CREDENTIALS = {
	vismaNetOAuth2Api: 'Visma.net sandbox (new user)',
	nmbrsApi: 'Nmbrs sandbox (new user)',
};
/** n8n's own node with an issue at its defaults: the markers must show for it. */
export const CONTROL_NODE = {
	type: 'n8n-nodes-base.httpRequest',
	issue: /Parameter "URL" is required/,
};
export const MONTH_END_FILE = 'month-end.json';
export const MONTH_END_REFERENCE = 'R2026-03';
const DYNAMIC_PARAMETERS = '/rest/dynamic-node-parameters/';
const SETTLE_TIMEOUT_MS = 15_000;
const QUIET_MS = 400;

// ---------------------------------------------------------------------------------------------
// Decisions (pure)
// ---------------------------------------------------------------------------------------------

/** A node type's newest version (`version` is a number or a list). */
export function latestVersion(description) {
	return Array.isArray(description.version)
		? Math.max(...description.version)
		: description.version;
}

/**
 * The node types of the given packages as n8n's editor knows them (GET /types/nodes.json), without
 * the `…Tool` variants n8n derives from nodes that are `usableAsTool`.
 */
export function packageNodeTypes(nodeTypes, packageNames) {
	const names = new Set(nodeTypes.map((d) => d.name));
	return nodeTypes.filter(
		(d) =>
			packageNames.some((pkg) => d.name.startsWith(`${pkg}.`)) &&
			!(d.name.endsWith('Tool') && names.has(d.name.slice(0, -'Tool'.length))),
	);
}

/** A workflow with one node at its defaults (`parameters: {}`) and the given credentials (`{ [type]: { id, name } }`) for the types it declares. */
export function defaultsWorkflow(description, credentialsByType = {}) {
	const credentials = Object.fromEntries(
		(description.credentials ?? [])
			.map((c) => c.name)
			.filter((type) => credentialsByType[type])
			.map((type) => [type, credentialsByType[type]]),
	);
	return {
		name: `Defaults: ${description.defaults?.name ?? description.displayName}`,
		nodes: [
			{
				id: randomUUID(),
				name: description.defaults?.name ?? description.displayName,
				type: description.name,
				typeVersion: latestVersion(description),
				position: [0, 0],
				parameters: {},
				...(Object.keys(credentials).length ? { credentials } : {}),
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

// ---------------------------------------------------------------------------------------------
// The editor (playwright page)
// ---------------------------------------------------------------------------------------------

const canvasNode = (page, name) =>
	page.locator(`[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`);

/** Counts the option-list requests of the parameter panel (`/rest/dynamic-node-parameters/…`) in flight. */
function optionRequests(page) {
	const pending = new Set();
	const track = (request) => request.url().includes(DYNAMIC_PARAMETERS) && pending.add(request);
	const done = (request) => pending.delete(request);
	page.on('request', track);
	page.on('requestfinished', done);
	page.on('requestfailed', done);
	return {
		inFlight: () => pending.size,
		dispose() {
			page.off('request', track);
			page.off('requestfinished', done);
			page.off('requestfailed', done);
		},
	};
}

/**
 * A new, empty workflow without reloading the 30 MB app: the editor's router is sent to
 * /workflow/new (history.pushState + popstate, as the browser's Back does; sent again every 5 s
 * while nothing happens); when the editor asks "Save changes before leaving?" the user leaves
 * without saving.
 */
async function newWorkflow(page) {
	const add = page.getByTestId('canvas-add-button');
	const leave = page.getByRole('button', { name: 'Leave without saving' });
	const navigate = () =>
		page.evaluate(() => {
			window.history.pushState({}, '', '/workflow/new');
			window.dispatchEvent(new PopStateEvent('popstate'));
		});
	let sent = 0;
	const empty = await waitUntil(
		async () => {
			if (await leave.isVisible()) await leave.click();
			else if (await add.isVisible()) return true;
			else if (Date.now() - sent >= 5_000) {
				sent = Date.now();
				await navigate();
			}
			return false;
		},
		{ timeoutMs: 60_000, everyMs: 200 },
	);
	if (!empty) throw new Error(`no new, empty workflow within 60s (at ${page.url()})`);
}

/**
 * Imports a workflow file as "Import from File" does (the editor's file input), waits for its nodes
 * on the canvas, saves (Ctrl+S; n8n 2.40 would autosave ~2 s later anyway) and waits until n8n has
 * saved it: the address loses `?new=true` and GET /rest/workflows/<id> has the nodes. A panel
 * opened before that loads its option lists for a workflow the server does not know yet
 * ("Workflow with ID … not found"), and leaving races the autosave. Returns the workflow id.
 */
async function importWorkflowFile(page, rest, file, nodeNames) {
	await page.getByTestId('workflow-import-input').setInputFiles(file);
	for (const name of nodeNames) await canvasNode(page, name).waitFor();
	await page.keyboard.press('ControlOrMeta+s');
	const id = await waitUntil(
		async () => {
			const url = new URL(page.url());
			const match = /^\/workflow\/([^/]+)$/.exec(url.pathname);
			if (!match || match[1] === 'new' || url.searchParams.has('new')) return undefined;
			const saved = await rest.call('GET', `/workflows/${match[1]}`);
			return nodeNames.every((name) => saved.nodes?.some((node) => node.name === name))
				? match[1]
				: undefined;
		},
		{ timeoutMs: 30_000, everyMs: 200 },
	);
	if (!id) throw new Error(`the imported workflow was not saved within 30s (at ${page.url()})`);
	// n8n computes the nodes' issues in the tick after adding them: let two frames render.
	await page.evaluate(
		() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
	);
	return id;
}

/** The text of the tooltip `target` shows on hover (n8n's tooltips are `[data-test-id="tooltip-content"]`). */
async function tooltipText(page, target) {
	await target.hover();
	const tip = page.getByTestId('tooltip-content').filter({ visible: true }).last();
	const text = await tip
		.waitFor({ timeout: 5_000 })
		.then(() => tip.innerText())
		.catch(() => '(no tooltip)');
	await page.mouse.move(1, 1);
	return text.replace(/\s+/g, ' ').trim();
}

/** The canvas nodes that show the issues marker, with what its tooltip lists: `[{ node, issues }]`. */
async function canvasIssues(page, names) {
	const marked = page
		.locator('[data-test-id="canvas-node"]')
		.filter({ has: page.getByTestId('node-issues') });
	const found = [];
	for (let i = 0; i < (await marked.count()); i++) {
		const node = await marked.nth(i).getAttribute('data-node-name');
		if (names && !names.includes(node)) continue;
		found.push({
			node,
			issues: (await tooltipText(page, marked.nth(i).getByTestId('node-issues'))).replace(
				/^Issues: ?/,
				'',
			),
		});
	}
	return found;
}

/**
 * The open parameter panel once it has settled: no option list loading, the credential shown (when
 * the panel shows one) is `credentialName`, and its markers unchanged for QUIET_MS.
 */
async function settledPanel(page, requests, credentialName) {
	const ndv = page.getByTestId('ndv');
	await ndv.getByTestId('node-parameters').waitFor();
	const deadline = Date.now() + SETTLE_TIMEOUT_MS;
	let last = '';
	let since = Date.now();
	for (;;) {
		const state = await ndv.evaluate((element) => ({
			parameters: element.querySelectorAll('[data-test-id="parameter-item"]').length,
			parameterIssues: element.querySelectorAll('[data-test-id="parameter-issues"]').length,
			redInputs: element.querySelectorAll('.has-issues').length,
			credential:
				element.querySelector('[data-test-id="node-credentials-select"] input')?.value ?? null,
		}));
		const key = JSON.stringify(state);
		const ready =
			requests.inFlight() === 0 &&
			(state.credential === null || state.credential === credentialName);
		if (key !== last || !ready) {
			last = key;
			since = Date.now();
		} else if (Date.now() - since >= QUIET_MS) {
			return state;
		}
		if (Date.now() >= deadline) return { ...state, unsettled: true };
		await sleep(100);
	}
}

/** Each parameter the open panel marks, as `Label: tooltip text`. */
async function panelIssues(page) {
	const icons = page.getByTestId('ndv').getByTestId('parameter-issues');
	const found = [];
	for (let i = 0; i < (await icons.count()); i++) {
		const icon = icons.nth(i);
		const label = await icon.evaluate(
			(el) =>
				el
					.closest('[data-test-id="parameter-item"], [data-test-id="parameter-input-item"]')
					?.querySelector('label')
					?.innerText.split('\n')[0]
					?.trim() ?? '?',
		);
		found.push(`${label}: ${(await tooltipText(page, icon)).replace(/^Issues: ?/, '')}`);
	}
	return found;
}

async function closePanel(page) {
	const ndv = page.getByTestId('ndv');
	for (let i = 0; i < 3 && (await ndv.isVisible()); i++) {
		await page.keyboard.press('Escape');
		await ndv.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
	}
	if (await ndv.isVisible()) throw new Error('the parameter panel did not close on Escape');
}

/**
 * One node at its defaults in a new workflow: imported, its panel opened until settled, closed, the
 * canvas read. `onPanelIssues` runs while a panel that marks something is still open (a screenshot).
 * Returns `{ panel, panelIssues, canvas }`.
 */
async function nodeAtDefaults({ page, rest, requests, file, name, credentialName, onPanelIssues }) {
	await newWorkflow(page);
	await importWorkflowFile(page, rest, file, [name]);
	await canvasNode(page, name).dblclick();
	const panel = await settledPanel(page, requests, credentialName);
	const marked = panel.parameterIssues || panel.redInputs ? await panelIssues(page) : [];
	if (marked.length && onPanelIssues) await onPanelIssues();
	await closePanel(page);
	const canvas = await canvasIssues(page, [name]);
	return { panel, panelIssues: marked, canvas };
}

// ---------------------------------------------------------------------------------------------
// The phase
// ---------------------------------------------------------------------------------------------

/** Invites the new user, accepts the invitation (signed in as them) and creates their two credentials. */
async function createNewUser({ owner, baseUrl, sandbox, nmbrs }) {
	const [invited] = await owner.call('POST', '/invitations', [
		{ email: NEW_USER.email, role: 'global:member' },
	]);
	const acceptUrl = invited?.user?.inviteAcceptUrl;
	const token = acceptUrl ? new URL(acceptUrl).searchParams.get('token') : undefined;
	if (!token)
		throw new Error(`POST /rest/invitations answered ${JSON.stringify(invited).slice(0, 300)}`);
	const member = restClient(baseUrl);
	await member.call('POST', '/invitations/accept', {
		token,
		firstName: NEW_USER.firstName,
		lastName: NEW_USER.lastName,
		password: NEW_USER.password,
	});
	const visma = await member.call('POST', '/credentials', {
		name: NEW_USER_CREDENTIALS.vismaNetOAuth2Api,
		type: 'vismaNetOAuth2Api',
		data: sandboxCredential(sandbox.url, sandbox.demo).data,
	});
	const nmbrsApi = await member.call('POST', '/credentials', {
		name: NEW_USER_CREDENTIALS.nmbrsApi,
		type: 'nmbrsApi',
		data: nmbrsCredential(nmbrs).data,
	});
	const visible = await member.call('GET', '/credentials');
	return {
		rest: member,
		credentials: {
			vismaNetOAuth2Api: { id: visma.id, name: visma.name },
			nmbrsApi: { id: nmbrsApi.id, name: nmbrsApi.name },
		},
		visibleCredentials: visible.map((c) => c.name),
	};
}

/**
 * Phase 4. `record(name, ok, detail)` adds a PASS/FAIL line; `session` is the browser session
 * (browser.mjs); `sandbox` the Visma.net sandbox ({ url, demo }), `nmbrs` the Nmbrs sandbox.
 */
export async function editorPhase({ record, session, sandbox, nmbrs }) {
	const { t0, timings, log, timed } = stepLogger('editor');
	const { baseUrl, browser } = session;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-editor-'));
	let requests;
	try {
		if (!browser) return; // the session recorded why (no Chromium)
		const { page } = browser;
		const failed = async (step) => {
			await browser.failureShot(`editor-failed-${step.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
		};

		// --- the new user -------------------------------------------------------------------------
		const user = await timed('new user: invited, accepted, two credentials', () =>
			createNewUser({ owner: session.rest, baseUrl, sandbox, nmbrs }),
		).catch((error) => ({ error }));
		record(
			'editor: a new user (member, invited by the owner) with only two credentials of their own: Visma.net (Service API → sandbox …5e01) and Nmbrs (→ Nmbrs sandbox)',
			!user.error && user.visibleCredentials.length === 2,
			user.error
				? String(user.error.message)
				: `their credentials: ${user.visibleCredentials.join(', ')}`,
		);
		if (user.error) return;
		await browser.signIn(baseUrl, user.rest.authCookie);
		requests = optionRequests(page);
		await timed('open the editor as the new user (/workflow/new)', () =>
			openEditorPage(page, `${baseUrl}/workflow/new`, page.getByTestId('canvas-add-button')),
		);

		// --- 1. every node at its defaults ------------------------------------------------------
		const cookie = `${user.rest.authCookie.name}=${user.rest.authCookie.value}`;
		const nodeTypes = await (
			await fetch(`${baseUrl}/types/nodes.json`, { headers: { cookie } })
		).json();
		const packages = PACKAGE_DIRS.map((dir) =>
			JSON.parse(fs.readFileSync(path.join(REPO_ROOT, dir, 'package.json'), 'utf8')),
		);
		const ours = packageNodeTypes(
			nodeTypes,
			packages.map((p) => p.name),
		);
		const expected = packages.reduce((sum, p) => sum + p.n8n.nodes.length, 0);
		record(
			`editor: the editor knows the ${expected} nodes of ${packages.map((p) => p.name).join(' and ')} (GET /types/nodes.json)`,
			ours.length === expected,
			ours.map((d) => d.name).join(', '),
		);

		const control = nodeTypes.find((d) => d.name === CONTROL_NODE.type);
		if (control) {
			const file = path.join(tmp, 'control.json');
			const workflow = defaultsWorkflow(control);
			fs.writeFileSync(file, JSON.stringify(workflow));
			const seen = await timed(`defaults: ${control.displayName} (control)`, () =>
				nodeAtDefaults({ page, rest: user.rest, requests, file, name: workflow.nodes[0].name }),
			).catch((error) => ({ error }));
			const ok =
				!seen.error &&
				seen.canvas.some((c) => CONTROL_NODE.issue.test(c.issues)) &&
				seen.panel.parameterIssues > 0 &&
				seen.panelIssues.some((text) => CONTROL_NODE.issue.test(text));
			if (!ok) await failed('control');
			record(
				`editor: control: n8n's ${control.displayName} at its defaults shows its issue on the canvas (node-issues) and in its parameter panel (parameter-issues)`,
				ok,
				seen.error
					? String(seen.error.message).split('\n')[0]
					: `canvas: ${seen.canvas.map((c) => c.issues).join('; ') || 'no marker'}; panel: ${seen.panelIssues.join('; ') || 'no marker'}`,
			);
		} else {
			record(`editor: control node ${CONTROL_NODE.type}`, false, 'not in /types/nodes.json');
		}

		for (const description of ours) {
			const file = path.join(tmp, `${description.name}.json`);
			const workflow = defaultsWorkflow(description, user.credentials);
			const node = workflow.nodes[0];
			fs.writeFileSync(file, JSON.stringify(workflow));
			const credentialName = Object.values(node.credentials ?? {})[0]?.name;
			const seen = await timed(`defaults: ${node.name}`, () =>
				nodeAtDefaults({
					page,
					rest: user.rest,
					requests,
					file,
					name: node.name,
					credentialName,
					onPanelIssues: () => failed(`defaults-${node.name}-panel`),
				}),
			).catch((error) => ({ error }));
			const problems = [];
			if (seen.error) problems.push(String(seen.error.message).split('\n')[0]);
			else {
				if (seen.panel.unsettled)
					problems.push(`the panel did not settle within ${SETTLE_TIMEOUT_MS / 1000}s`);
				if (seen.panelIssues.length || seen.panel.redInputs)
					problems.push(
						`panel: ${seen.panelIssues.join('; ') || `${seen.panel.redInputs} input(s) marked has-issues`}`,
					);
				if (seen.canvas.length)
					problems.push(`canvas: ${seen.canvas.map((c) => c.issues).join('; ')}`);
				if (seen.panel.credential !== null && seen.panel.credential !== credentialName)
					problems.push(
						`credential shown: ${JSON.stringify(seen.panel.credential)}, want ${JSON.stringify(credentialName)}`,
					);
			}
			if (problems.length) await failed(`defaults-${node.name}`);
			record(
				`editor: ${node.name} (${description.name}) at its defaults: no issue in its parameter panel or on the canvas`,
				problems.length === 0,
				problems.length
					? problems.join(' | ')
					: `${seen.panel.parameters} parameters shown${seen.panel.credential !== null ? `, credential "${seen.panel.credential}"` : ', no credential at these defaults'}`,
			);
		}

		// --- 2. the example workflows ------------------------------------------------------------
		const examples = fs
			.readdirSync(EXAMPLES_DIR)
			.filter((file) => file.endsWith('.json'))
			.sort();
		for (const file of examples) {
			const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
			const names = workflow.nodes.map((n) => n.name);
			const seen = await timed(`example: ${file}`, async () => {
				await newWorkflow(page);
				await importWorkflowFile(page, user.rest, path.join(EXAMPLES_DIR, file), names);
				return { canvas: await canvasIssues(page) };
			}).catch((error) => ({ error }));
			const ok = !seen.error && seen.canvas.length === 0;
			if (!ok) await failed(`example-${file}`);
			record(
				`editor: workflows/${file} imports (Import from File) and opens with no node showing an issue`,
				ok,
				seen.error
					? String(seen.error.message).split('\n')[0]
					: ok
						? `${names.length} nodes, none marked`
						: seen.canvas.map((c) => `${c.node}: ${c.issues}`).join(' | '),
			);
		}

		// --- 3. the month-end example's first manual execution ------------------------------------
		const monthEnd = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, MONTH_END_FILE), 'utf8'));
		const reset = await fetch(`${sandbox.url}/_sandbox/reset`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{}',
		});
		if (!reset.ok) throw new Error(`POST /_sandbox/reset answered ${reset.status}`);
		await fetch(`${sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
		const run = await timed(
			`${MONTH_END_FILE}: import, Execute workflow, execution finished`,
			async () => {
				await newWorkflow(page);
				const workflowId = await importWorkflowFile(
					page,
					user.rest,
					path.join(EXAMPLES_DIR, MONTH_END_FILE),
					monthEnd.nodes.map((n) => n.name),
				);
				await page.getByTestId('execute-workflow-button').click();
				const execution = await waitUntil(
					async () => {
						const executions = await workflowExecutions(user.rest, workflowId);
						return executions.length > 0 && executions.every((e) => FINISHED.has(e.status))
							? executions
							: undefined;
					},
					{ timeoutMs: Number(process.env.N8N_SMOKE_EXECUTION_TIMEOUT ?? 90) * 1000 },
				);
				if (!execution)
					throw new Error(`no finished execution of workflow ${workflowId} within the timeout`);
				return { workflowId, executions: execution };
			},
		).catch((error) => ({ error }));
		if (!run.error) {
			// The canvas after the run, for the README: Post Journal Transaction marked successful.
			await timed(`${MONTH_END_FILE}: the canvas shows the run`, async () => {
				await canvasNode(page, 'Post Journal Transaction')
					.getByTestId('canvas-node-status-success')
					.waitFor({ timeout: 30_000 });
				await page.getByText('Workflow executed successfully').waitFor({ timeout: 30_000 });
				// The success message slides in: until no animation or transition runs (finite ones only).
				await page
					.waitForFunction(
						() =>
							document
								.getAnimations()
								.every(
									(a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity,
								),
						undefined,
						{ timeout: 5_000 },
					)
					.catch(() => undefined);
				await browser.shot(page, 'editor-month-end-first-run.png');
			}).catch((error) => log(`no screenshot of the run: ${String(error.message).split('\n')[0]}`));
		} else {
			await failed('month-end');
		}
		const state = await sandboxState(sandbox.url);
		const batches = (state.tenants ?? []).flatMap((t) =>
			(t.batches ?? []).map((b) => ({
				tenant: t.tenantId,
				period: String(b.financialPeriod),
				description: b.description ?? '',
			})),
		);
		const inA = batches.filter((b) => b.tenant === TENANT_A);
		const elsewhere = batches.filter((b) => b.tenant !== TENANT_A);
		const posts = (await sandboxRequests(sandbox.url)).filter(
			(r) => r.method === 'POST' && /journaltransaction/i.test(r.path ?? ''),
		);
		const [execution] = run.executions ?? [];
		record(
			`editor: ${MONTH_END_FILE} as the new user: Execute workflow (the Nmbrs Trigger's test event) gives one manual execution, success; tenant …${TENANT_A.slice(-4)} holds exactly the 3 batches of ${MONTH_END_REFERENCE} (${EXPECTED_BATCH_PERIODS.join(', ')}), nothing elsewhere`,
			!run.error &&
				run.executions.length === 1 &&
				execution.mode === 'manual' &&
				execution.status === 'success' &&
				JSON.stringify(inA.map((b) => b.period).sort()) ===
					JSON.stringify(EXPECTED_BATCH_PERIODS) &&
				inA.every((b) => b.description.includes(MONTH_END_REFERENCE)) &&
				elsewhere.length === 0,
			`${run.error ? String(run.error.message).split('\n')[0] : run.executions.map((e) => `execution #${e.id} ${e.mode} ${e.status}`).join(', ')}; …${TENANT_A.slice(-4)}: ${inA.map((b) => `${b.period} "${b.description}"`).join('; ') || 'no batch'}${elsewhere.length ? `; elsewhere: ${elsewhere.map((b) => `${b.tenant.slice(-4)} ${b.period}`).join(', ')}` : ''}; ${posts.length} POST(s) /v2/journaltransaction`,
		);
		if (execution && execution.status !== 'success') {
			const full = await user.rest
				.call('GET', `/executions/${execution.id}`)
				.catch(() => undefined);
			if (full)
				console.log(
					`  n8n | execution ${execution.id}: ${String(JSON.stringify(full)).slice(0, 1500)}`,
				);
		}
	} catch (error) {
		record('editor phase', false, error instanceof Error ? error.message : String(error));
		await browser?.failureShot('editor-failed-phase').catch(() => undefined);
	} finally {
		requests?.dispose();
		fs.rmSync(tmp, { recursive: true, force: true });
		console.log(
			`editor timings: ${timings.map((t) => `${t.label} ${t.seconds.toFixed(1)}s`).join('; ')}; total ${((Date.now() - t0) / 1000).toFixed(1)}s`,
		);
	}
}
