/**
 * The Visma.net credential as users meet it, in a REAL n8n (pinned 2.40.7) with this package
 * installed, against the local Visma.net sandbox. Phase 3 of `npm run test:n8n`: smoke.mjs's main
 * calls `credentialsPhase` with its n8n (the cached install, the N8N_USER_FOLDER into which it
 * installed the packed package(s)) and its sandbox; nothing is installed here.
 *
 * 1. *Test* as the editor runs it: the credential is saved (POST /rest/credentials) and then
 *    tested (POST /rest/credentials/test with `{ credentials: { id, name, type, data } }`, the call
 *    the editor makes after every save of a testable credential; n8n's CredentialsTester runs the
 *    credential's `test` request through n8n-core's OAuth2 helper). A right Service API credential
 *    passes; a wrong client secret, a customer tenant id, an application without the create/update
 *    scopes and a company that has not approved the application each fail with the message the
 *    user sees in the credential dialog (asserted on its text).
 * 2. *Connect* (Interactive API: authorization code with PKCE) in headless Chromium (Debian's
 *    /usr/bin/chromium driven by playwright-core, never a downloaded browser): the credential
 *    opened in the editor, "Connect" clicked, the sandbox's consent page approved in the
 *    popup, the dialog shows the account connected; n8n stored the token (GET /rest/credentials).
 *    Then the smoke's first workflow, with every Visma.net credential replaced by this one, is run
 *    from the editor ("Execute workflow"); the sandbox's ledger must hold its three batches and no
 *    token was fetched for it (n8n used the token from the sign-in).
 *
 * Screenshots of the steps go to N8N_SMOKE_SCREENSHOTS (default test/n8n/.cache/screenshots,
 * git-ignored; the README's come from `N8N_SMOKE_SCREENSHOTS=docs/images npm run test:n8n`).
 * The `n8n start` and the Chromium are the browser session that smoke.mjs's main starts for phases 3
 * and 4 (browser.mjs: flags, loopback-only requests, screenshots); only 127.0.0.1 is used.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { EDITOR_LOAD_TIMEOUT_MS } from './browser.mjs';
import {
	EXPECTED_BATCH_PERIODS,
	FINISHED,
	TENANT_A,
	loadWorkflows,
	sandboxCredential,
	sandboxRequests,
	sandboxState,
	stepLogger,
	waitUntil,
	workflowExecutions,
} from './smoke.mjs';

/** The sandbox's customer tenant (sandboxes/visma-net/fixtures/default-company.json): a token, then 401. */
export const CUSTOMER_TENANT = '7e0c9a13-2d4b-4f6a-8b1c-0a9b8c7d6f00';
/** A company tenant that sandbox-office-client is not approved for (invalid_tenant). */
export const TENANT_C = '2f0a7d54-5b1e-4c39-9a4e-1d2b3c4d5e03';
/** The sandbox application with only the read scopes (the credential asks for read, create, update). */
export const READONLY_CLIENT = {
	clientId: 'sandbox-readonly-client',
	clientSecret: 'sandbox-readonly-secret',
};
export const OFFICE_CLIENT = {
	clientId: 'sandbox-office-client',
	clientSecret: 'sandbox-office-secret',
};

/**
 * The Test cases: a Service API credential's data and what the user must see. `expect` lists
 * patterns the message must match (all), `status` the verdict.
 */
