/**
 * Map Dimensions (journal-contract §4, seed behaviour 2): gives every journal line the subaccount
 * Visma.net expects, one value for **every** segment of its SUBACCOUNT key, in segmentId order.
 *
 * The payroll's cost centre and cost unit each go to the SUBACCOUNT segment whose description is
 * the configured one (trimmed, case-insensitive; "the same description as in Visma.net"), each
 * switched on on its own. Every other segment, and a dimension a line has no value for, gets the
 * segment's default: `segmentDefaults[segmentId]`, else the segment's length in zeros (`000`).
 *
 * How a line's value becomes a segment value:
 * 1. The lookup key is the line's code; with `matchValuesBy: 'description'` it is the line's
 *    description, and a line without description falls back to its code (Nmbrs sends bare codes
 *    in its XML, so description matching alone would drop them).
 * 2. The explicit Mappings table is tried first and overrides matching; its target must still be
 *    a value of the segment when the segment validates.
 * 3. Otherwise the key is matched to the segment's values: codes to value ids, descriptions to
 *    value descriptions. Matching trims, folds runs of whitespace and ignores case (Visma.net's
 *    values are usually upper case, payroll exports are not); the output is Visma.net's own
 *    spelling. Among values with one description, only the active ones count; two active ones
 *    are ambiguous and need a Mapping.
 * 4. A value the segment does not know: an error when the segment validates (when it does not,
 *    the line's code is sent as written, if it fits the segment's length). An inactive value is
 *    an error either way. When a default is configured for the segment, such values take the
 *    default instead (contract: "unmapped values are errors unless a default is configured").
 *    Never absorbed, because they are not "unmapped" but wrong: a value longer than the segment
 *    (a data error in the export), and a Mapping whose target Visma.net does not accept.
 *
 * With `accountKinds`, balance-sheet lines carry no cost centre or unit (Swedish BAS/PNL; Dutch
 * practice books kostenplaatsen on P&L only): their dimension segments get the defaults.
 *
 * Problems are listed per value, not per line: one unknown cost centre on 200,000 lines is one
 * issue naming its lines. The work per line is a few map lookups: every distinct value is
 * resolved once and cached, so half a million lines map well under a second.
 */
import {
	appendIssues,
	capIssues,
	createIssue,
	describeLineNumbers,
	type Issue,
	type IssueCode,
} from './issues';
import type { DimensionValue, Journal, JournalLine } from './journal';

export interface SubaccountSegmentValue {
	value: string;
	description?: string;
	/** Absent means active. */
	active?: boolean;
}

/** One segment of Visma.net's SUBACCOUNT key, read with its values (`/v1/dimension/SUBACCOUNT`). */
export interface SubaccountSegment {
	segmentId: number;
	description: string;
	length: number;
	/** Visma.net accepts only the listed values when true. */
	validate?: boolean;
	values: SubaccountSegmentValue[];
}

export type AccountKind = 'balanceSheet' | 'profitAndLoss';

export interface DimensionMappingOptions {
	/** Default true. */
	useCostCenters: boolean;
	/** The segment's description in Visma.net; default 'Kostenplaats'. */
	costCenterDimension: string;
	/** Default false. */
	useCostUnits: boolean;
	/** Default 'Kostendrager'. */
	costUnitDimension: string;
	matchValuesBy: 'code' | 'description';
	/** Explicit table: overrides matching. from = the payroll code (or description when matchValuesBy is description). */
	mappings?: ReadonlyArray<{ dimension: 'costCenter' | 'costUnit'; from: string; to: string }>;
	/** Values for segments that get no value from the journal, by segmentId; default: the segment's length in zeros. */
	segmentDefaults?: Readonly<Record<number, string>>;
	/** When set, only profit-and-loss accounts carry cost centre/unit; balance-sheet accounts get the defaults. */
	accountKinds?: ReadonlyMap<string, AccountKind>;
}

/**
 * The contract's defaults (journal-contract §7). The nodes' descriptions read them from here, one
 * name each (n8n's scanner only accepts a plain literal or name as a parameter's default).
 */
export const DEFAULT_USE_COST_CENTERS = true;
export const DEFAULT_COST_CENTER_DIMENSION = 'Kostenplaats';
export const DEFAULT_USE_COST_UNITS = false;
export const DEFAULT_COST_UNIT_DIMENSION = 'Kostendrager';
export const DEFAULT_MATCH_VALUES_BY: DimensionMappingOptions['matchValuesBy'] = 'code';

