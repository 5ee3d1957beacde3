// Prints vitest's JSON report as one closing line that any CI reads: "N passed, N failed".
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// A file that fails before its tests run (a throwing beforeAll, an import error) counts as failed.
const failed = report.numFailedTests + report.numFailedTestSuites;
const skipped = report.numPendingTests + report.numTodoTests;
process.stdout.write(
  `tests: ${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`,
);
