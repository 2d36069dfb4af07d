package events

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// TestCurrentEvent checks a Window global's current event: the event whose
// listener runs (set before handleEvent is looked up, restored after nested
// dispatches), undefined otherwise, and always undefined for a global that is
// not a Window.
func TestCurrentEvent(t *testing.T) {
	tests := []struct {
		name  string
		iface string // the global object's interface
		want  string
	}{
		{"Window", "Window", "undefined,true,true,true,true,undefined"},
		{"not a Window", "EventTarget", "undefined,false,false,false,false,undefined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vm := goja.New()
			r := webidl.NewRealm(vm)
			benv := bindings.NewEnv(r, nil)
			if err := bindings.Install(benv, Binding); err != nil {
				t.Fatal(err)
			}
			if tt.iface == "Window" {
				if err := r.DefineInterface(&webidl.Interface{Name: "Window", Parent: "EventTarget"}); err != nil {
					t.Fatal(err)
				}
			}
			if err := InstallGlobalAs(r, tt.iface); err != nil {
				t.Fatal(err)
			}
			vm.Set("current", func(goja.FunctionCall) goja.Value { return CurrentEvent(r) })
			v, err := vm.RunString(`
				const log = [String(current())];
				const t = new EventTarget(), outer = new Event("a"), inner = new Event("b");
				t.addEventListener("a", { get handleEvent() { log.push(current() === outer); return () => {
					t.dispatchEvent(inner);
					log.push(current() === outer);
				} } });
				t.addEventListener("b", e => log.push(current() === inner && e === inner));
				t.dispatchEvent(outer);
				const h = new EventTarget();
				h.addEventListener("c", function () { log.push(current() === arguments[0]) });
				h.dispatchEvent(new Event("c"));
				log.push(String(current()));
				log.join()`)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.String(); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
