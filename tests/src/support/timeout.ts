// Integration tests start engines and load data: seconds, more on a busy two-core machine.
// (A project's `testTimeout` is not applied by Jest 30; a file may still set its own.)
jest.setTimeout(120_000);
