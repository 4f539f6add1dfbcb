/** One redaction for every message, description and log line built from server text or errors. */
import {
	knownSecretsOf,
	MAX_SERVER_TEXT,
	redactSecrets,
	serverText,
} from '../../../nodes/core/redact';

const JWT =
	'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJzYW5kYm94LWRlbW8tY2xpZW50IiwidGVuYW50IjoiMmYwYSJ9.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA';
const OPAQUE = 'I1PN0Ik9KahGJbWw4cDKMIYpUMXtLHlPMSIFSFuausQ';
const HEX_TOKEN = '3f9c2a71d8e44b6b9a0e1d2c3b4a5f6e';

describe('redactSecrets: token-shaped text', () => {
	it.each([
		[`Authorization: Bearer ${OPAQUE}`, OPAQUE],
		[
			`authorization=Basic c2FuZGJveC1kZW1vLWNsaWVudDpzYW5kYm94LWRlbW8tc2VjcmV0`,
			'c2FuZGJveC1kZW1vLWNsaWVudDpzYW5kYm94LWRlbW8tc2VjcmV0',
		],
		[`the token ${JWT} has expired`, JWT],
		[
			`grant_type=client_credentials&client_id=abc&client_secret=s3cr3t-value&scope=x`,
			's3cr3t-value',
		],
		[`{"access_token":"abc.def-123","token_type":"Bearer"}`, 'abc.def-123'],
		[`{"refresh_token": "rt-998877"}`, 'rt-998877'],
		[`password=hunter2!`, 'hunter2!'],
		[`<nmbrs:Token>${HEX_TOKEN}</nmbrs:Token>`, HEX_TOKEN],
		[`<Password>pa55word</Password>`, 'pa55word'],
		[`Token ${HEX_TOKEN} is not valid for user a@b.nl`, HEX_TOKEN],
		[
			`api key 8a4f0c1e-5b1e-4c39-9a4e-1d2b3c4d5e01 refused`,
			'8a4f0c1e-5b1e-4c39-9a4e-1d2b3c4d5e01',
		],
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
		for (const secret of [
			'short+/=secret',
			encodeURIComponent('short+/=secret'),
			'refresh-abc',
			'nmbrs token',
			'pw-1234',
			Buffer.from('client-1:short+/=secret').toString('base64'),
		]) {
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
		const units = [
			'eyJ-',
			'a',
			'<Token>',
			'Bearer ',
			'token=',
			'0-',
			'A1-',
			'9',
			'A1',
			'Bearer      ',
			'<nmbrs:Token',
			'access_token:"',
		];
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
			// The fastest of five interleaved samples, measured up to three times: a busy machine slows
			// some samples, a quadratic pattern slows every one (16x for 4x the input).
			let linear = false;
			for (let attempt = 0; attempt < 3 && !linear; attempt++) {
				let smallMs = Infinity;
				let largeMs = Infinity;
				for (let sample = 0; sample < 5; sample++) {
					smallMs = Math.min(smallMs, time(small));
					largeMs = Math.min(largeMs, time(large));
				}
				linear = largeMs < 10 * smallMs + 25 && largeMs < 1000;
			}
			expect({ unit, linear }).toEqual({ unit, linear: true });
		}
	});
});

