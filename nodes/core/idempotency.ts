/**
 * Exactly once (journal-contract §5). Visma.net has no idempotency key and cannot filter its
 * list by reference, so every batch this package posts carries a tag at the very start of its
 * description, followed by one space and the human text:
 *
 *     [vnp:<identity>:<content>:<revision>] Loonjournaal R2026-03 2026-03
 *
 * `identity` is a hash of (company, reference, financial period, and the period a moved part
 * came from): which journal part this is. `content` is a hash of what the part should book once
 * this batch is in: the net amount per account and subaccount, so that a recalculated run is
 * recognised as changed while a new description or line order is not. `revision` tells the
 * postings of one part apart: one more than the highest revision among the part's batches the
 * poster saw (voided ones included), so 0 for the first posting and n for the n-th difference
 * journal. Before posting, the period's batches are read and matched on the tag. The only home
 * of the key, the content hash, the revision and the tag.
 *
 * Why the revision: a difference journal is tagged with the content wanted after it, so a run
 * recalculated A→B→A tags its second difference journal A like the first posting. Without the
 * revision those two would look like a race (two batches with one tag), and the batch posted
 * after an unknown outcome could be mistaken for the old one. With it, every legitimate posting
 * of a part carries a tag no other batch of the part carries (its revision is above all of theirs),
 * while two executions that raced from the same reading post the same content with the same
 * revision: the race is still seen, as two batches with one tag.
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

/** A line's project, project task and branch: each absent when the line names none. */
export interface LineDimensions {
	readonly project?: string;
	/** Only with a project. */
	readonly projectTask?: string;
	readonly branch?: string;
}

/**
 * One booked amount: an account and subaccount (and a project, task and branch, where the lines
 * name them) with its net (debit minus credit) in cents.
 */
