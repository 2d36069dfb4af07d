package structuredclone

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/webidl"
)

// newBudgeted returns a realm whose cluster has a memory budget of limit
// bytes.
func newBudgeted(t *testing.T, limit int64) (*goja.Runtime, *webidl.Realm, *bindings.Budget) {
	t.Helper()
	return jstest.NewBudgetedRealm(t, limit, Binding)
}

// serialize runs Serialize(eval(src), transfer) in r, and returns the
// message or the exception's string.
func serialize(vm *goja.Runtime, r *webidl.Realm, src, transfer string) (m *Serialized, exc string) {
	if e := vm.Try(func() {
		v, err := vm.RunString(src)
		if err != nil {
			panic(err)
		}
		var list []*goja.Object
		if transfer != "" {
			l, err := vm.RunString(transfer)
			if err != nil {
				panic(err)
			}
			_ = vm.ExportTo(l, &list)
		}
		m = Serialize(r, v, list, "postMessage")
	}); e != nil {
		return nil, e.Value().String()
	}
	return m, ""
}

const outOfMemory = "DataCloneError: Failed to execute 'postMessage': Data cannot be cloned, out of memory."

// The budget is 1 MiB: messages are charged while they wait and given back
// once deserialized or discarded.
func TestMessageBudget(t *testing.T) {
	cases := []struct {
		name, value string
		transfer    string
		exc         string
		min, max    int64 // what the message is charged
	}{
		{name: "ASCII string", value: `"x".repeat(2**19)`, min: 1 << 19, max: 1<<19 + 1024},
		{name: "UTF-16 string counts twice", value: `"\u00e9".repeat(2**18)`, min: 1 << 19, max: 1<<19 + 1024},
		{name: "string beyond", value: `"x".repeat(2**20)`, exc: outOfMemory},
		{name: "UTF-16 string beyond", value: `"\u00e9".repeat(2**19)`, exc: outOfMemory},
		{name: "strings in an object graph", value: `({a: ["x".repeat(2**18), {b: "y".repeat(2**18)}], m: new Map([["k", "z".repeat(2**17)]])})`,
			min: 1<<19 + 1<<17, max: 1<<19 + 1<<17 + 4096},
		{name: "many records beyond", value: `Array.from({length: 2**16}, (_, i) => ({i}))`, exc: outOfMemory},
		{name: "property keys count", value: `Object.fromEntries(Array.from({length: 8}, (_, i) => ["k".repeat(2**16) + i, 0]))`,
			min: 1 << 19, max: 1<<19 + 4096},
		{name: "empty message", value: `undefined`, min: messageOverhead, max: messageOverhead},
		{name: "transferred bytes are not counted", value: `globalThis.buf = new ArrayBuffer(2**21)`, transfer: `[buf]`,
			min: messageOverhead, max: messageOverhead + 1024},
		{name: "beyond, before transferring", value: `[globalThis.buf = new ArrayBuffer(64), "x".repeat(2**20)]`, transfer: `[buf]`, exc: outOfMemory},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, r, budget := newBudgeted(t, 1<<20)
			m, exc := serialize(vm, r, c.value, c.transfer)
			if exc != c.exc {
				t.Fatalf("exception %q, want %q", exc, c.exc)
			}
			if exc != "" {
				if budget.Used() != 0 {
					t.Errorf("budget used %d bytes after the failure", budget.Used())
				}
				if c.transfer != "" {
					if v, _ := vm.RunString(`buf.byteLength`); v.ToInteger() != 64 {
						t.Errorf("the buffer was detached: byteLength %v", v)
					}
				}
				return
			}
			if used := budget.Used(); used < c.min || used > c.max {
				t.Errorf("message charged %d bytes, want %d to %d", used, c.min, c.max)
			}
			_, to, _ := newBudgeted(t, 1<<20)
			m.Deserialize(to, "postMessage")
			if budget.Used() != 0 {
				t.Errorf("budget used %d bytes once deserialized", budget.Used())
			}
		})
	}
}

// Messages are given back when discarded, taken from a queue, or collected
// with the queue that holds them.
func TestQueueBudget(t *testing.T) {
	cases := []struct {
		name string
		end  func(q *Queue) // what becomes of the queue of 8 messages
	}{
		{"popped and discarded", func(q *Queue) {
			for m := q.Pop(); m != nil; m = q.Pop() {
				m.Discard()
			}
		}},
		{"taken and discarded", func(q *Queue) {
			for _, m := range q.Take() {
				m.Discard()
			}
		}},
		{"collected", func(q *Queue) {}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, r, budget := newBudgeted(t, 1<<20)
			q := new(Queue)
			for i := range 8 {
				m, exc := serialize(vm, r, `"x".repeat(2**16)`, "")
				if exc != "" {
					t.Fatalf("message %d: %s", i, exc)
				}
				q.Push(m)
			}
			if q.Len() != 8 || budget.Used() < 8<<16 {
				t.Fatalf("%d messages, %d bytes charged", q.Len(), budget.Used())
			}
			c.end(q)
			q = nil
			jstest.WaitUsed(t, budget, 0)
		})
	}
}

// A flood of messages nobody takes meets the budget; once they are gone,
// messages fit again.
func TestMessageFlood(t *testing.T) {
	vm, r, budget := newBudgeted(t, 1<<20)
	var q Queue
	exc := ""
	for exc == "" {
		var m *Serialized
		if m, exc = serialize(vm, r, `"message"`, ""); m != nil {
			q.Push(m)
		}
		if q.Len() > 1<<20 {
			t.Fatal("a million messages fit in 1 MiB")
		}
	}
	if exc != outOfMemory || !strings.Contains(exc, "out of memory") {
		t.Fatalf("exception %q", exc)
	}
	t.Logf("%d messages fit", q.Len())
	for _, m := range q.Take() {
		m.Discard()
	}
	if budget.Used() != 0 {
		t.Fatalf("budget used %d bytes", budget.Used())
	}
	if _, exc := serialize(vm, r, `"message"`, ""); exc != "" {
		t.Fatal(exc)
	}
}
