package filereader

import (
	"testing"

	"github.com/wsjs/wsjs/bindings"
)

func TestReaderInterface(t *testing.T) {
	e := newTestEnv(t, bindings.Window, nil)
	e.runCases(t, []jsCase{
		{"prototype chain", `return Object.getPrototypeOf(FileReader.prototype) === EventTarget.prototype && new FileReader() instanceof EventTarget`, "true"},
		{"lengths", `const p = FileReader.prototype;
			return [FileReader.length, p.readAsArrayBuffer.length, p.readAsBinaryString.length, p.readAsText.length, p.readAsDataURL.length, p.abort.length].join()`,
			"0,1,1,1,1,0"},
		{"constants", `return [FileReader.EMPTY, FileReader.LOADING, FileReader.DONE, new FileReader().DONE].join()`, "0,1,2,2"},
		{"initial state", `const fr = new FileReader();
			return [fr.readyState, fr.result, fr.error, fr.onloadstart, fr.onprogress, fr.onload, fr.onabort, fr.onerror, fr.onloadend].map(String).join()`,
			"0,null,null,null,null,null,null,null,null"},
		{"not a Blob", `const fr = new FileReader();
			return [throwsName(() => fr.readAsText("abc")), throwsName(() => fr.readAsArrayBuffer()), fr.readyState].join()`, "TypeError,TypeError,0"},
		{"no FileReaderSync in a Window", `return typeof FileReaderSync`, "undefined"},
	})
}

func TestRead(t *testing.T) {
	e := newTestEnv(t, bindings.Window, nil)
	// read(method, blob, ...args) returns the result once loadend fired.
	const read = `async function read(method, blob, ...args) {
		const fr = new FileReader();
		const end = next(fr, "loadend");
		fr[method](blob, ...args);
		await end;
		return fr.result;
	}
	`
	e.runCases(t, []jsCase{
		{"ArrayBuffer", read + `const b = await read("readAsArrayBuffer", new Blob(["ab", new Uint8Array([0, 255])]));
			return b instanceof ArrayBuffer && Array.from(new Uint8Array(b)).join()`, "97,98,0,255"},
		{"empty ArrayBuffer", read + `return (await read("readAsArrayBuffer", new Blob())).byteLength`, "0"},
		{"binary string", read + `const s = await read("readAsBinaryString", new Blob([new Uint8Array([0x61, 0, 0x80, 0xFF])]));
			return Array.from(s, c => c.charCodeAt(0)).join()`, "97,0,128,255"},
		{"text in UTF-8", read + `return await read("readAsText", new Blob(["h\u00e9\ud83d\ude00"]))`, "hé😀"},
		{"text with a bad byte", read + `return await read("readAsText", new Blob([new Uint8Array([0x61, 0xFF])]))`, "a\uFFFD"},
		{"text with a BOM", read + `return await read("readAsText", new Blob([new Uint8Array([0xFF, 0xFE, 0x68, 0, 0x69, 0])]), "utf-8")`, "hi"},
		{"text with an encoding", read + `return await read("readAsText", new Blob([new Uint8Array([0x68, 0xE9])]), " Latin1 ")`, "hé"},
		{"text with a charset", read + `return await read("readAsText", new Blob([new Uint8Array([0, 0x68, 0, 0x69])], {type: "text/plain; charset=UTF-16BE"}))`, "hi"},
		{"the encoding before the charset", read + `return await read("readAsText", new Blob([new Uint8Array([0x68, 0, 0x69, 0])], {type: "text/plain;charset=utf-16be"}), "utf-16le")`, "hi"},
		{"an unknown encoding", read + `return await read("readAsText", new Blob([new Uint8Array([0x68, 0, 0x69, 0])], {type: "text/plain;charset=utf-16le"}), "bogus")`, "hi"},
		{"an unknown charset", read + `return await read("readAsText", new Blob(["h\u00e9"], {type: "text/plain;charset=bogus"}))`, "hé"},
		{"the replacement encoding", read + `return await read("readAsText", new Blob(["abc"]), "iso-2022-kr")`, "\uFFFD"},
		{"data URL", read + `return await read("readAsDataURL", new Blob(["TEST"], {type: "Text/Plain"}))`, "data:text/plain;base64,VEVTVA=="},
		{"data URL without a type", read + `return await read("readAsDataURL", new Blob([new Uint8Array([0xFB, 0xFF])]))`, "data:application/octet-stream;base64,+/8="},
		{"empty data URL", read + `return await read("readAsDataURL", new Blob())`, "data:application/octet-stream;base64,"},
		{"a File", read + `return await read("readAsText", new File(["abc"], "f.txt"))`, "abc"},
	})
}

