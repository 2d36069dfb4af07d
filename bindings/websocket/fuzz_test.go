package websocket

import (
	"context"
	"errors"
	"math"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings/network"
)

// tchars are the characters of an HTTP token besides letters and digits (RFC
// 9110 section 5.6.2, https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2),
// which subprotocol names must be (RFC 6455 section 4.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-4.1); step 8 of
// https://websockets.spec.whatwg.org/#dom-websocket-websocket).
const tchars = "!#$%&'*+-.^_`|~"

// refProtocolsOK is an independent statement of the constructor's subprotocol rule.
func refProtocolsOK(ps []string) bool {
	seen := map[string]bool{}
	for _, p := range ps {
		if p == "" {
			return false
		}
		for _, r := range p {
			ok := r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune(tchars, r))
			if !ok {
				return false
			}
		}
		k := strings.ToLower(p)
		if seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

func FuzzCheckProtocols(f *testing.F) {
	for _, s := range []string{"", "chat", "chat\nsuperchat", "a\nA", "a b", "é", "x\n", "v1.json+ws\n~!#$%&'*+-.^_`|", "a\x00b", "K\n\u212a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var ps []string
		if in != "" {
			ps = strings.Split(in, "\n")
		}
		err := checkProtocols(ps)
		if (err == nil) != refProtocolsOK(ps) {
			t.Fatalf("checkProtocols(%q) = %v, want ok=%v", ps, err, refProtocolsOK(ps))
		}
		if err != nil && !errors.Is(err, errSyntax) {
			t.Fatalf("checkProtocols(%q) = %v, not a SyntaxError", ps, err)
		}
	})
}

// refClamp is [Clamp] unsigned short (step 7 of Web IDL's ConvertToInt,
// https://webidl.spec.whatwg.org/#abstract-opdef-converttoint; NaN by step 8):
// clamp to [0, 65535], then round half to even.
func refClamp(x float64) int {
	if math.IsNaN(x) {
		return 0
	}
	x = math.Min(math.Max(x, 0), 65535)
	fl := math.Floor(x)
	switch d := x - fl; {
	case d > 0.5, d == 0.5 && math.Mod(fl, 2) == 1:
		fl++
	}
	return int(fl)
}

// FuzzScriptArguments drives the WebSocket constructor and close() from script with
// arbitrary arguments, through the WebIDL conversions (USVString, the sequence
// branch of the protocols union, [Clamp] unsigned short), and checks the outcome
// against the constructor's and close()'s steps computed in Go. Connections are
// refused by the policy, so nothing leaves the machine.
func FuzzScriptArguments(f *testing.F) {
	f.Add("ws://example.test/chat", "chat\nsuperchat", 1000.0, "bye")
	f.Add("http://example.test:8080/a?b#c", "", 3000.5, "")
	f.Add("wss://[::1]:9/", "a\nA", math.NaN(), "x")
	f.Add("ws://ex ample/", "é", -1.0, strings.Repeat("é", 62))
	f.Add("ftp://x/", "", 4999.5, "\xff")
	f.Add("ws://xn--n3h.test/", "v1", 1e300, "")
	f.Add("//relative", "p", 2999.9999, "r")
	refused := errors.New("refused by the fuzz test")
	f.Fuzz(func(t *testing.T, u, protocols string, code float64, reason string) {
		u, protocols, reason = strings.ToValidUTF8(u, "\uFFFD"), strings.ToValidUTF8(protocols, "\uFFFD"), strings.ToValidUTF8(reason, "\uFFFD")
		var ps []string
		if protocols != "" {
			ps = strings.Split(protocols, "\n")
		}
		// What the steps say.
		want := ""
		tg, err := parseTarget(u, "")
		switch {
		case err != nil:
			want = "throw " + err.Error()
		case checkProtocols(ps) != nil:
			want = "throw SyntaxError"
		default:
			want = "ok " + tg.href
			if err := checkClose(refClamp(code), reason, true); err != nil {
				want += " close " + err.Error()
			} else {
				want += " closing 2"
			}
		}
		e := newEnv(t, Options{Network: &network.Policy{Allow: func(*url.URL, netip.AddrPort) error { return refused }}})
		_ = e.vm.Set("U", u)
		if ps == nil {
			_ = e.vm.Set("P", goja.Undefined())
		} else {
			vs := make([]any, len(ps))
			for i, p := range ps {
				vs[i] = p
			}
			_ = e.vm.Set("P", e.vm.NewArray(vs...))
		}
		_ = e.vm.Set("C", code)
		_ = e.vm.Set("R", reason)
		var got string
		e.loop.Queue(func() {
			v, err := e.vm.RunString(`
				let out;
				try {
					const ws = new WebSocket(U, P);
					out = "ok " + ws.url;
					try { ws.close(C, R); out += " closing " + ws.readyState; } catch (e) { out += " close " + e.name; }
				} catch (e) {
					out = "throw " + e.name;
				}
				out;
			`)
			if err != nil {
				got = "uncaught " + err.Error()
				return
			}
			got = v.String()
		})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.loop.Run(ctx); err != nil {
			t.Fatalf("loop: %v", err)
		}
		if got != want {
			t.Fatalf("new WebSocket(%q, %q).close(%v, %q): script saw %q, the steps say %q", u, ps, code, reason, got, want)
		}
	})
}
