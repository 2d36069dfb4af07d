package runtime

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/worker"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// TestWebAPIsInstall checks that webAPIs lists every binding its bindings
// need, and that they install in a fresh realm, in the order their Needs
// give, with no dependency cycle. (The globals of workers are installed by
// the worker tests, which start real workers.)
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
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	env := bindings.NewEnv(webidl.NewRealm(vm), loop)
	bindings.Configure(env, worker.Options{Host: (*host)(&Runtime{})})
	if err := bindings.Install(env, webAPIs...); err != nil {
		t.Fatal(err)
	}
	for _, b := range webAPIs {
		if !env.Installed(b) {
			t.Errorf("%s not installed", b.Name)
		}
	}
}