export const DEFAULT_DIMENSION_OPTIONS: DimensionMappingOptions = Object.freeze({
	useCostCenters: DEFAULT_USE_COST_CENTERS,
	costCenterDimension: DEFAULT_COST_CENTER_DIMENSION,
	useCostUnits: DEFAULT_USE_COST_UNITS,
	costUnitDimension: DEFAULT_COST_UNIT_DIMENSION,
	matchValuesBy: DEFAULT_MATCH_VALUES_BY,
});

export interface SegmentAssignment {
	segmentId: number;
	segmentValue: string;
}

export interface MapDimensionsResult {
	/** Per journal line, same order; [] when there are issues. */
	subaccounts: SegmentAssignment[][];
	issues: Issue[];
}

type DimensionName = 'costCenter' | 'costUnit';

/** Why a value cannot be sent. The first three are "unmapped" and a configured default absorbs them. */
type ProblemKind =
	| 'unknown'
	| 'inactive'
	| 'ambiguous'
	| 'tooLong'
	| 'mappedUnknown'
	| 'mappedInactive'
	| 'mappedTooLong';

const ABSORBED_BY_DEFAULT: ReadonlySet<ProblemKind> = new Set(['unknown', 'inactive', 'ambiguous']);

/** Lines listed by number in a message; the rest are counted. */
const LISTED_LINES = 10;

/** The lines an issue is about: the first few by number, all of them counted. */
interface LineTally {
	readonly lineNumbers: number[];
	count: number;
	/** 0-based index of the first line; set by `tally`. */
	firstIndex: number;
}

interface ValueProblem extends LineTally {
	readonly kind: ProblemKind;
	readonly dimension: DimensionSetup;
	readonly byDescription: boolean;
	readonly shown: DimensionValue;
	/** The Mapping's target, or the value that is inactive or too long. */
	readonly value?: string;
	/** For ambiguous descriptions: the values that share it. */
	readonly candidates?: readonly string[];
}

interface DefaultProblem extends LineTally {
	readonly kind: 'unknown' | 'inactive' | 'tooLong';
	readonly segment: SubaccountSegment;
	readonly value: string;
	readonly configured: boolean;
	readonly code: IssueCode;
}

/** What a line's value resolves to: Visma.net's value, the segment's default, or a problem. */
type Resolution = string | typeof USE_DEFAULT | ValueProblem;
const USE_DEFAULT = Symbol('useDefault');

interface DimensionSetup {
	readonly name: DimensionName;
	readonly label: string;
	readonly code: IssueCode;
	readonly segment: SubaccountSegment;
	readonly slot: number;
	readonly hasConfiguredDefault: boolean;
	readonly byValue: ReadonlyMap<string, SubaccountSegmentValue>;
	readonly byDescription: ReadonlyMap<string, readonly SubaccountSegmentValue[]>;
	/** Normalised `from` → `to`. */
	readonly mappings: ReadonlyMap<string, string>;
	/** Resolutions by the line's raw code or description, so each distinct value is resolved once per call. */
	readonly resolvedByCode: Map<string, Resolution>;
	readonly resolvedByDescription: Map<string, Resolution>;
	/** Problems by normalised lookup key: one issue per value however many lines use it. */
	readonly problems: Map<string, ValueProblem>;
}

const DIMENSIONS: ReadonlyArray<{
	name: DimensionName;
	label: string;
	code: IssueCode;
	use: 'useCostCenters' | 'useCostUnits';
	description: 'costCenterDimension' | 'costUnitDimension';
	parameter: string;
	switch: string;
}> = [
	{
		name: 'costCenter',
		label: 'Cost centre',
		code: 'UNMAPPED_COST_CENTER',
		use: 'useCostCenters',
		description: 'costCenterDimension',
		parameter: 'Cost Centre Dimension',
		switch: 'Use Cost Centres',
	},
	{
		name: 'costUnit',
		label: 'Cost unit',
		code: 'UNMAPPED_COST_UNIT',
		use: 'useCostUnits',
		description: 'costUnitDimension',
		parameter: 'Cost Unit Dimension',
		switch: 'Use Cost Units',
	},
];

/**
 * Whether the configured dimensions can be found in Visma.net's SUBACCOUNT segments, without a
 * journal (the read-only node's Check Setup): the same rule Map Dimensions applies first.
 */
