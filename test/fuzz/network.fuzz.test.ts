/**
 * Hostile network, seeded: random server answers (any status 100-599, 3xx with any Location, any
 * body echoing the credential's secrets in any of their forms), random Location headers and
 * random custom URLs. The promises: a secret never reaches an error or a message; server text
 * stays bounded; a 3xx is never followed, never retried, never "done"; a journal POST answered
 * with a 3xx or 5xx is an unknown outcome; nothing here throws anything but the errors the nodes
 * expect.
 *
 * FUZZ_SCALE=<n> multiplies every run count (default 1, a few seconds in CI); e.g. FUZZ_SCALE=50
 * for a full run.
 */
import fc from 'fast-check';
import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
} from 'n8n-workflow';

import { MAX_SERVER_TEXT, serverText } from '../../nodes/core/redact';
import { nmbrsSoapRequest } from '../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/request';
import {
	batchNumberFromLocation,
	isOutcomeUnknown,
	vismaNetRequest,
	type RetryPolicy,
} from '../../nodes/transport';
import { checkCustomBaseUrl } from '../../nodes/transport/customUrl';
import { redirectTargetHost } from '../../nodes/transport/redirect';
import { collectStrings } from '../helpers/workflowChecks';
import { FUZZ_SCALE as SCALE, scaled as runs } from './scale';
import { harnessNode } from '../../scripts/lib/harness/harnessNode';

const SEED = 20_261_129;

/** The number of generated inputs each property ran, for the report. */
const ran: Record<string, number> = {};
afterAll(() => {
	const total = Object.values(ran).reduce((sum, count) => sum + count, 0);
	process.stdout.write(
		`network.fuzz: FUZZ_SCALE=${SCALE}, ${total} generated inputs (${JSON.stringify(ran)})\n`,
	);
});

function check<T>(
	name: string,
	arbitrary: fc.Arbitrary<T>,
	property: (value: T) => void,
	count: number,
	seedOffset: number,
): void {
	ran[name] = runs(count);
	fc.assert(fc.property(arbitrary, property), { seed: SEED + seedOffset, numRuns: ran[name] });
}

async function checkAsync<T>(
	name: string,
	arbitrary: fc.Arbitrary<T>,
	property: (value: T) => Promise<void>,
	count: number,
	seedOffset: number,
): Promise<void> {
	ran[name] = runs(count);
	await fc.assert(fc.asyncProperty(arbitrary, property), {
		seed: SEED + seedOffset,
		numRuns: ran[name],
	});
}

const NODE: INode = harnessNode('Post Journal Transaction', 'x', {}, { id: 'n' });
const NO_WAIT: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 0,
	maxDelayMs: 0,
	maxRetryAfterMs: 0,
	timeoutMs: 1000,
	random: () => 0,
};

/** Secrets of both credentials, of the shapes they really have. */
const secretArbitrary = fc.oneof(
	fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), // an opaque Visma Connect access token
	fc.stringMatching(/^[0-9a-f]{32}$/), // an Nmbrs API token
	fc.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/), // a GUID-shaped token
	fc
		.string({
			unit: fc.constantFrom(...'abcXYZ019+/=!$%&*()~.,:;@ \t'),
			minLength: 8,
			maxLength: 40,
		})
		.filter((text) => text.trim().length >= 8), // a client secret
);

/** How a server may send a secret back. */
function echoed(secret: string, form: number): string {
	switch (form % 7) {
		case 0:
			return secret;
		case 1:
			return `Bearer ${secret}`;
		case 2:
			return encodeURIComponent(secret);
		case 3:
			return `client_secret=${encodeURIComponent(secret)}&grant_type=client_credentials`;
		case 4:
			return `{"access_token":"${secret}"}`;
		case 5:
			return `<nmbrs:Token>${secret}</nmbrs:Token>`;
		default:
			return `token: ${secret}`;
	}
}

const noiseArbitrary = fc.string({
	unit: fc.constantFrom(...'ab01 <>/"=:;&?#\n\t-_.eyJ'),
	maxLength: 300,
});

const echoArbitrary = fc.record({
	secret: secretArbitrary,
	form: fc.nat(),
	before: noiseArbitrary,
	after: noiseArbitrary,
	padding: fc.nat({ max: 3000 }),
});

function echoText(echo: {
	secret: string;
	form: number;
	before: string;
	after: string;
	padding: number;
}): string {
	return `${echo.before}${' '.repeat(echo.padding)}${echoed(echo.secret, echo.form)}${echo.after}`;
}

function expectNoSecret(value: unknown, secret: string): void {
	const strings = collectStrings(value);
	let json = '';
	try {
		json = JSON.stringify(value);
	} catch {
		// Circular: the strings are enough.
	}
	for (const text of [...strings, json]) {
		expect(text.includes(secret) || text.includes(encodeURIComponent(secret))).toBe(false);
	}
}

