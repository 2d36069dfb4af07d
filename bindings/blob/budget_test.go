package blob

import (
	"fmt"
	"testing"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// The budget is 1 MiB. Each script, a function's body, keeps what it makes in
// kept; once kept is dropped and collected, the budget is whole again.
func TestMemoryBudget(t *testing.T) {
	const tooLarge = "RangeError: Blob allocation failed"
	cases := []struct {
		name, src, want string
		used            int64
	}{
		{"within", `kept.push(new Blob(["x".repeat(2**19)]), new File(["y".repeat(2**19)], "f")); return "ok"`, "ok", 1 << 20},
		{"beyond", `const s = "x".repeat(2**18); for (;;) kept.push(new Blob([s]))`, tooLarge, 1 << 20},
		// The built-ins (which streams need) charge u until it is collected.
		{"many parts beyond", `const u = new Uint8Array(2**10); return new Blob(new Array(2**11).fill(u))`, tooLarge, 1 << 10},
		{"File beyond", `const s = "x".repeat(2**18); for (;;) kept.push(new File([s, s], "f"))`, tooLarge, 1 << 20},
		{"slices share", `const b = new Blob(["x".repeat(2**20)]); kept.push(b);
			for (let i = 0; i < 100; i++) kept.push(b.slice(1)); return "ok"`, "ok", 1 << 20},
		{"copies share", `const b = new Blob(["x".repeat(2**20)]); kept.push(b);
			for (let i = 0; i < 100; i++) kept.push(new Blob([b])); return "ok"`, "ok", 1 << 20},
		{"copy with more beyond", `const b = new Blob(["x".repeat(2**20)]); kept.push(b); return new Blob([b, "y"])`, tooLarge, 1 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, _, budget := jstest.NewBudgetedRealm(t, 1<<20, Binding)
			if got := jstest.Outcome(vm, "var kept = [];\n(() => {"+c.src+"\n})()"); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if budget.Used() != c.used {
				t.Errorf("budget used %d bytes, want %d", budget.Used(), c.used)
			}
			if got := jstest.Outcome(vm, "kept = null; "+scrubStack); got != "usable" {
				t.Errorf("after: got %q", got)
			}
			jstest.WaitUsed(t, budget, 0)
			if got := jstest.Outcome(vm, `new Blob(["x".repeat(2**20)]).size`); got != "1048576" {
				t.Errorf("once collected: got %q", got)
			}
		})
	}
}

// scrubStack makes what the script dropped unreachable: a Blob made from
// parts, as the realm keeps the last parts it converted reachable until the
// next, and a deep call, which overwrites what goja's value stack keeps above
// its top after calls return. It returns "usable".
const scrubStack = `new Blob([new Blob()]); (function f(n) { return n ? f(n - 1) : "usable" })(1000)`

// What arrayBuffer(), bytes(), text() and stream() make of a Blob of 600 KiB
// needs room in the budget of 1 MiB, which holds the Blob already.
func TestReadBudget(t *testing.T) {
	const (
		tooLarge = "RangeError: Array buffer allocation failed"
		tooLong  = "RangeError: Invalid string length"
	)
	cases := []struct {
		name, read, want string
		size             int // of the Blob
	}{
		{"arrayBuffer within", `b.arrayBuffer()`, "fulfilled 307200", 300 << 10},
		{"arrayBuffer beyond", `b.arrayBuffer()`, tooLarge, 600 << 10},
		{"bytes within", `b.bytes()`, "fulfilled 307200", 300 << 10},
		{"bytes beyond", `b.bytes()`, tooLarge, 600 << 10},
		{"text within", `b.text()`, "fulfilled 307200", 300 << 10},
		{"text beyond", `b.text()`, tooLong, 600 << 10},
		{"stream within", `b.stream().getReader().read().then((r) => r.value)`, "fulfilled 65536", 600 << 10},
		{"stream beyond", `b.stream().getReader().read().then((r) => r.value)`, tooLarge, 1000 << 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, _, budget := jstest.NewBudgetedRealm(t, 1<<20, Binding)
			// The Blob is made from a string, which the budget does not hold.
			src := `var b = new Blob(["x".repeat(` + fmt.Sprint(c.size) + `)]), result = "pending", kept;
(` + c.read + `).then((v) => { kept = v; result = "fulfilled " + (v.byteLength ?? v.length) }, (e) => { result = e.name + ": " + e.message })`
			if _, err := vm.RunString(src); err != nil {
				t.Fatal(err)
			}
			if got := vm.Get("result").String(); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if got := jstest.Outcome(vm, "b = kept = null; "+scrubStack); got != "usable" {
				t.Errorf("after: got %q", got)
			}
			jstest.WaitUsed(t, budget, 0)
		})
	}
}
