package url

import (
	"runtime"
	"strings"
	"testing"
	"weak"

	"github.com/dop251/goja"
)

func TestURLInterface(t *testing.T) {
	vm, _, _ := newVM(t)
	checks := []string{
		`describe(globalThis, "URL") === "value,writable,configurable" && describe(globalThis, "URLSearchParams") === "value,writable,configurable"`,
		`URL.length === 1 && URLSearchParams.length === 0`,
		`["href", "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash"].every(k => describe(URL.prototype, k) === "get,set,enumerable,configurable")`,
		`["origin", "searchParams"].every(k => describe(URL.prototype, k) === "get,enumerable,configurable")`,
		`["toJSON", "toString"].every(k => describe(URL.prototype, k) === "value,writable,enumerable,configurable" && URL.prototype[k].length === 0)`,
		`["parse", "canParse"].every(k => describe(URL, k) === "value,writable,enumerable,configurable" && URL[k].length === 1)`,
		`String(new URL("http://a/")) === "http://a/" && Object.prototype.toString.call(new URL("http://a/")) === "[object URL]"`,
		`(() => { try { URL("http://a/"); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new URL(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { URL.prototype.toString.call({}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Object.getOwnPropertyDescriptor(URL.prototype, "href").get.call(new URLSearchParams()); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { class U extends URL { get h() { return this.hostname } } return new U("http://x/").h === "x" })()`,
		`JSON.stringify({u: new URL("http://a/b c")}) === '{"u":"http://a/b%20c"}'`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}
}

func TestURL(t *testing.T) {
	vm, _, _ := newVM(t)
	if _, err := vm.RunString(`function parts(u) { return [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash].join(" ") }`); err != nil {
		t.Fatal(err)
	}
	runCases(t, vm, []jsCase{
		{`parts(new URL("HTTPS://u:p@EXAMPLE.com:8443/a/../b?q=1#f"))`, `https://u:p@example.com:8443/b?q=1#f https://example.com:8443 https: u p example.com:8443 example.com 8443 /b ?q=1 #f`},
		{`parts(new URL("b?x", "ws://h/a/"))`, `ws://h/a/b?x ws://h ws:   h h  /a/b ?x `},
		{`parts(new URL("http://a/?#"))`, `http://a/?# http://a http:   a a  /  `},
		{`new URL("x", undefined)`, `throws TypeError`},
		{`new URL("http://a/", "")`, `throws TypeError`},
		{`new URL("x", "")`, `throws TypeError`},
		{`new URL("http://a/", "not a url")`, `throws TypeError`},
		{`new URL("ws://foo bar.com/")`, `throws TypeError`},
		{`new URL("http://\uD800/")`, `throws TypeError`},
		{`new URL("http://a/\uD800").pathname`, `/%EF%BF%BD`},
		{`new URL({toString() { return "http://o/" }}).host`, `o`},
		{`new URL("http://天気の良い日.web-platform.test:8000/").host`, `xn--n8j6ds53lwwkrqhv28a.web-platform.test:8000`},
		{`new URL("blob:https://a.org/uuid").origin`, `https://a.org`},
		{`new URL("file:///x").origin`, `null`},
		{`URL.parse("http://a/b").pathname`, `/b`},
		{`URL.parse("b", "http://a/c/").href`, `http://a/c/b`},
		{`URL.parse("nope")`, `null`},
		{`URL.parse("http://a/", "nope")`, `null`},
		{`URL.parse()`, `throws TypeError`},
		{`URL.parse("http://a/") instanceof URL && URL.parse("http://a/") !== URL.parse("http://a/")`, `true`},
		{`[URL.canParse("http://a/"), URL.canParse("a"), URL.canParse("a", "http://b/"), URL.canParse("a", "b")].join()`, `true,false,true,false`},
		{`URL.canParse()`, `throws TypeError`},
		{`new URL("http://a/").toJSON()`, `http://a/`},
	})
}

