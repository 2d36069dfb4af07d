package xhr

import (
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/fetch"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

func TestInterfaces(t *testing.T) {
	for _, window := range []bool{false, true} {
		e := newTestEnv(t, envOptions{base: "http://example.test/", window: window})
		responseXML := `"responseXML" in XMLHttpRequest.prototype`
		if !window {
			responseXML = "!(" + responseXML + ")"
		}
		e.runCases(t, []jsCase{
			{"prototype chain", `return Object.getPrototypeOf(XMLHttpRequest.prototype) === XMLHttpRequestEventTarget.prototype &&
				Object.getPrototypeOf(XMLHttpRequestUpload.prototype) === XMLHttpRequestEventTarget.prototype &&
				Object.getPrototypeOf(XMLHttpRequestEventTarget.prototype) === EventTarget.prototype &&
				Object.getPrototypeOf(XMLHttpRequest) === XMLHttpRequestEventTarget`, "true"},
			{"illegal constructors", `return [throwsName(() => new XMLHttpRequestEventTarget()), throwsName(() => new XMLHttpRequestUpload()), throwsName(() => XMLHttpRequest())].join()`, "TypeError,TypeError,TypeError"},
			{"lengths and names", `return [XMLHttpRequest.length, XMLHttpRequest.prototype.open.length, XMLHttpRequest.prototype.setRequestHeader.length,
				XMLHttpRequest.prototype.send.length, XMLHttpRequest.prototype.getResponseHeader.length, XMLHttpRequest.prototype.overrideMimeType.length,
				String(new XMLHttpRequest()), String(new XMLHttpRequest().upload)].join()`, "0,2,2,0,1,1,[object XMLHttpRequest],[object XMLHttpRequestUpload]"},
			{"constants", `return [XMLHttpRequest.UNSENT, XMLHttpRequest.OPENED, XMLHttpRequest.HEADERS_RECEIVED, XMLHttpRequest.LOADING, XMLHttpRequest.DONE,
				new XMLHttpRequest().DONE].join()`, "0,1,2,3,4,4"},
			{"handlers", `const p = XMLHttpRequestEventTarget.prototype;
				return ["onloadstart", "onprogress", "onabort", "onerror", "onload", "ontimeout", "onloadend"].every(h => typeof Object.getOwnPropertyDescriptor(p, h).set === "function") &&
					typeof Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, "onreadystatechange").get === "function" &&
					!("onreadystatechange" in XMLHttpRequestUpload.prototype)`, "true"},
			{"initial state", `const x = new XMLHttpRequest();
				return [x.readyState, x.status, JSON.stringify(x.statusText), x.timeout, x.withCredentials, JSON.stringify(x.responseType),
					JSON.stringify(x.response), JSON.stringify(x.responseText), JSON.stringify(x.responseURL), x.getResponseHeader("a"),
					JSON.stringify(x.getAllResponseHeaders()), x.upload === x.upload, x.upload instanceof EventTarget].join()`,
				`0,0,"",0,false,"","","","",,"",true,true`},
			{"responseXML exposure", `return ` + responseXML, "true"},
			{"brand checks", `const get = Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, "readyState").get;
				return [throwsName(() => get.call({})), throwsName(() => XMLHttpRequest.prototype.send.call(new EventTarget()))].join()`, "TypeError,TypeError"},
		})
	}
}

func TestOpen(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/dir/page.html"})
	e.runCases(t, []jsCase{
		{"bad methods", `const x = new XMLHttpRequest();
			return ["", "G T", "GET\n", "(", "\u0100"].map(m => throwsName(() => x.open(m, "/"))).join()`, "SyntaxError,SyntaxError,SyntaxError,SyntaxError,TypeError"},
		{"forbidden methods", `const x = new XMLHttpRequest();
			return ["CONNECT", "trace", "Track"].map(m => throwsName(() => x.open(m, "/"))).join()`, "SecurityError,SecurityError,SecurityError"},
		{"bad URL", `const x = new XMLHttpRequest(); return throwsName(() => x.open("GET", "http://[::1"))`, "SyntaxError"},
		{"missing arguments", `const x = new XMLHttpRequest(); return throwsName(() => x.open("GET"))`, "TypeError"},
		{"readystatechange once", `const x = new XMLHttpRequest(); let n = 0; x.onreadystatechange = () => n++;
			x.open("GET", "a"); x.open("GET", "b"); return [n, x.readyState].join()`, "1,1"},
		{"methods normalized", `const out = [];
			for (const m of ["get", "Post", "delete", "patch", "CUSTOM"]) {
				const x = new XMLHttpRequest(); x.open(m, "` + srv.URL + `/echo"); x.send(); await loadend(x);
				out.push(JSON.parse(x.responseText).method);
			}
			return out.join()`, "GET,POST,DELETE,patch,CUSTOM"},
		{"URL resolved against the API base URL", `const x = new XMLHttpRequest(); x.open("GET", "../echo?a=1#frag"); x.send(); await loadend(x);
			return [JSON.parse(x.responseText).url, x.responseURL === "` + srv.URL + `/echo?a=1"].join()`, "/echo?a=1,true"},
		{"credentials in the URL", `const x = new XMLHttpRequest(); x.open("GET", "/echo", true, "us er", "p@ss");
			x.send(); await loadend(x);
			return [x.responseURL === "` + strings.Replace(srv.URL, "://", "://us%20er:p%40ss@", 1) + `/echo", JSON.parse(x.responseText).headers.authorization].join()`, "true,"},
		{"async undefined means synchronous", `const x = new XMLHttpRequest(); x.open("GET", "/body?b=s", undefined); x.send(); return x.responseText`, "s"},
		{"open resets the request", `const x = new XMLHttpRequest(); x.open("GET", "/body?b=one"); x.send(); await loadend(x);
			x.open("GET", "/body?b=two");
			return [x.readyState, x.status, JSON.stringify(x.responseText), x.getAllResponseHeaders() === ""].join()`, `1,0,"",true`},
	})
}

func TestSetRequestHeader(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	e.runCases(t, []jsCase{
		{"state", `const x = new XMLHttpRequest(); const before = throwsName(() => x.setRequestHeader("a", "b"));
			x.open("GET", "/echo"); x.send(); const after = throwsName(() => x.setRequestHeader("a", "b")); await loadend(x);
			return [before, after, throwsName(() => x.setRequestHeader("a", "b"))].join()`, "InvalidStateError,InvalidStateError,InvalidStateError"},
		{"bad names and values", `const x = new XMLHttpRequest(); x.open("GET", "/echo");
			return [throwsName(() => x.setRequestHeader("a b", "c")), throwsName(() => x.setRequestHeader("", "c")),
				throwsName(() => x.setRequestHeader("a", "b\nc")), throwsName(() => x.setRequestHeader("a", "b\0")),
				throwsName(() => x.setRequestHeader("a", "\u0100")), throwsName(() => x.setRequestHeader("a"))].join()`,
			"SyntaxError,SyntaxError,SyntaxError,SyntaxError,TypeError,TypeError"},
		{"combined, normalized, forbidden ones dropped", `const x = new XMLHttpRequest(); x.open("GET", "/echo");
			x.setRequestHeader("X-Test", "one"); x.setRequestHeader("x-test", " two\t"); x.setRequestHeader("X-Empty", "");
			x.setRequestHeader("Sec-WebSocket-Key", "jW7qmdXj5Kk5jTClF1BN3"); x.setRequestHeader("Cookie", "a=b");
			x.setRequestHeader("Host", "evil.test"); x.setRequestHeader("X-HTTP-Method-Override", "TRACE");
			x.setRequestHeader("Accept", "text/x"); x.setRequestHeader("User-Agent", "mine");
			x.send(); await loadend(x);
			const h = JSON.parse(x.responseText).headers;
			return [h["x-test"], JSON.stringify(h["x-empty"]), h["sec-websocket-key"], h.cookie, h["x-http-method-override"], h.accept, h["user-agent"]].join("|")`,
			`one, two|""||||text/x|mine`},
	})
}

func TestEventOrder(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	e.runCases(t, []jsCase{
		{"GET with a Content-Length", `const x = new XMLHttpRequest(); const log = trace(x, true); x.open("GET", "/body?b=hello&type=text/plain"); x.send(); await loadend(x);
			return log.join(" ")`, "rs1 loadstart(0) rs2 rs3 progress(5/5) progress(5/5) rs4 load(5/5) loadend(5/5)"},
		{"no upload events without a listener there", `const x = new XMLHttpRequest(); const log = trace(x, false); x.open("POST", "/body?b=ok"); x.send("data"); await loadend(x);
			return log.join(" ")`, "rs1 loadstart(0) rs2 rs3 progress(2/2) progress(2/2) rs4 load(2/2) loadend(2/2)"},
		{"POST with upload listeners", `const x = new XMLHttpRequest(); const log = trace(x, true); x.open("POST", "/body?b=ok"); x.send("data"); await loadend(x);
			return log.join(" ")`, "rs1 loadstart(0) upload.loadstart(0/4) upload.progress(4/4) upload.load(4/4) upload.loadend(4/4) rs2 rs3 progress(2/2) progress(2/2) rs4 load(2/2) loadend(2/2)"},
		{"a null body", `const x = new XMLHttpRequest(); const log = trace(x, true); x.open("HEAD", "/body?b=hello"); x.send(); await loadend(x);
			return log.join(" ") + " " + JSON.stringify(x.responseText)`, `rs1 loadstart(0) rs2 progress(0/5) rs4 load(0/5) loadend(0/5) ""`},
		{"no Content-Length", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "/chunks?n=2"); x.send(); await loadend(x);
			return [log[0], log[1], log[log.length - 3], log[log.length - 2], log[log.length - 1], x.responseText].join(" ")`, "rs1 loadstart(0) rs4 load(2) loadend(2) xx"},
		{"readyState during events", `const x = new XMLHttpRequest(); const states = [];
			for (const t of ["loadstart", "progress", "load", "loadend"]) x.addEventListener(t, () => states.push(t + x.readyState));
			x.open("GET", "/body?b=abc"); x.send(); states.push("sent" + x.readyState); await loadend(x);
			return states.join()`, "loadstart1,sent1,progress3,progress3,load4,loadend4"},
		{"progress events are ProgressEvents", `const x = new XMLHttpRequest(); let ev; x.onload = e => ev = e; x.open("GET", "/body?b=abc"); x.send(); await loadend(x);
			return [ev instanceof ProgressEvent, ev.isTrusted, ev.bubbles, ev.cancelable, ev.target === x, ev.lengthComputable, ev.loaded, ev.total].join()`,
			"true,true,false,false,true,true,3,3"},
	})
}

func TestListenerThrows(t *testing.T) {
	// The environment's report hook fails the test for thrown exceptions; here a
	// listener's exception must be reported, not stop the request.
	srv := newTestServer(t)
	vm := goja.New()
	r := webidl.NewRealm(vm)
	r.SetAPIBaseURL(srv.URL + "/")
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	var reported []string
	env := bindings.NewEnv(r, loop)
	bindings.Configure(env, events.Options{ReportException: func(err error) { reported = append(reported, err.Error()) }})
	setupRest(t, env)
	res := jstest.Script{}.Settle(t, loop, `const x = new XMLHttpRequest(); x.onreadystatechange = () => { throw new Error("boom") };
		x.open("GET", "/body?b=abc"); x.send(); await loadend(x); return x.responseText`)
	if res != "abc" || len(reported) != 4 || !strings.Contains(reported[0], "boom") {
		t.Errorf("result %q, reported %q", res, reported)
	}
}

func TestSync(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/", window: true})
	e.runCases(t, []jsCase{
		{"no task or microtask runs meanwhile", `let ran = []; setTimeout(() => ran.push("timer"), 0); Promise.resolve().then(() => ran.push("microtask"));
			const x = new XMLHttpRequest(); const log = trace(x, true); x.open("GET", "/delay?ms=50", false); x.send();
			const during = ran.join(); await new Promise(r => setTimeout(r, 0));
			return [during, ran.join(), x.status, x.responseText, log.join(" ")].join("|")`,
			"|microtask,timer|200|late|rs1 rs4 load(4/4) loadend(4/4)"},
		{"POST", `const x = new XMLHttpRequest(); x.open("POST", "/echo", false); x.send(new URLSearchParams("a=1")); const b = JSON.parse(x.responseText);
			return [b.body, b.headers["content-type"]].join()`, "a=1,application/x-www-form-urlencoded;charset=UTF-8"},
		{"a network error throws NetworkError", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "http://127.0.0.1:1/", false);
			const name = throwsName(() => x.send());
			return [name, x.readyState, x.status, log.join(" ")].join()`, "NetworkError,4,0,rs1"},
		{"Window: no timeout", `const x = new XMLHttpRequest(); x.timeout = 10;
			return [throwsName(() => x.open("GET", "/", false)), (x.timeout = 0, x.open("GET", "/", false), throwsName(() => x.timeout = 5))].join()`,
			"InvalidAccessError,InvalidAccessError"},
		{"Window: no response type", `const x = new XMLHttpRequest(); x.responseType = "json";
			return [throwsName(() => x.open("GET", "/", false)), (x.responseType = "", x.open("GET", "/", false), throwsName(() => x.responseType = "text"))].join()`,
			"InvalidAccessError,InvalidAccessError"},
		{"send twice", `const x = new XMLHttpRequest(); x.open("GET", "/body?b=1", false); x.send(); return throwsName(() => x.send())`, "InvalidStateError"},
	})

	// Outside a Window (a worker), synchronous requests can time out.
	w := newTestEnv(t, envOptions{base: srv.URL + "/"})
	w.runCases(t, []jsCase{
		{"timeout", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "/block", false); x.timeout = 30;
			return [throwsName(() => x.send()), x.readyState, log.join(" ")].join()`, "TimeoutError,4,rs1"},
		{"response type", `const x = new XMLHttpRequest(); x.open("GET", "/body?b=[1,2]", false); x.responseType = "json"; x.send();
			return x.response.length`, "2"},
		{"document is ignored", `const x = new XMLHttpRequest(); x.responseType = "document"; return JSON.stringify(x.responseType)`, `""`},
	})
}

func TestSendBodies(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	echo := func(setup, body string) string {
		return `const x = new XMLHttpRequest(); x.open("POST", "/echo"); ` + setup + ` x.send(` + body + `); await loadend(x);
			const b = JSON.parse(x.responseText); return [b.body, b.headers["content-type"], b.headers["content-length"]].join("|")`
	}
	e.runCases(t, []jsCase{
		{"string", echo("", `"héllo \uD800"`), "héllo \uFFFD|text/plain;charset=UTF-8|10"},
		{"empty string", echo("", `""`), "|text/plain;charset=UTF-8|0"},
		{"URLSearchParams", echo("", `new URLSearchParams({a: "1 2", b: "é"})`), "a=1+2&b=%C3%A9|application/x-www-form-urlencoded;charset=UTF-8|14"},
		{"Blob with a type", echo("", `new Blob(["blob"], {type: "Text/Special"})`), "blob|text/special|4"},
		{"Blob without a type", echo("", `new Blob(["blob"])`), "blob||4"},
		{"ArrayBuffer", echo("", `new Uint8Array([98, 121, 116, 101, 115]).buffer`), "bytes||5"},
		{"view", echo("", `new Uint8Array([120, 98, 121, 116, 101, 115, 120]).subarray(1, 6)`), "bytes||5"},
		{"null (POST still says Content-Length: 0)", echo("", `null`), "||0"},
		{"object", echo("", `{toString() { return "custom" }}`), "custom|text/plain;charset=UTF-8|6"},
		{"author charset corrected for strings", echo(`x.setRequestHeader("Content-Type", "text/x;charset=ISO-8859-1;a=b");`, `"s"`), "s|text/x;charset=UTF-8;a=b|1"},
		{"author charset corrected for params", echo(`x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded; charset=latin1");`, `new URLSearchParams("a=b")`), "a=b|application/x-www-form-urlencoded;charset=UTF-8|3"},
		{"author UTF-8 kept as written", echo(`x.setRequestHeader("Content-Type", "text/x; charset=utf-8");`, `"s"`), "s|text/x; charset=utf-8|1"},
		{"author type without charset kept", echo(`x.setRequestHeader("Content-Type", "text/x");`, `"s"`), "s|text/x|1"},
		{"author charset kept for blobs", echo(`x.setRequestHeader("Content-Type", "text/x;charset=latin1");`, `new Blob(["s"], {type: "a/b"})`), "s|text/x;charset=latin1|1"},
		{"FormData", echo(`const fd = new FormData(); fd.append("a", "1\n"); fd.append("f", new Blob(["z"]), "f.txt");`, `fd`) + `.replace(/--(-*\w+)/g, "--B").replace(/boundary=(-*\w+)/, "boundary=B")`,
			"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\r\n--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.txt\"\r\nContent-Type: application/octet-stream\r\n\r\nz\r\n--B--\r\n|multipart/form-data; boundary=B|306"},
		{"author charset kept for FormData", echo(`x.setRequestHeader("Content-Type", "multipart/form-data;charset=latin1");`, `new FormData()`) + `.replace(/^--(-*\w+)--/, "--B--")`,
			"--B--\r\n|multipart/form-data;charset=latin1|52"},
		{"GET drops the body", `const x = new XMLHttpRequest(); x.open("GET", "/echo"); x.send("ignored"); await loadend(x);
			const b = JSON.parse(x.responseText); return [JSON.stringify(b.body), b.headers["content-type"]].join("|")`, `""|`},
		{"send before open", `return throwsName(() => new XMLHttpRequest().send())`, "InvalidStateError"},
		{"send twice", `const x = new XMLHttpRequest(); x.open("GET", "/echo"); x.send(); const n = throwsName(() => x.send()); await loadend(x); return n`, "InvalidStateError"},
		{"the body is converted before the state is checked", `let converted = false; const x = new XMLHttpRequest();
			const n = throwsName(() => x.send({toString() { converted = true; return "" }})); return [n, converted].join()`, "InvalidStateError,true"},
	})
}

