/**
 * In CI (CI=true), a browser test that fails is run once more, and the first failure is printed
 * in full before the retry, so an intermittent fault stays visible in the log. A test that fails
 * twice fails the run. Locally every failure counts at once.
 */
if (process.env['CI'] === 'true' || process.env['CI'] === '1') {
  jest.retryTimes(1, { logErrorsBeforeRetry: true });
}
