import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentials,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
} from 'n8n-workflow';

import { harnessNode, singleNodeWorkflow } from './harnessNode';
import { OAuth2ApiCredential } from './oAuth2ApiCredential';

/** A credential type given as an instance or as its class. */
export type CredentialTypeInput = ICredentialType | (new () => ICredentialType);

/**
 * OAuth endpoint and flow fields whose STORED value n8n drops when the credential type declares
 * them `hidden`, so that the type's default (often an expression over visible fields) is used.
 * Mirrors n8n's `OAUTH_PINNED_FIELDS` in `packages/cli/src/credentials-helper.ts`.
 */
export const OAUTH_PINNED_FIELDS = [
	'authUrl',
	'accessTokenUrl',
	'grantType',
	'scope',
	'authQueryParameters',
	'authentication',
	'additionalBodyProperties',
	'requestTokenUrl',
	'signatureMethod',
] as const;

/** The node type behind the stand-alone workflow n8n uses to resolve credential expressions. */
const MOCK_NODE_TYPE: INodeType = {
	description: {
		displayName: 'Mock',
		name: 'mock',
		group: [],
		version: 1,
		description: '',
		defaults: {},
		inputs: [],
		outputs: [],
		properties: [],
	},
};

const deepCopy = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

/** Registry of credential types, with `extends` resolution as in n8n's `CredentialTypes`. */
export class HarnessCredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: CredentialTypeInput[] = []) {
		this.register(new OAuth2ApiCredential());
		for (const type of types) this.register(type);
	}

	register(type: CredentialTypeInput): ICredentialType {
		const instance = typeof type === 'function' ? new type() : type;
		this.types.set(instance.name, instance);
		return instance;
	}

	recognizes(name: string): boolean {
		return this.types.has(name);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) {
			throw new UnexpectedError(`Unknown credential type "${name}" (register it with the harness)`);
		}
		return type;
	}

	/** All ancestors of a type, nearest first (n8n: `CredentialTypes.getParentTypes`). */
	getParentTypes(name: string): string[] {
		const direct = this.types.get(name)?.extends ?? [];
		return [...direct, ...direct.flatMap((parent) => this.getParentTypes(parent))];
	}

	/**
	 * The merged property list of a type: parents first, the type's own properties override
	 * same-named ones, `doNotInherit` properties of parents are skipped
	 * (n8n: `CredentialsHelper.getCredentialsProperties`).
	 */
	getCredentialsProperties(name: string): INodeProperties[] {
		const type = this.getByName(name);
		if (type.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(name)) {
				return [
					...type.properties,
					{
						displayName: 'oauthTokenData',
						name: 'oauthTokenData',
						type: 'json',
						required: false,
						default: {},
					},
				];
			}
			return type.properties;
		}
		const combined: INodeProperties[] = [];
		for (const parent of type.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, type.properties);
		return combined;
	}
}

/** A credential as stored in the harness: what n8n keeps (decrypted) in its database. */
export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** A credential to store: its type and data; id and name get defaults. */
export type NewCredential = Omit<StoredCredential, 'id' | 'name'> &
	Partial<Pick<StoredCredential, 'id' | 'name'>>;

/** In-memory stand-in for n8n-core's encrypted `Credentials` class. */
class InMemoryCredentials extends ICredentials {
	constructor(
		private readonly stored: StoredCredential,
		private readonly onChange: (data: ICredentialDataDecryptedObject) => void,
	) {
		super({ id: stored.id, name: stored.name }, stored.type);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return deepCopy(this.stored.data);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.stored.id, name: this.stored.name, type: this.stored.type, data: undefined };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.onChange(deepCopy(data));
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const data = {
			...this.stored.data,
			...deepCopy(toUpdate),
		} as unknown as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete data[key];
		this.onChange(data);
	}
}

/**
 * An `ICredentialsHelper` that keeps credentials in memory and otherwise behaves like n8n's own
 * (`packages/cli/src/credentials-helper.ts`):
 * - `getDecrypted` applies the credential type's defaults (parents via `extends` included),
 *   drops stored values of hidden OAuth fields, and resolves `={{ ... }}` expressions with
 *   `$self` = the credential's own data (and, inside a node, the node's execution context);
 * - `updateCredentialsOauthTokenData` stores `oauthTokenData`, so the next request (and the next
 *   run of the same harness) reuses the token, and n8n-core's refresh logic sees it;
 * - `authenticate`, `preAuthentication` and `runPreAuthentication` follow n8n.
 * OAuth2 itself is not handled here: n8n-core's `requestOAuth2` does that for every type whose
 * parents include `oAuth2Api`.
 */
export class InMemoryCredentialsHelper extends ICredentialsHelper {
	private readonly store = new Map<string, StoredCredential>();

