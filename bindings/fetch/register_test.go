package fetch

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/abort"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/events"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

func TestRegisterNeedsOtherBindings(t *testing.T) {
	// Each missing interface is named in the error; nothing panics.
	steps := []struct {
		register func(env *bindings.Env) error
		missing  string
	}{
		{func(*bindings.Env) error { return nil }, "Blob"},
		{blob.Register, "AbortSignal"},
		{events.Register, "AbortSignal"},
		{urlpkg.Register, "AbortSignal"},
		{abort.Register, "FormData"},
	}
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	// No blob URL store: blob.Register then does without the URL interface.
	env := bindings.NewEnv(webidl.NewRealm(vm), loop)
	env.Cluster = nil
	for _, s := range steps {
		if err := s.register(env); err != nil {
			t.Fatal(err)
		}
		err := Register(env)
		if err == nil || !strings.Contains(err.Error(), s.missing) {
			t.Errorf("Register: %v, want an error naming %s", err, s.missing)
		}
	}
}