describe('serverText: redacted and bounded, whatever the server sends', () => {
	it('never repeats a known secret, in any form, at any position, and keeps at most 500 characters', () =>
		check(
			'serverText',
			echoArbitrary,
			(echo) => {
				const text = serverText(echoText(echo), [echo.secret]);
				if (text === undefined) return;
				expect(text.length).toBeLessThanOrEqual(MAX_SERVER_TEXT + 1);
				expect(text.includes(echo.secret) || text.includes(encodeURIComponent(echo.secret))).toBe(
					false,
				);
				expect(/[\u0000-\u001F]/.test(text)).toBe(false);
			},
			1500,
			1,
		));
});

/** One encoding layer a server, a proxy or a template may put around echoed text. */
const ENCODINGS: ReadonlyArray<(text: string) => string> = [
	(text) =>
		text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'), // HTML
	(text) => [...text].map((c) => `&#${c.codePointAt(0)};`).join(''), // decimal references
	(text) => [...text].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''), // hex references
	(text) => JSON.stringify(text).slice(1, -1), // JSON string
	(text) =>
		text.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), // JSON \u
	(text) => encodeURIComponent(text), // percent
	(text) => new URLSearchParams({ v: text }).toString().slice(2), // form
	(text) => text.toUpperCase(), // upper-cased
];
/** What a line wrap, a mail gateway or an editor may put inside echoed text. */
const SPLITS = ['\n', '\r\n', '=\r\n', ' ', '\t', '\u200b', '\u00ad', '\ufeff', '\u2060', '-'];

const disguisedArbitrary = fc.record({
	secret: secretArbitrary.filter((secret) => secret.replace(/[^A-Za-z0-9]/g, '').length >= 8),
	layers: fc.array(fc.nat({ max: ENCODINGS.length - 1 }), { maxLength: 3 }),
	splits: fc.array(
		fc.record({
			at: fc.double({ min: 0, max: 1, noNaN: true }),
			piece: fc.constantFrom(...SPLITS),
			afterEncoding: fc.boolean(),
		}),
		{ maxLength: 4 },
	),
	// Noise without `%`, `&`, `\`: it cannot complete an escape begun by the echo.
	before: fc.string({ unit: fc.constantFrom(...' <>/"=:;?#\n\t-_.,!'), maxLength: 200 }),
	after: fc.string({ unit: fc.constantFrom(...' <>/"=:;?#\n\t-_.,!'), maxLength: 200 }),
	padding: fc.nat({ max: 3000 }),
});

function splitAt(text: string, splits: ReadonlyArray<{ at: number; piece: string }>): string {
	let result = text;
	for (const { at, piece } of splits) {
		const index = Math.floor(at * result.length);
		result = `${result.slice(0, index)}${piece}${result.slice(index)}`;
	}
	return result;
}

/** Letters and digits of `text`, lower-cased, per piece between redactions (pieces never joined). */
const cores = (text: string) =>
	text.split('[redacted]').map((piece) => piece.replace(/[^A-Za-z0-9]/g, '').toLowerCase());

describe('serverText: a known secret in disguise (encoded, escaped, split, folded) is gone', () => {
	it('no 8 letters and digits of the secret, in order, survive', () =>
		check(
			'serverTextDisguised',
			disguisedArbitrary,
			(echo) => {
				let disguised = splitAt(
					echo.secret,
					echo.splits.filter((split) => !split.afterEncoding),
				);
				for (const layer of echo.layers) disguised = ENCODINGS[layer](disguised);
				disguised = splitAt(
					disguised,
					echo.splits.filter((split) => split.afterEncoding),
				);
				const text = serverText(
					`${echo.before}${' '.repeat(echo.padding)}${disguised}${echo.after}`,
					[echo.secret],
				);
				const secretCore = echo.secret.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
				for (const piece of cores(text ?? '')) {
					for (let start = 0; start + 8 <= secretCore.length; start++) {
						expect({
							disguised,
							text,
							leaked: piece.includes(secretCore.slice(start, start + 8)),
						}).toEqual({ disguised, text, leaked: false });
					}
				}
			},
			1500,
			6,
		));
});

describe('Location and custom URLs: read or refused, never thrown, never swallowing a path', () => {
	const urlish = fc.string({
		unit: fc.constantFrom(...'htps:/.0127ab?#@%E_-~[]\\ '),
		maxLength: 60,
	});

	it('a Location gives a plain batch number or nothing', () =>
		check(
			'location',
			fc.oneof(
				urlish,
				fc.string({ maxLength: 80 }),
				fc
					.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/)
					.map((batch) => `/v2/journaltransaction/${encodeURIComponent(batch)}`),
			),
			(location) => {
				const batch = batchNumberFromLocation(location);
				if (batch !== undefined) expect(batch).toMatch(/^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,29}$/);
				if (/^\/v2\/journaltransaction\/[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/.test(location))
					expect(batch).toBe(location.split('/').pop());
				expect(
					redirectTargetHost(location, 'https://api.finance.visma.net/v2/x').length,
				).toBeLessThanOrEqual(100);
			},
			1500,
			2,
		));

	it('a custom base URL that is accepted keeps every appended path (no query, fragment, user:password)', () =>
		check(
			'customUrl',
			fc.oneof(
				urlish.map((tail) => `https://proxy.example${tail}`),
				urlish.map((tail) => `http://127.0.0.1:4010${tail}`),
				urlish,
			),
			(raw) => {
				const checked = checkCustomBaseUrl(raw);
				if ('problem' in checked) return;
				const url = new URL(`${checked.url}/v2/journaltransaction`);
				expect(url.pathname.endsWith('/v2/journaltransaction')).toBe(true);
				expect(url.search).toBe('');
				expect(url.hash).toBe('');
				expect(url.username + url.password).toBe('');
				expect(
					url.protocol === 'https:' ||
						['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) ||
						/^127\./.test(url.hostname),
				).toBe(true);
			},
			1500,
			3,
		));
});

