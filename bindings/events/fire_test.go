package events

import (
	"testing"

	"github.com/dop251/goja"
)

// Fire dispatches to the listeners for the type and to none other; with no
// listener for the type it reports the event not canceled.
func TestFire(t *testing.T) {
	e := newEnv(t)
	target, err := e.vm.RunString(`globalThis.seen = []; globalThis.t = new EventTarget();
		t.addEventListener("other", () => seen.push("other")); t`)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		src         string
		notCanceled bool
		wantSeen    string
	}{
		{``, true, ""},
		{`t.addEventListener("open", (ev) => { seen.push(ev.type + ev.isTrusted + ev.cancelable) })`, true, "opentruefalse"},
		{`t.addEventListener("open", (ev) => { ev.preventDefault(); seen.push(ev.eventPhase) })`, true, "opentruefalse,2"},
	} {
		if _, err := e.vm.RunString(`seen.length = 0;` + c.src); err != nil {
			t.Fatal(err)
		}
		notCanceled, err := Fire(e.realm, target.(*goja.Object), "open")
		if err != nil || notCanceled != c.notCanceled {
			t.Errorf("after %q: Fire = %v, %v", c.src, notCanceled, err)
		}
		if got, _ := e.vm.RunString(`seen.join()`); got.String() != c.wantSeen {
			t.Errorf("after %q: listeners saw %q, want %q", c.src, got, c.wantSeen)
		}
	}
}
