package wsapi

import (
	"context"
	"errors"
	"strings"
	"testing"
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
		{"ws://天気の良い日.test/", "", "ws://xn--n8j6ds53lwwkrqhv28a.test/", nil},
		{"ws://foo bar.com/", base, "", ErrSyntax},
		{"ftp://web-platform.test:8000/", base, "", ErrSyntax},
		{"invalid:", base, "", ErrSyntax},
		{"about:blank", base, "", ErrSyntax},
		{"http://web-platform.test:8000/#", base, "", ErrSyntax},
		{"#test", base, "", ErrSyntax},
		{"echo", "", "", ErrSyntax},
		{"ws://web-platform.test:8888/echo", "https://web-platform.test:8443/", "ws://web-platform.test:8888/echo", nil},
		{"wss://web-platform.test:8444/echo", "https://web-platform.test:8443/", "wss://web-platform.test:8444/echo", nil},
		// Percent-encoded past the bound on an authority, the URL would
		// not parse again.
		{"ws://" + strings.Repeat("é", 1000) + "@h/", "", "ws://" + strings.Repeat("%C3%A9", 1000) + "@h/", nil},
		{"ws://" + strings.Repeat("é", 2000) + "@h/", "", "", ErrSyntax},
	}
	for _, c := range cases {
		tg, err := ParseTarget(c.in, c.base)
		if !errors.Is(err, c.err) {
			t.Errorf("ParseTarget(%.80q, %q) error %v, want %v", c.in, c.base, err, c.err)
			continue
		}
		if err == nil && tg.Href != c.href {
			t.Errorf("ParseTarget(%.80q, %q) = %.80q, want %.80q", c.in, c.base, tg.Href, c.href)
		}
	}
}

