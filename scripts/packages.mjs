/** The npm packages of this repository (scripts/packages.json), as folders relative to its root. */
import { readFileSync } from 'node:fs';

export const { PACKAGE_DIRS } = JSON.parse(
	readFileSync(new URL('./packages.json', import.meta.url), 'utf8'),
);