func TestEvents(t *testing.T) {
	e := newTestEnv(t, bindings.Window, nil)
	e.runCases(t, []jsCase{
		{"order", `const fr = new FileReader(); const log = trace(fr);
			fr.readAsText(new Blob(["abc"])); await next(fr, "loadend"); return log.join()`,
			"loadstart(0/3),progress(3/3),load(3/3),loadend(3/3)"},
		{"no progress for no bytes", `const fr = new FileReader(); const log = trace(fr);
			fr.readAsArrayBuffer(new Blob()); await next(fr, "loadend"); return log.join()`,
			"loadstart(0/0),load(0/0),loadend(0/0)"},
		{"in tasks", `const fr = new FileReader(); const log = trace(fr);
			fr.readAsText(new Blob(["a"])); await Promise.resolve(); log.push("microtask");
			await next(fr, "loadend"); return log.join()`,
			"microtask,loadstart(0/1),progress(1/1),load(1/1),loadend(1/1)"},
		{"a task for each", `const fr = new FileReader(); const log = trace(fr);
			fr.onloadstart = () => Promise.resolve().then(() => log.push("microtask"));
			fr.readAsText(new Blob(["a"])); await next(fr, "loadend"); return log.join()`,
			"loadstart(0/1),microtask,progress(1/1),load(1/1),loadend(1/1)"},
		{"ProgressEvents", `const fr = new FileReader(); let ev; fr.onload = e => ev = e;
			fr.readAsText(new Blob(["a"])); await next(fr, "loadend");
			return [ev instanceof ProgressEvent, ev.isTrusted, ev.bubbles, ev.cancelable, ev.target === fr, ev.lengthComputable].join()`,
			"true,true,false,false,true,true"},
		{"readyState and result", `const fr = new FileReader(); const seen = [];
			for (const t of ["loadstart", "progress", "load", "loadend"]) fr.addEventListener(t, () => seen.push(t + ":" + fr.readyState + ":" + fr.result));
			fr.readAsText(new Blob(["x"])); seen.push("sync:" + fr.readyState + ":" + fr.result);
			await next(fr, "loadend"); return seen.join()`,
			"sync:1:null,loadstart:1:null,progress:1:null,load:2:x,loadend:2:x"},
		{"busy", `const fr = new FileReader(); fr.readAsText(new Blob(["a"]));
			const name = throwsName(() => fr.readAsDataURL(new Blob(["b"])));
			await next(fr, "loadend"); return name + "," + fr.result`, "InvalidStateError,a"},
		{"a new read from load", `const fr = new FileReader(); const log = trace(fr);
			fr.onload = () => { if (fr.result === "a") fr.readAsText(new Blob(["bc"])); };
			fr.readAsText(new Blob(["a"])); await next(fr, "loadend"); return log.join() + "," + fr.result`,
			"loadstart(0/1),progress(1/1),load(1/1),loadstart(0/2),progress(2/2),load(2/2),loadend(2/2),bc"},
	})
}

func TestAbort(t *testing.T) {
	e := newTestEnv(t, bindings.Window, nil)
	e.runCases(t, []jsCase{
		{"before a read", `const fr = new FileReader(); const log = trace(fr); fr.abort();
			return [fr.readyState, fr.result, log.length].map(String).join()`, "0,null,0"},
		{"after a read", `const fr = new FileReader(); fr.readAsText(new Blob(["a"])); await next(fr, "loadend");
			const log = trace(fr); fr.abort(); return [fr.readyState, fr.result, log.length].map(String).join()`, "2,null,0"},
		{"during a read", `const fr = new FileReader(); const log = trace(fr);
			fr.readAsText(new Blob(["abc"])); fr.abort(); log.push("state " + fr.readyState + " " + fr.result);
			await new Promise(resolve => setTimeout(resolve, 0)); return log.join()`,
			"abort(0/3),loadend(0/3),state 2 null"},
		{"at loadstart", `const fr = new FileReader(); const log = trace(fr);
			fr.onloadstart = () => fr.abort();
			fr.readAsText(new Blob(["abc"])); await next(fr, "loadend");
			await new Promise(resolve => setTimeout(resolve, 0)); return log.join() + "," + fr.result`,
			"loadstart(0/3),abort(0/3),loadend(0/3),null"},
		{"and a new read", `const fr = new FileReader(); const log = trace(fr);
			fr.onabort = () => fr.readAsText(new Blob(["de"]));
			fr.readAsText(new Blob(["abc"])); fr.abort(); fr.onabort = null;
			await next(fr, "loadend"); return log.join() + "," + fr.result`,
			"abort(0/3),loadstart(0/2),progress(2/2),load(2/2),loadend(2/2),de"},
	})
}

// TestMemoryBudget runs each case in a runtime of its own, whose memory
// budget of 1000 bytes its Blobs take from until they are collected.
func TestMemoryBudget(t *testing.T) {
	for _, c := range []jsCase{
		{"over the budget", `const blob = new Blob(["x".repeat(600)]); const out = [];
			for (const m of ["readAsArrayBuffer", "readAsText", "readAsBinaryString", "readAsDataURL"]) {
				const fr = new FileReader(); const log = trace(fr);
				fr[m](blob); await next(fr, "loadend");
				out.push(m + ":" + log.join(" ") + ":" + fr.result + ":" + (fr.error && fr.error.name));
			}
			return out.join("\n")`,
			"readAsArrayBuffer:loadstart(0/600) progress(600/600) error(600/600) loadend(600/600):null:NotReadableError\n" +
				"readAsText:loadstart(0/600) progress(600/600) error(600/600) loadend(600/600):null:NotReadableError\n" +
				"readAsBinaryString:loadstart(0/600) progress(600/600) error(600/600) loadend(600/600):null:NotReadableError\n" +
				"readAsDataURL:loadstart(0/600) progress(600/600) error(600/600) loadend(600/600):null:NotReadableError"},
		{"within it", `const fr = new FileReader(); fr.readAsText(new Blob([new Uint8Array(300)])); await next(fr, "loadend");
			return fr.result.length + "," + fr.error`, "300,null"},
		{"error cleared by the next read", `const fr = new FileReader(); fr.readAsArrayBuffer(new Blob(["x".repeat(600)])); await next(fr, "loadend");
			const before = fr.error.name; fr.readAsText(new Blob(["a"])); const during = fr.error; await next(fr, "loadend");
			return [before, during, fr.error, fr.result].map(String).join()`, "NotReadableError,null,null,a"},
	} {
		newTestEnv(t, bindings.Window, bindings.NewBudget(1000)).runCases(t, []jsCase{c})
	}
}