func TestResponseTypes(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/", window: true})
	get := func(typ, query string, expr string) string {
		return `const x = new XMLHttpRequest(); x.open("GET", "/body?` + query + `"); x.responseType = "` + typ + `"; x.send(); await loadend(x); return ` + expr
	}
	e.runCases(t, []jsCase{
		{"text", get("text", "b=héllo&type=text/plain", `x.response + "|" + x.responseText`), "héllo|héllo"},
		{"arraybuffer", get("arraybuffer", "b=abc", `[x.response instanceof ArrayBuffer, new Uint8Array(x.response).join(" "), x.response === x.response, throwsName(() => x.responseText)].join()`),
			"true,97 98 99,true,InvalidStateError"},
		{"arraybuffer of nothing", `const x = new XMLHttpRequest(); x.open("HEAD", "/body?b=abc"); x.responseType = "arraybuffer"; x.send(); await loadend(x); return x.response.byteLength`, "0"},
		{"blob", get("blob", "b=abc&type=Text/Plain%3BCharset=UTF-8", `[x.response instanceof Blob, x.response.size, x.response.type, await x.response.text()].join()`),
			"true,3,text/plain;charset=utf-8,abc"},
		{"blob type without Content-Type", get("blob", "b=abc", `x.response.type`), "text/xml"},
		{"json", get("json", `b=%7B%22a%22%3A%5B1%2C2%5D%7D`, `JSON.stringify(x.response) + (x.response === x.response)`), `{"a":[1,2]}true`},
		{"json with a BOM", get("json", "b=%EF%BB%BF[1]", `x.response[0]`), "1"},
		{"bad json", get("json", "b={", `x.response`), "null"},
		{"json null", get("json", "b=null", `x.response`), "null"},
		{"json of a null body", `const x = new XMLHttpRequest(); x.open("HEAD", "/body?b=1"); x.responseType = "json"; x.send(); await loadend(x); return x.response`, "null"},
		{"document: no DOM", get("document", "b=<p>&type=text/html", `[x.response, x.responseXML, throwsName(() => x.responseText)].join()`), ",,InvalidStateError"},
		{"responseXML of text", get("", "b=<a/>&type=text/xml", `[x.responseXML, x.responseText].join()`), ",<a/>"},
		{"responseXML of json", get("json", "b=1", `throwsName(() => x.responseXML)`), "InvalidStateError"},
		{"not before done", `const x = new XMLHttpRequest(); x.open("GET", "/slowbody"); x.responseType = "arraybuffer"; x.send();
			await new Promise(r => x.onprogress = r); const v = x.response; x.abort(); return [v, x.readyState].join()`, ",0"},
		{"unknown values are ignored", `const x = new XMLHttpRequest(); x.responseType = "blob"; x.responseType = "nope"; x.responseType = "Text"; return x.responseType`, "blob"},
		{"not settable when loading or done", `const x = new XMLHttpRequest(); x.open("GET", "/body?b=1"); x.send(); await loadend(x);
			return [throwsName(() => x.responseType = "text"), x.responseType === ""].join()`, "InvalidStateError,true"},
		{"a network error", `const x = new XMLHttpRequest(); x.open("GET", "http://127.0.0.1:1/"); x.responseType = "json"; x.send(); await loadend(x); return x.response`, "null"},
		{"text while loading", `const x = new XMLHttpRequest(); x.open("GET", "/slowbody"); x.send();
			await new Promise(r => x.onprogress = r); const t = [x.readyState, x.responseText, x.response]; x.abort(); return t.join()`, "3,partial,partial"},
	})
}

