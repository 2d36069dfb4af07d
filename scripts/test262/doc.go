// Command test262 runs the tc39/test262 conformance suite in wsjs, through
// the loading path scripts get from package runtime: a fresh runtime per
// test, the harness files compiled as the runtime compiles classic scripts,
// the test itself given to RunScript (so syntax goja lacks is lowered by
// esbuild, and module tests are bundled as the loader bundles modules).
//
// It follows https://github.com/tc39/test262/blob/main/INTERPRETING.md: each
// test runs in the modes its flags ask for (sloppy and strict unless
// onlyStrict, noStrict, raw or module say otherwise), negative tests must
// fail in the phase and with the error named, async tests must print
// Test262:AsyncTestComplete through $DONE. The host defines print and
// $262 with global, evalScript, detachArrayBuffer, gc and agent;
// createRealm throws, since goja has one realm per runtime. In wsjs the
// agents of $262.agent are the runtime's dedicated workers, started from
// blob: URLs, given SharedArrayBuffers by postMessage, reporting through a
// control block of shared memory (agent.js, agent_worker.js); in Node.js
// they are worker threads; in plain goja $262.agent throws. Tests needing [[CanBlock]] true are skipped: wsjs runs
// the test's script on an event loop, as a browser window does, where
// Atomics.wait throws; its agents may block.
//
// wsjs's results are compared with expectations.txt, which lists each
// expected failure with its reason; any other failure makes the command
// exit 1, and expectations a passing test no longer needs are reported.
// -update rewrites the file from a run, keeping reasons and giving new
// entries a "TODO:" reason for a person to fill in.
//
// -engine goja runs the same tests in plain goja (goja.New and the harness,
// no web APIs, no esbuild), -engine node in Node.js, for comparison;
// -summary prints files passing per directory and per feature for each
// engine.
//
// The test of this package runs a sample of the suite (see
// test262_test.go); the whole of it is `make test262`.
package main
