/**
 * How a run's time grows with its input, for linear-time checks that hold on a busy machine: the
 * best of a few runs at a small and a large size, compared with each other rather than with a clock
 * limit. `linear` when the large size takes at most twice its share of the small one's time (plus
 * 50 ms of slack for a timer's and a collector's noise): a quadratic run takes its share squared.
 */
export function timeGrowth(
	run: (size: number) => unknown,
	small: number,
	large: number,
	tries = 3,
): { smallMs: number; largeMs: number; linear: boolean } {
	const best = (size: number): number => {
		let fastest = Number.POSITIVE_INFINITY;
		for (let attempt = 0; attempt < tries; attempt++) {
			const started = performance.now();
			run(size);
			fastest = Math.min(fastest, performance.now() - started);
		}
		return fastest;
	};
	const smallMs = best(small);
	const largeMs = best(large);
	return { smallMs, largeMs, linear: largeMs <= 2 * (large / small) * smallMs + 50 };
}
