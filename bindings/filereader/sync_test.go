package filereader

import (
	"testing"

	"github.com/wsjs/wsjs/bindings"
)

func TestSyncExposure(t *testing.T) {
	cases := []struct {
		global bindings.Global
		want   string
	}{
		{bindings.Window, "undefined,function"},
		{bindings.DedicatedWorker, "function,function"},
		{bindings.SharedWorker, "function,function"},
		{bindings.ServiceWorker, "undefined,function"},
	}
	for _, c := range cases {
		e := newTestEnv(t, c.global, nil)
		if got := e.run(`return [typeof FileReaderSync, typeof FileReader].join()`); got != c.want {
			t.Errorf("global %v: got %q, want %q", c.global, got, c.want)
		}
	}
}

func TestSyncRead(t *testing.T) {
	e := newTestEnv(t, bindings.DedicatedWorker, nil)
	e.runCases(t, []jsCase{
		{"interface", `const r = new FileReaderSync(); const p = FileReaderSync.prototype;
			return [FileReaderSync.length, p.readAsArrayBuffer.length, p.readAsText.length, String(r), throwsName(() => FileReaderSync())].join()`,
			"0,1,1,[object FileReaderSync],TypeError"},
		{"ArrayBuffer", `const b = new FileReaderSync().readAsArrayBuffer(new Blob(["ab"]));
			return b instanceof ArrayBuffer && Array.from(new Uint8Array(b)).join()`, "97,98"},
		{"binary string", `return Array.from(new FileReaderSync().readAsBinaryString(new Blob([new Uint8Array([1, 200])])), c => c.charCodeAt(0)).join()`, "1,200"},
		{"text", `return new FileReaderSync().readAsText(new Blob([new Uint8Array([0x68, 0xE9])]), "windows-1252")`, "hé"},
		{"text with a charset", `return new FileReaderSync().readAsText(new Blob([new Uint8Array([0x68, 0, 0x69, 0])], {type: "text/plain;charset=utf-16"}))`, "hi"},
		{"data URL", `return new FileReaderSync().readAsDataURL(new Blob(["TEST"], {type: "text/plain"}))`, "data:text/plain;base64,VEVTVA=="},
		{"not a Blob", `return throwsName(() => new FileReaderSync().readAsText({}))`, "TypeError"},
	})
}

func TestSyncMemoryBudget(t *testing.T) {
	for _, c := range []jsCase{
		{"over the budget", `const blob = new Blob(["x".repeat(600)]); const r = new FileReaderSync();
			return ["readAsArrayBuffer", "readAsText", "readAsBinaryString", "readAsDataURL"].map(m => {
				try { r[m](blob); return "no throw"; } catch (e) { return e.name + ": " + e.message; }
			}).join("\n")`,
			"RangeError: Array buffer allocation failed\nRangeError: Invalid string length\nRangeError: Invalid string length\nRangeError: Invalid string length"},
		{"within it", `return new FileReaderSync().readAsText(new Blob([new Uint8Array(300)])).length`, "300"},
	} {
		newTestEnv(t, bindings.DedicatedWorker, bindings.NewBudget(1000)).runCases(t, []jsCase{c})
	}
}
