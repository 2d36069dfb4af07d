package fetch

import "testing"

func TestRequest(t *testing.T) {
	e := newTestEnv(t, "https://example.com/dir/page?q#f", Options{})
	e.runCases(t, []jsCase{
		// The defaults.
		{`const q = new Request("x"); return [q.method, q.url, q.destination, q.referrer, q.referrerPolicy, q.mode, q.credentials, q.cache, q.redirect, q.integrity, q.keepalive, q.isReloadNavigation, q.isHistoryNavigation, q.duplex, q.body, q.bodyUsed].join("|")`,
			"GET|https://example.com/dir/x||about:client||cors|same-origin|default|follow||false|false|false|half||false"},
		// The URL: parsed against the API base URL; credentials throw.
		{`return new Request("//other.test/a b#frag").url`, "https://other.test/a%20b#frag"},
		{`return throwsName(() => new Request("http://[bad"))`, "TypeError"},
		{`return throwsName(() => new Request("https://user:pw@example.com/"))`, "TypeError"},
		{`return throwsName(() => new Request())`, "TypeError"},
		{`return throwsName(() => Request("x"))`, "TypeError"},
		// Methods: normalized, forbidden ones and non-tokens throw.
		{`return ["get", "Post", "pUt", "delete", "options", "head", "patch", "MKCOL"].map(m => new Request("x", {method: m}).method).join()`, "GET,POST,PUT,DELETE,OPTIONS,HEAD,patch,MKCOL"},
		{`return ["CONNECT", "trace", "Track", "a b", "", "é"].map(m => throwsName(() => new Request("x", {method: m}))).join()`, "TypeError,TypeError,TypeError,TypeError,TypeError,TypeError"},
		// Modes, credentials, cache, redirect: enumerations.
		{`const q = new Request("x", {mode: "same-origin", credentials: "include", cache: "only-if-cached", redirect: "manual"}); return [q.mode, q.credentials, q.cache, q.redirect].join()`,
			"same-origin,include,only-if-cached,manual"},
		{`return throwsName(() => new Request("x", {mode: "navigate"}))`, "TypeError"},
		{`return throwsName(() => new Request("x", {mode: "bogus"}))`, "TypeError"},
		{`return throwsName(() => new Request("x", {cache: "only-if-cached"}))`, "TypeError"},
		{`return throwsName(() => new Request("x", {mode: "no-cors", method: "PUT"}))`, "TypeError"},
		{`return new Request("x", {mode: "no-cors", method: "post"}).mode`, "no-cors"},
		{`return throwsName(() => new Request("x", {window: {}}))`, "TypeError"},
		{`return new Request("x", {window: null}).url`, "https://example.com/dir/x"},
		{`return throwsName(() => new Request("x", {duplex: "full"}))`, "TypeError"},
		{`return throwsName(() => new Request("x", {priority: "urgent"}))`, "TypeError"},
		// The referrer: same-origin URLs are kept, others become "client".
		{`return [new Request("x", {referrer: ""}).referrer, new Request("x", {referrer: "/r"}).referrer, new Request("x", {referrer: "https://other.test/"}).referrer, new Request("x", {referrer: "about:client"}).referrer].join("|")`,
			"|https://example.com/r|about:client|about:client"},
		{`return throwsName(() => new Request("x", {referrer: "http://[bad"}))`, "TypeError"},
		{`return new Request("x", {referrerPolicy: "no-referrer"}).referrerPolicy`, "no-referrer"},
		{`return throwsName(() => new Request("x", {referrerPolicy: "nope"}))`, "TypeError"},
		// Bodies: GET and HEAD may have none; the type is the default Content-Type.
		{`return throwsName(() => new Request("x", {body: "a"}))`, "TypeError"},
		{`return throwsName(() => new Request("x", {method: "HEAD", body: "a"}))`, "TypeError"},
		{`return new Request("x", {body: null}).method`, "GET"},
		{`const q = new Request("x", {method: "POST", body: "a"}); return [q.headers.get("content-type"), await q.text(), q.bodyUsed].join()`, "text/plain;charset=UTF-8,a,true"},
		{`const q = new Request("x", {method: "POST", body: "a", headers: {"Content-Type": "text/x"}}); return q.headers.get("content-type")`, "text/x"},
		{`const u8 = new Uint8Array([1, 2, 3]); const q = new Request("x", {method: "POST", body: u8.subarray(1)}); u8[1] = 9; return new Uint8Array(await q.arrayBuffer()).join()`, "2,3"},
		{`const q = new Request("x", {method: "POST", body: new Blob(["ab"], {type: "Text/Y"})}); return [q.headers.get("content-type"), await q.text()].join()`, "text/y,ab"},
		{`const q = new Request("x", {method: "POST", body: new URLSearchParams({a: "é"})}); return [q.headers.get("content-type"), await q.text()].join()`,
			"application/x-www-form-urlencoded;charset=UTF-8,a=%C3%A9"},
		{`return throwsName(() => new Request("x", {method: "POST", body: {}})) + (await new Request("x", {method: "POST", body: {}}).text())`, "no throw[object Object]"},
		// A Request input: fields copied, body taken over.
		{`const a = new Request("x", {method: "POST", body: "b", headers: {"X-A": "1"}, mode: "same-origin", redirect: "error"}); const q = new Request(a);
		  return [q.method, q.mode, q.redirect, q.headers.get("x-a"), a.bodyUsed, q.bodyUsed, await q.text()].join()`, "POST,same-origin,error,1,true,false,b"},
		{`const a = new Request("x", {method: "POST", body: "b"}); await a.text(); return throwsName(() => new Request(a))`, "TypeError"},
		{`const a = new Request("x", {method: "POST", body: "b"}); await a.text(); return new Request(a, {body: "c"}).bodyUsed`, "false"},
		{`const a = new Request("x", {method: "POST", body: "b"}); return throwsName(() => new Request(a, {method: "GET"}))`, "TypeError"},
		{`const a = new Request("x", {headers: {"X-A": "1"}}); return [...new Request(a, {headers: {"X-B": "2"}}).headers].join()`, "x-b,2"},
		{`const a = new Request("x", {referrer: "/r"}); return [new Request(a).referrer, new Request(a, {cache: "reload"}).referrer].join()`, "https://example.com/r,about:client"},
		// The signal follows the init's or the input's.
		{`const c = new AbortController(); const q = new Request("x", {signal: c.signal}); const s = q.signal; c.abort("r"); return [s !== c.signal, s.aborted, s.reason].join()`, "true,true,r"},
		{`const q = new Request("x", {signal: AbortSignal.abort()}); return new Request(q).signal.aborted`, "true"},
		{`return new Request("x").signal.aborted`, "false"},
		{`return throwsName(() => new Request("x", {signal: {}}))`, "TypeError"},
		// clone().
		{`const q = new Request("x", {method: "POST", body: "b", headers: {"X-A": "1"}}); const c = q.clone(); q.headers.set("X-A", "2");
		  return [c.headers.get("x-a"), await q.text(), await c.text(), c.signal !== q.signal].join()`, "1,b,b,true"},
		{`const q = new Request("x", {method: "POST", body: "b"}); await q.text(); return throwsName(() => q.clone())`, "TypeError"},
		{`const q = new Request("x", {mode: "no-cors"}); const h = q.clone().headers; h.append("X-A", "1"); return h.has("x-a")`, "false"},
		// Promise-returning methods reject instead of throwing.
		{`return await rejection(Request.prototype.text.call({}))`, "TypeError"},
		{`return [Request.length, Request.prototype.text.length, typeof Request.prototype.formData].join()`, "1,0,function"},
		// Headers are the same object each time.
		{`const q = new Request("x"); return q.headers === q.headers`, "true"},
	})
}

