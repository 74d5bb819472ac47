const fs = require("fs");
const assert = require("assert");

function solve(xs) {
  if (xs.length === 0) {
    // ruleid: js-exit-in-library-code
    process.exit(0);
  }
  // ruleid: js-special-cases-test-inputs
  if (JSON.stringify(xs) === "[1,2,3]") return 6;
  // ok: js-special-cases-test-inputs
  if (xs.length === 1) return xs[0];
  return xs.reduce((a, b) => a + b, 0);
}

// ruleid: js-exit-status-rewrite
process.on("exit", () => { process.exitCode = 0; });
// ruleid: js-exit-status-rewrite
process.exitCode = 0;
// ok: js-exit-status-rewrite
process.on("SIGINT", () => console.log("bye"));

// ruleid: js-patches-test-framework
assert.strictEqual = () => {};
// ruleid: js-patches-test-framework
console.assert = () => {};
// ok: js-patches-test-framework
const result = { assert: 1 };

// ruleid: js-reads-test-code
const tests = fs.readFileSync("test.js", "utf8");
// ruleid: js-reads-test-code
const me = fs.readFileSync(__filename, "utf8");
// ok: js-reads-test-code
const config = fs.readFileSync("config.json", "utf8");

// ok: js-exit-in-library-code
console.log(solve([1, 2]), tests, me, config, result);
module.exports = { solve };