/**
 * A stub of n8n's request helper that gives every request the same answer (its status, a Location
 * when it has one, and `body`): the mapping of answers is what is fuzzed here.
 */
function scriptedContext(
	answer: { status: number; location?: string },
	body: unknown,
	credentials: Record<string, unknown>,
) {
	const sent: IHttpRequestOptions[] = [];
	const context = {
		getNode: () => NODE,
		getCredentials: async () => credentials,
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				sent.push(options);
				return {
					statusCode: answer.status,
					headers:
						answer.location === undefined
							? ({} as Record<string, string>)
							: { location: answer.location },
					body,
				};
			},
		},
	};
	return { context: context as unknown as IExecuteFunctions, sent };
}

const answerArbitrary = fc.record({
	status: fc.oneof(
		fc.integer({ min: 100, max: 599 }),
		fc.constantFrom(301, 302, 303, 307, 308, 400, 401, 403, 404, 429, 500, 503),
	),
	location: fc.option(fc.oneof(fc.webUrl(), fc.string({ maxLength: 60 })), { nil: undefined }),
	json: fc.boolean(),
	method: fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
	echo: echoArbitrary,
});

describe('Visma.net transport under random answers', () => {
	it('fails with a NodeApiError free of secrets for every non-2xx; a 3xx is never retried; a POST 3xx/5xx is an unknown outcome', () =>
		checkAsync(
			'vismaAnswers',
			answerArbitrary.filter((answer) => answer.status < 200 || answer.status >= 300),
			async (answer) => {
				const text = echoText(answer.echo);
				const body = answer.json
					? JSON.stringify({
							message: `VismaId: 6f0c1e52-9a3b-4d2e-8c7f-1a2b3c4d5e6f. ${text}`,
							exceptionFaultCode: text,
						})
					: text;
				const credentials = {
					environment: 'custom',
					customApiUrl: 'http://127.0.0.1:4010',
					clientSecret: answer.echo.secret,
					oauthTokenData: { access_token: answer.echo.secret },
				};
				const { context, sent } = scriptedContext(answer, body, credentials);
				let error: unknown;
				try {
					await vismaNetRequest.call(
						context,
						{
							method: answer.method,
							path: '/v2/journaltransaction',
							operation: 'posting journal R1',
							idempotent: answer.method === 'GET',
						},
						NO_WAIT,
					);
				} catch (thrown) {
					error = thrown;
				}
				expect(error).toBeInstanceOf(NodeApiError);
				expectNoSecret(error, answer.echo.secret);
				expect((error as NodeApiError).message.length).toBeLessThan(1200);
				for (const options of sent)
					expect(options).toMatchObject({
						disableFollowRedirect: true,
						sendCredentialsOnCrossOriginRedirect: false,
					});
				if (answer.status >= 300 && answer.status < 400) {
					expect(sent).toHaveLength(1);
					expect(isOutcomeUnknown(error)).toBe(answer.method === 'POST');
				}
				if (answer.method === 'POST' && answer.status >= 500)
					expect(isOutcomeUnknown(error)).toBe(true);
			},
			400,
			4,
		));
});

describe('Nmbrs transport under random answers', () => {
	it('a SOAP fault, an HTTP error or a redirect never carries the API token into the error', () =>
		checkAsync(
			'nmbrsAnswers',
			answerArbitrary,
			async (answer) => {
				const text = echoText(answer.echo).replace(/[<>&]/g, ' ');
				const fault = `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>${text}</faultstring></soap:Fault></soap:Body></soap:Envelope>`;
				const credentials = {
					environment: 'custom',
					customUrl: 'http://127.0.0.1:4020',
					username: 'u@example.nl',
					token: answer.echo.secret,
				};
				const { context, sent } = scriptedContext(answer, answer.json ? fault : text, credentials);
				let error: unknown;
				try {
					await nmbrsSoapRequest.call(
						context,
						{ service: 'CompanyService', operation: 'List_GetAll', what: 'list the companies' },
						NO_WAIT,
					);
				} catch (thrown) {
					error = thrown;
				}
				if (error === undefined) return; // a 2xx that happened to read as an answer
				expect(error instanceof NodeApiError || error instanceof NodeOperationError).toBe(true);
				expectNoSecret(error, answer.echo.secret);
				for (const options of sent)
					expect(options).toMatchObject({
						disableFollowRedirect: true,
						sendCredentialsOnCrossOriginRedirect: false,
					});
				if (answer.status >= 300 && answer.status < 400) expect(sent).toHaveLength(1);
			},
			400,
			5,
		));
});
