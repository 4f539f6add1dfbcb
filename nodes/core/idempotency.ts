/**
 * Exactly once (journal-contract §5). Visma.net has no idempotency key and cannot filter its
 * list by reference, so every batch this package posts carries a tag at the very start of its
 * description, followed by one space and the human text:
 *
 *     [vnp:<identity>:<content>] Loonjournaal R2026-03 2026-03
 *
 * `identity` is a hash of (company, reference, financial period, and the period a moved part
 * came from): which journal part this is. `content` is a hash of what the part books: the net
 * amount per account and subaccount, so that a recalculated run is recognised as changed while
 * a new description or line order is not. Before posting, the period's batches are read and
 * matched on the tag. The only home of the key, the content hash and the tag.
 *
 * Hostile text: only the package's own tag counts. It is read at one place only (the start of
 * the description) in one exact ASCII format, so neither text elsewhere in the description nor
 * look-alike characters (a full-width bracket, a Cyrillic "р") can pass for it; and every text
 * this package sends passes `neutraliseTagText`, so no reference or description carries "[vnp:"
 * to Visma.net at all. Hashes are taken over JSON arrays, so no value can move a field boundary.
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
	/** Segment values in segment order; empty when the company has no subaccounts. */
	readonly subaccount: readonly string[];
	readonly netCents: Cents;
}

/**
 * The version of every hash input: a key of another version can never match one of this. v2:
 * JSON-encoded fields (v1 joined them with separators, so `"1\u001f2"+"3"` hashed as `"1"+"2\u001f3"`).
 */
const HASH_DOMAIN = 'vnp-v2';

const TAG_PREFIX = '[vnp:';
/** `[vnp:` + 16 hex + `:` + 16 hex + `]`. */
const TAG_LENGTH = TAG_PREFIX.length + 16 + 1 + 16 + 1;
/** The exact tag, on a text of exactly TAG_LENGTH characters (so linear whatever the description). */
const TAG = /^\[vnp:([0-9a-f]{16}):([0-9a-f]{16})\]$/;
/** Tag-like text in any case: `[vnp:`, `[VNP:`, `[Vnp:`… Fixed length, linear. */
const TAG_LIKE = /\[(?=vnp:)/gi;

function hash16(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** What the identity hash is taken over: injective (JSON of the fields), for tests too. */
export function identityHashInput(identity: PartIdentity): string {
	return JSON.stringify([HASH_DOMAIN, 'identity', identity.companyId, identity.reference, identity.financialPeriod, identity.movedFrom ?? null]);
}

export function identityKey(identity: PartIdentity): string {
	return hash16(identityHashInput(identity));
}

/** Key of an account and subaccount, for sums per account and dimension: injective (JSON). */
export function netKey(account: string, subaccount: readonly string[]): string {
	return JSON.stringify([account, subaccount]);
}

/** Nets per account and subaccount, zero nets left out. */
export function sumNets(entries: Iterable<NetEntry>): Map<string, NetEntry> {
	// Summed in place in entries of its own (never the caller's), one per key.
	const nets = new Map<string, { account: string; subaccount: readonly string[]; netCents: Cents }>();
	for (const entry of entries) {
		const key = netKey(entry.account, entry.subaccount);
		const previous = nets.get(key);
		if (previous) previous.netCents += entry.netCents;
		else nets.set(key, { account: entry.account, subaccount: entry.subaccount, netCents: 0n + entry.netCents });
	}
	for (const [key, entry] of nets) if (entry.netCents === 0n) nets.delete(key);
	return nets;
}

/** What the content hash is taken over: one JSON row per account and subaccount, sorted. */
export function contentHashInput(nets: ReadonlyMap<string, NetEntry>): string {
	const rows = [...nets.values()].map((entry) => JSON.stringify([entry.account, entry.subaccount, entry.netCents.toString()])).sort();
	return JSON.stringify([HASH_DOMAIN, 'content', rows]);
}

/** A hash of what a part books: independent of line order, descriptions and how amounts are split over lines. */
export function contentHash(nets: ReadonlyMap<string, NetEntry>): string {
	return hash16(contentHashInput(nets));
}

export function idempotencyTag(identity: string, content: string): string {
	return `${TAG_PREFIX}${identity}:${content}]`;
}

/**
 * The tag of a batch description: only at its very start, in the exact format, followed by a
 * space or nothing. Text elsewhere, another case or look-alike characters never count.
 */
export function readIdempotencyTag(description: unknown): { identity: string; content: string } | null {
	if (typeof description !== 'string' || description.length < TAG_LENGTH) return null;
	if (description.length > TAG_LENGTH && description[TAG_LENGTH] !== ' ') return null;
	const match = TAG.exec(description.slice(0, TAG_LENGTH));
	return match ? { identity: match[1], content: match[2] } : null;
}

/**
 * Every text this package sends to Visma.net passes here: `[vnp:` in any case becomes `(vnp:`, a
 * change a bookkeeper sees and understands, so no reference or description can carry a tag.
 * Keeps the length, so clipping before or after gives the same text.
 */
export function neutraliseTagText(text: string): string {
	return text.replace(TAG_LIKE, '(');
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