func TestURLSetters(t *testing.T) {
	vm, _, _ := newVM(t)
	if _, err := vm.RunString(`function set(href, attr, value) { const u = new URL(href); u[attr] = value; return u.href }`); err != nil {
		t.Fatal(err)
	}
	runCases(t, vm, []jsCase{
		{`set("http://a/", "href", "ws://b/c")`, `ws://b/c`},
		{`set("http://a/", "href", "relative")`, `throws TypeError`},
		{`set("http://a/", "protocol", "https")`, `https://a/`},
		{`set("http://a/", "protocol", "wss:")`, `wss://a/`},
		{`set("http://a/", "protocol", "file")`, `file://a/`},
		{`set("http://a:1/", "protocol", "file")`, `http://a:1/`},
		{`set("http://a/", "protocol", "foo")`, `http://a/`},
		{`set("http://a:443/", "protocol", "https")`, `https://a/`},
		{`set("http://a/", "username", "u s")`, `http://u%20s@a/`},
		{`set("http://a/", "password", "p@")`, `http://:p%40@a/`},
		{`set("file:///x", "username", "u")`, `file:///x`},
		{`set("http://a/", "host", "b:8080")`, `http://b:8080/`},
		{`set("http://a/", "host", "")`, `http://a/`},
		{`set("http://a:1/", "hostname", "b:2")`, `http://a:1/`},
		{`set("http://a:1/", "hostname", "b")`, `http://b:1/`},
		{`set("http://a/", "hostname", "\u0772" + "7".repeat(1024))`, `http://a/`},
		{`set("http://a/", "host", "\u0772" + "7".repeat(1024) + ":1")`, `http://a/`},
		{`set("http://a/", "username", "é".repeat(1000))`, `http://` + strings.Repeat("%C3%A9", 1000) + `@a/`},
		{`set("http://a/", "username", "é".repeat(2000))`, `http://a/`},
		{`set("foo://a/", "host", "é".repeat(2000))`, `foo://a/`},
		{`set("http://a/", "port", "8080")`, `http://a:8080/`},
		{`set("http://a:1/", "port", "")`, `http://a/`},
		{`set("http://a/", "port", "80")`, `http://a/`},
		{`set("http://a/", "port", "99999")`, `http://a/`},
		{`set("http://a/", "port", "12ab")`, `http://a:12/`},
		{`set("http://a/", "pathname", "x y/../z")`, `http://a/z`},
		{`set("mailto:x", "pathname", "y")`, `mailto:x`},
		{`set("http://a/", "search", "q=1 2")`, `http://a/?q=1%202`},
		{`set("http://a/", "search", "??x")`, `http://a/??x`},
		{`set("http://a/?x", "search", "")`, `http://a/`},
		{`set("http://a/?x", "search", "?")`, `http://a/?`},
		{`set("http://a/", "hash", "h h")`, `http://a/#h%20h`},
		{`set("http://a/#x", "hash", "")`, `http://a/`},
		{`set("sc:space   ?q", "search", "")`, `sc:space  %20`},
		{`set("sc:space   #f", "hash", "")`, `sc:space  %20`},
		{`set("http://a/", "search", "\uD800")`, `http://a/?%EF%BF%BD`},
		{`(() => { const u = new URL("http://a/"); u.origin = "http://b"; return u.href })()`, `http://a/`},
		{`(() => { "use strict"; const u = new URL("http://a/"); try { u.origin = "x"; return "no" } catch (e) { return e.name } })()`, `TypeError`},
	})
}

