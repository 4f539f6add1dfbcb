import { timeGrowth } from '../../helpers/timeGrowth';

/** Work proportional to `size` (linear) or to its square (quadratic), in plain loops. */
function spin(steps: number): number {
	let total = 0;
	for (let step = 0; step < steps; step++) total = (total + step * 7) % 1_000_003;
	return total;
}

describe('timeGrowth (the linear-time checks’ measure)', () => {
	it('calls linear work linear and quadratic work not', () => {
		expect(timeGrowth((size) => spin(size * 2000), 10_000, 40_000).linear).toBe(true);
		expect(timeGrowth((size) => spin(size * size), 5_000, 20_000).linear).toBe(false);
	});
});
