package wptserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

func TestParsePipes(t *testing.T) {
	tests := []struct {
		in   string
		want []pipeCall
	}{
		{"sub", []pipeCall{{name: "sub"}}},
		{"sub(none)|trickle(d1)", []pipeCall{{name: "sub", args: []string{"none"}}, {name: "trickle", args: []string{"d1"}}}},
		{"header(X-A,b\\,c)", []pipeCall{{name: "header", args: []string{"X-A", "b,c"}}}},
		{"header(X-A,a\\nb)", []pipeCall{{name: "header", args: []string{"X-A", "a\nb"}}}},
		{"||status(200", []pipeCall{{name: "status", args: []string{"200"}}}},
		{"gzip()", []pipeCall{{name: "gzip", args: []string{""}}}},
	}
	for _, tc := range tests {
		got, err := parsePipes(tc.in)
		if err != nil {
			t.Errorf("parsePipes(%q): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parsePipes(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseTrickle(t *testing.T) {
	tests := []struct {
		in   string
		want []trickleStep
		err  bool
	}{
		{in: "d1", want: []trickleStep{{kind: trickleDelay, delay: time.Second}}},
		{in: "d1:100:d0.5:r2", want: []trickleStep{
			{kind: trickleDelay, delay: time.Second},
			{kind: trickleBytes, n: 100},
			{kind: trickleDelay, delay: 500 * time.Millisecond},
			{kind: trickleRepeat, n: 2},
		}},
		{in: "10:20", want: []trickleStep{{kind: trickleBytes, n: 30}}},
		{in: "r3", err: true},
		{in: "dx", err: true},
		{in: "", err: true},
	}
	for _, tc := range tests {
		got, err := parseTrickle(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("parseTrickle(%q): error %v", tc.in, err)
			continue
		}
		if !tc.err && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseTrickle(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseTokenList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Upgrade", []string{"Upgrade"}},
		{"keep-alive, Upgrade", []string{"keep-alive", "Upgrade"}},
		{"a,,b", []string{"a", "b"}},
		{",a", []string{"a"}},
		{"a b", nil},
		{"", nil},
		{"a;b", nil},
		{"é", nil},
	}
	for _, tc := range tests {
		got, err := parseTokenList(tc.in)
		if tc.want == nil {
			if err == nil {
				t.Errorf("parseTokenList(%q) = %q, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("parseTokenList(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestParseExtensions(t *testing.T) {
	got, err := parseExtensions(`permessage-deflate; client_max_window_bits, permessage-deflate ; server_max_window_bits = "10" ;server_no_context_takeover, x-foo`)
	if err != nil {
		t.Fatal(err)
	}
	want := []extension{
		{name: "permessage-deflate", params: []extParam{{name: "client_max_window_bits"}}},
		{name: "permessage-deflate", params: []extParam{{name: "server_max_window_bits", value: "10", hasValue: true}, {name: "server_no_context_takeover"}}},
		{name: "x-foo"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{"", ",", "a; ", "a; b=", `a; b="x`, "a b"} {
		if got, err := parseExtensions(bad); err == nil {
			t.Errorf("parseExtensions(%q) = %+v, want an error", bad, got)
		}
	}
	if got := formatExtension(extension{name: "e", params: []extParam{{name: "p", value: "a b", hasValue: true}, {name: "q"}}}); got != `e; p="a b"; q` {
		t.Errorf("formatExtension = %q", got)
	}
}

func TestPyJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"b": 1, "a": 2, "b": 3}`, `{"b": 3, "a": 2}`},
		{`[1.5, 1e16, 1e-05, 100.0, -0, 0.1, 12345678901234567890]`, `[1.5, 1e+16, 1e-05, 100.0, 0, 0.1, 12345678901234567890]`},
		{`"\u00e9\ud83d\ude00\n\u0001/"`, `"\u00e9\ud83d\ude00\n\u0001/"`},
		{`[true, false, null, {}]`, `[true, false, null, {}]`},
	}
	for _, tc := range tests {
		v, err := pyJSONDecode([]byte(tc.in))
		if err != nil {
			t.Errorf("decode %s: %v", tc.in, err)
			continue
		}
		got, err := pyJSONEncode(v)
		if err != nil || string(got) != tc.want {
			t.Errorf("round trip of %s = %s, %v; want %s", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "[1,", "{1: 2}", "[] []"} {
		if _, err := pyJSONDecode([]byte(bad)); err == nil {
			t.Errorf("decode %q succeeded", bad)
		}
	}
}

func TestParseUUID(t *testing.T) {
	want, _ := parseUUID("12345678-1234-5678-1234-567812345678")
	for _, s := range []string{"{12345678-1234-5678-1234-567812345678}", "12345678123456781234567812345678", "urn:uuid:12345678-1234-5678-1234-567812345678", "12345678-1234-5678-1234-567812345678"} {
		got, err := parseUUID(s)
		if err != nil || got != want {
			t.Errorf("parseUUID(%q) = %x, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "x", "12345678-1234-5678-1234-56781234567g"} {
		if _, err := parseUUID(s); err == nil {
			t.Errorf("parseUUID(%q) succeeded", s)
		}
	}
}

func FuzzParsePipes(f *testing.F) {
	for _, s := range []string{"sub", "sub(none)|trickle(d1:10:r2)", "header(a,b\\,c,true)", "status(404", "slice(1,null)", "(|)\\"} {
		f.Add(s)
	}
	env := testEnv(f)
	f.Fuzz(func(t *testing.T, s string) {
		calls, err := parsePipes(s)
		if err != nil {
			return
		}
		for _, c := range calls {
			if c.name == "" && len(c.args) == 0 {
				t.Fatalf("empty call from %q", s)
			}
		}
		resp := newResponse()
		resp.body = []byte("0123456789")
		if err := applyPipes(s, env, resp); err != nil {
			return
		}
		if resp.status < 100 || resp.status > 999 {
			t.Fatalf("status %d from %q", resp.status, s)
		}
	})
}

func FuzzParseTrickle(f *testing.F) {
	for _, s := range []string{"d1", "d1:100:d2:r2", "10:20", "r3", "d-1", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		steps, err := parseTrickle(s)
		if err != nil {
			return
		}
		for i, st := range steps {
			if st.n < 0 || st.delay < 0 {
				t.Fatalf("negative step %+v", st)
			}
			if i > 0 && steps[i-1].kind == st.kind {
				t.Fatalf("adjacent steps of one kind not merged: %+v", steps)
			}
		}
	})
}

func FuzzParseExtensions(f *testing.F) {
	for _, s := range []string{"permessage-deflate", "permessage-deflate; client_max_window_bits", `a; b="c\"d", e`, "a;;", "\r\n a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		exts, err := parseExtensions(s)
		if err != nil {
			return
		}
		parts := make([]string, len(exts))
		for i, e := range exts {
			parts[i] = formatExtension(e)
		}
		again, err := parseExtensions(strings.Join(parts, ", "))
		if err != nil {
			t.Fatalf("formatted %q does not parse: %v", parts, err)
		}
		// Values may differ (a quoted run of white space collapses to one
		// space, as in pywebsocket3), names and structure may not.
		if len(again) != len(exts) {
			t.Fatalf("round trip of %q: %+v != %+v", s, again, exts)
		}
		for i := range exts {
			if again[i].name != exts[i].name || len(again[i].params) != len(exts[i].params) {
				t.Fatalf("round trip of %q: %+v != %+v", s, again, exts)
			}
			for j, p := range exts[i].params {
				if q := again[i].params[j]; q.name != p.name || q.hasValue != p.hasValue {
					t.Fatalf("round trip of %q: %+v != %+v", s, again, exts)
				}
			}
		}
		for _, e := range exts {
			negotiateDeflate(e)
		}
	})
}

func FuzzParseTokenList(f *testing.F) {
	for _, s := range []string{"Upgrade", "keep-alive, Upgrade", "a,,b", "a b", "\r\n\t,x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, err := parseTokenList(s)
		if err != nil {
			return
		}
		for _, tok := range toks {
			if tok == "" || validateSubprotocol(tok) != nil {
				t.Fatalf("token %q from %q is not a token", tok, s)
			}
		}
	})
}

func FuzzPyJSON(f *testing.F) {
	for _, s := range []string{`{"a": [1, 2.5, "x"]}`, `"\ud800"`, `1e400`, `[]`, `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := pyJSONDecode(data)
		if err != nil {
			return
		}
		out, err := pyJSONEncode(v)
		if err != nil {
			t.Fatalf("encode %#v: %v", v, err)
		}
		if !json.Valid(out) && !bytes.Contains(out, []byte("Infinity")) {
			t.Fatalf("encoded %q is not JSON", out)
		}
		v2, err := pyJSONDecode(out)
		if err != nil {
			return
		}
		out2, _ := pyJSONEncode(v2)
		if !bytes.Equal(out, out2) {
			t.Fatalf("not stable: %q then %q", out, out2)
		}
	})
}

func FuzzQuery(f *testing.F) {
	for _, s := range []string{"a=1&b=%C3%A9", "x%", "%zz&&=", "pipe=sub|trickle(d1)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		parseQueryLatin1(q)
		parsePipeQuery(q)
		for _, kv := range parseQS(q) {
			if kv[1] == "" {
				t.Fatalf("blank value kept from %q", q)
			}
		}
		if !strings.Contains(q, "%") && percentDecode(q) != q {
			t.Fatalf("percentDecode changed %q", q)
		}
		wsResource("ws://h/" + q)
	})
}

// discardConn is a net.Conn whose writes go nowhere.
type discardConn struct{ net.Conn }

func (discardConn) Write(p []byte) (int, error) { return len(p), nil }

// FuzzReceive feeds arbitrary client bytes to the frame reader of the echo
// handler.
func FuzzReceive(f *testing.F) {
	masked := func(h ws.Header, p []byte) []byte {
		h.Masked, h.Mask, h.Length = true, [4]byte{9, 8, 7, 6}, int64(len(p))
		var b bytes.Buffer
		ws.WriteHeader(&b, h)
		q := append([]byte(nil), p...)
		ws.Cipher(q, h.Mask, 0)
		b.Write(q)
		return b.Bytes()
	}
	f.Add(masked(ws.Header{Fin: true, OpCode: ws.OpText}, []byte("hi")), false)
	f.Add(append(masked(ws.Header{OpCode: ws.OpBinary}, []byte("a")), masked(ws.Header{Fin: true, OpCode: ws.OpContinuation}, []byte("b"))...), false)
	f.Add(masked(ws.Header{Fin: true, OpCode: ws.OpText, Rsv: ws.Rsv(true, false, false)}, []byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}), true)
	f.Add(masked(ws.Header{Fin: true, OpCode: ws.OpClose}, []byte{3, 232, 'x'}), false)
	f.Add([]byte{0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, false)
	f.Fuzz(func(t *testing.T, data []byte, deflate bool) {
		r := &wsRequest{ctx: context.Background(), handler: wsHandlers["/echo"]}
		r.wsStream = &wsStream{req: r, conn: discardConn{}, br: bufio.NewReader(io.LimitReader(bytes.NewReader(data), int64(len(data))))}
		if deflate {
			r.deflate = &deflateState{}
		}
		for i := 0; i < 1000; i++ {
			m, ok, err := r.receive()
			if err != nil || !ok {
				return
			}
			if !m.binary && !utf8.Valid(m.data) {
				t.Fatalf("invalid UTF-8 text message %q", m.data)
			}
			r.send(m.data, m.binary)
		}
	})
}
