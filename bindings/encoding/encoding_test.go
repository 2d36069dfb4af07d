package encoding

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

func TestInterfaces(t *testing.T) {
	vm, _ := newVM(t)
	if _, err := vm.RunString(describeJS); err != nil {
		t.Fatal(err)
	}
	checks := []string{
		`describe(globalThis, "TextEncoder") === "value,writable,configurable"`,
		`describe(globalThis, "TextDecoder") === "value,writable,configurable"`,
		`TextEncoder.length === 0 && TextDecoder.length === 0`,
		`describe(TextEncoder.prototype, "encoding") === "get,enumerable,configurable"`,
		`describe(TextEncoder.prototype, "encode") === "value,writable,enumerable,configurable"`,
		`TextEncoder.prototype.encode.length === 0 && TextEncoder.prototype.encodeInto.length === 2`,
		`describe(TextDecoder.prototype, "encoding") === "get,enumerable,configurable"`,
		`describe(TextDecoder.prototype, "fatal") === "get,enumerable,configurable"`,
		`describe(TextDecoder.prototype, "ignoreBOM") === "get,enumerable,configurable"`,
		`TextDecoder.prototype.decode.length === 0`,
		`String(new TextEncoder()) === "[object TextEncoder]" && String(new TextDecoder()) === "[object TextDecoder]"`,
		`(() => { try { TextDecoder(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { TextEncoder.prototype.encode.call(new TextDecoder(), "x"); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Object.getOwnPropertyDescriptor(TextDecoder.prototype, "encoding").get.call({}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new TextEncoder().encodeInto("x"); return false } catch (e) { return e instanceof TypeError } })()`,
		`new TextEncoder().encoding === "utf-8"`,
		`(() => { const d = new TextDecoder(); return d.encoding === "utf-8" && d.fatal === false && d.ignoreBOM === false })()`,
		`(() => { const d = new TextDecoder("utf-16", {fatal: 1, ignoreBOM: "yes"}); return d.encoding === "utf-16le" && d.fatal === true && d.ignoreBOM === true })()`,
		`(() => { class D extends TextDecoder { get x() { return this.encoding } } return new D("latin1").x === "windows-1252" })()`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}
}

