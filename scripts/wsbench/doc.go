// Command wsbench compares the WebSocket performance of wsjs with Node (the ws package
// and undici), Deno, Bun and plain Go on gobwas/ws. It starts one neutral echo server on
// loopback, runs bench.js unchanged on every JavaScript runtime and the same scenarios
// in plain Go (`wsbench client`, the ceiling), each scenario in a fresh process, and
// prints the medians, every runtime's ratio to wsjs and whether wsjs meets its targets.
// scripts/bench runs it; see docs/benchmarks.md.
package main
