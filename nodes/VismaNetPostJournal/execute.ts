import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readAdministrations } from '../core/administrations';
import { readPart } from '../core/journalPart';
import { checkSendLimits } from '../core/vismaNetModel';
import type { PostedBatch } from '../core/idempotency';
import { calendarOptions, readBackRulesOf } from '../shared/parameters';
import { ItemCallError, ItemIssuesError, runPerItem, withoutKeys } from '../shared/runPerItem';
import { itemTenants, tenantKey } from '../shared/tenants';
import { DEFAULT_RETRY_POLICY } from '../transport';
import { postPart, vismaJson, type BatchNumbers, type OnChangedJournal } from './postPart';

export async function executePostJournal(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// A dry run needs no credential: it sends nothing.
	const dryRunOnly = this.getNodeParameter('mode', 0) === 'dryRun';
	const tenants = dryRunOnly ? undefined : await itemTenants(this);

	// One reading of each period's batches per execution, shared by its items: per tenant and period.
	const periodBatchesByTenant = new Map<string, Map<string, PostedBatch[]>>();

	return await runPerItem.call(this, async (item, itemIndex) => {
		const read = readPart(item.json, calendarOptions(this, itemIndex));
		if (!read.part) throw refused(read.issues, item.json);
		const part = read.part;

		const mode = this.getNodeParameter('mode', itemIndex) as 'post' | 'dryRun';
		// The tenant of the item's company (the credential's Administrations; this node's older
		// table, when filled, must agree), decided before anything is sent.
		let chosen: { context: IExecuteFunctions; key: string } | undefined;
		if (mode === 'post') {
			const credentialTenants = tenants ?? (await itemTenants(this));
			const nodeAdministrations = readAdministrations(
				this.getNodeParameter('administrations', itemIndex, {}),
			);
			const resolution = credentialTenants.resolve(
				part.companyId,
				part.reference,
				nodeAdministrations,
			);
			if (!resolution.ok) throw refused([resolution.issue], item.json);
			chosen = {
				context: credentialTenants.context(this, resolution.tenant),
				key: tenantKey(resolution.tenant),
			};
		}
		const context = chosen?.context ?? this;
		let periodBatches = periodBatchesByTenant.get(chosen?.key ?? '');
		if (!periodBatches) periodBatchesByTenant.set(chosen?.key ?? '', (periodBatches = new Map()));

		const hold = mode === 'post' && (this.getNodeParameter('hold', itemIndex, false) as boolean);
		// Resource locators (always shown, so n8n can extract them); a plain string of an older workflow passes through.
		const ledger = String(
			this.getNodeParameter('ledger', itemIndex, '', { extractValue: true }) ?? '',
		).trim();
		const branch = String(
			this.getNodeParameter('branch', itemIndex, '', { extractValue: true }) ?? '',
		).trim();
		// What Visma.net would cut or refuse (a reference over 15 characters) is refused before anything is sent.
		const tooLong = checkSendLimits(part, {
			...(ledger ? { ledger } : {}),
			...(branch ? { branch } : {}),
		});
		if (tooLong.length > 0) throw refused(tooLong, item.json);
		const outcome = await postPart(context, part, {
			mode,
			hold,
			release:
				mode === 'post' && !hold && (this.getNodeParameter('release', itemIndex, false) as boolean),
			onChangedJournal: (mode === 'post'
				? this.getNodeParameter('onChangedJournal', itemIndex, 'fail')
				: 'fail') as OnChangedJournal,
			batchNumbers: this.getNodeParameter('batchNumbers', itemIndex, 'series') as BatchNumbers,
			...(ledger ? { ledger } : {}),
			...(branch ? { branch } : {}),
			itemIndex,
			isTwk: read.isTwk,
			readBack: readBackRulesOf(this, itemIndex),
			periodBatches,
			policy: {
				...DEFAULT_RETRY_POLICY,
				timeoutMs:
					1000 *
					(this.getNodeParameter(
						'options.timeoutSeconds',
						itemIndex,
						DEFAULT_RETRY_POLICY.timeoutMs / 1000,
					) as number),
			},
		});
		const visma = vismaJson(outcome.visma);
		if (outcome.kind === 'changed' || outcome.kind === 'failed')
			throw new ItemIssuesError(outcome.issues, { visma });
		if (outcome.kind === 'error') throw new ItemCallError(outcome.error, { visma });
		// The result first, so that n8n's Table view shows it before the wide `lines`.
		return [{ json: { visma, ...withoutKeys(item.json, ['visma']) } }];
	});
}

/** An item refused before anything was sent: its output still says `visma.status: failed` (contract §7). */
function refused(
	issues: ConstructorParameters<typeof ItemIssuesError>[0],
	json: IDataObject,
): ItemIssuesError {
	const financialPeriod = typeof json.financialPeriod === 'string' ? json.financialPeriod : null;
	return new ItemIssuesError(issues, {
		visma: { status: 'failed', batchNumber: null, financialPeriod, idempotencyKey: null },
	});
}
