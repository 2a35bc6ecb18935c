/** Says once, at the top of the run, which real-service suites will be skipped and why. */
export default function setup(): void {
  if (!process.env['TEST_DATABASE_URL']) {
    console.warn(
      '\n  PostgreSQL suites are SKIPPED: TEST_DATABASE_URL is not set. Run them with\n' +
        '  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test\n',
    );
  }
}
