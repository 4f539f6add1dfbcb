import type {
	IAuthenticateRuleResponseCode,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	INTERACTIVE_API_SCOPE,
	SERVICE_API_SCOPE,
	VISMA_CONNECT_PATHS,
	VISMA_CONNECT_URL,
	VISMA_NET_API_URL,
	VISMA_NET_ENDPOINTS,
} from '../nodes/core/vismaNetModel';
import { customUrlExpression } from '../nodes/transport/customUrl';

/*
 * Visma.net ERP through Visma Connect (OAuth 2.0).
 *
 * n8n throws away the stored value of every HIDDEN OAuth field (authUrl, accessTokenUrl,
 * grantType, scope, authQueryParameters, authentication, additionalBodyProperties) and uses the
 * field's default instead. So each hidden field below is an expression over the VISIBLE fields
 * (`$self[...]`), resolved by n8n's credentials helper every time the credential is used. The
 * visible `grantType` is the selector itself: n8n's OAuth code and its UI ("Connect my account"
 * only for authorization code / PKCE) read that exact field.
 */

/**
 * `<Visma Connect base><path>` for the chosen environment (expression body). A custom Connect URL
 * that breaks the custom-URL rule (nodes/transport/customUrl.ts: https, or http on this machine;
 * no user:password@, query or fragment) becomes an unreachable `https://custom-url-refused.invalid/…`
 * address, so "Connect my account", n8n's token request and its refresh never send the client
 * secret, a code or a token there.
 */
const connectUrl = (path: string) =>
	`($self["environment"] === "custom" ? ${customUrlExpression('$self["customConnectUrl"]', path, 'visma-connect-base-url')} : "${VISMA_CONNECT_URL}${path}")`;

/** Visma.net API base for the chosen environment (expression body), under the same rule. */
const apiBase = `($credentials.environment === "custom" ? ${customUrlExpression('$credentials.customApiUrl', '', 'api-base-url')} : "${VISMA_NET_API_URL}")`;

/**
 * What to do when Test credential's GET /v1/ledger is refused, by HTTP status. Only the API's
 * answer reaches these rules: when Visma Connect refuses the token request itself (wrong client
 * secret: invalid_client; a scope the application lacks: invalid_scope), n8n 2.40's credential
 * tester shows its own text, "Failed to acquire OAuth2 access token: <the RFC 6749 text of the
 * error code>" (n8n-core requestOAuth2; measured in test/n8n/credentials.mjs).
 */
export const CREDENTIAL_TEST_RULES: IAuthenticateRuleResponseCode[] = [
	{
		type: 'responseCode',
		properties: {
			value: 400,
			message:
				'Visma Connect refused the token request (400). Check Client ID and Client Secret; for the Service API also that Company Tenant ID is filled and that the application is approved for that company in Visma.net.',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 401,
			message:
				'Visma.net refused the token (401). Service API: Company Tenant ID is most likely the CUSTOMER tenant id; enter the COMPANY tenant id from Visma.net Admin → Company → Edit → Configuration → "Tenant id", and check that the application is approved for that company. Interactive API: the user who connected needs the API User role on the company (it can take 10–15 minutes); then reconnect.',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 403,
			message:
				'Visma.net refused access (403). Give the application in the Visma Developer Portal the read, create and update scopes of the API chosen above (see the scopes listed in this credential; no delete scope is needed), and have the company’s administrator approve it for the company in Visma.net.',
		},
	},
	{
		type: 'responseCode',
		properties: {
			value: 404,
			message:
				'Visma.net answered 404 for /v1/ledger. Check the API Base URL: the base only, without /v1 or /v2.',
		},
	},
];

export class VismaNetOAuth2Api implements ICredentialType {
	name = 'vismaNetOAuth2Api';

	displayName = 'Visma.net OAuth2 API';

	extends = ['oAuth2Api'];

	documentationUrl = 'https://docs.vismasoftware.no/vismanetapi/authentication';