func TestSearchParams(t *testing.T) {
	vm, _, _ := newVM(t)
	runCases(t, vm, []jsCase{
		{`new URLSearchParams().toString()`, ``},
		{`new URLSearchParams("?a=1&b=2&a=3").getAll("a").join()`, `1,3`},
		{`new URLSearchParams("??a=1").toString()`, `%3Fa=1`},
		{`new URLSearchParams("a=b+c%20d").get("a")`, `b c d`},
		{`new URLSearchParams(null).toString()`, `null=`},
		{`new URLSearchParams(123).toString()`, `123=`},
		{`new URLSearchParams([["a", "1"], ["b", 2]]).toString()`, `a=1&b=2`},
		{`new URLSearchParams([["a"]])`, `throws TypeError`},
		{`new URLSearchParams([["a", "b", "c"]])`, `throws TypeError`},
		{`new URLSearchParams(["ab"])`, `throws TypeError`},
		{`new URLSearchParams({a: "1", "b c": "x&y"}).toString()`, `a=1&b+c=x%26y`},
		{`new URLSearchParams({[Symbol()]: "x"})`, `throws TypeError`},
		{`new URLSearchParams(Object.defineProperty({}, "h", {value: 1, enumerable: false})).toString()`, ``},
		{`new URLSearchParams(new URLSearchParams("x=1&y=2")).toString()`, `x=1&y=2`},
		{`new URLSearchParams(new Map([["k", "v"]])).toString()`, `k=v`},
		{`new URLSearchParams({"\uD800": "\uDC00"}).toString()`, `%EF%BF%BD=%EF%BF%BD`},
		{`new URLSearchParams("a=1&a=2&b=3").size`, `3`},
		{`(() => { const p = new URLSearchParams("a=1"); p.append("a", "2"); p.append("b c", "é"); return p.toString() })()`, `a=1&a=2&b+c=%C3%A9`},
		{`(() => { const p = new URLSearchParams("a=1&b=2&a=3&a=1"); p.delete("a", "1"); return p.toString() })()`, `b=2&a=3`},
		{`(() => { const p = new URLSearchParams("a=1&b=2&a=3"); p.delete("a"); return p.toString() })()`, `b=2`},
		{`(() => { const p = new URLSearchParams("a=1&b=2&a=3"); p.delete("a", undefined); return p.toString() })()`, `b=2`},
		{`new URLSearchParams("a=1").get("b")`, `null`},
		{`new URLSearchParams("a=&a=2").get("a")`, ``},
		{`new URLSearchParams("a=1").getAll("b").length`, `0`},
		{`[new URLSearchParams("a=1").has("a"), new URLSearchParams("a=1").has("a", "2"), new URLSearchParams("a=1").has("a", "1"), new URLSearchParams("a=1").has("b")].join()`, `true,false,true,false`},
		{`(() => { const p = new URLSearchParams("a=1&b=2&a=3&c=4"); p.set("a", "x"); return p.toString() })()`, `a=x&b=2&c=4`},
		{`(() => { const p = new URLSearchParams("a=1"); p.set("b", "2"); return p.toString() })()`, `a=1&b=2`},
		{`(() => { const p = new URLSearchParams("z=1&a=2&\uFFFD=3&\u{1D306}=4&a=1&=0"); p.sort(); return Array.from(p.keys()).map(k => k.length ? k.codePointAt(0).toString(16) : "").join() })()`, `,61,61,7a,1d306,fffd`},
		{`(() => { const p = new URLSearchParams("b=1&a=2&b=0&a=1"); p.sort(); return p.toString() })()`, `a=2&a=1&b=1&b=0`},
		{`new URLSearchParams().append("a")`, `throws TypeError`},
		{`new URLSearchParams().set("a")`, `throws TypeError`},
		{`new URLSearchParams().get()`, `throws TypeError`},
		{`new URLSearchParams().has()`, `throws TypeError`},
		{`new URLSearchParams().delete()`, `throws TypeError`},
		{`new URLSearchParams().getAll()`, `throws TypeError`},
		{`URLSearchParams.prototype.toString.call(new URL("http://a/"))`, `throws TypeError`},
	})
}

func TestSearchParamsLink(t *testing.T) {
	vm, _, _ := newVM(t)
	runCases(t, vm, []jsCase{
		{`(() => { const u = new URL("http://a/?x=1"); return u.searchParams === u.searchParams && u.searchParams.get("x") })()`, `1`},
		{`(() => { const u = new URL("http://a/?x=1"); u.searchParams.append("y", "a b"); return u.href })()`, `http://a/?x=1&y=a+b`},
		{`(() => { const u = new URL("http://a/?x=1#f"); u.searchParams.delete("x"); return u.href })()`, `http://a/#f`},
		{`(() => { const u = new URL("sc:opaque  ?x=1"); u.searchParams.delete("x"); return u.href })()`, `sc:opaque %20`},
		{`(() => { const u = new URL("sc:opaque  ?x=1#f"); u.searchParams.delete("x"); return u.href })()`, `sc:opaque %20#f`},
		{`(() => { const u = new URL("http://a/?b=2&a=1"); u.searchParams.sort(); return u.search })()`, `?a=1&b=2`},
		{`(() => { const u = new URL("http://a/?q=%7E~"); u.searchParams.set("q", "~"); return u.search })()`, `?q=%7E`},
		{`(() => { const u = new URL("http://a/"); const p = u.searchParams; u.search = "?k=v&k=w"; return p.getAll("k").join() + "|" + p.size })()`, `v,w|2`},
		{`(() => { const u = new URL("http://a/?k=v"); const p = u.searchParams; u.search = ""; return p.size + "|" + u.href })()`, `0|http://a/`},
		{`(() => { const u = new URL("http://a/?k=v"); const p = u.searchParams; u.href = "http://b/?n=1&m=2"; return Array.from(p.keys()).join() })()`, `n,m`},
		{`(() => { const u = new URL("http://a/?k=v"); const p = u.searchParams; u.href = "http://b/"; return p.size })()`, `0`},
		{`(() => { const u = new URL("http://a/?k=v"); u.hash = "x"; return u.searchParams.get("k") })()`, `v`},
		{`(() => { const u = new URL("http://a/?a=%zz&b=%C3%A9"); return u.searchParams.get("a") + u.searchParams.get("b") })()`, `%zzé`},
		{`(() => { const p = new URLSearchParams("a=1"); p.append("b", "2"); return p.toString() })()`, `a=1&b=2`},
	})
}