export interface NetEntry extends LineDimensions {
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
/** The highest revision: nine decimal digits at most. */
export const MAX_REVISION = 999_999_999;
/** `[vnp:` + 16 hex + `:` + 16 hex + `:` + at most 9 digits + `]`. */
const MAX_TAG_LENGTH = TAG_PREFIX.length + 16 + 1 + 16 + 1 + 9 + 1;
/**
 * The exact tag, on a text of at most MAX_TAG_LENGTH characters (so linear whatever the
 * description). The revision in canonical decimal (no leading zero), so one revision has one spelling.
 */
const TAG = /^\[vnp:([0-9a-f]{16}):([0-9a-f]{16}):(0|[1-9][0-9]{0,8})\]$/;
/** Tag-like text in any case: `[vnp:`, `[VNP:`, `[Vnp:`… Fixed length, linear. */
const TAG_LIKE = /\[(?=vnp:)/gi;

function hash16(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** What the identity hash is taken over: injective (JSON of the fields), for tests too. */
export function identityHashInput(identity: PartIdentity): string {
	return JSON.stringify([
		HASH_DOMAIN,
		'identity',
		identity.companyId,
		identity.reference,
		identity.financialPeriod,
		identity.movedFrom ?? null,
	]);
}

export function identityKey(identity: PartIdentity): string {
	return hash16(identityHashInput(identity));
}

/** True when the entry names a project, task or branch. */
function hasDimensions(entry: LineDimensions): boolean {
	return (
		entry.project !== undefined || entry.projectTask !== undefined || entry.branch !== undefined
	);
}

/**
 * Key of an account and subaccount (with project, task and branch only when the entry names one,
 * so that keys and hashes of journals without them stay what they were), for sums per account and
 * dimension: injective (JSON arrays of two or five fields).
 */
export function netKey(entry: Omit<NetEntry, 'netCents'>): string {
	return hasDimensions(entry)
		? JSON.stringify([
				entry.account,
				entry.subaccount,
				entry.project ?? null,
				entry.projectTask ?? null,
				entry.branch ?? null,
			])
		: JSON.stringify([entry.account, entry.subaccount]);
}

/** Nets per account and subaccount, zero nets left out. */
export function sumNets(entries: Iterable<NetEntry>): Map<string, NetEntry> {
	// Summed in place in entries of its own (never the caller's), one per key.
	const nets = new Map<string, { -readonly [K in keyof NetEntry]: NetEntry[K] }>();
	for (const entry of entries) {
		const key = netKey(entry);
		const previous = nets.get(key);
		if (previous) previous.netCents += entry.netCents;
		else nets.set(key, { ...entry, netCents: 0n + entry.netCents });
	}
	for (const [key, entry] of nets) if (entry.netCents === 0n) nets.delete(key);
	return nets;
}

/**
 * What the content hash is taken over: one JSON row per account and subaccount (and project,
 * task and branch, only where named: a part without them hashes as before they existed), sorted.
 */
export function contentHashInput(nets: ReadonlyMap<string, NetEntry>): string {
	const rows = [...nets.values()]
		.map((entry) =>
			JSON.stringify(
				hasDimensions(entry)
					? [
							entry.account,
							entry.subaccount,
							entry.netCents.toString(),
							entry.project ?? null,
							entry.projectTask ?? null,
							entry.branch ?? null,
						]
					: [entry.account, entry.subaccount, entry.netCents.toString()],
			),
		)
		.sort();
	return JSON.stringify([HASH_DOMAIN, 'content', rows]);
}

/** A hash of what a part books: independent of line order, descriptions and how amounts are split over lines. */
export function contentHash(nets: ReadonlyMap<string, NetEntry>): string {
	return hash16(contentHashInput(nets));
}

/** What a tag says: which part, what it should book with this batch in, and which posting of the part it is. */
export interface IdempotencyTag {
	readonly identity: string;
	readonly content: string;
	readonly revision: number;
}

/** The key of one posting, `vnp:<identity>:<content>:<revision>`: the tag without its brackets (`visma.idempotencyKey`). */
export function idempotencyKey(identity: string, content: string, revision: number): string {
	if (!Number.isSafeInteger(revision) || revision < 0 || revision > MAX_REVISION)
		throw new RangeError(`revision ${revision} is not between 0 and ${MAX_REVISION}`);
	return `vnp:${identity}:${content}:${revision}`;
}

export function idempotencyTag(identity: string, content: string, revision: number): string {
	return `[${idempotencyKey(identity, content, revision)}]`;
}

/**
 * The tag of a batch description: only at its very start, in the exact format, followed by a
 * space or nothing. Text elsewhere, another case or look-alike characters never count.
 */
export function readIdempotencyTag(description: unknown): IdempotencyTag | null {
	if (typeof description !== 'string' || !description.startsWith(TAG_PREFIX)) return null;
	const end = description.slice(0, MAX_TAG_LENGTH).indexOf(']');
	if (end < 0) return null;
	if (description.length > end + 1 && description[end + 1] !== ' ') return null;
	const match = TAG.exec(description.slice(0, end + 1));
	return match ? { identity: match[1], content: match[2], revision: Number(match[3]) } : null;
}

/** Two tags are the same posting: same part, same content, same revision. */
function sameTag(a: IdempotencyTag | null, b: IdempotencyTag | null): boolean {
	return (
		a !== null &&
		b !== null &&
		a.identity === b.identity &&
		a.content === b.content &&
		a.revision === b.revision
	);
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
	/** The batch's branch (compared form), which Visma.net gives every line sent without one. */
	readonly branch?: string;
	readonly entries: readonly NetEntry[];
	/**
	 * Amounts of the batch that could not be read as whole cents (`readPostedBatch`): then `entries`
	 * do not say what the batch books, and no decision may rest on them. Absent when all were read.
	 */
	readonly unreadable?: UnreadableAmounts;
}

/** An amount read back from Visma.net that is no whole number of cents (null, text, NaN, 12.345…). */
export interface UnreadableAmount {
	/** The line as Visma.net numbers it (its `lineNumber`, else its 1-based position in the batch). */
	readonly line: number;
	/** The line's account as read, when it has one. */
	readonly account?: string;
	readonly side: 'debit' | 'credit';
	/** What was read, as it was read. */
	readonly value: unknown;
	/** Why it is no amount: "is empty", "has more than two decimals", … */
	readonly reason: string;
}

/**
 * A line read back from Visma.net that cannot be read whole: no journal line at all, no account
 * number, or a subaccount whose segments cannot be read. Never left out: what the batch books
 * would then be read short.
 */
export interface UnreadableLine {
	/** The line as Visma.net numbers it (its `lineNumber`, else its 1-based position in the batch). */
	readonly line: number;
	/** The line's account as read, when it has one. */
	readonly account?: string;
	/** What of the line could not be read: the line itself, its account number, subaccount, project, task or branch. */
	readonly field: 'line' | 'accountNumber' | 'subaccount' | 'project' | 'projectTask' | 'branch';
	/** What was read, as it was read. */
	readonly value: unknown;
	/** Why it cannot be read: "is not a journal line", "has no account number", … */
	readonly reason: string;
}

/**
 * A batch of the part read back without a batch number that is text: it cannot be named or
 * changed, and is never left out (the part would look unposted and be posted again).
 */
export interface UnreadableBatchNumber {
	readonly field: 'batchNumber';
	/** What was read, as it was read. */
	readonly value: unknown;
	/** "has no batch number", "has a batch number that is not text". */
	readonly reason: string;
}

/** The first thing of a batch that cannot be read. */
export type Unreadable = UnreadableAmount | UnreadableLine | UnreadableBatchNumber;

/**
 * The first unreadable amount or line of a batch (or its batch number) and how many there are in
 * all (`lineCount` of them lines, present only when there are any).
 */
export interface UnreadableAmounts {
	readonly first: Unreadable;
	readonly count: number;
	readonly lineCount?: number;
}

/** The first unreadable thing is the batch's number. */
export function isUnreadableBatchNumber(found: Unreadable): found is UnreadableBatchNumber {
	return 'field' in found && found.field === 'batchNumber';
}

/** The first unreadable thing is a line, not an amount (nor the batch number). */
export function isUnreadableLine(found: Unreadable): found is UnreadableLine {
	return !('side' in found) && !isUnreadableBatchNumber(found);
}

/** A batch of the part whose amounts cannot be read, with the first of them. */
export interface UnreadableBatch {
	readonly batchNumber: string;
	readonly amounts: UnreadableAmounts;
	/** How many of the part's batches cannot be read, this one included. */
	readonly batchCount: number;
}

/**
 * The first of the part's batches that count (voided ones left out) whose amounts could not be
 * read, or null. Such a batch stops every decision about the part: its amounts are not known, and
 * taking them as 0 could post a wrong difference journal.
 */
export function findUnreadableBatch(
	batches: readonly PostedBatch[],
	identity: string,
): UnreadableBatch | null {
	const unreadable = findPartBatches(batches, identity).filter(
		(batch) => batch.status !== 'Voided' && batch.unreadable !== undefined,
	);
	if (unreadable.length === 0) return null;
	const [first] = unreadable;
	return {
		batchNumber: first.batchNumber,
		amounts: first.unreadable as UnreadableAmounts,
		batchCount: unreadable.length,
	};
}

export type PostingDecision =
	/** Nothing of this part is live in Visma.net: post it whole, tagged with this revision. */
	| { readonly action: 'post'; readonly revision: number }
	/** Visma.net already holds exactly this content for this part. */
	| {
			readonly action: 'alreadyPosted';
			readonly batchNumber: string;
			readonly batchNumbers: readonly string[];
	  }
	/**
	 * Visma.net holds two live batches of this part with one tag (same content, same revision):
	 * two executions raced from the same reading, or a batch was copied by hand. Never silent:
	 * the batches are named, and `copies` the later ones of each tag to void (empty when
	 * batches with one tag book different amounts, so that no advice could un-book anything).
	 */
	| {
			readonly action: 'duplicate';
			readonly batchNumbers: readonly string[];
			readonly copies: readonly string[];
	  }
	/**
	 * A batch of this part in Visma.net has amounts that cannot be read (`findUnreadableBatch`):
	 * what Visma.net holds is not known, so nothing may be posted.
	 */
	| ({ readonly action: 'unreadable' } & UnreadableBatch)
	/** Visma.net holds this part with other amounts: the payroll was recalculated. */
	| {
			readonly action: 'changed';
			readonly batchNumbers: readonly string[];
			/** What to post so that Visma.net ends up with the wanted content. */
			readonly difference: ReadonlyMap<string, NetEntry>;
			/** The revision to tag the difference journal with. */
			readonly revision: number;
			/**
			 * Set when no difference journal can help: the part's latest posting already meant exactly
			 * this content, and the difference only moves amounts between the projects or branches of
			 * one account. Visma.net then reads lines back otherwise than they were sent (another
			 * non-project code than the node's, or a line changed by hand); another difference journal
			 * would read back the same, so nothing may be posted.
			 */
			readonly readBackDiffers?: ReadBackDifference;
	  };

/** A read-back no difference journal can change: the latest batch, and one account's lines as sent and as read. */
export interface ReadBackDifference {
	readonly batchNumber: string;
	readonly account: string;
	readonly sent: LineDimensions;
	readonly readBack: LineDimensions;
}

/** Batches that carry this part's identity (more than one after a difference journal, or a race). */
export function findPartBatches(batches: readonly PostedBatch[], identity: string): PostedBatch[] {
	return batches.filter((batch) => readIdempotencyTag(batch.description)?.identity === identity);
}

/**
 * The revision of the next posting of a part: one more than the highest revision among its
 * batches (voided ones included, so that no batch still listed shares it), 0 when there are none.
 * A function of what was read only: two executions that read the same state get the same one.
 */
export function nextRevision(batches: readonly PostedBatch[], identity: string): number {
	let next = 0;
	for (const batch of findPartBatches(batches, identity))
		next = Math.max(next, readIdempotencyTag(batch.description)!.revision + 1);
	return next;
}

/** Batch numbers in the order Visma.net gives them out: numeric ones by value, others as text. */
function compareBatchNumbers(a: string, b: string): number {
	if (/^[0-9]+$/.test(a) && /^[0-9]+$/.test(b)) {
		const x = a.replace(/^0+/, '');
		const y = b.replace(/^0+/, '');
		if (x.length !== y.length) return x.length - y.length;
		if (x !== y) return x < y ? -1 : 1;
	}
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What Visma.net fills in itself on a line, read as nothing: `nonProjectCode` (compared form; see
 * `readBackRules` in buildJournalTransaction.ts) is the project of every line sent without one
 * in a company that uses projects.
 */
export interface ReadBackRules {
	readonly nonProjectCode: string;
}

/** Visma.net's default non-project code (Project accounting preferences, PM101000). */
export const DEFAULT_NON_PROJECT_CODE = 'X';

export const DEFAULT_READ_BACK_RULES: ReadBackRules = { nonProjectCode: DEFAULT_NON_PROJECT_CODE };

/**
 * An entry as it is compared: its project only when the part's lines name projects at all
 * (`projects`) and it is not the non-project code, its task only with its project, its branch
 * only when it is not the batch's own (`batchBranch`, which Visma.net gives a line sent without one).
 */
function asCompared(
	entry: NetEntry,
	batchBranch: string | undefined,
	projects: boolean,
	rules: ReadBackRules,
): NetEntry {
	if (!hasDimensions(entry)) return entry;
	const project = projects && entry.project !== rules.nonProjectCode ? entry.project : undefined;
	const projectTask = project === undefined ? undefined : entry.projectTask;
	const branch = entry.branch === batchBranch ? undefined : entry.branch;
	if (project === entry.project && projectTask === entry.projectTask && branch === entry.branch)
		return entry;
	return {
		account: entry.account,
		subaccount: entry.subaccount,
		netCents: entry.netCents,
		...(project === undefined ? {} : { project }),
		...(projectTask === undefined ? {} : { projectTask }),
		...(branch === undefined ? {} : { branch }),
	};
}

/**
 * Decides what to do with a part, given the batches of its period in Visma.net. What counts is
 * what Visma.net holds: the sum of every batch of this part (voided ones excluded) compared with
 * the wanted nets, so a difference journal posted earlier is taken into account. A batch of the
 * part whose amounts could not be read decides nothing but `unreadable`: never read as 0.
 */
export function decidePosting(
	batches: readonly PostedBatch[],
	identity: string,
	wanted: ReadonlyMap<string, NetEntry>,
	rules: ReadBackRules = DEFAULT_READ_BACK_RULES,
): PostingDecision {
	const revision = nextRevision(batches, identity);
	const mine = findPartBatches(batches, identity).filter((batch) => batch.status !== 'Voided');
	if (mine.length === 0) return { action: 'post', revision };
	// Every judgement below rests on the amounts: none is made on a batch whose amounts are not known.
	const unreadable = findUnreadableBatch(mine, identity);
	if (unreadable) return { action: 'unreadable', ...unreadable };
	const byTag = new Map<string, PostedBatch[]>();
	for (const batch of mine) {
		const tag = readIdempotencyTag(batch.description)!;
		const key = `${tag.content}:${tag.revision}`;
		const same = byTag.get(key);
		if (same) same.push(batch);
		else byTag.set(key, [batch]);
	}
	const duplicated = [...byTag.values()].filter((same) => same.length > 1);
	if (duplicated.length > 0) {
		const named = new Set(duplicated.flat());
		const batchNumbers = mine.filter((batch) => named.has(batch)).map((batch) => batch.batchNumber);
		// The earliest of each tag stays; the later ones are copies, but only when they book the same.
		const alike = duplicated.every(
			(same) => new Set(same.map((batch) => contentHash(sumNets(batch.entries)))).size === 1,
		);
		const copies = alike
			? duplicated
					.flatMap((same) =>
						same
							.map((batch) => batch.batchNumber)
							.sort(compareBatchNumbers)
							.slice(1),
					)
					.sort(compareBatchNumbers)
			: [];
		return { action: 'duplicate', batchNumbers, copies };
	}
	// Compared as Visma.net reads lines back: what it fills in itself (the batch's branch, the
	// non-project code) counts as nothing, on both sides.
	const projects = [...wanted.values()].some(
		(entry) => entry.project !== undefined && entry.project !== rules.nonProjectCode,
	);
	const branches = new Set(mine.map((batch) => batch.branch));
	const sharedBranch = branches.size === 1 ? mine[0].branch : undefined;
	const posted = sumNets(
		mine.flatMap((batch) =>
			batch.entries.map((entry) => asCompared(entry, batch.branch, projects, rules)),
		),
	);
	const wantedCompared = sumNets(
		[...wanted.values()].map((entry) => asCompared(entry, sharedBranch, projects, rules)),
	);
	const difference = sumNets([
		...wantedCompared.values(),
		...[...posted.values()].map((entry) => ({ ...entry, netCents: -entry.netCents })),
	]);
	const batchNumbers = mine.map((batch) => batch.batchNumber);
	if (difference.size === 0) {
		// The latest posting that said "this content": the highest revision among those tagged with it.
		const wantedContent = contentHash(wanted);
		let latest: { batch: PostedBatch; revision: number } | null = null;
		for (const batch of mine) {
			const tag = readIdempotencyTag(batch.description)!;
			if (tag.content === wantedContent && (latest === null || tag.revision > latest.revision))
				latest = { batch, revision: tag.revision };
		}
		return {
			action: 'alreadyPosted',
			batchNumber: (latest?.batch ?? mine[mine.length - 1]).batchNumber,
			batchNumbers,
		};
	}
	const latest = latestPosting(mine);
	const moved = readIdempotencyTag(latest.description)!.content === contentHash(wanted);
	const readBackDiffers = moved ? dimensionMove(difference, wantedCompared, posted) : null;
	return {
		action: 'changed',
		batchNumbers,
		difference,
		revision,
		...(readBackDiffers
			? { readBackDiffers: { batchNumber: latest.batchNumber, ...readBackDiffers } }
			: {}),
	};
}

/** The batch of the highest revision (the part's latest posting). */
function latestPosting(batches: readonly PostedBatch[]): PostedBatch {
	let latest = batches[0];
	for (const batch of batches)
		if (
			readIdempotencyTag(batch.description)!.revision >
			readIdempotencyTag(latest.description)!.revision
		)
			latest = batch;
	return latest;
}

/**
 * When a difference only moves amounts between the projects or branches of accounts (per account
 * and subaccount it sums to zero): the first such account, with its dimensions as wanted (sent)
 * and as Visma.net holds them. Null when the difference changes any account's amount.
 */
function dimensionMove(
	difference: ReadonlyMap<string, NetEntry>,
	wanted: ReadonlyMap<string, NetEntry>,
	posted: ReadonlyMap<string, NetEntry>,
): Omit<ReadBackDifference, 'batchNumber'> | null {
	const perAccount = sumNets(
		[...difference.values()].map((entry) => ({
			account: entry.account,
			subaccount: entry.subaccount,
			netCents: entry.netCents,
		})),
	);
	if (perAccount.size > 0) return null;
	const [first] = [...difference.values()].sort((a, b) => a.account.localeCompare(b.account));
	const dimensionsOf = (entries: ReadonlyMap<string, NetEntry>): LineDimensions => {
		const found = [...entries.entries()].find(
			([key, entry]) => entry.account === first.account && difference.has(key),
		)?.[1];
		return found
			? { project: found.project, projectTask: found.projectTask, branch: found.branch }
			: {};
	};
	return { account: first.account, sent: dimensionsOf(wanted), readBack: dimensionsOf(posted) };
}

/** A batch saved On Hold: not in the ledger, so it can still stand down. */
export function isHeld(batch: PostedBatch): boolean {
	return batch.status === 'Hold';
}

/** A held batch of a part that lost a race: `copy` never gets off hold; `standing` holds the part's posting. */
export interface StandDown {
	readonly copy: PostedBatch;
	readonly standing: PostedBatch;
}

export interface RaceSettlement {
	/** Per revision of the part, the batch that stands: the lowest batch number among its live batches of that revision. */
	readonly standing: ReadonlyMap<number, PostedBatch>;
	/** Held batches of the part beaten by a lower batch of the same revision: to be marked, and never taken off hold. */
	readonly standDown: readonly StandDown[];
	/** The batches without the copies that stand down: what `decidePosting` decides on. */
	readonly counted: readonly PostedBatch[];
}

/**
 * Racing executions with Visma.net's number series (journal-contract §5; the argument in
 * docs/race-proof-posting.md). Every posting of a part is saved On Hold first; afterwards the
 * period is read again, and among the part's live (not voided) batches of one revision the one
 * with the lowest batch number stands. A held batch beaten by a lower one of its revision is a
 * copy: it stands down (stays on hold, marked) and is left out of what counts.
 *
 * Safe because every execution reaches the same verdict: batch numbers come from one series
 * whose next number is taken inside the saving transaction (assumption A1), and the list shows
 * every batch saved before the reading began (A2). So when an execution sees its own batch, it
 * sees every lower-numbered batch too, and the lowest batch of a revision is the same for every
 * reader that sees it: no reader takes a copy off hold, and no reader stands the lowest one down.
 * A batch that is not on hold never stands down (it may already be booked): a live copy is a
 * duplicate `decidePosting` names.
 */
export function settleRace(batches: readonly PostedBatch[], identity: string): RaceSettlement {
	const standing = new Map<number, PostedBatch>();
	for (const batch of findPartBatches(batches, identity)) {
		if (batch.status === 'Voided') continue;
		const revision = readIdempotencyTag(batch.description)!.revision;
		const current = standing.get(revision);
		if (!current || compareBatchNumbers(batch.batchNumber, current.batchNumber) < 0)
			standing.set(revision, batch);
	}
	const standDown: StandDown[] = [];
	for (const batch of findPartBatches(batches, identity)) {
		if (batch.status === 'Voided' || !isHeld(batch)) continue;
		const first = standing.get(readIdempotencyTag(batch.description)!.revision)!;
		if (first !== batch) standDown.push({ copy: batch, standing: first });
	}
	const copies = new Set(standDown.map((entry) => entry.copy));
	return { standing, standDown, counted: batches.filter((batch) => !copies.has(batch)) };
}

/**
 * After a POST whose outcome is unknown: the batch Visma.net booked for it, if any. Only a
 * batch with exactly the tag that was sent (part, content and revision) that was not yet there
 * when the poster read the period counts, so an earlier batch is never reported as the new one.
 */
export function findSentBatch(
	batches: readonly PostedBatch[],
	sentDescription: string,
	readBefore: ReadonlySet<string>,
): string | null {
	const sent = readIdempotencyTag(sentDescription);
	if (!sent) return null;
	const found = batches.filter(
		(batch) =>
			!readBefore.has(batch.batchNumber) &&
			batch.status !== 'Voided' &&
			sameTag(readIdempotencyTag(batch.description), sent),
	);
	return found.length > 0 ? found[found.length - 1].batchNumber : null;
}

/** Crockford's base 32: digits and capitals without I, L, O and U, so a number reads back unambiguously. */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Visma.net's limit on a batch number: every derived number is exactly this long. */
export const DERIVED_BATCH_NUMBER_LENGTH = 15;
/** The highest revision of the `P` layout: two base-36 digits. */
const SHORT_REVISION_MAX = 36 ** 2 - 1;

function toBase32(value: bigint, digits: number): string {
	let text = '';
	for (let i = 0; i < digits; i++) {
		text = BASE32[Number(value & 31n)] + text;
		value >>= 5n;
	}
	return text;
}

/**
 * The batch number of a part's posting with derived batch numbers (`overrideNumberSeries`): a
 * function of the part's identity and the posting's revision only, so that every execution
 * posting the same part and revision asks Visma.net for the same number, and Visma.net's own
 * uniqueness of batch numbers refuses the second one. Always 15 characters of [0-9A-Z]:
 *
 * - revision 0…1295: `P` + 12 base-32 digits (the first 60 bits of the 64-bit identity hash) +
 *   the revision in 2 base-36 digits;
 * - revision 1296…MAX_REVISION (999,999,999 < 36^6): `R` + 8 base-32 digits (the first 40 bits)
 *   + the revision in 6 base-36 digits.
 *
 * The first letter names the layout and every field has a fixed width, so two (identity,
 * revision) pairs get one number only when their identities agree on those 60 (or 40) bits.
 * Such a collision never posts twice or reports another part's batch: the node reads the batch
 * behind a refused number and only a batch carrying this part's tag counts.
 */
export function derivedBatchNumber(identity: string, revision: number): string {
	if (!/^[0-9a-f]{16}$/.test(identity))
		throw new RangeError(`identity ${JSON.stringify(identity)} is not 16 hex digits`);
	if (!Number.isSafeInteger(revision) || revision < 0 || revision > MAX_REVISION)
		throw new RangeError(`revision ${revision} is not between 0 and ${MAX_REVISION}`);
	const bits = BigInt(`0x${identity}`);
	if (revision <= SHORT_REVISION_MAX)
		return `P${toBase32(bits >> 4n, 12)}${revision.toString(36).toUpperCase().padStart(2, '0')}`;
	return `R${toBase32(bits >> 24n, 8)}${revision.toString(36).toUpperCase().padStart(6, '0')}`;
}

/** A live batch that carries exactly the tag of `sentDescription` (part, content and revision): that posting itself. */
export function carriesSentTag(batch: PostedBatch, sentDescription: string): boolean {
	return (
		batch.status !== 'Voided' &&
		sameTag(readIdempotencyTag(batch.description), readIdempotencyTag(sentDescription))
	);
}