export function checkDimensionSetup(
	segments: readonly SubaccountSegment[],
	options: DimensionMappingOptions,
	reference = '',
): Issue[] {
	const issues: Issue[] = [];
	setUpDimensions(
		reference,
		[...segments].sort((a, b) => a.segmentId - b.segmentId),
		options,
		issues,
	);
	return issues;
}

/**
 * Gives every line of the journal its subaccount, or lists every dimension problem: segments not
 * found, Mappings that contradict each other, values Visma.net would refuse.
 */
export function mapLineDimensions(
	journal: Journal,
	segments: readonly SubaccountSegment[],
	options: DimensionMappingOptions,
): MapDimensionsResult {
	const issues: Issue[] = [];
	const ordered = [...segments].sort((a, b) => a.segmentId - b.segmentId);
	const dimensions = setUpDimensions(journal.reference, ordered, options, issues);
	const defaults = ordered.map((segment) => defaultValue(segment, options.segmentDefaults));
	const defaultProblems = ordered.map((segment, slot) =>
		checkDefault(
			segment,
			defaults[slot],
			hasConfiguredDefault(segment, options.segmentDefaults),
			dimensions,
		),
	);
	const dimensionAtSlot: Array<DimensionSetup | undefined> = ordered.map((_, slot) =>
		dimensions.find((dimension) => dimension.slot === slot),
	);

	const plan: LinePlan = {
		ordered,
		defaults,
		defaultProblems,
		dimensionAtSlot,
		accountKinds: options.accountKinds,
		byDescription: options.matchValuesBy === 'description',
	};
	const subaccounts = mapLines(journal.lines, plan, issues.length > 0);

	const lineIssues = [
		...dimensions.flatMap((dimension) =>
			[...dimension.problems.values()].map((problem) => ({
				problem,
				issue: valueIssue(journal, problem),
			})),
		),
		...defaultProblems
			.filter((problem): problem is DefaultProblem => problem !== null && problem.count > 0)
			.map((problem) => ({ problem, issue: defaultIssue(journal, problem) })),
	];
	// In line order, as a bookkeeper reads the journal.
	lineIssues.sort((a, b) => a.problem.firstIndex - b.problem.firstIndex);
	appendIssues(
		issues,
		lineIssues.map(({ issue }) => issue),
	);
	return {
		subaccounts: issues.length > 0 ? [] : subaccounts,
		issues: capIssues(issues, journal.reference),
	};
}

/** Everything the per-line loop needs, worked out once per call. */
interface LinePlan {
	readonly ordered: readonly SubaccountSegment[];
	readonly defaults: readonly string[];
	readonly defaultProblems: ReadonlyArray<DefaultProblem | null>;
	readonly dimensionAtSlot: ReadonlyArray<DimensionSetup | undefined>;
	readonly accountKinds?: ReadonlyMap<string, AccountKind>;
	readonly byDescription: boolean;
}

/**
 * The subaccount of every line, tallying each problem's lines on the way. Once a problem is found
 * the subaccounts will be dropped, so they are no longer built; the lines are still all checked.
 */
function mapLines(
	lines: readonly JournalLine[],
	plan: LinePlan,
	failedBefore: boolean,
): SegmentAssignment[][] {
	const { ordered, defaults, defaultProblems, dimensionAtSlot, accountKinds, byDescription } = plan;
	const subaccounts: SegmentAssignment[][] = [];
	let failed = failedBefore;
	for (const line of lines) {
		// Balance-sheet lines carry no cost centre or unit: their segments take the defaults.
		const withDimensions = accountKinds?.get(line.account) !== 'balanceSheet';
		// Sized up front: a row grown by push reserves room for 17 entries, on every line.
		const row = new Array<SegmentAssignment>(ordered.length);
		for (let slot = 0; slot < ordered.length; slot++) {
			const dimension = dimensionAtSlot[slot];
			const resolution =
				dimension && withDimensions ? resolveLine(dimension, line, byDescription) : USE_DEFAULT;
			let value: string;
			if (typeof resolution === 'string') value = resolution;
			else if (resolution === USE_DEFAULT) {
				value = defaults[slot];
				const problem = defaultProblems[slot];
				if (problem) {
					tally(problem, line.index);
					failed = true;
				}
			} else {
				tally(resolution, line.index);
				failed = true;
				continue;
			}
			if (!failed) row[slot] = { segmentId: ordered[slot].segmentId, segmentValue: value };
		}
		if (!failed) subaccounts.push(row);
	}
	return subaccounts;
}

