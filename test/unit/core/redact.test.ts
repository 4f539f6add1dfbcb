/** One redaction for every message, description and log line built from server text or errors. */
import { knownSecretsOf, MAX_SERVER_TEXT, redactSecrets, serverText } from '../../../nodes/core/redact';

const JWT =
	'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJzYW5kYm94LWRlbW8tY2xpZW50IiwidGVuYW50IjoiMmYwYSJ9.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA';
const OPAQUE = 'I1PN0Ik9KahGJbWw4cDKMIYpUMXtLHlPMSIFSFuausQ';
const HEX_TOKEN = '3f9c2a71d8e44b6b9a0e1d2c3b4a5f6e';

describe('redactSecrets: token-shaped text', () => {
	it.each([
		[`Authorization: Bearer ${OPAQUE}`, OPAQUE],
		[`authorization=Basic c2FuZGJveC1kZW1vLWNsaWVudDpzYW5kYm94LWRlbW8tc2VjcmV0`, 'c2FuZGJveC1kZW1vLWNsaWVudDpzYW5kYm94LWRlbW8tc2VjcmV0'],
		[`the token ${JWT} has expired`, JWT],
		[`grant_type=client_credentials&client_id=abc&client_secret=s3cr3t-value&scope=x`, 's3cr3t-value'],
		[`{"access_token":"abc.def-123","token_type":"Bearer"}`, 'abc.def-123'],
		[`{"refresh_token": "rt-998877"}`, 'rt-998877'],
		[`password=hunter2!`, 'hunter2!'],
		[`<nmbrs:Token>${HEX_TOKEN}</nmbrs:Token>`, HEX_TOKEN],
		[`<Password>pa55word</Password>`, 'pa55word'],
		[`Token ${HEX_TOKEN} is not valid for user a@b.nl`, HEX_TOKEN],
		[`api key 8a4f0c1e-5b1e-4c39-9a4e-1d2b3c4d5e01 refused`, '8a4f0c1e-5b1e-4c39-9a4e-1d2b3c4d5e01'],
	])('%p loses %p', (text, secret) => {
		const redacted = redactSecrets(text);
		expect(redacted).not.toContain(secret);
		expect(redacted).toContain('[redacted]');
	});

	it.each([
		'Account 4000 does not exist in the chart of accounts.',
		'The financial period 202603 is closed in General Ledger.',
		'arbeidsongeschiktheidsverzekeringspremie te betalen',
		'Batch R2026-03-bakkerij-de-vries-holding-bv is on hold',
		'Request: POST /v2/journaltransaction/000123/action/release.',
		'Subaccount 100-0000 is not active',
	])('keeps ordinary text: %p', (text) => {
		expect(redactSecrets(text)).toBe(text);
	});
});

describe('redactSecrets: the known secrets of a credential', () => {
	it('removes them wherever they stand, URL-encoded and as a Basic pair too', () => {
		const secrets = knownSecretsOf({
			clientId: 'client-1',
			clientSecret: 'short+/=secret',
			oauthTokenData: { access_token: 'tok', refresh_token: 'refresh-abc' },
			token: 'nmbrs token',
			password: 'pw-1234',
		});
		const text = `a short+/=secret b ${encodeURIComponent('short+/=secret')} c refresh-abc d nmbrs token e pw-1234 f ${Buffer.from('client-1:short+/=secret').toString('base64')}`;
		const redacted = redactSecrets(text, secrets);
		for (const secret of ['short+/=secret', encodeURIComponent('short+/=secret'), 'refresh-abc', 'nmbrs token', 'pw-1234', Buffer.from('client-1:short+/=secret').toString('base64')]) {
			expect(redacted).not.toContain(secret);
		}
		// Too short to be told apart from ordinary words ("tok"): left to the patterns.
		expect(secrets).not.toContain('tok');
	});
});

describe('serverText: redacted, bounded, one line', () => {
	it(`keeps at most ${MAX_SERVER_TEXT} characters and says it was cut`, () => {
		const text = serverText(`${'x '.repeat(5000)}Bearer ${OPAQUE}`);
		expect(text!.length).toBeLessThanOrEqual(MAX_SERVER_TEXT + 1);
		expect(text!.endsWith('…')).toBe(true);
	});

	it('redacts a token cut in two by the bound: redaction runs before the cut', () => {
		const text = serverText(`${'a'.repeat(MAX_SERVER_TEXT - 10)} ${OPAQUE}`);
		expect(text).not.toContain(OPAQUE.slice(0, 9));
	});

	it('drops control characters and gives undefined for nothing', () => {
		expect(serverText('a\u0000b\u001bc\r\nd')).toBe('a b c d');
		expect(serverText('   ')).toBeUndefined();
		expect(serverText(undefined)).toBeUndefined();
	});

	it('is linear on hostile 100k-character input (4x the input costs far less than 16x the time)', () => {
		const units = ['eyJ-', 'a', '<Token>', 'Bearer ', 'token=', '0-', 'A1-', '9', 'A1', 'Bearer      ', '<nmbrs:Token', 'access_token:"'];
		const time = (input: string) => {
			const started = process.hrtime.bigint();
			redactSecrets(input, ['a-known-secret']);
			serverText(input);
			return Number(process.hrtime.bigint() - started) / 1e6;
		};
		for (const unit of units) {
			const small = unit.repeat(Math.ceil(25_000 / unit.length));
			const large = unit.repeat(Math.ceil(100_000 / unit.length));
			time(small); // compile and warm the regexes
			const smallMs = Math.min(time(small), time(small));
			const largeMs = Math.min(time(large), time(large));
			expect({ unit, largeMs: largeMs < 10 * smallMs + 25 && largeMs < 1000 }).toEqual({ unit, largeMs: true });
		}
	});
});