func TestTarget(t *testing.T) {
	cases := []struct {
		in     string
		port   int
		origin string
		net    string
	}{
		{"ws://a.test/", 80, "ws://a.test", "ws://a.test/"},
		{"wss://a.test/", 443, "wss://a.test", "wss://a.test/"},
		{"ws://a.test:8888/x?y", 8888, "ws://a.test:8888", "ws://a.test:8888/x?y"},
		{"ws://[::1]:9/", 9, "ws://[::1]:9", "ws://[::1]:9/"},
		{"ws://u:p@a.test/%41b", 80, "ws://a.test", "ws://u:p@a.test/%41b"},
	}
	for _, c := range cases {
		tg, err := ParseTarget(c.in, "")
		if err != nil {
			t.Fatal(err)
		}
		if tg.Port() != c.port || tg.Origin() != c.origin || tg.NetURL().String() != c.net {
			t.Errorf("%q: port %d origin %q net %q, want %d %q %q", c.in, tg.Port(), tg.Origin(), tg.NetURL(), c.port, c.origin, c.net)
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
		{[]string{"a/b"}, false},
	}
	for _, c := range cases {
		if err := CheckProtocols(c.in); (err == nil) != c.ok {
			t.Errorf("CheckProtocols(%q) = %v, want ok=%v", c.in, err, c.ok)
		}
	}
}

func TestCheckClose(t *testing.T) {
	cases := []struct {
		code   int
		reason string
		err    error
	}{
		{NoCode, "", nil},
		{1000, "", nil},
		{3000, "x", nil},
		{4999, strings.Repeat("x", 123), nil},
		{NoCode, strings.Repeat("🔌", 30), nil},
		{NoCode, strings.Repeat("🔌", 31), ErrSyntax},
		{999, "", ErrInvalidAccess},
		{1001, "", ErrInvalidAccess},
		{2999, "", ErrInvalidAccess},
		{5000, "", ErrInvalidAccess},
		{0, "", ErrInvalidAccess},
		{1000, strings.Repeat("x", 124), ErrSyntax},
		{2999, strings.Repeat("x", 124), ErrInvalidAccess},
	}
	for _, c := range cases {
		if err := CheckClose(c.code, c.reason); !errors.Is(err, c.err) {
			t.Errorf("CheckClose(%d, %d bytes) = %v, want %v", c.code, len(c.reason), err, c.err)
		}
	}
}

func TestCloseFrame(t *testing.T) {
	cases := []struct {
		code   int
		reason string
		want   int
	}{
		{NoCode, "", 0},
		{NoCode, "why", 1000},
		{3000, "", 3000},
		{4000, "x", 4000},
	}
	for _, c := range cases {
		if got := CloseFrame(c.code, c.reason); got != c.want {
			t.Errorf("CloseFrame(%d, %q) = %d, want %d", c.code, c.reason, got, c.want)
		}
	}
}

func TestRequestOrigin(t *testing.T) {
	cases := map[string]string{
		"http://web-platform.test:8000/x/y.html": "http://web-platform.test:8000",
		"https://a.test/":                        "https://a.test",
		"file:///tmp/x.js":                       "null",
		"not a url":                              "null",
	}
	for in, want := range cases {
		if got := RequestOrigin(in); got != want {
			t.Errorf("RequestOrigin(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"ws://a/", "http://[::1]:80/#", "wss://xn--n3h.com/%zz?q", "ws://a b/", "ws://\u00e9.test:65536/", "invalid:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		tg, err := ParseTarget(in, "http://web-platform.test:8000/")
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if s := tg.URL.Scheme(); s != "ws" && s != "wss" {
			t.Fatalf("accepted scheme %q", s)
		}
		if p := tg.Port(); p < 0 || p > 65535 {
			t.Fatalf("port %d", p)
		}
		if strings.Contains(tg.Href, "#") {
			t.Fatalf("accepted a fragment: %q", tg.Href)
		}
		_ = tg.NetURL().String()
	})
}

func TestCheckMixedContent(t *testing.T) {
	cases := []struct {
		url, base string
		err       error
	}{
		{"ws://a.test/", "https://a.test/", ErrSecurity},
		{"ws://a.test/", "wss://a.test/", ErrSecurity},
		{"wss://a.test/", "https://a.test/", nil},
		{"ws://a.test/", "http://a.test/", nil},
		{"ws://a.test/", "file:///tmp/x.js", nil},
		{"ws://a.test/", "", nil},
	}
	for _, c := range cases {
		tg, err := ParseTarget(c.url, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := tg.CheckMixedContent(c.base); !errors.Is(err, c.err) {
			t.Errorf("CheckMixedContent(%q from %q) = %v, want %v", c.url, c.base, err, c.err)
		}
	}
}

func TestConnectQueue(t *testing.T) {
	var q ConnectQueue
	ready := func(c chan struct{}) bool {
		select {
		case <-c:
			return true
		default:
			return false
		}
	}
	a, b, c := q.Take("h:1"), q.Take("h:1"), q.Take("h:1")
	other := q.Take("h:2")
	if !ready(a) || ready(b) || ready(c) || !ready(other) {
		t.Fatal("only the first connection to each host and port may start")
	}
	// b gives up while waiting: it leaves the queue without letting c go ahead.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := q.Wait(ctx, "h:1", b); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v", err)
	}
	if ready(c) {
		t.Fatal("c started while a was still connecting")
	}
	q.Done("h:1", a)
	if !ready(c) {
		t.Fatal("c did not start once a was done")
	}
	if err := q.Wait(context.Background(), "h:1", c); err != nil {
		t.Fatal(err)
	}
	q.Done("h:1", c)
	q.Done("h:2", other)
	if len(q.m) != 0 {
		t.Fatalf("queue not empty: %v", q.m)
	}
}

func TestControlAbortCancelsDial(t *testing.T) {
	var c Control
	c.Abort() // nothing recorded: nothing to do
	ctx, cancel := context.WithCancel(context.Background())
	c.Set(nil, cancel)
	c.Abort()
	if ctx.Err() == nil {
		t.Fatal("Abort did not cancel the dial")
	}
}