	icon: Icon = { light: 'file:../icons/visma-net.svg', dark: 'file:../icons/visma-net.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName:
				'An office that books payroll for many companies needs ONE credential: one service integration (client ID and secret) that each company approves in Visma.net, and under Administrations each payroll company with the tenant ID of its Visma.net company. With Administrations empty, the Company Tenant ID below serves every company.',
			name: 'officeNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: ['clientCredentials'] } },
		},
		{
			displayName:
				'A user signs in to ONE Visma.net company: with the Interactive API, create one credential per company.',
			name: 'oneCompanyNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: ['pkce'] } },
		},
		{
			displayName:
				'Service API (Client Credentials): for workflows that run on their own and for Administrations (one credential, several companies). Interactive API: for working by hand as a signed-in user. Name it by company and kind, e.g. "Visma.net – Bakkerij De Vries (service)" or "Visma.net – office (service)": n8n preselects the credential created last in new and imported nodes.',
			name: 'kindNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'API',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Service API (Client Credentials)',
					value: 'clientCredentials',
					description:
						'Machine-to-machine access for unattended jobs, such as booking payroll journals. Needs a service integration registered in the Visma Developer Portal and the company tenant ID.',
				},
				{
					name: 'Interactive API (Sign in as a User)',
					value: 'pkce',
					description:
						'A Visma.net user signs in (authorization code with PKCE) and picks the company. The user needs the API User role on that company.',
				},
			],
			default: 'clientCredentials',
			description: 'Which Visma.net ERP API this credential uses, and so how it obtains tokens',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description:
						'Visma Connect (connect.visma.com) and the Visma.net ERP API (api.finance.visma.net)',
				},
				{
					name: 'Custom',
					value: 'custom',
					description:
						'Your own URLs: the local sandbox of this package (npm run sandbox) or a proxy in front of Visma.net',
				},
			],
			default: 'production',
		},
		{
			displayName: 'API Base URL',
			name: 'customApiUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://127.0.0.1:4010',
			description:
				'Base URL of the Visma.net ERP API, without /v1 or /v2. https only, except on this machine (the local sandbox, npm run sandbox: the address it prints); no user:password@, query or fragment. A URL breaking this rule is replaced by an unreachable custom-url-refused.invalid address.',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Visma Connect Base URL',
			name: 'customConnectUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://127.0.0.1:4010',
			description:
				'Base URL of the Visma Connect server. Tokens are requested at <base>/connect/token and users sign in at <base>/connect/authorize. https only, except on this machine (the local sandbox); no user:password@, query or fragment. A URL breaking this rule is replaced by an unreachable custom-url-refused.invalid address.',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Client ID of your application in the Visma Developer Portal',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Client secret of your application in the Visma Developer Portal',
		},
		{
			displayName: 'Company Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 8a4f0c1e-…',
			description:
				'The COMPANY tenant ID: Visma.net Admin → Company → Edit → Configuration → "Tenant id". Not the customer tenant ID: with that one Visma Connect still issues a token, but every API call answers 401 Unauthorized. With Administrations filled, this is the company the credential test and the editor\'s dropdowns (segments, ledgers, branches) use.',
			displayOptions: { show: { grantType: ['clientCredentials'] } },
		},
		{
			displayName: 'Administrations',
			name: 'administrations',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Administration',
			description:
				"Which Visma.net company (tenant) each payroll company books in. Filled: every node works per item in the tenant of the item's company (company.id), with a token for that tenant, and a company not listed is refused before anything is sent. Empty: the Company Tenant ID above serves every company. Each listed company must approve this integration in Visma.net.",
			displayOptions: { show: { grantType: ['clientCredentials'] } },
			options: [
				{
					displayName: 'Administration',
					name: 'administration',
					values: [
						{
							displayName: 'Payroll Company ID',
							name: 'companyId',
							type: 'string',
							default: '',
							description:
								"The company id in the payroll system, as in the journal's company.id (company.ID in Nmbrs)",
						},
						{
							displayName: 'Company Tenant ID',
							name: 'tenantId',
							type: 'string',
							default: '',
							description:
								'The COMPANY tenant ID of the Visma.net company it books in: Visma.net Admin → Company → Edit → Configuration → "Tenant id"',
						},
						{
							displayName: 'Name',
							name: 'name',
							type: 'string',
							default: '',
							description: 'Optional, for people and messages, e.g. Bakkerij De Vries BV',
						},
					],
				},
			],
		},
		{
			displayName:
				'The application in the Visma Developer Portal must have these scopes (and the company must approve it): for the Service API vismanet_erp_service_api:read, vismanet_erp_service_api:create and vismanet_erp_service_api:update; for the Interactive API vismanet_erp_interactive_api:read, vismanet_erp_interactive_api:create, vismanet_erp_interactive_api:update and offline_access. Nothing is ever deleted, so no :delete scope is asked for.',
			name: 'scopesNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName:
				'The user who connects below needs the API User role on the Visma.net company, otherwise Visma Connect answers "invalid_tenant". With several companies the user picks one while signing in.',
			name: 'apiUserRoleNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { grantType: ['pkce'] } },
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${connectUrl(VISMA_CONNECT_PATHS.signIn)} }}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${connectUrl(VISMA_CONNECT_PATHS.token)} }}`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `={{ $self["grantType"] === "clientCredentials" ? "${SERVICE_API_SCOPE}" : "${INTERACTIVE_API_SCOPE}" }}`,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// Production: Visma Connect documents client_secret_post (client ID and secret in the
			// form body). A custom Connect URL (a proxy, the sandbox) gets client_secret_basic: n8n's
			// token request follows redirects and a 307/308 (and, as measured, a 302) re-sends the
			// form body to the new origin, while the Authorization header is dropped on a redirect
			// to another host. So the client secret never follows a redirect of a custom Connect URL.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: `={{ $self["environment"] === "custom" ? "header" : "body" }}`,
		},
		{
			// Hidden so that n8n's "Send Additional Body Properties" switch does not appear.
			displayName: 'Send Additional Body Properties',
			name: 'sendAdditionalBodyProperties',
			type: 'hidden',
			default: `={{ $self["grantType"] === "clientCredentials" }}`,
		},
		{
			// n8n-core JSON-parses this into the client-credentials token request body.
			displayName: 'Additional Body Properties',
			name: 'additionalBodyProperties',
			type: 'hidden',
			default: `={{ $self["grantType"] === "clientCredentials" ? JSON.stringify({ tenant_id: String($self["tenantId"] || "").trim() }) : "" }}`,
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ${apiBase} }}`,
			url: VISMA_NET_ENDPOINTS.ledgers,
			method: 'GET',
			// Never follow a redirect with the token (see nodes/transport/redirect.ts).
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		},
		// n8n's credential test shows these instead of the bare HTTP status text ("Unauthorized").
		rules: CREDENTIAL_TEST_RULES,
	};
}