// ---------------------------------------------------------------------------------------------
// Set-up: segments, lookup maps, Mappings (once per call)

function setUpDimensions(
	reference: string,
	ordered: readonly SubaccountSegment[],
	options: DimensionMappingOptions,
	issues: Issue[],
): DimensionSetup[] {
	const setups: DimensionSetup[] = [];
	for (const spec of DIMENSIONS) {
		if (!options[spec.use]) continue;
		const searched = String(options[spec.description] ?? '');
		const found = findSegment(ordered, searched);
		if (found.slot === undefined) {
			issues.push(segmentNotFoundIssue(reference, spec, searched, ordered, found.matches));
			continue;
		}
		const taken = setups.find((setup) => setup.slot === found.slot);
		if (taken) {
			issues.push(
				createIssue(
					'SEGMENT_NOT_FOUND',
					{ reference, field: spec.description, path: spec.description },
					`${spec.parameter} "${searched.trim()}" names the same Visma.net segment ${describeSegment(taken.segment)} as the ${taken.label.toLowerCase()}s; one segment cannot hold both.`,
					`Set ${spec.parameter} to another segment${segmentList(ordered)}, or switch off ${spec.switch}.`,
				),
			);
			continue;
		}
		const segment = ordered[found.slot];
		setups.push({
			name: spec.name,
			label: spec.label,
			code: spec.code,
			segment,
			slot: found.slot,
			hasConfiguredDefault: hasConfiguredDefault(segment, options.segmentDefaults),
			...indexValues(segment),
			mappings: indexMappings(
				reference,
				spec.name,
				spec.code,
				spec.label,
				options.mappings,
				issues,
			),
			resolvedByCode: new Map(),
			resolvedByDescription: new Map(),
			problems: new Map(),
		});
	}
	return setups;
}

/** The segment with this description; `matches` counts them when there is not exactly one. */
function findSegment(
	ordered: readonly SubaccountSegment[],
	description: string,
): { slot?: number; matches: number } {
	const wanted = normalize(description);
	const slots: number[] = [];
	if (wanted !== '')
		ordered.forEach(
			(segment, slot) => normalize(segment.description) === wanted && slots.push(slot),
		);
	return slots.length === 1 ? { slot: slots[0], matches: 1 } : { matches: slots.length };
}

function segmentNotFoundIssue(
	reference: string,
	spec: (typeof DIMENSIONS)[number],
	searched: string,
	ordered: readonly SubaccountSegment[],
	matches: number,
): Issue {
	const location = { reference, field: spec.description, path: spec.description };
	if (ordered.length === 0) {
		return createIssue(
			'SEGMENT_NOT_FOUND',
			location,
			`Visma.net's SUBACCOUNT has no segments, so it has none described "${searched.trim()}".`,
			`Add the segment in Visma.net (Segment keys, SUBACCOUNT), or switch off ${spec.switch}.`,
		);
	}
	const what =
		searched.trim() === ''
			? `${spec.parameter} is empty, so no Visma.net segment can be found for the ${spec.label.toLowerCase()}s.`
			: matches > 1
				? `Visma.net's SUBACCOUNT has ${matches} segments described "${searched.trim()}"; the ${spec.label.toLowerCase()}s need exactly one.`
				: `Visma.net's SUBACCOUNT has no segment described "${searched.trim()}".`;
	const todo =
		matches > 1
			? 'Give the segments different descriptions in Visma.net (Segment keys, SUBACCOUNT).'
			: '';
	return createIssue(
		'SEGMENT_NOT_FOUND',
		location,
		`${what} Its segments are: ${ordered.map(describeSegment).join(', ')}.`,
		`${todo}${todo ? ' ' : ''}Set ${spec.parameter} to one of these, as written in Visma.net.`,
	);
}

