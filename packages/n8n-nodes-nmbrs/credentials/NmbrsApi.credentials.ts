import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	buildSoapEnvelope,
	insertAuthHeader,
	nmbrsBaseUrl,
	servicePath,
	soapAction,
} from '../nodes/nmbrsSoap/soapEnvelope';

/*
 * Nmbrs SOAP API v3. Nmbrs does not use HTTP authentication: every SOAP call carries the header
 * `AuthHeaderWithDomain { Username, Token, Domain }`. The nodes build envelopes with an empty
 * `<soap:Header/>` and call `httpRequestWithAuthentication('nmbrsApi', ...)`; `authenticate`
 * below fills in the header and the API base URL from the decrypted credential. So the token
 * only ever exists in the request n8n sends, never in node code, items or errors.
 */

const TEST_CALL = { service: 'CompanyService', operation: 'List_GetAll' } as const;

export class NmbrsApi implements ICredentialType {
	name = 'nmbrsApi';

	displayName = 'Nmbrs API';

	documentationUrl = 'https://api.nmbrs.nl/soap/v3/CompanyService.asmx';

	icon: Icon = { light: 'file:../icons/nmbrs.svg', dark: 'file:../icons/nmbrs.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'name@example.com',
			description: 'The e-mail address you sign in to Nmbrs with',
		},
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Your API token from Nmbrs: My account → API. It has the same rights as your Nmbrs user.',
		},
		{
			displayName: 'Domain',
			name: 'domain',
			type: 'string',
			default: '',
			placeholder: 'mycompany',
			description:
				'Your Nmbrs domain: the first part of the address you use, e.g. mycompany for mycompany.nmbrs.nl. Leave empty to let Nmbrs take the domain of the user.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: 'The Nmbrs SOAP API at https://api.nmbrs.nl/soap/v3',
				},
				{
					name: 'Custom',
					value: 'custom',
					description:
						'Your own URL: the local Nmbrs sandbox of this package (npm run sandbox:nmbrs) or a proxy',
				},
			],
			default: 'production',
		},
		{
			displayName: 'Custom URL',
			name: 'customUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://127.0.0.1:4020',
			description:
				'Base URL of the SOAP API (the part before /CompanyService.asmx). A URL without a path gets /soap/v3. https only, except on this machine (the local sandbox).',
			displayOptions: { show: { environment: ['custom'] } },
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const base = nmbrsBaseUrl(credentials.environment, credentials.customUrl);
		if ('problem' in base) throw new Error(base.problem);
		const url = /^https?:\/\//i.test(requestOptions.url)
			? requestOptions.url
			: `${base.url}${requestOptions.url}`;
		const body =
			typeof requestOptions.body === 'string'
				? insertAuthHeader(requestOptions.body, {
						username: String(credentials.username ?? ''),
						token: String(credentials.token ?? ''),
						domain: typeof credentials.domain === 'string' ? credentials.domain : '',
					})
				: requestOptions.body;
		return { ...requestOptions, url, body, baseURL: undefined };
	}

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: servicePath(TEST_CALL.service),
			headers: {
				'Content-Type': 'text/xml; charset=utf-8',
				SOAPAction: `"${soapAction(TEST_CALL)}"`,
			},
			body: buildSoapEnvelope(TEST_CALL),
			// Never follow a redirect with the SOAP envelope, which carries the token.
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		},
	};
}
