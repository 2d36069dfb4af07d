package fetch

import (
	"slices"
	"testing"
)

func TestHeaders(t *testing.T) {
	e := newTestEnv(t, "https://example.com/", Options{})
	e.runCases(t, []jsCase{
		// Construction from a record, a sequence of pairs, another Headers.
		{`return [...new Headers({"B": "2", "a": "1"})].join("|")`, "a,1|b,2"},
		{`return [...new Headers([["X", "1"], ["x", "2"], ["Y", "3"]])].join("|")`, "x,1, 2|y,3"},
		{`return [...new Headers(new Headers({a: "1"}))].join("|")`, "a,1"},
		{`return [...new Headers()].length`, "0"},
		{`return throwsName(() => new Headers([["a"]]))`, "TypeError"},
		{`return throwsName(() => new Headers([["a", "b", "c"]]))`, "TypeError"},
		{`return throwsName(() => new Headers(null))`, "TypeError"},
		{`return throwsName(() => new Headers(1))`, "TypeError"},
		{`return throwsName(() => Headers())`, "TypeError"},
		// Names must be tokens, values header values.
		{`return throwsName(() => new Headers({"a b": "1"}))`, "TypeError"},
		{`return throwsName(() => new Headers({"": "1"}))`, "TypeError"},
		{`return throwsName(() => new Headers({"a": "x\0y"}))`, "TypeError"},
		{`return throwsName(() => new Headers({"a": "x\ny"}))`, "TypeError"},
		{`return throwsName(() => new Headers({"a": "\u0100"}))`, "TypeError"},
		{`return throwsName(() => new Headers().get("a:"))`, "TypeError"},
		{`return throwsName(() => new Headers().has("é"))`, "TypeError"},
		// Values are normalized: leading and trailing HTTP whitespace go.
		{`const h = new Headers(); h.append("a", " \t x y \r\n"); return JSON.stringify(h.get("a"))`, `"x y"`},
		{`const h = new Headers(); h.set("a", "\n1\t"); return JSON.stringify(h.get("a"))`, `"1"`},
		// ByteString values keep every byte.
		{`const h = new Headers({a: "\u00e9\u00ff"}); return h.get("a") === "\u00e9\u00ff"`, "true"},
		// get, has, set, delete, append; names compare case-insensitively.
		{`const h = new Headers({"Content-Type": "a"}); return [h.get("CONTENT-TYPE"), h.has("content-type"), h.get("x")].join()`, "a,true,"},
		{`const h = new Headers([["a", "1"], ["b", "2"], ["A", "3"]]); h.set("a", "4"); return [...h].join("|")`, "a,4|b,2"},
		{`const h = new Headers([["a", "1"], ["A", "3"]]); h.delete("A"); return [h.has("a"), [...h].length].join()`, "false,0"},
		{`const h = new Headers({a: "1"}); h.append("a", "2"); h.append("A", ""); return JSON.stringify(h.get("a"))`, `"1, 2, "`},
		// Set-Cookie is never combined.
		{`const h = new Headers([["Set-Cookie", "a=1"], ["set-cookie", "b=2"], ["x", "y"]]); return JSON.stringify([[...h], h.getSetCookie(), h.get("set-cookie")])`,
			`[[["set-cookie","a=1"],["set-cookie","b=2"],["x","y"]],["a=1","b=2"],"a=1, b=2"]`},
		{`return new Headers().getSetCookie().length`, "0"},
		// Iteration: sorted, lowercased, live, with keys/values/forEach.
		{`const h = new Headers({c: "3", a: "1"}); return [[...h.keys()], [...h.values()]].join("|")`, "a,c|1,3"},
		{`const h = new Headers({a: "1", c: "3"}); const out = []; for (const [k] of h) { out.push(k); if (k === "a") h.append("b", "2"); } return out.join()`, "a,b,c"},
		{`const h = new Headers({b: "2", a: "1"}); const out = []; h.forEach(function (v, k, o) { "use strict"; out.push(k + "=" + v + (o === h) + (this === undefined)); }); return out.join()`,
			"a=1truetrue,b=2truetrue"},
		{`const h = new Headers({a: "1"}); let self; h.forEach(function () { self = this; }, h); return self === h`, "true"},
		{`const h = new Headers(); return throwsName(() => h.forEach())`, "TypeError"},
		{`const it = new Headers({a: "1"}).entries(); return [Object.prototype.toString.call(it), JSON.stringify(it.next()), JSON.stringify(it.next())].join("|")`,
			`[object Headers Iterator]|{"value":["a","1"],"done":false}|{"done":true}`},
		{`const it = new Headers().keys(); return Object.getPrototypeOf(Object.getPrototypeOf(it)) === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))`, "true"},
		{`return throwsName(() => new Headers().keys().next.call({}))`, "TypeError"},
		{`return Headers.prototype[Symbol.iterator] === Headers.prototype.entries`, "true"},
		// The interface.
		{`return [Headers.length, Headers.prototype.append.length, Headers.prototype.forEach.length, Object.prototype.toString.call(new Headers())].join()`, "0,2,1,[object Headers]"},
		{`return throwsName(() => Headers.prototype.get.call({}, "a"))`, "TypeError"},
	})
}