function indexValues(
	segment: SubaccountSegment,
): Pick<DimensionSetup, 'byValue' | 'byDescription'> {
	const byValue = new Map<string, SubaccountSegmentValue>();
	const byDescription = new Map<string, SubaccountSegmentValue[]>();
	for (const entry of segment.values ?? []) {
		if (typeof entry?.value !== 'string') continue;
		const key = normalize(entry.value);
		const existing = byValue.get(key);
		// Values differing only in case are one value to us; prefer the active spelling.
		if (!existing || (!isActive(existing) && isActive(entry))) byValue.set(key, entry);
		if (entry.description) {
			const descriptionKey = normalize(entry.description);
			const list = byDescription.get(descriptionKey);
			if (list) list.push(entry);
			else byDescription.set(descriptionKey, [entry]);
		}
	}
	return { byValue, byDescription };
}

/** This dimension's Mappings by normalised `from`. Contradicting entries are reported, not guessed. */
function indexMappings(
	reference: string,
	name: DimensionName,
	code: IssueCode,
	label: string,
	mappings: DimensionMappingOptions['mappings'],
	issues: Issue[],
): Map<string, string> {
	const table = new Map<string, { to: string; entry: number }>();
	(mappings ?? []).forEach((mapping, entry) => {
		if (mapping?.dimension !== name) return;
		const from = normalize(String(mapping.from ?? ''));
		// A row left empty in the node's table maps nothing.
		if (from === '') return;
		const to = String(mapping.to ?? '').trim();
		const earlier = table.get(from);
		if (!earlier) table.set(from, { to, entry });
		else if (normalize(earlier.to) !== normalize(to)) {
			issues.push(
				createIssue(
					code,
					{ reference, field: 'mappings', path: `mappings[${entry}]` },
					`this node's Mappings map ${label.toLowerCase()} "${String(mapping.from).trim()}" twice: to "${earlier.to}" (row ${earlier.entry + 1}) and to "${to}" (row ${entry + 1}).`,
					'Keep one of the two rows.',
				),
			);
		}
	});
	return new Map([...table].map(([from, { to }]) => [from, to]));
}

// ---------------------------------------------------------------------------------------------
// Defaults

function hasConfiguredDefault(
	segment: SubaccountSegment,
	segmentDefaults: DimensionMappingOptions['segmentDefaults'],
): boolean {
	const configured = segmentDefaults?.[segment.segmentId];
	// An empty field in the node means "not configured".
	return typeof configured === 'string' && configured.trim() !== '';
}

function defaultValue(
	segment: SubaccountSegment,
	segmentDefaults: DimensionMappingOptions['segmentDefaults'],
): string {
	if (hasConfiguredDefault(segment, segmentDefaults))
		return segmentDefaults![segment.segmentId].trim();
	return '0'.repeat(Math.max(0, segment.length));
}

/** Whether Visma.net accepts the segment's default; checked once, reported only when a line uses it. */
function checkDefault(
	segment: SubaccountSegment,
	value: string,
	configured: boolean,
	dimensions: readonly DimensionSetup[],
): DefaultProblem | null {
	let kind: DefaultProblem['kind'] | null = null;
	const listed = (segment.values ?? []).find(
		(entry) => normalize(entry.value ?? '') === normalize(value),
	);
	if (value.length > segment.length) kind = 'tooLong';
	else if (listed && !isActive(listed)) kind = 'inactive';
	else if (!listed && segment.validate) kind = 'unknown';
	if (kind === null) return null;
	const dimension = dimensions.find((setup) => setup.segment === segment);
	return {
		kind,
		segment,
		value,
		configured,
		code: dimension?.code ?? 'SEGMENT_NOT_FOUND',
		lineNumbers: [],
		count: 0,
		firstIndex: Number.MAX_SAFE_INTEGER,
	};
}

// ---------------------------------------------------------------------------------------------
// Per line: one cached lookup per dimension

function resolveLine(
	dimension: DimensionSetup,
	line: JournalLine,
	byDescription: boolean,
): Resolution {
	const value = line[dimension.name];
	if (value === undefined) return USE_DEFAULT;
	const useDescription =
		byDescription && value.description !== undefined && value.description.trim() !== '';
	const raw = useDescription ? value.description! : value.code;
	// Codes and descriptions are cached apart ("100" the code is not "100" the description), and
	// keyed by the raw text itself: building a key string per line would cost more than the lookup.
	const cache = useDescription ? dimension.resolvedByDescription : dimension.resolvedByCode;
	let resolution = cache.get(raw);
	if (resolution === undefined) {
		resolution = resolveValue(dimension, value, raw, useDescription);
		cache.set(raw, resolution);
	}
	return resolution;
}

