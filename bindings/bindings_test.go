package bindings

import (
	"errors"
	"strings"
	"testing"
)

func TestInstallOrder(t *testing.T) {
	var got []string
	mk := func(name string, needs ...*Binding) *Binding {
		return &Binding{Name: name, Needs: needs, Register: func(*Env) error {
			got = append(got, name)
			return nil
		}}
	}
	events := mk("events")
	url := mk("url")
	blob := mk("blob", events, url)
	ws := mk("websocket", events, blob, url)
	console := mk("console")
	cases := []struct {
		install []*Binding
		want    string
	}{
		{[]*Binding{ws}, "events url blob websocket"},
		{[]*Binding{console, ws, events}, "console events url blob websocket"},
		{[]*Binding{url, blob}, "url events blob"},
	}
	for _, c := range cases {
		got = nil
		env := NewEnv(nil, nil)
		if err := Install(env, c.install...); err != nil {
			t.Fatal(err)
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("installed %q, want %q", s, c.want)
		}
		// Installing again installs nothing.
		got = nil
		if err := Install(env, c.install...); err != nil || len(got) != 0 {
			t.Errorf("second Install: %v, installed %v", err, got)
		}
	}
}

func TestInstallErrors(t *testing.T) {
	a := &Binding{Name: "a", Register: func(*Env) error { return nil }}
	b := &Binding{Name: "b", Needs: []*Binding{a}, Register: func(*Env) error { return nil }}
	a.Needs = []*Binding{b}
	err := Install(NewEnv(nil, nil), a)
	if err == nil || !strings.Contains(err.Error(), "cycle: a -> b -> a") {
		t.Errorf("cycle: %v", err)
	}
	boom := errors.New("boom")
	c := &Binding{Name: "c", Register: func(*Env) error { return boom }}
	if err := Install(NewEnv(nil, nil), c); !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "c: ") {
		t.Errorf("failing Register: %v", err)
	}
}

func TestConfig(t *testing.T) {
	type opts struct{ N int }
	env := NewEnv(nil, nil)
	if got := Config[opts](env); got.N != 0 {
		t.Errorf("unset: %v", got)
	}
	Configure(env, opts{N: 2})
	Configure(env, 7)
	if got := Config[opts](env); got.N != 2 {
		t.Errorf("set: %v", got)
	}
	if got := Config[int](env); got != 7 {
		t.Errorf("int: %v", got)
	}
}

func TestCluster(t *testing.T) {
	type key struct{}
	var c Cluster
	n := 0
	mk := func() any { n++; return n }
	if c.Value(key{}, mk) != 1 || c.Value(key{}, mk) != 1 || n != 1 {
		t.Errorf("Value made %d values", n)
	}
}
