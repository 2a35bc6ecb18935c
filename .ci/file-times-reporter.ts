import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints, after the run, what each test file cost: its tests and hooks (a browser suite's
 * beforeAll that builds a site counts here, not in its tests' times), its import, and the worker
 * that ran it. CI's time is kept under 20 minutes; this says where it goes.
 */
export default class FileTimesReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows = testModules
      .map((module) => ({ file: module.relativeModuleId, project: module.project.name, ...module.diagnostic() }))
      .sort((a, b) => b.duration - a.duration);
    const seconds = (ms: number) => (ms / 1000).toFixed(1).padStart(7);
    const total = rows.reduce((sum, row) => sum + row.duration + row.collectDuration, 0);
    console.log(`\nTest files by cost (tests and hooks, import; ${seconds(total).trim()} s in all):`);
    for (const row of rows.slice(0, 25)) {
      console.log(`${seconds(row.duration)} s ${seconds(row.collectDuration)} s  worker ${row.concurrencyId}  ${row.project}  ${row.file}`);
    }
  }
}