func TestIterators(t *testing.T) {
	vm, _, _ := newVM(t)
	checks := []string{
		`["entries", "keys", "values"].every(k => describe(URLSearchParams.prototype, k) === "value,writable,enumerable,configurable" && URLSearchParams.prototype[k].length === 0)`,
		`describe(URLSearchParams.prototype, "forEach") === "value,writable,enumerable,configurable" && URLSearchParams.prototype.forEach.length === 1`,
		`describe(URLSearchParams.prototype, Symbol.iterator) === "value,writable,configurable" && URLSearchParams.prototype[Symbol.iterator] === URLSearchParams.prototype.entries`,
		`(() => { const it = new URLSearchParams().keys(); const proto = Object.getPrototypeOf(it);
			const iterProto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
			return Object.getPrototypeOf(proto) === iterProto && proto !== iterProto &&
				describe(proto, "next") === "value,writable,enumerable,configurable" && proto.next.length === 0 && proto.next.name === "next" &&
				describe(proto, Symbol.toStringTag) === "value,configurable" && proto[Symbol.toStringTag] === "URLSearchParams Iterator" &&
				String(it) === "[object URLSearchParams Iterator]" && Object.getOwnPropertyNames(it).length === 0 &&
				Object.getPrototypeOf(new URLSearchParams().entries()) === proto })()`,
		`(() => { const it = new URLSearchParams().keys(); try { it.next.call({}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { const it = new URLSearchParams().keys(); try { it.next.call(undefined); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { URLSearchParams.prototype.entries.call({}); return false } catch (e) { return e instanceof TypeError } })()`,
		`JSON.stringify([...new URLSearchParams("a=1&b=2")]) === '[["a","1"],["b","2"]]'`,
		`JSON.stringify(Array.from(new URLSearchParams("a=1&b=2").entries())) === '[["a","1"],["b","2"]]'`,
		`Array.from(new URLSearchParams("a=1&b=2").keys()).join() === "a,b"`,
		`Array.from(new URLSearchParams("a=1&b=2").values()).join() === "1,2"`,
		`(() => { const it = new URLSearchParams("a=1").values(); const r1 = it.next(), r2 = it.next(), r3 = it.next();
			return r1.value === "1" && r1.done === false && r2.value === undefined && r2.done === true && r3.done === true && Object.keys(r1).join() === "value,done" })()`,
		// Iteration is live: it sees changes made while iterating.
		`(() => { const p = new URLSearchParams("a=1&b=2"); const it = p.keys(); it.next(); p.delete("a"); const r = it.next(); return r.done === true })()`,
		`(() => { const p = new URLSearchParams("a=1"); const it = p.keys(); it.next(); it.next(); p.append("b", "2"); return it.next().value === "b" })()`,
		`(() => { const p = new URLSearchParams("a=1&b=2"); const seen = []; for (const [k, v] of p) { seen.push(k + v); if (k === "a") p.append("c", "3") } return seen.join() === "a1,b2,c3" })()`,
		// forEach passes value, key and the object, with thisArg.
		`(() => { const p = new URLSearchParams("a=1&b=2"); const seen = []; const self = {}; p.forEach(function (v, k, o) { seen.push(k + v + (o === p) + (this === self)) }, self); return seen.join() === "a1truetrue,b2truetrue" })()`,
		`(() => { const p = new URLSearchParams("a=1&b=2&c=3"); const seen = []; p.forEach((v, k) => { seen.push(k); if (k === "a") p.delete("b") }); return seen.join() === "a,c" })()`,
		`(() => { try { new URLSearchParams().forEach(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new URLSearchParams("a=1").forEach({}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new URLSearchParams("a=1").forEach(() => { throw new RangeError("x") }); return false } catch (e) { return e instanceof RangeError && e.message === "x" } })()`,
		`(() => { let n = 0; new URLSearchParams().forEach(() => n++); return n === 0 })()`,
		`(() => { const u = new URL("http://a/?x=1&y=2"); return Array.from(u.searchParams.keys()).join() === "x,y" })()`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}
}

