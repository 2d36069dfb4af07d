package fetch

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/events"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

func TestRegisterNeedsOtherBindings(t *testing.T) {
	// Each missing interface is named in the error; nothing panics.
	steps := []struct {
		register func(r *webidl.Realm) error
		missing  string
	}{
		{func(r *webidl.Realm) error { return nil }, "Blob"},
		{func(r *webidl.Realm) error { return blob.Register(r, blob.Options{}) }, "AbortSignal"},
		{func(r *webidl.Realm) error { return events.Register(r, events.Options{}) }, "AbortSignal"},
		{func(r *webidl.Realm) error { return urlpkg.Register(r) }, "AbortSignal"},
	}
	vm := goja.New()
	r := webidl.NewRealm(vm)
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	for _, s := range steps {
		if err := s.register(r); err != nil {
			t.Fatal(err)
		}
		err := Register(r, loop, Options{})
		if err == nil || !strings.Contains(err.Error(), s.missing) {
			t.Errorf("Register: %v, want an error naming %s", err, s.missing)
		}
	}
}
