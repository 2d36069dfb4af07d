package loader

import "testing"

func TestSourceMapNames(t *testing.T) {
	for _, c := range []struct {
		smap string
		want bool
	}{
		{`{"version": 3, "names": []}`, false},
		{`{"version":3,"names":[ ]}`, false},
		{`{"version": 3, "names": ["fn"]}`, true},
		{`{"version": 3, "names":` + "\n" + `["a", "b"]}`, true},
		{`{"version": 3}`, false},
	} {
		if got := sourceMapNames([]byte(c.smap)); got != c.want {
			t.Errorf("sourceMapNames(%s) = %v, want %v", c.smap, got, c.want)
		}
	}
}