	/** Node types for the stand-alone workflow used to resolve expressions outside a node. */
	private readonly mockNodeTypes: INodeTypes = {
		getByName: () => MOCK_NODE_TYPE,
		getByNameAndVersion: () => MOCK_NODE_TYPE,
		getKnownTypes: () => ({}),
	};

	/** Every `oauthTokenData` written by n8n-core, oldest first (for assertions). */
	readonly oauthTokenUpdates: Array<{ credentialId: string; oauthTokenData: unknown }> = [];

	private nextId = 1;

	constructor(readonly credentialTypes: HarnessCredentialTypes) {
		super();
	}

	/** Stores a credential; returns the `{ id, name }` a workflow node refers to it by. */
	addCredential(credential: NewCredential): INodeCredentialsDetails {
		this.credentialTypes.getByName(credential.type);
		const id = credential.id ?? String(this.nextId++);
		const name = credential.name ?? `${credential.type} ${id}`;
		this.store.set(id, { id, name, type: credential.type, data: deepCopy(credential.data) });
		return { id, name };
	}

	/** A copy of what is stored, e.g. to check the `oauthTokenData` n8n-core saved. */
	getStored(idOrType: string): StoredCredential | undefined {
		const stored = this.store.get(idOrType) ?? this.findByType(idOrType);
		return stored && deepCopy(stored);
	}

	private findByType(type: string): StoredCredential | undefined {
		const matches = [...this.store.values()].filter((entry) => entry.type === type);
		return matches.length === 1 ? matches[0] : undefined;
	}

	/**
	 * The stored credential a node refers to: by id when the id exists (and has the asked type),
	 * otherwise the only stored credential of that type.
	 */
	private find(nodeCredentials: INodeCredentialsDetails, type: string): StoredCredential {
		const byId = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (byId && byId.type === type) return byId;
		const byType = this.findByType(type);
		if (byType) return byType;
		throw new UserError(
			`Credential with ID "${nodeCredentials.id ?? ''}" does not exist for type "${type}".`,
		);
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		const type = this.credentialTypes.getByName(credentialType);
		if (!type.restrictToSupportedNodes) return true;
		return (type.supportedNodes ?? []).some(
			(supported) => supported === nodeType || nodeType.endsWith(`.${supported}`),
		);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.getCredentialsProperties(type);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (typeof authenticate === 'object' && authenticate.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError(
					'Workflow and node are required for declarative credential authentication',
				);
			}
			requestOptions.headers ??= {};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					const keys = { $credentials: credentials } as IWorkflowDataProxyAdditionalKeys;
					const keyResolved = this.resolveValue(key, keys, workflow, node);
					const valueResolved = this.resolveValue(value, keys, workflow, node);
					target[outerKey] ??= {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return requestOptions;
	}

	private resolveValue(
		value: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.getByName(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const nodeCredentials = node.credentials?.[type.name];
		if (nodeCredentials) {
			const stored = this.find(nodeCredentials, type.name);
			stored.data = { ...stored.data, ...deepCopy(output) } as ICredentialDataDecryptedObject;
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes.getByName(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const stored = this.find(nodeCredentials, type);
		return new InMemoryCredentials(stored, (data) => {
			stored.data = data;
		});
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.find(nodeCredentials, type);
		if (raw === true) return deepCopy(stored.data);
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			deepCopy(stored.data),
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/**
	 * What n8n hands a node for a stored credential: hidden OAuth fields reset to their type
	 * default, all defaults applied, fields whose `displayOptions` do not match removed,
	 * `oauthTokenData` kept, expressions resolved with `$self` = this data.
	 */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const properties = this.getCredentialsProperties(type);

		const storedData = { ...decryptedDataOriginal };
		for (const field of OAUTH_PINNED_FIELDS) {
			if (properties.some((p) => p.name === field && p.type === 'hidden')) delete storedData[field];
		}

		let decryptedData = NodeHelpers.getNodeParameters(
			properties,
			storedData as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;

		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				if (error instanceof Error) error.message += ' [Error resolving credentials]';
				throw error;
			}
		} else {
			const mockNode: INode = harnessNode('', 'mock', {}, { id: 'harness-credential-resolution' });
			const workflow = singleNodeWorkflow(mockNode, this.mockNodeTypes);
			const acquired = await workflow.expression.acquireIsolate();
			try {
				decryptedData = workflow.expression.getComplexParameterValue(
					mockNode,
					decryptedData as INodeParameters,
					mode,
					additionalKeys,
					undefined,
					undefined,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} finally {
				if (acquired) await workflow.expression.releaseIsolate();
			}
		}
		return decryptedData;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.find(nodeCredentials, type).data = deepCopy(data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.find(nodeCredentials, type);
		stored.data = { ...stored.data, oauthTokenData: deepCopy(data.oauthTokenData) };
		this.oauthTokenUpdates.push({
			credentialId: stored.id,
			oauthTokenData: deepCopy(data.oauthTokenData),
		});
	}
}
