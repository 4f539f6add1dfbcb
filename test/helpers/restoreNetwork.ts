/**
 * Jest setup (setupFilesAfterEnv): after every test file, allow the network again.
 *
 * nock's interception outlives a test file in a shared jest worker. A file that ends with
 * `nock.enableNetConnect('127.0.0.1')` (the sandbox workflow tests) would otherwise make a later
 * file's https calls fail with "Disallowed net connect", depending on which files share a worker.
 */
import nock from 'nock';

afterAll(() => {
	nock.cleanAll();
	nock.enableNetConnect();
});
