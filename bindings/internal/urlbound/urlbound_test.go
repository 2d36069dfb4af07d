package urlbound

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		input string
		ok    bool
	}{
		{"http://x/" + strings.Repeat("a/", MaxSegments-1), true},
		{"http://x/" + strings.Repeat("a/", MaxSegments+1), false},
		{"/" + strings.Repeat("a\\", MaxSegments+3), false},
		{"http://x/?" + strings.Repeat("a/", 4*MaxSegments), true},
		{"http://x/#" + strings.Repeat("a/", 4*MaxSegments), true},
		{"http://x/" + strings.Repeat("a", 10*MaxAuthority), true},
		{"data:," + strings.Repeat("a", 10*MaxAuthority), true},
		{"mailto:" + strings.Repeat("a", 10*MaxAuthority), true},
		{strings.Repeat("a", 10*MaxAuthority), true},
		{"foo://" + strings.Repeat("a", MaxAuthority), true},
		{"foo://" + strings.Repeat("a", MaxAuthority+1), false},
		{"http://" + strings.Repeat("a", MaxAuthority+1) + "@x/", false},
		{"HTTP:" + strings.Repeat("a", MaxAuthority+1) + "@x/", false},
		{"h\tt\ntp://" + strings.Repeat("a", MaxAuthority+1) + "@x/", false},
		{" \x01wss:\\\\" + strings.Repeat("a", MaxAuthority+1), false},
		{"//" + strings.Repeat("a", MaxAuthority+1), false},
		{"foo:" + strings.Repeat("a", MaxAuthority+1), true},
		{"file:///C|" + strings.Repeat("a", MaxAuthority+1), true},
		{"file:" + strings.Repeat("a", MaxAuthority+1), true},
		{"file:/" + strings.Repeat("a", MaxAuthority+1), true},
		{"file://" + strings.Repeat("a", MaxAuthority+1), false},
		{"FILE:\\\\" + strings.Repeat("a", MaxAuthority+1) + "/x", false},
	} {
		if err := Check(c.input); (err == nil) != c.ok {
			t.Errorf("%.30q (%d bytes): %v, want ok %v", c.input, len(c.input), err, c.ok)
		}
	}
}
