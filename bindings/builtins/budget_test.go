package builtins

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/webidl"
)

// newBudgeted returns a goja runtime with the built-ins installed with opts
// and a memory budget of limit bytes.
func newBudgeted(t *testing.T, opts Options, limit int64) (*goja.Runtime, *bindings.Budget) {
	t.Helper()
	vm := goja.New()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	env.Cluster.Memory = bindings.NewBudget(limit)
	bindings.Configure(env, opts)
	if err := bindings.Install(env, Binding); err != nil {
		t.Fatal(err)
	}
	return vm, env.Cluster.Memory
}

// scrubStack overwrites what goja's value stack keeps above its top after
// calls return, which keeps values the script dropped reachable, with a deep
// call; it returns "usable".
const scrubStack = `(function f(n) { return n ? f(n - 1) : "usable" })(1000)`

// The budget is 1 MiB; each script, a function's body, keeps what it makes in
// kept; once kept is dropped and collected, the budget is whole again.
func TestMemoryBudget(t *testing.T) {
	cases := []struct {
		name, src, want string
		used            int64 // what kept holds
	}{
		{"ArrayBuffers within", `kept.push(new ArrayBuffer(2**19), new ArrayBuffer(2**19)); return "ok"`, "ok", 1 << 20},
		{"ArrayBuffers beyond", `for (;;) kept.push(new ArrayBuffer(2**18))`, tooLarge, 1 << 20},
		{"one ArrayBuffer beyond", `return new ArrayBuffer(2**20 + 1)`, tooLarge, 0},
		{"typed arrays beyond", `for (;;) kept.push(new Float64Array(2**15))`, tooLarge, 1 << 20},
		{"typed arrays from arrays", `const a = new Array(2**17).fill(1); for (;;) kept.push(new Uint8Array(a))`, tooLarge, 1 << 20},
		{"Float16Arrays beyond", `for (;;) kept.push(new Float16Array(2**17))`, tooLarge, 1 << 20},
		{"typed array slices beyond", `const a = new Uint8Array(2**18); kept.push(a); for (;;) kept.push(a.slice())`, tooLarge, 1 << 20},
		{"views charge nothing", `const b = new ArrayBuffer(2**20); kept.push(b); for (let i = 0; i < 100; i++) kept.push(new Uint8Array(b), new DataView(b)); return "ok"`, "ok", 1 << 20},
		{"resizable at its maximum", `kept.push(new ArrayBuffer(0, { maxByteLength: 2**20 })); return new ArrayBuffer(16)`, tooLarge, 1 << 20},
		{"transfer charged once", `const b = new ArrayBuffer(2**19 + 2**18); kept.push(b.transfer(), b); return "ok"`, "ok", 1<<19 + 1<<18},
		{"transfer to a shorter length charged once", `const b = new ArrayBuffer(2**19 + 2**18); kept.push(b.transfer(2**19)); return "ok"`, "ok", 1<<19 + 1<<18},
		{"transfer of a resizable buffer charged once", `const b = new ArrayBuffer(2**19, { maxByteLength: 2**19 + 2**18 });
			kept.push(b.transfer(16).transferToFixedLength(2**19 + 2**18)); return "ok"`, "ok", 1<<19 + 1<<18},
		{"transfer to a greater length beyond", `const b = new ArrayBuffer(2**19 + 2**18); kept.push(b); return b.transfer(2**19 + 2**18 + 1)`, tooLarge, 1<<19 + 1<<18},
		{"SharedArrayBuffers beyond", `for (;;) kept.push(new SharedArrayBuffer(2**18))`, tooLarge, 1 << 20},
		{"each counted once", `const a = new Float16Array(2**16), b = new BigInt64Array(2**14), c = new Uint8Array(2**16);
			kept.push(a, b, c, c.slice(), c.map((x) => x), Uint8Array.from(c), a.subarray(1)); return "ok"`, "ok", 1 << 19},
		{"no script runs", `const { call, apply } = Function.prototype;
			Function.prototype.call = Function.prototype.apply = () => { throw new Error("ran") };
			try { kept.push(new Uint8Array(2**19), new Uint8Array([1, 2])) } finally { Object.assign(Function.prototype, { call, apply }) }
			return "ok"`, "ok", 1 << 19},
		{"small ones uncounted", `for (let i = 0; i < 10000; i++) kept.push(new ArrayBuffer(15)); return "ok"`, "ok", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, budget := newBudgeted(t, Options{}, 1<<20)
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
			if got := jstest.Outcome(vm, "new Uint8Array(2**20).length"); got != "1048576" {
				t.Errorf("once collected: got %q", got)
			}
		})
	}
}

// A transfer moves the bytes to the new buffer, zeroing those a resizable
// one gives up, or copies them to a block of their own.
func TestTransferMoves(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"same length", `const b = new Uint8Array([1, 2, 3]).buffer, c = b.transfer(); [b.detached, b.byteLength, ...new Uint8Array(c)].join()`, "true,0,1,2,3"},
		{"shorter", `const c = new Uint8Array([1, 2, 3, 4]).buffer.transfer(3); [c.byteLength, ...new Uint8Array(c)].join()`, "3,1,2,3"},
		{"much shorter", `const c = new Uint8Array(64).fill(7).buffer.transfer(2); [c.byteLength, ...new Uint8Array(c)].join()`, "2,7,7"},
		{"longer", `const c = new Uint8Array([1, 2]).buffer.transfer(4); [c.byteLength, ...new Uint8Array(c)].join()`, "4,1,2,0,0"},
		{"resizable, shrunk then grown", `const b = new ArrayBuffer(4, { maxByteLength: 8 }); new Uint8Array(b).fill(9);
			const c = b.transfer(2); c.resize(6); [c.resizable, c.maxByteLength, ...new Uint8Array(c)].join()`, "true,8,9,9,0,0,0,0"},
		{"resizable to fixed", `const b = new ArrayBuffer(2, { maxByteLength: 8 }); new Uint8Array(b).fill(5);
			const c = b.transferToFixedLength(4); [c.resizable, ...new Uint8Array(c)].join()`, "false,5,5,0,0"},
		{"views of the old buffer see it detached", `const b = new ArrayBuffer(8), v = new Uint8Array(b); const c = b.transfer(); new Uint8Array(c)[0] = 1; [v.length, v[0]].join()`, "0,"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, _ := newBudgeted(t, Options{}, 1<<20)
			if got := jstest.Outcome(vm, c.src); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// A detached buffer's bytes are credited once they are collected.
func TestMemoryBudgetDetach(t *testing.T) {
	vm, budget := newBudgeted(t, Options{}, 1<<20)
	src := `var b = new ArrayBuffer(2**19); var c = b.transfer(); c.byteLength`
	if got := jstest.Outcome(vm, src); got != "524288" {
		t.Fatalf("got %q", got)
	}
	jstest.WaitUsed(t, budget, 1<<19)
	if got := jstest.Outcome(vm, `c.transfer(0); new ArrayBuffer(2**20).byteLength`); got != tooLarge {
		t.Fatalf("got %q before the collection", got)
	}
	jstest.WaitUsed(t, budget, 0)
	if got := jstest.Outcome(vm, `new ArrayBuffer(2**20).byteLength`); got != "1048576" {
		t.Fatalf("got %q", got)
	}
}
