package encoding

import (
	"runtime"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// encode()'s bytes are charged to the memory budget (1 MiB) until collected.
func TestEncodeBudget(t *testing.T) {
	cases := []struct {
		name, src, want string
		used            int64
	}{
		{"within", `kept.push(e.encode("x".repeat(2**19)), e.encode("\u00e9".repeat(2**17))); "ok"`, "ok", 1<<19 + 1<<18},
		{"beyond", `for (;;) kept.push(e.encode("x".repeat(2**18)))`, "RangeError: Array buffer allocation failed", 1 << 20},
		{"small ones uncounted", `for (let i = 0; i < 1000; i++) kept.push(e.encode("abc")); "ok"`, "ok", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm := goja.New()
			env := bindings.NewEnv(webidl.NewRealm(vm), nil)
			budget := bindings.NewBudget(1 << 20)
			env.Cluster.Memory = budget
			if err := bindings.Install(env, Binding); err != nil {
				t.Fatal(err)
			}
			got := "ok"
			v, err := vm.RunString(`var kept = [], e = new TextEncoder();` + c.src)
			switch exc, _ := err.(*goja.Exception); {
			case exc != nil:
				o := exc.Value().ToObject(vm)
				got = o.Get("name").String() + ": " + o.Get("message").String()
			case err != nil:
				t.Fatal(err)
			default:
				got = v.String()
			}
			if got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if budget.Used() != c.used {
				t.Errorf("budget used %d bytes, want %d", budget.Used(), c.used)
			}
			if _, err := vm.RunString(`kept = null; (function f(n) { return n ? f(n - 1) : 0 })(1000)`); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for budget.Used() != 0 {
				if time.Now().After(deadline) {
					t.Fatalf("budget used %d bytes once dropped", budget.Used())
				}
				runtime.GC()
				runtime.Gosched()
			}
		})
	}
}
