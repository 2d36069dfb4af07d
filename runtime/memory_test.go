package runtime

import (
	"strings"
	"testing"
)

// TestMemoryBytes checks Limits.MemoryBytes: a bound on what a runtime and its
// workers hold together in buffers, Blobs and messages waiting.
func TestMemoryBytes(t *testing.T) {
	const tooLarge = "RangeError: Array buffer allocation failed"
	cases := []struct {
		name   string
		limit  int64
		files  map[string]string
		stdout string
	}{
		{"default", 0, map[string]string{"main.js": `
const kept = [new ArrayBuffer(2**20), new Blob([new Uint8Array(2**20)])];
console.log(kept[0].byteLength, kept[1].size)`}, "1048576 1048576\n"},
		{"beyond", 1 << 20, map[string]string{"main.js": `
const kept = new ArrayBuffer(2**19);
try { new Uint8Array(2**19 + 1) } catch (e) { console.log(String(e)) }
try { new Blob([kept, kept, "x"]) } catch (e) { console.log(String(e)) }
console.log(new Uint8Array(2**19).length)`}, tooLarge + "\nRangeError: Blob allocation failed\n524288\n"},
		{"no bound", -1, map[string]string{"main.js": `
const kept = [new ArrayBuffer(2**20), new ArrayBuffer(2**20)];
console.log(kept.length)`}, "2\n"},
		{"structured clone", 1 << 20, map[string]string{"main.js": `
const b = new ArrayBuffer(2**19), kept = structuredClone([b, new Uint8Array(b)]);
try { structuredClone(b) } catch (e) { console.log(String(e)) }
console.log(kept[0].byteLength, kept[1].buffer === kept[0], structuredClone(b, { transfer: [b] }).byteLength)`},
			tooLarge + "\n524288 true 524288\n"},
		{"shared with workers", 1 << 20, map[string]string{
			"main.js": `
const kept = new ArrayBuffer(3 * 2**18);
const w = new Worker("./worker.js");
w.onmessage = (e) => { console.log(e.data, kept.byteLength); w.terminate() };`,
			"worker.js": `
try { postMessage(new ArrayBuffer(2**19).byteLength) } catch (e) { postMessage(String(e)) }`,
		}, tooLarge + " 786432\n"},
		{"messages waiting", 1 << 20, map[string]string{"main.js": `
const { port1, port2 } = new MessageChannel(); let n = 0, got = 0;
try { for (;;) { port1.postMessage("x".repeat(2**16)); n++ } } catch (e) { console.log(e.name, n > 8) }
port2.onmessage = () => { if (++got === n) { console.log(new TextEncoder().encode("x".repeat(2**19)).length); port2.close() } };`},
			"DataCloneError true\n524288\n"},
		{"encoded text", 1 << 20, map[string]string{"main.js": `
const kept = [new TextEncoder().encode("x".repeat(2**19))];
try { kept.push(new TextEncoder().encode("x".repeat(2**19 + 1))) } catch (e) { console.log(String(e)) }`},
			tooLarge + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runFiles(t, c.files, "main.js", Options{Limits: Limits{MemoryBytes: c.limit}})
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.stderr)
			}
			if r.stdout != c.stdout {
				t.Errorf("stdout %q, want %q", r.stdout, c.stdout)
			}
			if strings.TrimSpace(r.stderr) != "" {
				t.Errorf("stderr %q", r.stderr)
			}
		})
	}
}
