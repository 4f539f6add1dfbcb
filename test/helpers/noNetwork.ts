import nock from 'nock';

/**
 * Nock only, in this test file (or the describe block that calls it): no call leaves the machine,
 * and every test starts without the previous test's mocks. (`useNockOnly` in requestContext.ts
 * also fails a test that leaves a mock unused.)
 */
export function useNoNetwork(): void {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
	afterAll(() => nock.enableNetConnect());
}
