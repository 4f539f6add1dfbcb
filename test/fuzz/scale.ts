/**
 * How many inputs the fuzzers generate: CI runs the default (FUZZ_SCALE unset = 1, a few
 * seconds per property); `FUZZ_SCALE=50 npx jest test/fuzz` runs fifty times as many for a full run.
 */
export const FUZZ_SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1) || 1);

/** `runs` generated inputs at the default scale, times FUZZ_SCALE. */
export function scaled(runs: number): number {
	return Math.round(runs * FUZZ_SCALE);
}