describe('serverText: a known secret echoed in another form (split, escaped, encoded, folded)', () => {
	const SPECIAL = 'Kq7+vR2/xZ9=mN4&pL8<wT3"yH6~';
	const ALNUM = 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY3zA5bC7d';
	const GUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
	const secrets = knownSecretsOf({
		clientId: 'my-client',
		clientSecret: SPECIAL,
		token: GUID,
		password: ALNUM,
	});
	const html = (s: string) =>
		s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
	const jsonU = (s: string) =>
		s.replace(/[+&<"~/=]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	/** The secret's characters that must not survive in any run of the message (letters and digits only). */
	const core = (secret: string) => secret.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
	const leaks = (text: string | undefined, secret: string) => {
		const folded = core(text ?? '');
		const wanted = core(secret);
		// Any third of the secret, in order, is a leak (the redaction must cover the whole echo).
		const third = Math.ceil(wanted.length / 3);
		for (let start = 0; start + third <= wanted.length; start++)
			if (folded.includes(wanted.slice(start, start + third))) return true;
		return false;
	};

	it.each([
		['alnum split by \\n', `bad secret ${ALNUM.slice(0, 20)}\n${ALNUM.slice(20)} end`, ALNUM],
		['alnum split by \\r\\n', `bad secret ${ALNUM.slice(0, 20)}\r\n${ALNUM.slice(20)} end`, ALNUM],
		[
			'alnum split by a quoted-printable soft break',
			`bad secret ${ALNUM.slice(0, 20)}=\r\n${ALNUM.slice(20)} end`,
			ALNUM,
		],
		['GUID split by \\n', `value ${GUID.slice(0, 18)}\n${GUID.slice(18)} end`, GUID],
		['GUID split by \\r\\n', `token ${GUID.slice(0, 18)}\r\n${GUID.slice(18)}`, GUID],
		[
			'GUID with a space after the first group',
			`Invalid credentials for user x@y.nl with token ${GUID.slice(0, 8)} ${GUID.slice(9)}`,
			GUID,
		],
		[
			'GUID without hyphens, upper case',
			`token ${GUID.replace(/-/g, '').toUpperCase()} invalid`,
			GUID,
		],
		['GUID letter by letter', `T o k: ${GUID.split('').join(' ')}`, GUID],
		['GUID between &nbsp;', `<html><body>Token&nbsp;${GUID}&nbsp;is unknown</body></html>`, GUID],
		[
			'special split by \\n',
			`secret was ${SPECIAL.slice(0, 14)}\n${SPECIAL.slice(14)} end`,
			SPECIAL,
		],
		['HTML-escaped', `<html><body><p>Bad secret ${html(SPECIAL)}</p></body></html>`, SPECIAL],
		[
			'decimal character references',
			`<p>${[...SPECIAL].map((c) => `&#${c.charCodeAt(0)};`).join('')}</p>`,
			SPECIAL,
		],
		[
			'hex character references',
			`<p>${[...SPECIAL].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('')}</p>`,
			SPECIAL,
		],
		['JSON-escaped', `{"detail":${JSON.stringify(SPECIAL)}}`, SPECIAL],
		['JSON \\u escapes', `{"detail":"${jsonU(SPECIAL)}"}`, SPECIAL],
		['form-encoded', `x ${new URLSearchParams({ a: SPECIAL }).toString().slice(2)}`, SPECIAL],
		['URL-encoded twice', `x ${encodeURIComponent(encodeURIComponent(SPECIAL))}`, SPECIAL],
		[
			'URL-encoded three times',
			`x ${encodeURIComponent(encodeURIComponent(encodeURIComponent(SPECIAL)))}`,
			SPECIAL,
		],
		['HTML-escaped JSON', `<pre>${html(JSON.stringify({ detail: SPECIAL }))}</pre>`, SPECIAL],
		['a zero-width space inside', `x ${SPECIAL.slice(0, 10)}\u200b${SPECIAL.slice(10)} y`, SPECIAL],
		[
			'a soft hyphen and a BOM inside',
			`x ${SPECIAL.slice(0, 5)}\u00ad${SPECIAL.slice(5, 15)}\ufeff${SPECIAL.slice(15)} y`,
			SPECIAL,
		],
		['upper-cased', `x ${SPECIAL.toUpperCase()} y`, SPECIAL],
		// Found by `npm run test:fuzz` (FUZZ_SCALE 3): a word joiner, percent-encoded as UTF-8 bytes.
		[
			'a percent-encoded word joiner inside',
			`x ${encodeURIComponent(`${ALNUM.slice(0, 2)}\u2060${ALNUM.slice(2)}`)} y`,
			ALNUM,
		],
		[
			'a percent-encoded non-breaking space inside',
			`x ${encodeURIComponent(`${ALNUM.slice(0, 12)}\u00a0${ALNUM.slice(12)}`)} y`,
			ALNUM,
		],
	])('%s', (_form, text, secret) => {
		const result = serverText(text, secrets);
		expect(result).toContain('[redacted]');
		expect({ result, leaked: leaks(result, secret) }).toEqual({ result, leaked: false });
	});

	it('keeps the words around the echo', () => {
		const result = serverText(
			`The client secret ${html(SPECIAL)} is not valid for client my-client.`,
			secrets,
		);
		expect(result).toBe('The client secret [redacted] is not valid for client my-client.');
	});

	it('a very short secret is matched exactly only: it cannot blank out ordinary text', () => {
		// "ount" (4 characters) is matched as is; folded or split forms of it are ordinary words.
		const short = knownSecretsOf({ clientSecret: 'ount' });
		expect(serverText('Account 4000 does not exist; AC COUNT ount', short)).toBe(
			'Acc[redacted] 4000 does not exist; AC COUNT [redacted]',
		);
		// Eight characters and more once normalised (hyphens, spaces, '=' and '+' do not count): every form.
		const eight = knownSecretsOf({ clientSecret: 'Ab1-Cd2+xy' });
		expect(serverText('x AB1 CD2%2BXY y', eight)).toBe('x [redacted] y');
		const seven = knownSecretsOf({ clientSecret: 'Ab1-Cd2+x' });
		expect(serverText('x AB1 CD2%2BX y Ab1-Cd2+x', seven)).toBe('x AB1 CD2%2BX y [redacted]');
	});

	it('is linear on 100k characters of adversarial echo forms', () => {
		const many = knownSecretsOf({
			clientSecret: SPECIAL,
			token: GUID,
			password: ALNUM,
			oauthTokenData: { access_token: 'a'.repeat(60), refresh_token: '%25'.repeat(20) },
		});
		const units = [
			'&amp;',
			'&#',
			'&#x4',
			'%25',
			'%2',
			'\\u00',
			'\\',
			'=\r\n',
			'\u200b',
			'a',
			'A-',
			' a',
			html(SPECIAL).slice(0, 20),
			GUID.slice(0, 30),
		];
		const time = (input: string) => {
			const started = process.hrtime.bigint();
			redactSecrets(input, many);
			serverText(input, many);
			return Number(process.hrtime.bigint() - started) / 1e6;
		};
		for (const unit of units) {
			const small = unit.repeat(Math.ceil(25_000 / unit.length));
			const large = unit.repeat(Math.ceil(100_000 / unit.length));
			time(small);
			const smallMs = Math.min(time(small), time(small));
			const largeMs = Math.min(time(large), time(large));
			expect({ unit, largeMs: largeMs < 10 * smallMs + 25 && largeMs < 1000 }).toEqual({
				unit,
				largeMs: true,
			});
		}
	});
});