// TestCollected checks that URL objects and their URLSearchParams objects
// are garbage collected once unreachable, an iterator made from them
// included: the slots of a URL object hold its searchParams object, which
// must not hold the URL object strongly.
func TestCollected(t *testing.T) {
	vm, r, _ := newVM(t)
	var url weak.Pointer[urlImpl]
	var params weak.Pointer[paramsImpl]
	vm.Set("probe", func(v goja.Value) {
		impl, _ := r.Impl(v, "URL")
		url = weak.Make(impl.(*urlImpl))
		params = weak.Make(impl.(*urlImpl).query)
	})
	if _, err := vm.RunString(`(() => { const u = new URL("http://a/?x=1"); u.searchParams.keys(); probe(u) })()`); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20 && (url.Value() != nil || params.Value() != nil); i++ {
		runtime.GC()
	}
	if url.Value() != nil || params.Value() != nil {
		t.Error("an unreachable URL object is still alive")
	}
	runtime.KeepAlive(vm)
}

// TestSearchParamsOutlivesURL checks that a searchParams object kept after
// its URL object is gone still works.
func TestSearchParamsOutlivesURL(t *testing.T) {
	vm, r, _ := newVM(t)
	var url weak.Pointer[urlImpl]
	vm.Set("probe", func(v goja.Value) {
		impl, _ := r.Impl(v, "URL")
		url = weak.Make(impl.(*urlImpl))
	})
	if _, err := vm.RunString(`globalThis.p = (() => { const u = new URL("http://a/?x=1"); probe(u); return u.searchParams })(); 1`); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20 && url.Value() != nil; i++ {
		runtime.GC()
	}
	if url.Value() != nil {
		t.Fatal("URL object still alive")
	}
	assertJS(t, vm, `p.append("y", "2"), p.toString() === "x=1&y=2"`)
}

func TestOpaquePathSpaceAndPathEncodeSet(t *testing.T) {
	cases := []struct{ input, href string }{
		{"sc:opaque  ?hi", "sc:opaque %20?hi"},
		{"sc:opaque \t #hi", "sc:opaque %20#hi"},
		{"sc:opaque  ", "sc:opaque"},
		{"sc:a b?q", "sc:a b?q"},
		{"sc:a b", "sc:a b"},
		{"foo://h/^|`{}", "foo://h/%5E|%60%7B%7D"},
		{"http://h/a^b", "http://h/a%5Eb"},
	}
	for _, c := range cases {
		rec, err := Parse(c.input, "")
		if err != nil {
			t.Errorf("Parse(%q): %v", c.input, err)
			continue
		}
		if rec.Href != c.href {
			t.Errorf("Parse(%q) = %q, want %q", c.input, rec.Href, c.href)
		}
	}
}

func TestDomainToASCII(t *testing.T) {
	cases := []struct{ input, host string }{
		{"http://faß.de/", "xn--fa-hia.de"},
		{"http://≠.com/", "xn--1ch.com"},
		{"http://a..b/", "a..b"},
		{"http://EXAMPLE.com/", "example.com"},
		{"http://%41.com/", "a.com"},
		{"http://１２７．０．０．１/", "127.0.0.1"},
		{"http://0x7f.1/", "127.0.0.1"},
		{"sc://≠/", "%E2%89%A0"},
		{"http://a%25b/", ""},
		{"http://a^b/", ""},
		{"http://\u00AD/", ""},
	}
	for _, c := range cases {
		rec, err := Parse(c.input, "")
		switch {
		case c.host == "" && err == nil:
			t.Errorf("Parse(%q) = %q, want failure", c.input, rec.Href)
		case c.host != "" && err != nil:
			t.Errorf("Parse(%q): %v", c.input, err)
		case c.host != "" && rec.Host != c.host:
			t.Errorf("Parse(%q) host = %q, want %q", c.input, rec.Host, c.host)
		}
	}
	pendingHosts.Range(func(k, v any) bool {
		t.Errorf("a placeholder is left for %v", v)
		return true
	})
}
