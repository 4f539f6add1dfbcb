import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { checkAdministration, type Administration } from '../core/administrations';
import { checkSendLimits } from '../core/buildJournalTransaction';
import type { PostedBatch } from '../core/idempotency';
import { calendarOptions } from '../shared/parameters';
import { ItemIssuesError, runPerItem, withoutKeys } from '../shared/runPerItem';
import { CREDENTIAL_TYPE, DEFAULT_RETRY_POLICY } from '../transport';
import { postPart, type BatchNumbers, type OnChangedJournal } from './postPart';
import { readPart } from './readPart';

export async function executePostJournal(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// A dry run needs no credential: it sends nothing.
	const dryRunOnly = this.getNodeParameter('mode', 0) === 'dryRun';
	const credentials = dryRunOnly ? {} : ((await this.getCredentials(CREDENTIAL_TYPE)) as IDataObject);
	const credentialTenantId = typeof credentials.tenantId === 'string' && credentials.tenantId.trim() ? credentials.tenantId.trim() : undefined;

	// One reading of each period's batches per execution, shared by its items.
	const periodBatches = new Map<string, PostedBatch[]>();

	return await runPerItem.call(this, async (item, itemIndex) => {
		const read = readPart(item.json, calendarOptions(this, itemIndex));
		if (!read.part) throw refused(read.issues, item.json);
		const part = read.part;

		const administrations = ((this.getNodeParameter('administrations.administration', itemIndex, []) as IDataObject[]) ?? []).map(
			(row): Administration => ({ companyId: String(row.companyId ?? ''), tenantId: String(row.tenantId ?? ''), name: String(row.name ?? '') }),
		);
		const mode = this.getNodeParameter('mode', itemIndex) as 'post' | 'dryRun';
		const mismatch = mode === 'post' ? checkAdministration(part.companyId, part.reference, administrations, credentialTenantId) : null;
		if (mismatch) throw refused([mismatch], item.json);

		const hold = mode === 'post' && (this.getNodeParameter('hold', itemIndex, false) as boolean);
		const ledger = (this.getNodeParameter('ledger', itemIndex, '') as string).trim();
		const branch = (this.getNodeParameter('branch', itemIndex, '') as string).trim();
		// What Visma.net would cut or refuse (a reference over 15 characters) is refused before anything is sent.
		const tooLong = checkSendLimits(part, { ...(ledger ? { ledger } : {}), ...(branch ? { branch } : {}) });
		if (tooLong.length > 0) throw refused(tooLong, item.json);
		const visma = await postPart(this, part, {
			mode,
			hold,
			release: mode === 'post' && !hold && (this.getNodeParameter('release', itemIndex, false) as boolean),
			onChangedJournal: (mode === 'post' ? this.getNodeParameter('onChangedJournal', itemIndex, 'fail') : 'fail') as OnChangedJournal,
			batchNumbers: this.getNodeParameter('batchNumbers', itemIndex, 'series') as BatchNumbers,
			...(ledger ? { ledger } : {}),
			...(branch ? { branch } : {}),
			itemIndex,
			isTwk: read.isTwk,
			periodBatches,
			policy: { ...DEFAULT_RETRY_POLICY, timeoutMs: 1000 * (this.getNodeParameter('options.timeoutSeconds', itemIndex, DEFAULT_RETRY_POLICY.timeoutMs / 1000) as number) },
		});
		// The result first, so that n8n's Table view shows it before the wide `lines`.
		return [{ json: { visma, ...withoutKeys(item.json, ['visma']) } }];
	});
}

/** An item refused before anything was sent: its output still says `visma.status: failed` (contract §7). */
function refused(issues: ConstructorParameters<typeof ItemIssuesError>[0], json: IDataObject): ItemIssuesError {
	const error = new ItemIssuesError(issues);
	const financialPeriod = typeof json.financialPeriod === 'string' ? json.financialPeriod : null;
	error.itemJson = { visma: { status: 'failed', batchNumber: null, financialPeriod, idempotencyKey: null } };
	return error;
}
