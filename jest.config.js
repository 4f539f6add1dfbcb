/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// The smoke test against a real n8n and the long fault suite have their own commands.
	testPathIgnorePatterns: ['/node_modules/', '/dist/'],
	testTimeout: 30000,
	// nock's interception outlives a test file in a shared worker: leave the network as found.
	setupFilesAfterEnv: ['<rootDir>/test/helpers/restoreNetwork.ts'],
};
