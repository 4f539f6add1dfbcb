/** The Nmbrs credential test request goes through `authenticate`, which applies the custom-URL rule. */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { NmbrsApi } from '../../../packages/n8n-nodes-nmbrs/credentials/NmbrsApi.credentials';
import { nmbrsBaseUrl } from '../../../packages/n8n-nodes-nmbrs/nodes/nmbrsSoap/soapEnvelope';
import { checkCustomBaseUrl } from '../../../nodes/transport/customUrl';

const credential = new NmbrsApi();
const TOKEN = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('NmbrsApi: the "Test credential" request and the custom-URL rule', () => {
	it('the test request has no address of its own: authenticate gives it one', () => {
		expect(credential.test.request.baseURL).toBeUndefined();
		expect(credential.test.request.url).toMatch(/^\/[A-Za-z]+\.asmx$/);
	});

	it.each([
		'http://127.0.0.1:4020',
		'https://proxy.example/nmbrs/soap/v3/',
		'http://10.0.0.5',
		'http://payroll.example:8080',
		'https://user:pw@proxy.example',
		'https://proxy.example/soap/v3?x=1',
		'https://proxy.example/soap/v3#',
		'https://proxy.example\\@evil.example',
		'',
	])(
		'%j: signed only when checkCustomBaseUrl accepts it, never with the token elsewhere',
		async (customUrl) => {
			const request = { ...credential.test.request } as IHttpRequestOptions;
			const data = {
				username: 'u@example.nl',
				token: TOKEN,
				domain: '',
				environment: 'custom',
				customUrl,
			};
			let signed: IHttpRequestOptions | undefined;
			let refused: unknown;
			try {
				signed = await credential.authenticate(data, request);
			} catch (error) {
				refused = error;
			}
			const checked = checkCustomBaseUrl(customUrl);
			if ('problem' in checked) {
				expect(signed).toBeUndefined();
				expect(String(refused)).not.toContain(TOKEN);
				expect(String(refused)).not.toContain('pw');
			} else {
				const base = nmbrsBaseUrl('custom', customUrl);
				expect(signed?.url).toBe(`${'url' in base ? base.url : '?'}${request.url}`);
			}
		},
	);
});