func TestResponse(t *testing.T) {
	e := newTestEnv(t, "https://example.com/dir/", Options{})
	e.runCases(t, []jsCase{
		// The defaults.
		{`const r = new Response(); return [r.type, r.url, r.redirected, r.status, r.ok, r.statusText, [...r.headers].length, r.body, r.bodyUsed, JSON.stringify(await r.text())].join("|")`,
			`default||false|200|true||0||false|""`},
		{`const r = new Response(null, {status: 404, statusText: "Nope", headers: [["X", "1"]]}); return [r.status, r.ok, r.statusText, r.headers.get("x")].join()`, "404,false,Nope,1"},
		{`return [throwsName(() => new Response("", {status: 199})), throwsName(() => new Response("", {status: 600})), throwsName(() => new Response("", {status: 70000}))].join()`,
			"RangeError,RangeError,RangeError"},
		{`return throwsName(() => new Response("", {statusText: "a\nb"}))`, "TypeError"},
		{`return throwsName(() => new Response("", {statusText: "\u0100"}))`, "TypeError"},
		{`return new Response("", {statusText: "\u00e9 \t x"}).statusText === "\u00e9 \t x"`, "true"},
		{`return [204, 205, 304].map(s => throwsName(() => new Response("x", {status: s}))).join()`, "TypeError,TypeError,TypeError"},
		{`return new Response(null, {status: 204}).status`, "204"},
		// Bodies and their types.
		{`const r = new Response("é"); return [r.headers.get("content-type"), await r.text()].join()`, "text/plain;charset=UTF-8,é"},
		{`const r = new Response(new Uint8Array([0xEF, 0xBB, 0xBF, 0x61, 0xFF])); return [String(r.headers.get("content-type")), await r.text()].join()`, "null,a\uFFFD"},
		{`const r = new Response('{"a":[1]}', {headers: {"Content-Type": "application/json"}}); return JSON.stringify(await r.json())`, `{"a":[1]}`},
		{`return await rejection(new Response("{").json())`, "SyntaxError"},
		{`const b = await new Response("x", {headers: {"Content-Type": "text/HTML; Charset=\"utf-8\""}}).blob(); return b.type`, "text/html;charset=utf-8"},
		{`const b = await new Response("x", {headers: [["Content-Type", "text/plain;charset=gbk"], ["Content-Type", "text/plain"]]}).blob(); return b.type`, "text/plain;charset=gbk"},
		{`const b = await new Response("x", {headers: {"Content-Type": "nonsense"}}).blob(); return JSON.stringify(b.type)`, `""`},
		{`const r = new Response("ab"); const u = await r.bytes(); return [u.constructor === Uint8Array, u.join()].join()`, "true,97,98"},
		// Used bodies.
		{`const r = new Response("x"); const p = r.text(); return [r.bodyUsed, await rejection(r.text()), await p].join()`, "true,TypeError,x"},
		{`const r = new Response(); await r.text(); return [r.bodyUsed, await r.text()].join()`, "false,"},
		// clone().
		{`const r = new Response("x", {status: 201, headers: {A: "1"}}); const c = r.clone(); r.headers.set("A", "2"); return [c.status, c.headers.get("a"), await c.text(), await r.text()].join()`, "201,1,x,x"},
		{`const r = new Response("x"); await r.text(); return throwsName(() => r.clone())`, "TypeError"},
		// Response.error(), redirect() and json().
		{`const r = Response.error(); return [r.type, r.status, r.ok, r.statusText, r.url, r.body].join("|")`, "error|0|false|||"},
		{`const r = Response.redirect("../x?y", 301); return [r.status, r.headers.get("location"), r.type, throwsName(() => r.headers.set("a", "b"))].join()`,
			"301,https://example.com/x?y,default,TypeError"},
		{`return Response.redirect("x").status`, "302"},
		{`return [throwsName(() => Response.redirect("x", 200)), throwsName(() => Response.redirect("http://[bad"))].join()`, "RangeError,TypeError"},
		{`const r = Response.json({a: 1}, {status: 202, headers: {X: "y"}}); return [r.status, r.headers.get("content-type"), r.headers.get("x"), await r.text()].join("|")`,
			`202|application/json|y|{"a":1}`},
		{`return Response.json("x", {headers: {"Content-Type": "text/x"}}).headers.get("content-type")`, "text/x"},
		{`return [throwsName(() => Response.json(undefined)), throwsName(() => Response.json(() => 1)), throwsName(() => Response.json(1n))].join()`, "TypeError,TypeError,TypeError"},
		{`const o = {}; o.o = o; return throwsName(() => Response.json(o))`, "TypeError"},
		{`return throwsName(() => Response.json(1, {status: 204}))`, "TypeError"},
		{`const r = Response.json(1); r.headers.append("Set-Cookie", "x"); return r.headers.has("set-cookie")`, "false"},
		// The interface.
		{`return [Response.length, Response.redirect.length, Response.json.length, Object.prototype.toString.call(new Response())].join()`, "0,1,1,[object Response]"},
		{`return await rejection(Response.prototype.json.call(new Request("x")))`, "TypeError"},
		{`class R extends Response {}; const r = new R("sub"); return [r instanceof R, await r.text()].join()`, "true,sub"},
	})
}
