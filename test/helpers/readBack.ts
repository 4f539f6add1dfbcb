/**
 * A journal transaction body this package sends, read back as Visma.net lists it: for unit tests
 * of the posting decision that need "what Visma.net holds" without a sandbox.
 */
import { readPostedBatch } from '../../nodes/core/vismaNetModel';
import type { PostedBatch } from '../../nodes/core/idempotency';

/** What Visma.net fills in itself on reading back: the company's default branch, its non-project code. */
export interface VismaDefaults {
	/** The batch's branch when the body names none; every line without a branch of its own gets the batch's. */
	readonly branch?: string;
	/** Projects preferences' non-project code: what a line without a project reads back with. */
	readonly nonProjectCode?: string;
}

type SentValue = { value: unknown } | undefined;

export function readBack(
	batchNumber: string,
	body: Record<string, unknown>,
	status = 'Balanced',
	defaults: VismaDefaults = {},
): PostedBatch {
	const branch = (body.branch as SentValue)?.value ?? defaults.branch;
	const idOf = (sent: SentValue) =>
		sent === undefined ? undefined : { id: sent.value, description: '' };
	return readPostedBatch({
		batchNumber,
		status,
		description: (body.description as { value: string }).value,
		...(branch === undefined ? {} : { branch }),
		journalTransactionLines: (
			body.journalTransactionLines as Array<Record<string, { value: unknown }>>
		).map((line) => {
			const project =
				idOf(line.project) ??
				(defaults.nonProjectCode === undefined
					? undefined
					: { id: defaults.nonProjectCode, description: 'Non-project code' });
			const lineBranch = line.branch?.value ?? branch;
			return {
				accountNumber: line.accountNumber.value,
				debitAmountInCurrency: line.debitAmountInCurrency.value,
				creditAmountInCurrency: line.creditAmountInCurrency.value,
				subaccount: {
					segments:
						(line.subaccount as unknown as Array<{ segmentId: number; segmentValue: string }>) ??
						[],
				},
				...(project === undefined ? {} : { project }),
				...(line.projectTask === undefined ? {} : { projectTask: idOf(line.projectTask) }),
				...(lineBranch === undefined ? {} : { branch: lineBranch }),
			};
		}),
	})!;
}
