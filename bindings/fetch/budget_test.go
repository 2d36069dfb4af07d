package fetch

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// Bodies read whole or extracted, and what arrayBuffer(), bytes(), text(),
// formData() and streams make of them, are charged to the memory budget (1 MiB): a body it has no
// room for is a network error, a copy a RangeError.
func TestMemoryBudget(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.Write(make([]byte, n))
	}))
	defer srv.Close()
	const (
		tooLarge = "throws RangeError: Array buffer allocation failed"
		tooLong  = "throws RangeError: Invalid string length"
	)
	cases := []struct{ name, src, want string }{
		{"body within", `return (await (await fetch("/307200")).arrayBuffer()).byteLength`, "307200"},
		{"body beyond", `return (await (await fetch("/2097152")).arrayBuffer()).byteLength`, "throws TypeError: Failed to read the body: network error"},
		{"copy beyond", `return (await (await fetch("/614400")).arrayBuffer()).byteLength`, tooLarge},
		{"bytes beyond", `return (await (await fetch("/614400")).bytes()).length`, tooLarge},
		{"text beyond", `return (await (await fetch("/614400")).text()).length`, tooLong},
		{"json beyond", `return await (await fetch("/614400")).json()`, tooLong},
		{"blob shares the body", `return (await (await fetch("/614400")).blob()).size`, "614400"},
		{"stream chunks kept beyond", `const kept = [], reader = (await fetch("/2097152")).body.getReader();
			for (;;) { const { done, value } = await reader.read(); if (done) return "done"; kept.push(value) }`, tooLarge},
		{"stream of a body read whole", `const r = await fetch("/614400"); await r.clone().blob();
			return (await r.body.getReader().read()).value.length`, "throws RangeError: Array buffer allocation failed"},
		{"body from a stream beyond", `const s = new ReadableStream({ start(c) { for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(100 << 10)); c.close() } });
			return (await new Response(s).arrayBuffer()).byteLength`, tooLarge},
		{"body from a string beyond", `return new Response("x".repeat(2**20 + 1)).status`, tooLarge},
		{"body from a string within", `return (await new Response("x".repeat(2**19)).text()).length`, "524288"},
		// A FormData's body is charged; formData() needs room for the
		// strings it decodes, while its Files share the body's bytes.
		{"body from a FormData within", `const fd = new FormData(); fd.append("a", "x".repeat(614400)); return new Response(fd).status`, "200"},
		{"body from a FormData beyond", `const fd = new FormData(), s = "x".repeat(614400); fd.append("a", s); fd.append("b", s); return new Response(fd).status`, tooLarge},
		{"formData() strings beyond", `const fd = new FormData(); fd.append("a", "x".repeat(614400)); return (await new Response(fd).formData()).get("a").length`, tooLong},
		{"formData() urlencoded beyond", `return (await new Response("a=" + "x".repeat(614400), {headers: {"Content-Type": "application/x-www-form-urlencoded"}}).formData()).get("a").length`, tooLong},
		{"formData() files share the body", `const r = new Response("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\n" + "x".repeat(614400) + "\r\n--b--",
			{headers: {"Content-Type": "multipart/form-data; boundary=b"}}); return (await r.formData()).get("f").size`, "614400"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			budget := bindings.NewBudget(1 << 20)
			e := newTestEnvParts(t, srv.URL+"/", Options{}, envParts{streams: true, blobURLs: true, memory: budget})
			if got := e.run(c.src); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			e.run(`return (function f(n) { return n ? f(n - 1) : 0 })(1000)`)
			jstest.WaitUsed(t, budget, 0)
		})
	}
}