func TestTextDecoding(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	hex := func(h, typ, setup string) string {
		return `const x = new XMLHttpRequest(); x.open("GET", "/hex?h=` + h + `&type=` + url.QueryEscape(typ) + `"); ` + setup + ` x.send(); await loadend(x); return x.responseText`
	}
	e.runCases(t, []jsCase{
		{"UTF-8 by default", hex("68c3a9", "text/plain", ""), "hé"},
		{"invalid UTF-8", hex("61ff62", "text/plain", ""), "a\uFFFDb"},
		{"charset", hex("68e9", "text/plain; charset=windows-1252", ""), "hé"},
		{"latin1 is windows-1252", hex("80", "text/plain;charset=ISO-8859-1", ""), "€"},
		{"Shift_JIS", hex("82a0", `text/plain; charset="Shift_JIS"`, ""), "あ"},
		{"unknown charset", hex("68c3a9", "text/plain; charset=nope", ""), "hé"},
		{"BOM wins", hex("fffe6800e900", "text/plain; charset=windows-1252", ""), "hé"},
		{"UTF-16BE BOM", hex("feff00680069", "text/plain", ""), "hi"},
		{"UTF-8 BOM removed", hex("efbbbf6869", "text/plain", ""), "hi"},
		{"override charset", hex("68e9", "text/plain; charset=utf-8", `x.overrideMimeType("text/plain;charset=windows-1252");`), "hé"},
		{"override without charset keeps the response's", hex("68e9", "text/plain; charset=windows-1252", `x.overrideMimeType("text/html");`), "hé"},
		{"XML declaration", hex(hexOf(`<?xml version="1.0" encoding="windows-1252"?>`)+"e9", "application/xml", ""), `<?xml version="1.0" encoding="windows-1252"?>é`},
		{"XML declaration, text response type", hex(hexOf(`<?xml version="1.0" encoding="windows-1252"?>`)+"c3a9", "application/xml", `x.responseType = "text";`), `<?xml version="1.0" encoding="windows-1252"?>é`},
		{"XML charset beats the declaration", hex(hexOf(`<?xml version="1.0" encoding="windows-1252"?>`)+"c3a9", "text/xml;charset=utf-8", ""), `<?xml version="1.0" encoding="windows-1252"?>é`},
		{"no Content-Type is XML", hex(hexOf(`<?xml version='1.0' encoding = 'iso-8859-2'?>`)+"b1", "", ""), `<?xml version='1.0' encoding = 'iso-8859-2'?>ą`},
		{"gzip", `const x = new XMLHttpRequest(); x.open("GET", "/gzip"); x.send(); await loadend(x); return x.responseText + "|" + x.getResponseHeader("content-encoding")`, "compressed|gzip"},
	})
}