func TestEncode(t *testing.T) {
	vm, _ := newVM(t)
	cases := []struct{ expr, want string }{
		{`new TextEncoder().encode()`, ``},
		{`new TextEncoder().encode(undefined)`, ``},
		{`new TextEncoder().encode("")`, ``},
		{`new TextEncoder().encode(null)`, `110,117,108,108`},
		{`new TextEncoder().encode("A€")`, `65,226,130,172`},
		{`new TextEncoder().encode("\u{1D306}")`, `240,157,140,134`},
		{`new TextEncoder().encode("\uD800")`, `239,191,189`},
		{`new TextEncoder().encode("a\uDC00b")`, `97,239,191,189,98`},
		{`new TextEncoder().encode({toString() { return "x" }})`, `120`},
		{`new TextEncoder().encode(Symbol())`, `throws TypeError`},
		{`Object.getPrototypeOf(new TextEncoder().encode("x")) === Uint8Array.prototype`, `true`},
		{`new TextEncoder().encode("x").buffer.byteLength`, `1`},
		{`(() => { const e = new TextEncoder(); return e.encode("a") !== e.encode("a") })()`, `true`},
	}
	for _, c := range cases {
		if got := evalString(t, vm, c.expr); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
}

func TestEncodeInto(t *testing.T) {
	vm, _ := newVM(t)
	if _, err := vm.RunString(`function into(s, n, off) {
		const buf = new ArrayBuffer(n + 2);
		const dst = new Uint8Array(buf, 1, n);
		const r = new TextEncoder().encodeInto(s, dst);
		return [r.read, r.written, Array.from(new Uint8Array(buf)).join(" ")].join("|");
	}`); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ expr, want string }{
		{`into("Hi", 4)`, `2|2|0 72 105 0 0 0`},
		{`into("", 2)`, `0|0|0 0 0 0`},
		{`into("€", 2)`, `0|0|0 0 0 0`},
		{`into("€", 3)`, `1|3|0 226 130 172 0`},
		{`into("a\u{1D306}", 4)`, `1|1|0 97 0 0 0 0`},
		{`into("a\u{1D306}", 5)`, `3|5|0 97 240 157 140 134 0`},
		{`into("\uD800", 3)`, `1|3|0 239 191 189 0`},
		{`into("\uD800x", 3)`, `1|3|0 239 191 189 0`},
		{`into("abc", 0)`, `0|0|0 0`},
		{`Object.keys(new TextEncoder().encodeInto("a", new Uint8Array(1))).join()`, `read,written`},
		{`new TextEncoder().encodeInto("a", new Int8Array(1))`, `throws TypeError`},
		{`new TextEncoder().encodeInto("a", new Uint8ClampedArray(1))`, `throws TypeError`},
		{`new TextEncoder().encodeInto("a", new ArrayBuffer(1))`, `throws TypeError`},
		{`new TextEncoder().encodeInto("a", [0])`, `throws TypeError`},
		{`new TextEncoder().encodeInto("a", new DataView(new ArrayBuffer(1)))`, `throws TypeError`},
	}
	for _, c := range cases {
		if got := evalString(t, vm, c.expr); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
}

func TestLabels(t *testing.T) {
	vm, _ := newVM(t)
	cases := []struct{ label, want string }{
		{`undefined`, `utf-8`},
		{`"utf-8"`, `utf-8`},
		{`" \t\n\f\rUTF-8\r "`, `utf-8`},
		{`"unicode-1-1-utf-8"`, `utf-8`},
		{`"UTF8"`, `utf-8`},
		{`"utf-16"`, `utf-16le`},
		{`"UTF-16LE"`, `utf-16le`},
		{`"unicodefffe"`, `utf-16be`},
		{`"utf-16be"`, `utf-16be`},
		{`"latin1"`, `windows-1252`},
		{`"ascii"`, `windows-1252`},
		{`"iso-8859-1"`, `windows-1252`},
		{`"iso-8859-2"`, `iso-8859-2`},
		{`"ISO-8859-8-I"`, `iso-8859-8-i`},
		{`"koi8-u"`, `koi8-u`},
		{`"x-user-defined"`, `x-user-defined`},
		{`"gb2312"`, `gbk`},
		{`"gb18030"`, `gb18030`},
		{`"big5"`, `big5`},
		{`"sjis"`, `shift_jis`},
		{`"euc-jp"`, `euc-jp`},
		{`"iso-2022-jp"`, `iso-2022-jp`},
		{`"korean"`, `euc-kr`},
		{`"x-mac-cyrillic"`, `x-mac-cyrillic`},
		{`"replacement"`, `throws RangeError`},
		{`"iso-2022-kr"`, `throws RangeError`},
		{`"hz-gb-2312"`, `throws RangeError`},
		{`""`, `throws RangeError`},
		{`"utf-7"`, `throws RangeError`},
		{`"utf-32"`, `throws RangeError`},
		{`"\vutf-8"`, `throws RangeError`},
		{`"utf-8\u00A0"`, `throws RangeError`},
		{`"\u212Aoi8-r"`, `throws RangeError`},
		{`"utf\u00008"`, `throws RangeError`},
		{`"utf 8"`, `throws RangeError`},
		{`null`, `throws RangeError`},
		{`Symbol()`, `throws TypeError`},
	}
	for _, c := range cases {
		expr := fmt.Sprintf(`new TextDecoder(%s).encoding`, c.label)
		if got := evalString(t, vm, expr); got != c.want {
			t.Errorf("%s = %q, want %q", expr, got, c.want)
		}
	}
}

func TestDecode(t *testing.T) {
	vm, _ := newVM(t)
	if _, err := vm.RunString(`function hex(s) { return Array.from(s, c => c.codePointAt(0).toString(16)).join(" ") }
	function dec(label, bytes, opts) { return hex(new TextDecoder(label, opts).decode(new Uint8Array(bytes))) }`); err != nil {
		t.Fatal(err)
	}
	fatal := `{fatal: true}`
	cases := []struct {
		label, bytes, opts, want string
	}{
		{"utf-8", `[0x41, 0xE2, 0x82, 0xAC, 0xF0, 0x9D, 0x8C, 0x86]`, ``, `41 20ac 1d306`},
		{"utf-8", `[0xEF, 0xBB, 0xBF, 0x41]`, ``, `41`},
		{"utf-8", `[0xEF, 0xBB, 0xBF, 0x41]`, `{ignoreBOM: true}`, `feff 41`},
		{"utf-8", `[0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF]`, ``, `feff`},
		{"utf-8", `[0x41, 0xEF, 0xBB, 0xBF]`, ``, `41 feff`},
		{"utf-8", `[0xE2, 0x82]`, ``, `fffd`},
		{"utf-8", `[0xE2, 0x82, 0x41]`, ``, `fffd 41`},
		{"utf-8", `[0xF0, 0x80, 0x80]`, ``, `fffd fffd fffd`},
		{"utf-8", `[0xED, 0xA0, 0x80]`, ``, `fffd fffd fffd`},
		{"utf-8", `[0xC0, 0xAF]`, ``, `fffd fffd`},
		{"utf-8", `[0xF4, 0x90, 0x80, 0x80]`, ``, `fffd fffd fffd fffd`},
		{"utf-8", `[0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2]`, ``, `fffd fffd fffd`},
		{"utf-8", `[0x80, 0xBF, 0xFE, 0xFF]`, ``, `fffd fffd fffd fffd`},
		{"utf-8", `[0xEF, 0xBF, 0xBD]`, fatal, `fffd`},
		{"utf-8", `[0x41, 0xFF]`, fatal, `throws TypeError`},
		{"utf-8", `[0xE2, 0x82]`, fatal, `throws TypeError`},
		{"utf-16le", `[0x41, 0x00, 0xAC, 0x20]`, ``, `41 20ac`},
		{"utf-16le", `[0xFF, 0xFE, 0x41, 0x00]`, ``, `41`},
		{"utf-16le", `[0xFF, 0xFE, 0x41, 0x00]`, `{ignoreBOM: true}`, `feff 41`},
		{"utf-16le", `[0x34, 0xD8, 0x06, 0xDF]`, ``, `1d306`},
		{"utf-16le", `[0x00, 0xD8]`, ``, `fffd`},
		{"utf-16le", `[0x00, 0xD8, 0x41, 0x00]`, ``, `fffd 41`},
		{"utf-16le", `[0x00, 0xD8, 0x00, 0xD8, 0x00, 0xDC]`, ``, `fffd 10000`},
		{"utf-16le", `[0x00, 0xDC, 0x41, 0x00]`, ``, `fffd 41`},
		{"utf-16le", `[0x41]`, ``, `fffd`},
		{"utf-16le", `[0x41, 0x00, 0x42]`, ``, `41 fffd`},
		{"utf-16le", `[0x00, 0xD8, 0x41]`, ``, `fffd`},
		{"utf-16le", `[0x00, 0xDC]`, fatal, `throws TypeError`},
		{"utf-16le", `[0x41]`, fatal, `throws TypeError`},
		{"utf-16be", `[0x00, 0x41, 0xD8, 0x34, 0xDF, 0x06]`, ``, `41 1d306`},
		{"utf-16be", `[0xFE, 0xFF, 0x00, 0x41]`, ``, `41`},
		{"utf-16be", `[0xFF, 0xFE, 0x00, 0x41]`, ``, `fffe 41`},
		{"windows-1252", `[0x41, 0x80, 0x81, 0x8D, 0x9F, 0xA0, 0xFF]`, ``, `41 20ac 81 8d 178 a0 ff`},
		{"windows-1252", `[0xEF, 0xBB, 0xBF]`, ``, `ef bb bf`},
		{"windows-1253", `[0xAA]`, ``, `fffd`},
		{"windows-1253", `[0xAA]`, fatal, `throws TypeError`},
		{"iso-8859-8-i", `[0xE0, 0xFA]`, ``, `5d0 5ea`},
		{"iso-8859-2", `[0x80, 0xA1]`, ``, `80 104`},
		{"koi8-r", `[0xC1]`, ``, `430`},
		{"ibm866", `[0x80]`, ``, `410`},
		{"x-user-defined", `[0x41, 0x80, 0xFF]`, ``, `41 f780 f7ff`},
		{"gbk", `[0xC4, 0xE3, 0x41]`, ``, `4f60 41`},
		{"gb18030", `[0x81, 0x30, 0x81, 0x30]`, ``, `80`},
		{"big5", `[0xA4, 0x40]`, ``, `4e00`},
		{"shift_jis", `[0x82, 0xA0]`, ``, `3042`},
		{"euc-jp", `[0xA4, 0xA2]`, ``, `3042`},
		{"iso-2022-jp", `[0x1B, 0x24, 0x42, 0x24, 0x22, 0x1B, 0x28, 0x42]`, ``, `3042`},
		{"euc-kr", `[0xB0, 0xA1]`, ``, `ac00`},
		{"shift_jis", `[0x82]`, ``, `fffd`},
		{"shift_jis", `[0x82]`, fatal, `throws TypeError`},
	}
	for _, c := range cases {
		opts := c.opts
		if opts == "" {
			opts = "undefined"
		}
		expr := fmt.Sprintf(`dec(%q, %s, %s)`, c.label, c.bytes, opts)
		if got := evalString(t, vm, expr); got != c.want {
			t.Errorf("%s = %q, want %q", expr, got, c.want)
		}
	}
}

func TestDecodeInputsAndStreaming(t *testing.T) {
	vm, _ := newVM(t)
	cases := []struct{ expr, want string }{
		{`new TextDecoder().decode()`, ``},
		{`new TextDecoder().decode(undefined)`, ``},
		{`new TextDecoder().decode(new Uint8Array([0x61, 0x62]).buffer)`, `ab`},
		{`new TextDecoder().decode(new DataView(new Uint8Array([0x61, 0x62, 0x63]).buffer, 1, 1))`, `b`},
		{`new TextDecoder().decode(new Uint16Array([0x6261]))`, `ab`},
		{`new TextDecoder().decode(new Uint8Array([1, 0x61, 0x62, 2]).subarray(1, 3))`, `ab`},
		{`new TextDecoder().decode("ab")`, `throws TypeError`},
		{`new TextDecoder().decode(null)`, `throws TypeError`},
		{`new TextDecoder().decode([0x61])`, `throws TypeError`},
		{`new TextDecoder().decode(new Uint8Array(0), 5)`, `throws TypeError`},
		// The input is copied after the options are converted.
		{`(() => { const u = new Uint8Array([0x41]); return new TextDecoder().decode(u, {get stream() { u[0] = 0x42; return false }}) })()`, `B`},
		// Streaming keeps partial sequences between calls.
		{`(() => { const d = new TextDecoder(); return [d.decode(new Uint8Array([0xE2]), {stream: true}), d.decode(new Uint8Array([0x82]), {stream: true}), d.decode(new Uint8Array([0xAC]), {stream: true}), d.decode()].join("|") })()`, `||€|`},
		{`(() => { const d = new TextDecoder(); return [d.decode(new Uint8Array([0x41, 0xE2]), {stream: true}), d.decode()].join("|") })()`, "A|\uFFFD"},
		{`(() => { const d = new TextDecoder("utf-8", {fatal: true}); d.decode(new Uint8Array([0xE2]), {stream: true}); return d.decode() })()`, `throws TypeError`},
		{`(() => { const d = new TextDecoder("utf-8", {fatal: true}); d.decode(new Uint8Array([0xE2]), {stream: true}); return d.decode(new Uint8Array([0x82, 0xAC])) })()`, `€`},
		// The BOM is stripped once per stream, also when split.
		{`(() => { const d = new TextDecoder(); return [d.decode(new Uint8Array([0xEF, 0xBB]), {stream: true}), d.decode(new Uint8Array([0xBF, 0xEF, 0xBB, 0xBF]), {stream: true}), d.decode(new Uint8Array([0x41]))].join("|") === "|\uFEFF|A" })()`, `true`},
		{`(() => { const d = new TextDecoder(); d.decode(new Uint8Array([0x41]), {stream: true}); return d.decode(new Uint8Array([0xEF, 0xBB, 0xBF])).charCodeAt(0) })()`, `65279`},
		// A call without stream starts a new stream: the BOM is stripped again.
		{`(() => { const d = new TextDecoder(); d.decode(new Uint8Array([0xEF, 0xBB, 0xBF])); return d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x41])) })()`, `A`},
		// A pending sequence is dropped when a non-streaming call ends it,
		// and the next call starts afresh.
		{`(() => { const d = new TextDecoder(); d.decode(new Uint8Array([0xE2]), {stream: true}); d.decode(); return d.decode(new Uint8Array([0x82])) })()`, "\uFFFD"},
		{`(() => { const d = new TextDecoder("utf-16le"); return [d.decode(new Uint8Array([0x34]), {stream: true}), d.decode(new Uint8Array([0xD8, 0x06]), {stream: true}), d.decode(new Uint8Array([0xDF]))].join("|") })()`, "||\U0001D306"},
		{`(() => { const d = new TextDecoder("shift_jis"); return d.decode(new Uint8Array([0x82]), {stream: true}) + d.decode(new Uint8Array([0xA0])) })()`, "あ"},
		{`(() => { const d = new TextDecoder("gb18030"); return d.decode(new Uint8Array([0x81, 0x30]), {stream: true}) + d.decode(new Uint8Array([0x81, 0x30])) })()`, "\u0080"},
	}
	for _, c := range cases {
		if got := evalString(t, vm, c.expr); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
}

func TestUTF8Decode(t *testing.T) {
	cases := []struct {
		in, want, wantNoBOM string
	}{
		{"", "", ""},
		{"abc", "abc", "abc"},
		{"\xEF\xBB\xBFabc", "abc", "\uFEFFabc"},
		{"\xEF\xBB\xBF\xEF\xBB\xBF", "\uFEFF", "\uFEFF\uFEFF"},
		{"a\xFFb", "a\uFFFDb", "a\uFFFDb"},
		{"\xE2\x82", "\uFFFD", "\uFFFD"},
		{"\xF0\x9D\x8C", "\uFFFD", "\uFFFD"},
		{"\xF0\x9D\x8C\x86", "\U0001D306", "\U0001D306"},
		{"\xED\xBF\xBF", strings.Repeat("\uFFFD", 3), strings.Repeat("\uFFFD", 3)},
	}
	for _, c := range cases {
		if got := UTF8Decode([]byte(c.in)); got != c.want {
			t.Errorf("UTF8Decode(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := UTF8DecodeWithoutBOM([]byte(c.in)); got != c.wantNoBOM {
			t.Errorf("UTF8DecodeWithoutBOM(%q) = %q, want %q", c.in, got, c.wantNoBOM)
		}
	}
}

// TestEncodeInterruptible checks that TextEncoder's encode of a long string
// sees an interrupt that comes while the string is converted to UTF-8
// (webidl's ToUSVString, in pieces): goja converts one whole in one Go
// call, seconds for hundreds of megabytes.
func TestEncodeInterruptible(t *testing.T) {
	vm, _ := newVM(t)
	long, err := vm.RunString(`"é\u{1F600}".repeat(2 ** 23)`) // 24 Mi units
	if err != nil {
		t.Fatal(err)
	}
	jstest.InterruptInside(t, vm, "new TextEncoder().encode(input)", long, 100*time.Millisecond)
}
