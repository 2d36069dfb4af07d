package fetch

import "testing"

// Bodies from a FormData are multipart/form-data; formData() parses them
// back, and application/x-www-form-urlencoded ones too.
func TestFormDataBodies(t *testing.T) {
	e := newTestEnv(t, "https://example.com/", Options{})
	e.run(`globalThis.show = (fd) => [...fd].map(([k, v]) => JSON.stringify(k) + "=" +
		(typeof v === "string" ? JSON.stringify(v) : "File(" + [v.name, v.type, v.size].join() + ")")).join(" ");
	// bytes returns the bytes of a string of code points below 256.
	globalThis.bytes = (s) => Uint8Array.from(s.split(""), (c) => c.charCodeAt(0));
	globalThis.form = () => {
		const fd = new FormData();
		fd.append("a", "1");
		fd.append("line\nbreak\r", "v\rw\nx\r\ny");
		fd.append("quo\"te", "é🌟");
		fd.append("blob", new Blob(["abc"], {type: "text/x-Y"}));
		fd.append("file", new File(["\0\r\n--"], "f.bin"), "n\"\r\n.bin");
		fd.append("a", "2");
		return fd;
	};`)
	const roundTrip = `"a"="1" "line\r\nbreak\r\n"="v\r\nw\r\nx\r\ny" "quo\"te"="é🌟" "blob"=File(blob,text/x-y,3) "file"=File(n"` + "\r\n" + `.bin,application/octet-stream,5) "a"="2"`
	e.runCases(t, []jsCase{
		// FormData → Request → formData(): newlines normalized, names and
		// filenames escaped and unescaped, Blobs become Files.
		{`return show(await new Request("x", {method: "POST", body: form()}).formData())`, roundTrip},
		{`return show(await new Response(form()).formData())`, roundTrip},
		{`const r = new Response(form()); await r.clone().text(); return show(await r.formData())`, roundTrip},
		{`const f = (await new Response(form()).formData()).get("file"); return [f instanceof File, Date.now() - f.lastModified < 60000, await f.text() === "\0\r\n--"].join()`, "true,true,true"},
		{`return show(await new Response(new FormData()).formData())`, ""},
		// The extracted type carries the boundary, which opens the body.
		{`const r = new Request("x", {method: "POST", body: form()}); const t = r.headers.get("Content-Type");
			const m = /^multipart\/form-data; boundary=(-*[0-9A-Za-z]+)$/.exec(t);
			return [!!m, (await r.text()).startsWith("--" + m[1] + "\r\n")].join()`, "true,true"},
		{`return (await new Response(new FormData()).text()).replace(/^--(-*\w+)--\r\n$/, "empty")`, "empty"},
		// An author Content-Type stays.
		{`return new Request("x", {method: "POST", body: form(), headers: {"Content-Type": "text/plain"}}).headers.get("Content-Type")`, "text/plain"},
		{`return throwsName(() => new Request("x", {body: new FormData()}))`, "TypeError"},
		// application/x-www-form-urlencoded.
		{`return show(await new Response("a=b&&c=%zz+d&=&%C3%A9", {headers: {"Content-Type": "application/x-www-form-urlencoded;charset=shift_jis"}}).formData())`,
			`"a"="b" "c"="%zz d" ""="" "é"=""`},
		{`return show(await new Response(new URLSearchParams("x=1&y=2")).formData())`, `"x"="1" "y"="2"`},
		// The MIME type's essence decides; a multipart type needs its boundary.
		{`return show(await new Response("--B\r\ncontent-disposition: form-data; name=\"n\"\r\n\r\nv\r\n--B--", {headers: {"Content-Type": "Multipart/Form-Data; charset=x; Boundary=\"B\""}}).formData())`, `"n"="v"`},
		{`return show(await new Response(bytes("--b\r\nContent-Disposition: form-data; name=\"\xc3\xbf\"; filename=\"f\"\r\nContent-Type: text/\xe9\r\n\r\n\xff\r\n--b--"), {headers: {"Content-Type": "multipart/form-data; boundary=b"}}).formData())`,
			`"ÿ"=File(f,,1)`},
		{`return show(await new Response(bytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xef\xbb\xbf\xff\r\n--b--"), {headers: {"Content-Type": "multipart/form-data; boundary=b"}}).formData())`,
			"\"a\"=\"\ufeff\ufffd\""},
		// Failures reject with a TypeError.
		{`return await rejection(new Response("a=b").formData())`, "TypeError"},
		{`return await rejection(new Response("a=b", {headers: {"Content-Type": "text/plain"}}).formData())`, "TypeError"},
		{`return await rejection(new Response("--b--", {headers: {"Content-Type": "multipart/form-data"}}).formData())`, "TypeError"},
		{`return await rejection(new Response("--c--", {headers: {"Content-Type": "multipart/form-data; boundary=b"}}).formData())`, "TypeError"},
		{`return await rejection(new Response("", {headers: {"Content-Type": "multipart/form-data; boundary=b"}}).formData())`, "TypeError"},
		{`return await rejection(new Response(null, {headers: {"Content-Type": "application/x-www-form-urlencoded"}}).formData().then(show))`, "fulfilled"},
		{`const r = new Response(form()); await r.formData(); return [r.bodyUsed, await rejection(r.formData())].join()`, "true,TypeError"},
		{`return await rejection(Response.prototype.formData.call({}))`, "TypeError"},
	})
}
