package wsapi

import (
	"errors"
	"testing"
)

func TestRegistry(t *testing.T) {
	refused := Refusals{Shutdown: errors.New("shutdown"), TooMany: errors.New("too many"), BadPort: errors.New("bad port")}
	target := func(href string) *Target {
		tg, err := ParseTarget(href, "")
		if err != nil {
			t.Fatal(err)
		}
		return tg
	}
	var g Registry[int]
	steps := []struct {
		name   string
		do     func() error
		want   error
		sizeAt int
	}{
		{"first", func() error { return g.Admit(1, 2, target("ws://a.test/"), refused) }, nil, 1},
		{"bad port is recorded", func() error { return g.Admit(2, 0, target("ws://a.test:25/"), refused) }, refused.BadPort, 2},
		{"over the limit", func() error { return g.Admit(3, 2, target("ws://a.test/"), refused) }, refused.TooMany, 2},
		{"room again after Remove", func() error { g.Remove(2); return g.Admit(3, 2, target("wss://a.test/"), refused) }, nil, 2},
		{"no limit", func() error { return g.Admit(4, 0, target("ws://a.test/"), refused) }, nil, 3},
	}
	for _, s := range steps {
		if err := s.do(); err != s.want {
			t.Fatalf("%s: got %v, want %v", s.name, err, s.want)
		}
		if len(g.m) != s.sizeAt {
			t.Fatalf("%s: %d sockets recorded, want %d", s.name, len(g.m), s.sizeAt)
		}
	}
	if got := g.Close(); len(got) != 3 {
		t.Fatalf("Close returned %d sockets, want 3", len(got))
	}
	if err := g.Admit(5, 0, target("ws://a.test/"), refused); err != refused.Shutdown {
		t.Fatalf("after Close: got %v, want %v", err, refused.Shutdown)
	}
	g.Remove(1) // after Close: nothing to drop
	if got := g.Close(); len(got) != 0 {
		t.Fatalf("second Close returned %d sockets", len(got))
	}
}
