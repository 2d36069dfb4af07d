package main

import "testing"

func TestJudge(t *testing.T) {
	neg := &Meta{Negative: &Negative{Phase: "parse", Type: "SyntaxError"}}
	async := &Meta{Flags: []string{"async"}}
	tests := []struct {
		name string
		meta *Meta
		obs  observation
		pass bool
	}{
		{"ran", &Meta{}, observation{}, true},
		{"threw", &Meta{}, observation{Phase: "runtime", ErrType: "TypeError"}, false},
		{"negative as expected", neg, observation{Phase: "parse", ErrType: "SyntaxError"}, true},
		{"negative in another phase", neg, observation{Phase: "runtime", ErrType: "SyntaxError"}, false},
		{"negative of another type", neg, observation{Phase: "parse", ErrType: "ReferenceError"}, false},
		{"negative not thrown", neg, observation{}, false},
		{"async done", async, observation{Printed: []string{"x", "Test262:AsyncTestComplete"}}, true},
		{"async failed", async, observation{Printed: []string{"Test262:AsyncTestFailure:Test262Error: no"}}, false},
		{"async never done", async, observation{}, false},
		{"timeout", &Meta{}, observation{Timeout: true}, false},
		{"panic", &Meta{}, observation{Panic: "boom"}, false},
		{"unsupported", &Meta{}, observation{Unsupported: "no modules"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			why := judge(&test{meta: tt.meta}, tt.obs)
			if (why == "") != tt.pass {
				t.Errorf("judge = %q, want pass %v", why, tt.pass)
			}
		})
	}
}

func TestModes(t *testing.T) {
	for _, tt := range []struct {
		flags []string
		want  []mode
	}{
		{nil, []mode{sloppy, strict}},
		{[]string{"onlyStrict"}, []mode{strict}},
		{[]string{"noStrict"}, []mode{sloppy}},
		{[]string{"raw"}, []mode{raw}},
		{[]string{"module", "raw"}, []mode{module}},
		{[]string{"module", "async"}, []mode{module}},
	} {
		got := modes(&test{meta: &Meta{Flags: tt.flags}})
		if len(got) != len(tt.want) || got[0] != tt.want[0] {
			t.Errorf("modes(%v) = %v, want %v", tt.flags, got, tt.want)
		}
	}
}
