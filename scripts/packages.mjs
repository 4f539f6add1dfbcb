/** The npm packages of this repository, as folders relative to its root. */
export const PACKAGE_DIRS = ['.'];
