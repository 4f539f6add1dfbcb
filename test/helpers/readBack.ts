/**
 * A journal transaction body this package sends, read back as Visma.net lists it: for unit tests
 * of the posting decision that need "what Visma.net holds" without a sandbox.
 */
import { readPostedBatch } from '../../nodes/core/vismaNetModel';
import type { PostedBatch } from '../../nodes/core/idempotency';

export function readBack(
	batchNumber: string,
	body: Record<string, unknown>,
	status = 'Balanced',
): PostedBatch {
	return readPostedBatch({
		batchNumber,
		status,
		description: (body.description as { value: string }).value,
		journalTransactionLines: (
			body.journalTransactionLines as Array<Record<string, { value: unknown }>>
		).map((line) => ({
			accountNumber: line.accountNumber.value,
			debitAmountInCurrency: line.debitAmountInCurrency.value,
			creditAmountInCurrency: line.creditAmountInCurrency.value,
			subaccount: {
				segments:
					(line.subaccount as unknown as Array<{ segmentId: number; segmentValue: string }>) ?? [],
			},
		})),
	})!;
}
