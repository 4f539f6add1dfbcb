/**
 * The local sandboxes of a test file, in one line at its top:
 *
 * ```ts
 * const sandbox = useVismaSandbox({ tokens: true }); // reset with its tokens before each test
 * const nmbrs = useNmbrsSandbox();
 * ```
 *
 * A file whose tests build on each other says so: `useVismaSandbox({ keepRequests: true })` keeps
 * the request log across the file's tests (reset, but no `clearRequests()`), `useVismaSandbox(false)`
 * does not reset between tests at all.
 *
 * Each starts before the file's tests (on a free port, the network to 127.0.0.1 allowed past
 * nock) and closes after them, and is back at its default data before each test: the Visma.net
 * sandbox `reset(options)` with an empty request log, the Nmbrs one `reset()`. The hooks run
 * before the file's own (registered first), so a file's `beforeEach` sees the sandbox reset.
 *
 * What these return is the started sandbox from `beforeAll` on: its properties are copied onto
 * the returned object when it has started (the sandboxes are plain objects of closures), so the
 * object can be handed around at the top of the file (`createPayrollFlow(sandbox)` in a hook,
 * `checkSecretsAfterEach(sandbox, …)`).
 */
import nock from 'nock';

import { startNmbrsSandbox, type NmbrsSandbox } from '../../sandboxes/nmbrs/server';
import {
	startSandbox,
	type ResetOptions,
	type Sandbox,
	type SandboxOptions,
} from '../../sandboxes/visma-net/server';

/**
 * A local server of a test file (a sandbox, a redirecting front): started before the file's tests,
 * closed after them, `reset` before each test; the returned object is the started server's copy.
 */
export function useLocalServer<T extends { close(): Promise<void> }>(
	start: () => Promise<T>,
	reset: (server: T) => void = () => undefined,
): T {
	const server = {} as T;
	beforeAll(async () => {
		nock.enableNetConnect('127.0.0.1');
		Object.assign(server, await start());
	});
	afterAll(async () => {
		await server.close();
	});
	beforeEach(() => reset(server));
	return server;
}

/** How the Visma.net sandbox is reset before each test: `reset(options)`, and the request log. */
export interface VismaSandboxReset extends ResetOptions {
	/** Keep the request log across the file's tests (default false: empty before each test). */
	keepRequests?: boolean;
}

/**
 * The local Visma.net sandbox of a test file; see the file header. `false`: not reset between
 * the file's tests.
 */
export function useVismaSandbox(
	reset: VismaSandboxReset | false = {},
	options: Omit<SandboxOptions, 'port'> = {},
): Sandbox {
	if (reset === false) return useLocalServer(() => startSandbox({ ...options, port: 0 }));
	const { keepRequests = false, ...resetOptions } = reset;
	return useLocalServer(
		() => startSandbox({ ...options, port: 0 }),
		(sandbox) => {
			sandbox.reset(resetOptions);
			if (!keepRequests) sandbox.clearRequests();
		},
	);
}

/** The local Nmbrs sandbox of a test file; see the file header. */
export function useNmbrsSandbox(): NmbrsSandbox {
	return useLocalServer(
		() => startNmbrsSandbox({ port: 0 }),
		(sandbox) => sandbox.reset(),
	);
}