function resolveValue(
	dimension: DimensionSetup,
	shown: DimensionValue,
	raw: string,
	useDescription: boolean,
): Resolution {
	const key = normalize(raw);
	const problem = (
		kind: ProblemKind,
		details: { value?: string; candidates?: string[] } = {},
	): Resolution => {
		if (ABSORBED_BY_DEFAULT.has(kind) && dimension.hasConfiguredDefault) return USE_DEFAULT;
		return recordProblem(dimension, `${useDescription ? 'd' : 'c'}${key}`, {
			kind,
			shown,
			byDescription: useDescription,
			...details,
		});
	};

	const target = dimension.mappings.get(key);
	if (target !== undefined) return resolveTarget(dimension, target, problem);

	if (useDescription) {
		const candidates = dimension.byDescription.get(key) ?? [];
		const active = candidates.filter(isActive);
		if (active.length === 1) return active[0].value;
		if (active.length > 1)
			return problem('ambiguous', { candidates: active.map((entry) => entry.value) });
		if (candidates.length > 0) return problem('inactive', { value: candidates[0].value });
	} else {
		const listed = dimension.byValue.get(key);
		if (listed)
			return isActive(listed) ? listed.value : problem('inactive', { value: listed.value });
	}
	// Not a listed value: only a segment that does not validate takes it, as the payroll wrote it.
	const free = shown.code.trim();
	if (free.length > dimension.segment.length) return problem('tooLong', { value: free });
	if (dimension.segment.validate) return problem('unknown');
	return free;
}

function resolveTarget(
	dimension: DimensionSetup,
	target: string,
	problem: (kind: ProblemKind, details?: { value?: string }) => Resolution,
): Resolution {
	const listed = dimension.byValue.get(normalize(target));
	if (listed)
		return isActive(listed) ? listed.value : problem('mappedInactive', { value: listed.value });
	if (target === '' || dimension.segment.validate)
		return problem('mappedUnknown', { value: target });
	if (target.length > dimension.segment.length) return problem('mappedTooLong', { value: target });
	return target;
}

function recordProblem(
	dimension: DimensionSetup,
	key: string,
	details: Pick<ValueProblem, 'kind' | 'shown' | 'byDescription' | 'value' | 'candidates'>,
): ValueProblem {
	let record = dimension.problems.get(key);
	if (!record) {
		record = {
			...details,
			dimension,
			lineNumbers: [],
			count: 0,
			firstIndex: Number.MAX_SAFE_INTEGER,
		};
		dimension.problems.set(key, record);
	}
	return record;
}

function tally(record: LineTally, lineIndex: number): void {
	if (record.count < LISTED_LINES) record.lineNumbers.push(lineIndex + 1);
	if (record.count === 0) record.firstIndex = lineIndex;
	record.count++;
}

// ---------------------------------------------------------------------------------------------
// Messages

function valueIssue(journal: Journal, problem: ValueProblem): Issue {
	const { dimension } = problem;
	const segmentName = dimension.segment.description.trim();
	const subject = `${dimension.label} ${describeValue(problem.shown)}`;
	const used = `it is used on ${describeTally(problem, journal.lines.length)}`;
	const addIt = `Add it in Visma.net (Segment values, ${segmentName}) or map it in this node's Mappings.`;
	const length = dimension.segment.length;
	const target = `"${problem.value ?? ''}"`;
	const [what, todo] = ((): [string, string] => {
		switch (problem.kind) {
			case 'unknown':
				return problem.byDescription
					? [
							`${subject} matches no value described "${problem.shown.description?.trim()}" in the Visma.net segment "${segmentName}"; ${used}.`,
							`Give the value that description in Visma.net (Segment values, ${segmentName}) or map it in this node's Mappings.`,
						]
					: [
							`${subject} is not a value of the Visma.net segment "${segmentName}"; ${used}.`,
							addIt,
						];
			case 'inactive':
				return [
					`${subject} is inactive in the Visma.net segment "${segmentName}"${problem.byDescription ? ` (value ${target})` : ''}; ${used}.`,
					`Activate it in Visma.net (Segment values, ${segmentName}) or map it to an active value in this node's Mappings.`,
				];
			case 'ambiguous':
				return [
					`${subject} matches ${problem.candidates?.length} values described "${problem.shown.description?.trim()}" in the Visma.net segment "${segmentName}" (${problem.candidates?.join(', ')}); ${used}.`,
					`Give them different descriptions in Visma.net or map it in this node's Mappings.`,
				];
			case 'tooLong':
				return [
					`${subject} has ${problem.value?.length} characters, but the Visma.net segment "${segmentName}" holds ${length}; ${used}.`,
					`Check the ${dimension.label.toLowerCase()}s in the payroll export, or map it to a value of at most ${length} characters in this node's Mappings.`,
				];
			case 'mappedUnknown':
				return [
					`${subject} is mapped to ${problem.value ? target : 'an empty value'} in this node's Mappings, which is not a value of the Visma.net segment "${segmentName}"; ${used}.`,
					`Correct the mapping, or add the value in Visma.net (Segment values, ${segmentName}).`,
				];
			case 'mappedInactive':
				return [
					`${subject} is mapped to ${target} in this node's Mappings, which is inactive in the Visma.net segment "${segmentName}"; ${used}.`,
					`Map it to an active value, or activate ${target} in Visma.net (Segment values, ${segmentName}).`,
				];
			case 'mappedTooLong':
				return [
					`${subject} is mapped to ${target} in this node's Mappings, which has ${problem.value?.length} characters, but the Visma.net segment "${segmentName}" holds ${length}; ${used}.`,
					`Correct the mapping to a value of at most ${length} characters.`,
				];
		}
	})();
	const issue = createIssue(
		dimension.code,
		{
			reference: journal.reference,
			field: dimension.name,
			path: `lines[${problem.firstIndex}].${dimension.name}`,
		},
		what,
		todo,
		problem.byDescription ? problem.shown.description : problem.shown.code,
	);
	return { ...issue, line: problem.firstIndex + 1 };
}

