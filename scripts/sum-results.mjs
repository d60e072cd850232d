// Sums vitest's JSON reports of every workspace package into one line "N passed, N failed".
// A package with a test script but no report counts as one failure (its run crashed).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const group of ['packages', 'apps']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const dir = join(group, name);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (!manifest.scripts?.test) continue;
    const reportPath = join(dir, '.vitest-result.json');
    if (!existsSync(reportPath)) {
      console.error(`${dir}: no test report (the run crashed before reporting)`);
      failed += 1;
      continue;
    }
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    // A file that failed outside its tests (failed to load, or a beforeAll/afterAll hook threw,
    // leaving its tests skipped) is a failure all the same.
    failed += report.testResults.filter(
      (r) => r.status === 'failed' && !r.assertionResults.some((a) => a.status === 'failed'),
    ).length;
    for (const file of report.testResults) {
      const where = join(dir, file.name.startsWith(process.cwd()) ? file.name.slice(process.cwd().length + 1 + dir.length + 1) : file.name);
      const failedTests = file.assertionResults.filter((a) => a.status === 'failed');
      for (const a of failedTests) failures.push(`${where} > ${a.fullName}\n    ${firstLines(a.failureMessages?.join('\n'))}`);
      if (file.status === 'failed' && failedTests.length === 0) failures.push(`${where} (file)\n    ${firstLines(file.message)}`);
    }
    console.error(`${dir}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  }
}
// The failures again at the end, where a truncated log still shows them.
for (const f of failures) console.error(`FAILED ${f}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

function firstLines(text) {
  return String(text ?? '').split('\n').filter((l) => l.trim() !== '').slice(0, 6).join('\n    ');
}
