package runtime

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// TestWebAPIsInstall checks that webAPIs lists every binding its bindings
// need, and that they install, in a fresh realm of each kind of global, in
// the order their Needs give, with no dependency cycle.
func TestWebAPIsInstall(t *testing.T) {
	listed := make(map[*bindings.Binding]bool)
	for _, b := range webAPIs {
		listed[b] = true
	}
	for _, b := range webAPIs {
		for _, n := range b.Needs {
			if !listed[n] {
				t.Errorf("%s needs %s, which webAPIs does not list", b.Name, n.Name)
			}
		}
	}
	for _, global := range []bindings.Global{bindings.Window, bindings.DedicatedWorker, bindings.SharedWorker, bindings.ServiceWorker} {
		vm := goja.New()
		loop := eventloop.New(vm, eventloop.Options{})
		env := bindings.NewEnv(webidl.NewRealm(vm), loop)
		env.Global = global
		if err := bindings.Install(env, webAPIs...); err != nil {
			t.Errorf("global %d: %v", global, err)
		}
		for _, b := range webAPIs {
			if !env.Installed(b) {
				t.Errorf("global %d: %s not installed", global, b.Name)
			}
		}
		loop.Close()
	}
}