function defaultIssue(journal: Journal, problem: DefaultProblem): Issue {
	const { segment } = problem;
	const segmentName = segment.description.trim();
	const value = `"${problem.value}"`;
	const lead = `the Visma.net segment ${describeSegment(segment)} gets its default ${value} on ${describeTally(problem, journal.lines.length)}`;
	const setOther = `set another default for segment ${segment.segmentId} in this node's Segment Defaults`;
	const [what, todo] = ((): [string, string] => {
		switch (problem.kind) {
			case 'tooLong':
				return [
					`${lead}, but ${value} has ${problem.value.length} characters and the segment holds ${segment.length}.`,
					`Set a default of at most ${segment.length} characters for segment ${segment.segmentId} in this node's Segment Defaults.`,
				];
			case 'inactive':
				return [
					`${lead}, but ${value} is inactive in Visma.net.`,
					`Activate it in Visma.net (Segment values, ${segmentName}) or ${setOther}.`,
				];
			case 'unknown':
				return [
					`${lead}, but ${value} is not a value of that segment.`,
					`Add ${value} in Visma.net (Segment values, ${segmentName}) or ${setOther}.`,
				];
		}
	})();
	const issue = createIssue(
		problem.code,
		{
			reference: journal.reference,
			field: 'subaccount',
			path: `lines[${problem.firstIndex}].subaccount`,
		},
		what,
		todo,
		problem.value,
	);
	return { ...issue, line: problem.firstIndex + 1 };
}

/** `"999" (Onbekend)`: the code as the payroll has it, with its description when known. */
function describeValue(value: DimensionValue): string {
	const description = value.description?.trim();
	return `"${value.code.trim()}"${description ? ` (${description})` : ''}`;
}

/** `1 "Afdeling" (3 characters)` */
function describeSegment(segment: SubaccountSegment): string {
	return `${segment.segmentId} "${String(segment.description ?? '').trim()}" (${segment.length} characters)`;
}

function segmentList(ordered: readonly SubaccountSegment[]): string {
	return ordered.length > 1 ? ` (${ordered.map(describeSegment).join(', ')})` : '';
}

/** "line 3", "lines 3, 7 and 12", "lines 1, 2, …, 10 and 199,990 more", "all 13 lines". */
function describeTally(tally: LineTally, totalLines: number): string {
	return describeLineNumbers(tally.lineNumbers, tally.count, { totalLines, groupDigits: true });
}

// ---------------------------------------------------------------------------------------------
// Comparison

/** Trimmed, whitespace folded, case ignored: how codes and descriptions are compared. */
function normalize(text: string): string {
	return String(text).trim().replace(/\s+/g, ' ').toLowerCase();
}

function isActive(value: SubaccountSegmentValue): boolean {
	return value.active !== false;
}