export function credentialTestCases(sandboxUrl, demo) {
	const service = (overrides) => ({ ...sandboxCredential(sandboxUrl, demo).data, ...overrides });
	return [
		{
			key: 'right',
			name: 'Visma.net – Bakkerij De Vries (service)',
			what: 'the right client secret and company tenant id',
			data: service({}),
			status: 'OK',
			expect: [/^Connection successful!$/],
		},
		{
			key: 'wrong-secret',
			name: 'Visma.net – wrong client secret (service)',
			what: 'a wrong client secret',
			data: service({ clientSecret: 'not-the-secret' }),
			status: 'Error',
			// Visma Connect answers invalid_client; n8n shows its own text for the token refusal.
			expect: [/^Failed to acquire OAuth2 access token: /, /Client authentication failed/],
		},
		{
			key: 'customer-tenant',
			name: 'Visma.net – customer tenant id (service)',
			what: 'the customer tenant id instead of the company tenant id',
			data: service({ tenantId: CUSTOMER_TENANT }),
			status: 'Error',
			// A token is issued; GET /v1/ledger answers 401: the credential's rule for 401.
			expect: [
				/CUSTOMER tenant id/,
				/COMPANY tenant id from Visma\.net Admin → Company → Edit → Configuration → "Tenant id"/,
			],
		},
		{
			key: 'missing-scope',
			name: 'Visma.net – application without create/update scopes (service)',
			what: 'an application without the create and update scopes (read only)',
			data: service(READONLY_CLIENT),
			status: 'Error',
			// Visma Connect (IdentityServer) refuses a scope the client does not have: invalid_scope.
			expect: [/^Failed to acquire OAuth2 access token: /, /requested scope is invalid/],
		},
		{
			key: 'not-approved',
			name: 'Visma.net – company has not approved the application (service)',
			what: 'a company that has not approved the application',
			data: service({ ...OFFICE_CLIENT, tenantId: TENANT_C }),
			status: 'Error',
			// invalid_tenant is Visma's own error code: n8n shows Visma Connect's error_description.
			expect: [
				/^Failed to acquire OAuth2 access token: /,
				new RegExp(`not authorised for tenant '${TENANT_C}'`),
			],
		},
	];
}

/** The Interactive API credential (authorization code with PKCE) against the sandbox. */
export function interactiveCredential(sandboxUrl, demo) {
	return {
		name: 'Visma.net – Bakkerij De Vries (interactive)',
		type: 'vismaNetOAuth2Api',
		data: {
			grantType: 'pkce',
			environment: 'custom',
			customApiUrl: sandboxUrl,
			customConnectUrl: sandboxUrl,
			clientId: demo.clientId,
			clientSecret: demo.clientSecret,
		},
	};
}

/** `workflow` with every Visma.net credential reference replaced by `credential` ({ id, name }). */
export function withCredential(workflow, credential, type = 'vismaNetOAuth2Api') {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.credentials?.[type]
				? {
						...node,
						credentials: {
							...node.credentials,
							[type]: { id: credential.id, name: credential.name },
						},
					}
				: node,
		),
	};
}

/**
 * Phase 3 of the real-n8n test. `record(name, ok, detail)` adds a PASS/FAIL line to the smoke
 * report; `session` is the browser session (browser.mjs: `baseUrl`, the owner's `rest`, `browser`,
 * undefined without Chromium); `sandbox` is the running Visma.net sandbox ({ url, demo }).
 */
