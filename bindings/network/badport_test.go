package network

import "testing"

func TestBadPort(t *testing.T) {
	cases := []struct {
		port int
		bad  bool
	}{
		{0, true}, {1, true}, {22, true}, {25, true}, {6667, true}, {10080, true},
		{80, false}, {443, false}, {8000, false}, {8888, false}, {65535, false}, {-1, false},
	}
	for _, c := range cases {
		if got := BadPort(c.port); got != c.bad {
			t.Errorf("BadPort(%d) = %v, want %v", c.port, got, c.bad)
		}
	}
}
