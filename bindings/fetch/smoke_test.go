package fetch

import "testing"

func TestSmoke(t *testing.T) {
	e := newTestEnv(t, "https://example.com/dir/page.html", Options{})
	e.runCases(t, []jsCase{
		{`const h = new Headers({"B": "2", "a": " 1 "}); h.append("b", "3"); return [...h].join("|")`, "a,1|b,2, 3"},
		{`return new Request("x").url`, "https://example.com/dir/x"},
		{`return await new Response("hi").text()`, "hi"},
		{`return (await fetch("data:text/plain;base64,aGVsbG8=")).headers.get("content-type")`, "text/plain"},
		{`return await (await fetch("data:,a%20b")).text()`, "a b"},
		{`return throwsName(() => new Request("x", {method: "TRACE"}))`, "TypeError"},
		{`return await rejection(fetch("file:///etc/passwd"))`, "TypeError"},
	})
}