// hexOf hex-encodes s.
func hexOf(s string) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(digits[s[i]>>4])
		b.WriteByte(digits[s[i]&0x0F])
	}
	return b.String()
}

func TestResponseHeaders(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	e.runCases(t, []jsCase{
		{"all, sorted, combined, without Set-Cookie", `const x = new XMLHttpRequest(); x.open("GET", "/headers"); x.send(); await loadend(x);
			return x.getAllResponseHeaders().replace(/date: [^\r]*\r\n/, "")`,
			"content-length: 2\r\ncontent-type: text/plain\r\nx-a: a\r\nx-b: 1, 2\r\nx_under: u\r\n"},
		{"one", `const x = new XMLHttpRequest(); x.open("GET", "/headers"); x.send(); await loadend(x);
			return [x.getResponseHeader("X-B"), x.getResponseHeader("set-cookie"), x.getResponseHeader("nope"), throwsName(() => x.getResponseHeader("\u0100"))].join("|")`,
			"1, 2|||TypeError"},
		{"available at HEADERS_RECEIVED", `const x = new XMLHttpRequest(); let h; x.onreadystatechange = () => { if (x.readyState === 2) h = [x.status, x.getResponseHeader("x-a"), x.responseText]; };
			x.open("GET", "/headers"); x.send(); await loadend(x); return JSON.stringify(h)`, `[200,"a",""]`},
		{"status", `const x = new XMLHttpRequest(); x.open("GET", "/body?status=404&b=nf"); x.send(); await loadend(x);
			return [x.status, x.statusText, x.responseText].join()`, "404,Not Found,nf"},
	})
}