export async function credentialsPhase({ record, sandbox, session }) {
	const { t0, timings, timed } = stepLogger('credentials');
	const { baseUrl, rest, browser } = session;
	try {
		// Batches and request log emptied; `tokens: true` also forgets every token (not after Connect:
		// the sandbox would then refuse the interactive token and its refresh token).
		const resetSandbox = async ({ tokens }) => {
			const reset = await fetch(`${sandbox.url}/_sandbox/reset`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ tokens }),
			});
			if (!reset.ok) throw new Error(`POST /_sandbox/reset answered ${reset.status}`);
			await fetch(`${sandbox.url}/_sandbox/requests`, { method: 'DELETE' });
		};
		await resetSandbox({ tokens: true });

		// --- 1. Test, as the editor runs it after saving ---------------------------------------
		const saved = {};
		for (const testCase of credentialTestCases(sandbox.url, sandbox.demo)) {
			const outcome = await timed(`Test: ${testCase.key}`, async () => {
				const credential = await rest.call('POST', '/credentials', {
					name: testCase.name,
					type: 'vismaNetOAuth2Api',
					data: testCase.data,
				});
				saved[testCase.key] = credential;
				const before = (await sandboxRequests(sandbox.url)).length;
				const result = await rest.call('POST', '/credentials/test', {
					credentials: {
						id: credential.id,
						name: credential.name,
						type: credential.type,
						data: testCase.data,
					},
				});
				const calls = (await sandboxRequests(sandbox.url))
					.slice(before)
					.map((r) => `${r.method} ${r.path} ${r.status}`);
				return { result, calls };
			}).catch((error) => ({ error }));
			if (outcome.error) {
				record(`credentials: Test with ${testCase.what}`, false, String(outcome.error.message));
				continue;
			}
			const { result, calls } = outcome;
			const message = String(result.message ?? '');
			const ok =
				result.status === testCase.status &&
				testCase.expect.every((pattern) => pattern.test(message));
			record(
				`credentials: Test with ${testCase.what} ${testCase.status === 'OK' ? 'passes' : 'fails, with the message asserted'} (POST /rest/credentials/test)`,
				ok,
				`${result.status}: ${JSON.stringify(message)}; sandbox saw ${calls.join(', ') || 'nothing'}`,
			);
		}

		// --- 2. Connect in headless Chromium -----------------------------------------------------
		if (!browser) return; // the session recorded why (no Chromium)
		const { context, page, shot } = browser;
		const failureShot = (label) => browser.failureShot(`credential-connect-failed-${label}`);

		// What the user sees when Test fails: the customer-tenant credential opened in the editor
		// (the dialog tests an existing credential when it opens).
		if (saved['customer-tenant']) {
			const seen = await timed(
				'editor: customer-tenant credential shows its Test message',
				async () => {
					// The first page of the session: the editor's first load (see EDITOR_LOAD_TIMEOUT_MS).
					await page.goto(`${baseUrl}/home/credentials/${saved['customer-tenant'].id}`, {
						waitUntil: 'domcontentloaded',
						timeout: EDITOR_LOAD_TIMEOUT_MS,
					});
					const dialog = page.getByTestId('credential-edit-dialog');
					// "Couldn't connect with these settings" + "More details", which unfolds the message.
					await dialog.getByText('More details').click({ timeout: EDITOR_LOAD_TIMEOUT_MS });
					await dialog.getByText('CUSTOMER tenant id', { exact: false }).first().waitFor();
					await sleep(500);
					await shot(page, 'credential-test-customer-tenant.png');
					await page.keyboard.press('Escape');
					return true;
				},
			).catch(async (error) => {
				await failureShot('customer-tenant');
				return { error };
			});
			record(
				"credentials: the editor's credential dialog shows the customer-tenant message",
				seen === true,
				seen === true
					? 'credential-test-customer-tenant.png'
					: String(seen.error.message).split('\n')[0],
			);
		}

		const interactive = await rest.call(
			'POST',
			'/credentials',
			interactiveCredential(sandbox.url, sandbox.demo),
		);
		const requestsBeforeConnect = (await sandboxRequests(sandbox.url)).length;
		const connected = await timed('Connect: editor → Connect → consent → connected', async () => {
			await page.goto(`${baseUrl}/home/credentials/${interactive.id}`, {
				waitUntil: 'domcontentloaded',
				timeout: EDITOR_LOAD_TIMEOUT_MS,
			});
			const dialog = page.getByTestId('credential-edit-dialog');
			const connectButton = dialog.getByRole('button', { name: 'Connect', exact: true });
			await connectButton.waitFor({ timeout: EDITOR_LOAD_TIMEOUT_MS });
			await sleep(500);
			await shot(page, 'credential-connect-1-not-connected.png');
			const [popup] = await Promise.all([context.waitForEvent('page'), connectButton.click()]);
			await popup.waitForLoadState();
			await popup.getByRole('button', { name: 'Approve' }).waitFor();
			if (!popup.url().startsWith(`${sandbox.url}/connect/authorize?`))
				throw new Error(`the popup opened ${popup.url()}, not the sandbox's authorize page`);
			const authorize = new URL(popup.url()).searchParams;
			await popup.setViewportSize({ width: 900, height: 700 });
			await shot(popup, 'credential-connect-2-consent.png');
			const closed = popup.waitForEvent('close', { timeout: 30_000 }).catch(() => undefined);
			await popup.getByRole('button', { name: 'Approve' }).click();
			await closed;
			await dialog.getByTestId('oauth-connect-success-banner').waitFor();
			await sleep(500);
			await shot(page, 'credential-connect-3-connected.png');
			return { authorize };
		}).catch(async (error) => {
			await failureShot('connect');
			return { error };
		});
		if (connected.error) {
			record(
				'credentials: Connect (Interactive API, authorization code with PKCE) in headless Chromium',
				false,
				String(connected.error.message).split('\n').slice(0, 3).join(' '),
			);
			return;
		}
		const { authorize } = connected;
		const stored = await rest.call('GET', `/credentials/${interactive.id}?includeData=true`);
		const signIn = (await sandboxRequests(sandbox.url))
			.slice(requestsBeforeConnect)
			.filter((r) => r.path.startsWith('/connect/'))
			.map((r) => `${r.method} ${r.path} ${r.status}`);
		record(
			'credentials: Connect (Interactive API, authorization code with PKCE): the editor opens the sandbox consent page, approve, the dialog shows the account connected, n8n stored the token',
			authorize.get('code_challenge_method') === 'S256' &&
				Boolean(authorize.get('code_challenge')) &&
				/vismanet_erp_interactive_api:create/.test(authorize.get('scope') ?? '') &&
				stored.data?.oauthTokenData === true &&
				signIn.includes('POST /connect/token 200'),
			`authorize: response_type ${authorize.get('response_type')}, code_challenge_method ${authorize.get('code_challenge_method')}, scope "${authorize.get('scope')}", redirect_uri ${authorize.get('redirect_uri')}; oauthTokenData ${JSON.stringify(stored.data?.oauthTokenData)}; sandbox saw ${signIn.join(', ')}`,
		);

		// --- a workflow with the connected credential posts to the sandbox ------------------------
		const [first] = loadWorkflows();
		const adapted = withCredential(first.workflow, interactive);
		const created = await rest.call('POST', '/workflows', {
			name: `${first.workflow.name} (interactive credential)`,
			nodes: adapted.nodes,
			connections: adapted.connections,
			settings: adapted.settings ?? {},
		});
		await resetSandbox({ tokens: false });
		const execution = await timed(
			`editor: run ${first.file} with the interactive credential`,
			async () => {
				await page.goto(`${baseUrl}/workflow/${created.id}`, {
					waitUntil: 'domcontentloaded',
					timeout: EDITOR_LOAD_TIMEOUT_MS,
				});
				const button = page.getByTestId('execute-workflow-button');
				await button.waitFor({ timeout: EDITOR_LOAD_TIMEOUT_MS });
				await sleep(1_000);
				await button.click();
				const finished = await waitUntil(
					async () => {
						const executions = await workflowExecutions(rest, created.id);
						return executions.length > 0 && executions.every((e) => FINISHED.has(e.status))
							? executions[0]
							: undefined;
					},
					{ timeoutMs: 90_000 },
				);
				await sleep(1_500);
				await shot(page, 'credential-connect-4-workflow-run.png');
				return finished;
			},
		).catch(async (error) => {
			await failureShot('workflow');
			return { error };
		});
		const state = await sandboxState(sandbox.url);
		const tenant = state.tenants?.find((t) => t.tenantId === TENANT_A);
		const periods = (tenant?.batches ?? []).map((b) => String(b.financialPeriod)).sort();
		const others = (state.tenants ?? [])
			.filter((t) => t.tenantId !== TENANT_A && (t.batches ?? []).length > 0)
			.map((t) => t.tenantId);
		const requests = await sandboxRequests(sandbox.url);
		const tokenCalls = requests.filter((r) => r.path === '/connect/token').length;
		const posts = requests.filter((r) => r.method === 'POST' && /journaltransaction/i.test(r.path));
		record(
			`credentials: ${first.file} run from the editor with the connected interactive credential: execution success, the sandbox ledger of ${TENANT_A.slice(-4)} (the company chosen on the consent page) holds ${EXPECTED_BATCH_PERIODS.join(', ')}, no new token fetched`,
			!execution?.error &&
				execution?.status === 'success' &&
				JSON.stringify(periods) === JSON.stringify(EXPECTED_BATCH_PERIODS) &&
				others.length === 0 &&
				tokenCalls === 0 &&
				posts.length > 0 &&
				posts.every((p) => p.tenantId === TENANT_A),
			`${execution?.error ? String(execution.error.message).split('\n')[0] : `execution #${execution?.id} ${execution?.mode} ${execution?.status}`}; batches ${periods.join(', ') || 'none'}${others.length ? `; also in ${others.join(', ')}` : ''}; ${posts.length} POST(s) /v2/journaltransaction (${[...new Set(posts.map((p) => `${p.status}`))].join('/')}), ${tokenCalls} token request(s)`,
		);
		if (execution?.status && execution.status !== 'success') {
			const full = await rest.call('GET', `/executions/${execution.id}`).catch(() => undefined);
			if (full)
				console.log(
					`  n8n | execution ${execution.id}: ${String(JSON.stringify(full)).slice(0, 1500)}`,
				);
		}
	} catch (error) {
		record('credentials phase', false, error instanceof Error ? error.message : String(error));
	} finally {
		console.log(
			`credentials timings: ${timings.map((t) => `${t.label} ${t.seconds.toFixed(1)}s`).join('; ')}; total ${((Date.now() - t0) / 1000).toFixed(1)}s`,
		);
	}
}
