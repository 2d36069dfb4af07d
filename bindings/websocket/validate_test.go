package websocket

import (
	"errors"
	"testing"

	"github.com/wsjs/wsjs/bindings/internal/wsapi"
)

func TestParseTarget(t *testing.T) {
	const base = "http://web-platform.test:8000/websockets/x.any.html?wss"
	cases := []struct {
		in, base string
		href     string
		err      error
	}{
		{"ws://web-platform.test:8888/echo", base, "ws://web-platform.test:8888/echo", nil},
		{"http://web-platform.test:8000/", base, "ws://web-platform.test:8000/", nil},
		{"https://web-platform.test:8443/", base, "wss://web-platform.test:8443/", nil},
		{"http://example.com:80/a", "", "ws://example.com/a", nil},
		{"https://example.com:443/a", "", "wss://example.com/a", nil},
		{"http://example.com:443/a", "", "ws://example.com:443/a", nil},
		{"test", base, "ws://web-platform.test:8000/websockets/test", nil},
		{"?", base, "ws://web-platform.test:8000/websockets/x.any.html?", nil},
		{"null", base, "ws://web-platform.test:8000/websockets/null", nil},
		{"ws://天気の良い日.test/", "", "ws://xn--n8j6ds53lwwkrqhv28a.test/", nil},
		{"ws://foo bar.com/", base, "", errSyntax},
		{"wss://foo bar.com/", base, "", errSyntax},
		{"ftp://web-platform.test:8000/", base, "", errSyntax},
		{"mailto:example@example.org", base, "", errSyntax},
		{"about:blank", base, "", errSyntax},
		{"http://web-platform.test:8000/#", base, "", errSyntax},
		{"http://web-platform.test:8000/#test", base, "", errSyntax},
		{"#test", base, "", errSyntax},
		{"echo", "", "", errSyntax},
		{"ws://web-platform.test:8888/echo", "https://web-platform.test:8443/", "ws://web-platform.test:8888/echo", nil},
		{"wss://web-platform.test:8444/echo", "https://web-platform.test:8443/", "wss://web-platform.test:8444/echo", nil},
	}
	for _, c := range cases {
		tg, err := parseTarget(c.in, c.base)
		if !errors.Is(err, c.err) {
			t.Errorf("parseTarget(%q, %q) error %v, want %v", c.in, c.base, err, c.err)
			continue
		}
		if err == nil && tg.href != c.href {
			t.Errorf("parseTarget(%q, %q) = %q, want %q", c.in, c.base, tg.href, c.href)
		}
	}
}

func TestTargetPortAndOrigin(t *testing.T) {
	cases := []struct {
		in     string
		port   int
		origin string
	}{
		{"ws://a.test/", 80, "ws://a.test"},
		{"wss://a.test/", 443, "wss://a.test"},
		{"ws://a.test:8888/x?y", 8888, "ws://a.test:8888"},
		{"ws://[::1]:9/", 9, "ws://[::1]:9"},
	}
	for _, c := range cases {
		tg, err := parseTarget(c.in, "")
		if err != nil {
			t.Fatal(err)
		}
		if tg.port() != c.port || tg.origin() != c.origin {
			t.Errorf("%q: port %d origin %q, want %d %q", c.in, tg.port(), tg.origin(), c.port, c.origin)
		}
	}
}

func TestCheckProtocols(t *testing.T) {
	cases := []struct {
		in []string
		ok bool
	}{
		{nil, true},
		{[]string{"echo"}, true},
		{[]string{"echo", "chat.v2", "a!#$%&'*+-.^_`|~9"}, true},
		{[]string{""}, false},
		{[]string{"echo", "echo"}, false},
		{[]string{"echo", "eCho"}, false},
		{[]string{"ec ho"}, false},
		{[]string{"échø"}, false},
		{[]string{"a,b"}, false},
		{[]string{"a\x7f"}, false},
		{[]string{"\x1f"}, false},
		{[]string{"a/b"}, false},
	}
	for _, c := range cases {
		if err := checkProtocols(c.in); (err == nil) != c.ok {
			t.Errorf("checkProtocols(%q) = %v, want ok=%v", c.in, err, c.ok)
		}
	}
}

func TestCheckClose(t *testing.T) {
	long := string(make([]byte, 124))
	cases := []struct {
		code      int
		reason    string
		hasReason bool
		err       error
	}{
		{-1, "", false, nil},
		{1000, "", false, nil},
		{3000, "x", true, nil},
		{4999, string(make([]byte, 123)), true, nil},
		{999, "", false, errInvalidAccess},
		{1001, "", false, errInvalidAccess},
		{2999, "", false, errInvalidAccess},
		{5000, "", false, errInvalidAccess},
		{0, "", false, errInvalidAccess},
		{1000, long, true, errSyntax},
		{2999, long, true, errInvalidAccess},
	}
	for _, c := range cases {
		if err := checkClose(c.code, c.reason, c.hasReason); !errors.Is(err, c.err) {
			t.Errorf("checkClose(%d, %d bytes) = %v, want %v", c.code, len(c.reason), err, c.err)
		}
	}
}

func TestBadPorts(t *testing.T) {
	for _, p := range []int{1, 22, 25, 6667, 10080} {
		if !wsapi.BadPort(p) {
			t.Errorf("port %d should be bad", p)
		}
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"ws://a/", "http://[::1]:80/#", "wss://xn--n3h.com/%zz?q", "ws://a b/", "ws://\u00e9.test:65536/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		tg, err := parseTarget(in, "http://web-platform.test:8000/")
		if err != nil {
			return
		}
		if s := tg.url.Scheme(); s != "ws" && s != "wss" {
			t.Fatalf("accepted scheme %q", s)
		}
		if tg.port() < 0 || tg.port() > 65535 {
			t.Fatalf("port %d", tg.port())
		}
	})
}