func TestOverrideMimeType(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	e.runCases(t, []jsCase{
		{"blob type", `const x = new XMLHttpRequest(); x.open("GET", "/body?b=1&type=text/plain"); x.overrideMimeType("Application/JSON ; x=y"); x.responseType = "blob"; x.send(); await loadend(x);
			return x.response.type + "|" + x.getResponseHeader("content-type")`, "application/json;x=y|text/plain"},
		{"invalid", `const x = new XMLHttpRequest(); x.open("GET", "/body?b=1&type=text/plain"); x.overrideMimeType("nonsense\u0100"); x.responseType = "blob"; x.send(); await loadend(x);
			return x.response.type`, "application/octet-stream"},
		{"state", `const x = new XMLHttpRequest(); x.overrideMimeType("text/plain"); x.open("GET", "/body?b=1"); x.send(); await loadend(x);
			return throwsName(() => x.overrideMimeType("text/plain"))`, "InvalidStateError"},
		{"code points above U+00FF fail", `const x = new XMLHttpRequest(); x.open("GET", "/hex?h=68e9&type=text/plain");
			x.overrideMimeType("text/plain;charset=windows-1252;a=\u0100"); x.send(); await loadend(x); return x.responseText`, "hé"},
	})
}

func TestRedirects(t *testing.T) {
	srv := newTestServer(t)
	other := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	e.runCases(t, []jsCase{
		{"followed", `const x = new XMLHttpRequest(); x.open("GET", "/redirect?to=/body%3Fb%3Dthere"); x.send(); await loadend(x);
			return [x.status, x.responseText, x.responseURL === "` + srv.URL + `/body?b=there"].join()`, "200,there,true"},
		{"303 POST becomes GET", `const x = new XMLHttpRequest(); x.open("POST", "/redirect?status=303&to=/echo"); x.send("body"); await loadend(x);
			const b = JSON.parse(x.responseText); return [b.method, JSON.stringify(b.body), b.headers["content-type"]].join()`, `GET,"",`},
		{"307 keeps the body", `const x = new XMLHttpRequest(); x.open("PUT", "/redirect?status=307&to=/echo"); x.send("body"); await loadend(x);
			const b = JSON.parse(x.responseText); return [b.method, b.body].join()`, "PUT,body"},
		{"cross-origin", `const x = new XMLHttpRequest(); x.open("GET", "/redirect?to=` + url.QueryEscape(other.URL+"/echo") + `"); x.send(); await loadend(x);
			return [x.status, JSON.parse(x.responseText).headers.origin === "` + srv.URL + `", x.responseURL === "` + other.URL + `/echo"].join()`, "200,true,true"},
		{"a loop is a network error", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "/redirect?to=/redirect"); x.send(); await loadend(x);
			return [x.status, log.join(" ")].join()`, "0,rs1 loadstart(0) rs4 error(0) loadend(0)"},
	})
}

func TestErrors(t *testing.T) {
	srv := newTestServer(t)
	refused := errors.New("refused")
	e := newTestEnv(t, envOptions{base: srv.URL + "/", fetch: fetch.Options{Network: &network.Policy{Allow: func(u *url.URL, _ netip.AddrPort) error {
		if u.Path == "/forbidden" {
			return refused
		}
		return nil
	}}}})
	e.runCases(t, []jsCase{
		{"bad port", `const x = new XMLHttpRequest(); const log = trace(x, true); x.open("POST", "http://127.0.0.1:1/"); x.send("abc"); await loadend(x);
			return [x.readyState, x.status, x.responseText === "", log.join(" ")].join()`,
			"4,0,true,rs1 loadstart(0) upload.loadstart(0/3) rs4 upload.error(0) upload.loadend(0) error(0) loadend(0)"},
		{"connection policy", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "/forbidden"); x.send(); await loadend(x);
			return log.join(" ")`, "rs1 loadstart(0) rs4 error(0) loadend(0)"},
		{"unsupported scheme", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "ftp://127.0.0.1/"); x.send(); await loadend(x);
			return log.join(" ")`, "rs1 loadstart(0) rs4 error(0) loadend(0)"},
		{"data: URL", `const x = new XMLHttpRequest(); x.open("GET", "data:text/plain;charset=windows-1252,h%E9"); x.send(); await loadend(x);
			return [x.status, x.responseText, x.getResponseHeader("content-type")].join()`, "200,hé,text/plain;charset=windows-1252"},
	})
}

func TestAbort(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	e.runCases(t, []jsCase{
		{"while waiting for headers", `const x = new XMLHttpRequest(); const log = trace(x, true); x.open("POST", "/block"); x.send("abc");
			await new Promise(r => setTimeout(r, 10)); x.abort();
			const after = [x.readyState, x.status];
			await new Promise(r => setTimeout(r, 10));
			return [after, log.join(" ")].join("|")`,
			"0,0|rs1 loadstart(0) upload.loadstart(0/3) rs4 upload.abort(0) upload.loadend(0) abort(0) loadend(0)"},
		{"while loading", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "/slowbody"); x.send();
			await new Promise(r => x.onprogress = r); x.abort(); return [x.readyState, x.responseText === "", log.join(" ")].join("|")`,
			"0|true|rs1 loadstart(0) rs2 rs3 progress(7) rs4 abort(0) loadend(0)"},
		{"in readystatechange", `const x = new XMLHttpRequest(); const log = trace(x); x.onreadystatechange = () => { if (x.readyState === 2) x.abort() };
			x.open("GET", "/body?b=abc"); x.send(); await new Promise(r => setTimeout(r, 30));
			return log.join(" ")`, "rs1 loadstart(0) rs2 rs4 abort(0) loadend(0)"},
		{"before send", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "/"); x.abort(); return [x.readyState, log.join(" ")].join()`, "1,rs1"},
		{"when done", `const x = new XMLHttpRequest(); x.open("GET", "/body?b=abc"); x.send(); await loadend(x);
			const log = trace(x); x.abort(); return [x.readyState, x.status, x.responseText === "", log.length].join()`, "0,0,true,0"},
		{"open again during loadstart", `const x = new XMLHttpRequest(); let n = 0; x.onloadstart = () => { if (n++ === 0) { x.open("GET", "/body?b=second"); x.send() } };
			x.open("GET", "/body?b=first"); x.send(); await loadend(x); await new Promise(r => setTimeout(r, 30)); return [x.responseText, n].join()`, "second,2"},
		{"open again in readystatechange", `const x = new XMLHttpRequest(); const log = trace(x);
			x.onreadystatechange = () => { if (x.readyState === 2 && !x.reopened) { x.reopened = true; x.open("GET", "/body?b=two"); x.send(); } };
			x.open("GET", "/body?b=one"); x.send(); await loadend(x); return [x.responseText, log.join(" ")].join("|")`,
			"two|rs1 loadstart(0) rs2 rs1 loadstart(0) rs2 rs3 progress(3/3) progress(3/3) rs4 load(3/3) loadend(3/3)"},
	})
}

func TestTimeout(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	e.runCases(t, []jsCase{
		{"waiting for headers", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "/block"); x.timeout = 20; x.send(); await loadend(x);
			return [x.readyState, x.status, log.join(" ")].join("|")`, "4|0|rs1 loadstart(0) rs4 timeout(0) loadend(0)"},
		{"while loading", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "/slowbody"); x.timeout = 40; x.send(); await loadend(x);
			return log.join(" ")`, "rs1 loadstart(0) rs2 rs3 progress(7) rs4 timeout(0) loadend(0)"},
		{"set after send", `const x = new XMLHttpRequest(); const log = trace(x); x.open("GET", "/block"); x.send(); x.timeout = 20; await loadend(x);
			return log.join(" ")`, "rs1 loadstart(0) rs4 timeout(0) loadend(0)"},
		{"measured from the start", `const x = new XMLHttpRequest(); x.open("GET", "/block"); x.send(); const t0 = Date.now();
			await new Promise(r => setTimeout(r, 50)); x.timeout = 10; await loadend(x); return Date.now() - t0 < 1000`, "true"},
		{"removed", `const x = new XMLHttpRequest(); x.open("GET", "/delay?ms=60"); x.timeout = 20; x.send(); x.timeout = 0; await loadend(x); return x.responseText`, "late"},
		{"not reached", `const x = new XMLHttpRequest(); x.open("GET", "/body?b=fast"); x.timeout = 5000; x.send(); await loadend(x); return x.responseText`, "fast"},
	})
}

func TestWithCredentials(t *testing.T) {
	srv := newTestServer(t)
	other := newTestServer(t)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, envOptions{base: srv.URL + "/", fetch: fetch.Options{Network: &network.Policy{Jar: jar}}})
	cookie := func(u string, creds bool) string {
		c := "false"
		if creds {
			c = "true"
		}
		return `await new Promise(r => { const x = new XMLHttpRequest(); x.open("GET", "` + u + `/echo"); x.withCredentials = ` + c + `; x.onloadend = () => r(JSON.parse(x.responseText).headers.cookie); x.send(); })`
	}
	e.runCases(t, []jsCase{
		{"same origin stores and sends", `const x = new XMLHttpRequest(); x.open("GET", "/setcookie?c=a=1"); x.send(); await loadend(x); return ` + cookie(srv.URL, false), "a=1"},
		{"cross-origin without", `return String(` + cookie(other.URL, false) + `)`, "undefined"},
		{"cross-origin with", `return ` + cookie(other.URL, true), "a=1"},
		{"state", `const x = new XMLHttpRequest(); x.withCredentials = true; x.open("GET", "/body?b=1"); x.withCredentials = false; x.send();
			const during = throwsName(() => x.withCredentials = true); await loadend(x);
			return [during, throwsName(() => x.withCredentials = true), x.withCredentials].join()`, "InvalidStateError,InvalidStateError,false"},
	})
}

func TestProgressThrottle(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	// A byte every 5ms for 300ms: progress events come about every 50ms,
	// not for every byte, and the last ones have every byte.
	got := e.run(`const x = new XMLHttpRequest(); const times = [], log = trace(x);
		x.onprogress = () => times.push(Date.now());
		x.open("GET", "/chunks?n=60&every=5&cl"); x.send(); await loadend(x);
		const gaps = times.slice(1, -1).map((t, i) => t - times[i]);
		const progress = log.filter(s => s.startsWith("progress"));
		return [x.responseText.length, progress.length > 2 && progress.length < 20, gaps.every(g => g >= 45),
			progress[progress.length - 1], log[log.length - 1]].join()`)
	if got != "60,true,true,progress(60/60),loadend(60/60)" {
		t.Errorf("got %q", got)
	}
}

func TestUploadProgress(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	// 16 MiB is more than loopback socket buffers hold, so sending stalls
	// while the server pauses, and resumes more than 50ms after it started.
	got := e.run(`const x = new XMLHttpRequest(); const log = trace(x, true); x.open("POST", "/slowupload?ms=120");
		const body = new Uint8Array(16 << 20); x.send(body); await loadend(x);
		const up = log.filter(s => s.startsWith("upload."));
		const during = up.filter(s => s.startsWith("upload.progress(")).slice(0, -1);
		return [x.responseText, during.length > 0, during.every(s => /^upload\.progress\(\d+\/16777216\)$/.test(s)),
			up[0], up.slice(-3).join(" "), log.indexOf("upload.loadend(16777216/16777216)") < log.indexOf("rs2")].join()`)
	want := "16777216,true,true,upload.loadstart(0/16777216),upload.progress(16777216/16777216) upload.load(16777216/16777216) upload.loadend(16777216/16777216),true"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestLoopClose(t *testing.T) {
	srv := newTestServer(t)
	e := newTestEnv(t, envOptions{base: srv.URL + "/"})
	// A pending request keeps the loop alive; closing the loop ends it.
	started := make(chan struct{})
	e.loop.Queue(func() {
		_ = e.vm.Set("started", func() { close(started) })
		if _, err := e.vm.RunString(`const x = new XMLHttpRequest(); x.open("GET", "/block"); x.send(); started();`); err != nil {
			t.Error(err)
		}
	})
	go func() {
		<-started
		e.loop.Close()
	}()
	if err := e.loop.Run(t.Context()); !errors.Is(err, eventloop.ErrClosed) {
		t.Errorf("Run = %v, want ErrClosed", err)
	}
}

func TestRegisterErrors(t *testing.T) {
	vm := goja.New()
	r := webidl.NewRealm(vm)
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	env := bindings.NewEnv(r, loop)
	if err := Register(env); err == nil || !strings.Contains(err.Error(), "EventTarget") {
		t.Errorf("Register without events: %v", err)
	}
	if err := events.Register(env); err != nil {
		t.Fatal(err)
	}
	if err := Register(env); err == nil || !strings.Contains(err.Error(), "Blob") {
		t.Errorf("Register without blob: %v", err)
	}
}

func TestSyncLoopClose(t *testing.T) {
	// A synchronous request blocks the loop goroutine; closing the loop
	// (as closing the runtime does) ends it with an AbortError.
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	}))
	defer srv.Close()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	r.SetAPIBaseURL(srv.URL + "/")
	loop := eventloop.New(vm, eventloop.Options{})
	setupRest(t, bindings.NewEnv(r, loop))
	thrown := make(chan string, 1)
	loop.Queue(func() {
		_ = vm.Set("report", func(s string) { thrown <- s })
		_, _ = vm.RunString(`const x = new XMLHttpRequest(); x.open("GET", "/", false);
			try { x.send(); report("returned") } catch (e) { report(e.name) }`)
	})
	go func() {
		<-arrived
		loop.Close()
	}()
	if err := loop.Run(t.Context()); !errors.Is(err, eventloop.ErrClosed) {
		t.Errorf("Run = %v, want ErrClosed", err)
	}
	if got := <-thrown; got != "AbortError" {
		t.Errorf("send() ended with %q", got)
	}
}

func TestBlobURL(t *testing.T) {
	e := newTestEnv(t, envOptions{base: "http://example.test/page.html"})
	e.runCases(t, []jsCase{
		{"fetched", `const u = URL.createObjectURL(new Blob(["blob body"], {type: "text/x"})); const x = new XMLHttpRequest();
			x.open("GET", u); x.send(); await loadend(x); return [x.status, x.getResponseHeader("content-type"), x.responseText].join()`, "200,text/x,blob body"},
		// open() resolves the URL as it parses it.
		{"revoked after open", `const u = URL.createObjectURL(new Blob(["kept"])); const x = new XMLHttpRequest();
			x.open("GET", u); URL.revokeObjectURL(u); x.send(); await loadend(x); return x.status + "," + x.responseText`, "200,kept"},
		{"revoked before open", `const u = URL.createObjectURL(new Blob(["gone"])); URL.revokeObjectURL(u); const x = new XMLHttpRequest();
			let error = false; x.onerror = () => error = true; x.open("GET", u); x.send(); await loadend(x); return x.status + "," + error`, "0,true"},
	})
}
