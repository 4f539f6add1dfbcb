/**
 * Exactly once (journal-contract §5). Visma.net has no idempotency key and cannot filter its
 * list by reference, so every batch this package posts carries a tag in its description:
 *
 *     [vnp:<identity>:<content>]
 *
 * `identity` is a hash of (company, reference, financial period, and the period a moved part
 * came from): which journal part this is. `content` is a hash of what the part books: the net
 * amount per account and subaccount, so that a recalculated run is recognised as changed while
 * a new description or line order is not. Before posting, the period's batches are read and
 * matched on the tag. The only home of the key and the content hash.
 */
import { createHash } from 'node:crypto';

import type { Cents } from './money';

export interface PartIdentity {
	readonly companyId: string;
	readonly reference: string;
	/** YYYYMM of the period the part is booked in. */
	readonly financialPeriod: string;
	/** YYYYMM of the period a moved part concerns. */
	readonly movedFrom?: string;
}

/** One booked amount: an account and subaccount with its net (debit minus credit) in cents. */
export interface NetEntry {
	readonly account: string;
	/** Segment values in segment order, joined by "-"; empty when the company has no subaccounts. */
	readonly subaccount: string;
	readonly netCents: Cents;
}

const TAG = /\[vnp:([0-9a-f]{16}):([0-9a-f]{16})\]/;

function hash16(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function identityKey(identity: PartIdentity): string {
	return hash16(['v1', identity.companyId, identity.reference, identity.financialPeriod, identity.movedFrom ?? ''].join('\u001f'));
}

/** Key of an account and subaccount, for sums per account and dimension. */
export function netKey(account: string, subaccount: string): string {
	return `${account}\u001f${subaccount}`;
}

/** Nets per account and subaccount, zero nets left out. */
export function sumNets(entries: Iterable<NetEntry>): Map<string, NetEntry> {
	// Summed in place in entries of its own (never the caller's), one per key.
	const nets = new Map<string, { account: string; subaccount: string; netCents: Cents }>();
	for (const entry of entries) {
		const key = netKey(entry.account, entry.subaccount);
		const previous = nets.get(key);
		if (previous) previous.netCents += entry.netCents;
		else nets.set(key, { account: entry.account, subaccount: entry.subaccount, netCents: 0n + entry.netCents });
	}
	for (const [key, entry] of nets) if (entry.netCents === 0n) nets.delete(key);
	return nets;
}

/** A hash of what a part books: independent of line order, descriptions and how amounts are split over lines. */
export function contentHash(nets: ReadonlyMap<string, NetEntry>): string {
	const rows = [...nets.values()].map((entry) => `${entry.account}\u001f${entry.subaccount}\u001f${entry.netCents.toString()}`).sort();
	return hash16(rows.join('\n'));
}

export function idempotencyTag(identity: string, content: string): string {
	return `[vnp:${identity}:${content}]`;
}

export function readIdempotencyTag(description: unknown): { identity: string; content: string } | null {
	if (typeof description !== 'string') return null;
	const match = TAG.exec(description);
	return match ? { identity: match[1], content: match[2] } : null;
}

/** A batch found in Visma.net, as far as deciding goes. */
export interface PostedBatch {
	readonly batchNumber: string;
	readonly description: string;
	readonly status?: string;
	readonly entries: readonly NetEntry[];
}

export type PostingDecision =
	/** Nothing of this part is in Visma.net yet. */
	| { readonly action: 'post' }
	/** Visma.net already holds exactly this content for this part. */
	| { readonly action: 'alreadyPosted'; readonly batchNumber: string; readonly batchNumbers: readonly string[] }
	/**
	 * Visma.net holds the same part twice with the same content: two executions raced, or a
	 * batch was copied by hand. Never silent: the batches are named so a bookkeeper can void one.
	 */
	| { readonly action: 'duplicate'; readonly batchNumbers: readonly string[] }
	/** Visma.net holds this part with other amounts: the payroll was recalculated. */
	| {
			readonly action: 'changed';
			readonly batchNumbers: readonly string[];
			/** What to post so that Visma.net ends up with the wanted content. */
			readonly difference: ReadonlyMap<string, NetEntry>;
	  };

/** Batches that carry this part's identity (more than one after a difference journal, or a race). */
export function findPartBatches(batches: readonly PostedBatch[], identity: string): PostedBatch[] {
	return batches.filter((batch) => readIdempotencyTag(batch.description)?.identity === identity);
}

/**
 * Decides what to do with a part, given the batches of its period in Visma.net. What counts is
 * what Visma.net holds: the sum of every batch of this part (voided ones excluded) compared with
 * the wanted nets, so a difference journal posted earlier is taken into account.
 */
export function decidePosting(batches: readonly PostedBatch[], identity: string, wanted: ReadonlyMap<string, NetEntry>): PostingDecision {
	const mine = findPartBatches(batches, identity).filter((batch) => batch.status !== 'Voided');
	if (mine.length === 0) return { action: 'post' };
	const tags = mine.map((batch) => readIdempotencyTag(batch.description)?.content);
	const duplicated = tags.filter((tag, index) => tags.indexOf(tag) !== index);
	if (duplicated.length > 0) {
		const batchNumbers = mine.filter((_, index) => duplicated.includes(tags[index])).map((batch) => batch.batchNumber);
		return { action: 'duplicate', batchNumbers };
	}
	const posted = sumNets(mine.flatMap((batch) => batch.entries));
	const difference = sumNets([
		...wanted.values(),
		...[...posted.values()].map((entry) => ({ ...entry, netCents: -entry.netCents })),
	]);
	const batchNumbers = mine.map((batch) => batch.batchNumber);
	if (difference.size === 0) {
		const wantedContent = contentHash(wanted);
		const exact = [...mine].reverse().find((batch) => readIdempotencyTag(batch.description)?.content === wantedContent) ?? mine[mine.length - 1];
		return { action: 'alreadyPosted', batchNumber: exact.batchNumber, batchNumbers };
	}
	return { action: 'changed', batchNumbers, difference };
}
