package encoding

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
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
			vm, _, budget := jstest.NewBudgetedRealm(t, 1<<20, Binding)
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
			jstest.WaitUsed(t, budget, 0)
		})
	}
}