func TestHeadersGuards(t *testing.T) {
	e := newTestEnv(t, "https://example.com/", Options{})
	e.runCases(t, []jsCase{
		// A request's headers ignore forbidden request-headers.
		{`const h = new Request("/").headers; for (const n of ["Accept-Charset", "cookie", "Host", "Proxy-X", "sec-x", "Content-Length", "Keep-Alive"]) h.append(n, "1"); return [...h].length`, "0"},
		{`const h = new Request("/").headers; h.set("X-HTTP-Method-Override", "trace"); h.set("X-Method-Override", "GET"); return [...h].join("|")`, "x-method-override,GET"},
		{`const h = new Request("/", {headers: {"X-A": "1", "Referer": "x"}}).headers; return [...h].join("|")`, "x-a,1"},
		{`const h = new Request("/").headers; h.append("User-Agent", "me"); return h.get("user-agent")`, "me"},
		// no-cors requests only keep CORS-safelisted headers.
		{`const h = new Request("/", {mode: "no-cors"}).headers; h.append("X-A", "1"); h.append("Accept", "text/html"); h.append("Content-Type", "application/json"); return [...h].join("|")`, "accept,text/html"},
		{`const h = new Request("/", {mode: "no-cors"}).headers; h.append("Content-Type", "text/plain;charset=UTF-8"); h.append("Accept-Language", "en-US, fr;q=0.5"); return [...h].join("|")`,
			"accept-language,en-US, fr;q=0.5|content-type,text/plain;charset=UTF-8"},
		{`const h = new Request("/", {mode: "no-cors"}).headers; h.append("Accept", "a".repeat(100)); h.append("Accept", "a".repeat(100)); return h.get("accept").length`, "100"},
		{`const h = new Request("/", {mode: "no-cors", headers: {Range: "bytes=0-1"}}).headers; return h.has("range")`, "false"},
		{`const h = new Request("/", {mode: "no-cors"}).headers; h.append("Accept", "x"); h.delete("X-Unknown"); h.delete("Accept"); return h.has("accept")`, "false"},
		{`const h = new Request("/").headers; h.set("Range", "bytes=0-"); return h.get("range")`, "bytes=0-"},
		// A response's headers ignore Set-Cookie.
		{`const h = new Response("", {headers: {"Set-Cookie": "a=1", "Set-Cookie2": "b", "X": "y"}}).headers; return [...h].join("|")`, "content-type,text/plain;charset=UTF-8|x,y"},
		// Immutable headers throw.
		{`const h = Response.error().headers; return [throwsName(() => h.append("a", "b")), throwsName(() => h.delete("a")), throwsName(() => h.set("a", "b"))].join()`,
			"TypeError,TypeError,TypeError"},
		{`return throwsName(() => Response.error().headers.append("a b", "c"))`, "TypeError"},
	})
}

// TestHeaderList tests the header list algorithms of Fetch
// (https://fetch.spec.whatwg.org/#terminology-headers).
func TestHeaderList(t *testing.T) {
	var l headerList
	l.append("Set-Cookie", "a")
	l.append("b", "1")
	l.append("set-cookie", "b")
	l.append("B", "2")
	l.append("A", "x")
	if got := l.list[3].name; got != "b" {
		t.Errorf("append reuses the name's casing: got %q", got)
	}
	got := l.sortAndCombine(nil)
	want := []header{{"a", "x"}, {"b", "1, 2"}, {"set-cookie", "a"}, {"set-cookie", "b"}}
	if !slices.Equal(got, want) {
		t.Errorf("sortAndCombine = %q, want %q", got, want)
	}
	l.set("SET-COOKIE", "c")
	if v, _ := l.get("set-cookie"); v != "c" || len(l.list) != 4 {
		t.Errorf("set: %q, %d headers", v, len(l.list))
	}
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"nosniff,", []string{"nosniff", ""}},
		{"", []string{""}},
		{`text/html;", x/x`, []string{`text/html;", x/x`}},
		{`x/x;test="hi",y/y`, []string{`x/x;test="hi"`, "y/y"}},
		{"x / x,,,1", []string{"x / x", "", "", "1"}},
		{`"1,2", 3`, []string{`"1,2"`, "3"}},
		{`"a\"b",c`, []string{`"a\"b"`, "c"}},
	} {
		if got := decodeSplit(c.in); !slices.Equal(got, c.want) {
			t.Errorf("decodeSplit(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCORSSafelisted(t *testing.T) {
	for _, c := range []struct {
		name, value string
		want        bool
	}{
		{"Accept", "text/html", true},
		{"Accept", "a\"b", false},
		{"Accept", string(make([]byte, 129)), false},
		{"Accept-Language", "en-US;q=0.5", true},
		{"Content-Language", "en_US", false},
		{"Content-Type", "text/plain; charset=utf-8", true},
		{"Content-Type", "multipart/form-data; boundary=x", true},
		{"Content-Type", "application/json", false},
		{"Content-Type", "text/plain(", false},
		{"Range", "bytes=0-100", true},
		{"Range", "bytes=-100", false},
		{"Range", "bytes=5-1", false},
		{"Range", "bytes=0-1,2-3", false},
		{"X-Other", "1", false},
	} {
		if got := isCORSSafelisted(c.name, c.value); got != c.want {
			t.Errorf("isCORSSafelisted(%q, %q) = %v", c.name, c.value, got)
		}
	}
}
