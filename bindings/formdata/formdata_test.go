package formdata

import (
	"strings"
	"testing"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// show is a script function that lists the entries of a FormData as
// name=value, a File as name=File(filename,type,size).
const show = `function show(fd) {
	return [...fd].map(([k, v]) => k + "=" + (typeof v === "string" ? v : (v instanceof File ? "File" : "?") + "(" + v.name + "," + v.type + "," + v.size + ")")).join("|");
}
`

func TestFormData(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"interface", `[FormData.length, FormData.name, Object.prototype.toString.call(new FormData()),
			FormData.prototype[Symbol.iterator] === FormData.prototype.entries, typeof FormData.prototype.forEach].join()`,
			"0,FormData,[object FormData],true,function"},
		{"empty", `show(new FormData())`, ""},
		{"form undefined", `show(new FormData(undefined, null))`, ""},
		{"form object", `new FormData({})`, "TypeError: Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'."},
		{"form null", `new FormData(null)`, "TypeError: Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'."},
		{"submitter", `new FormData(undefined, {})`, "TypeError: Failed to construct 'FormData': parameter 2 is not of type 'HTMLElement'."},
		{"call", `FormData()`, "TypeError"},
		{"append strings", `const fd = new FormData(); fd.append("a", 1); fd.append("a", "x\ny"); fd.append("b", {toString() { return "o" }}); show(fd)`, "a=1|a=x\ny|b=o"},
		{"lone surrogates", `const fd = new FormData(); fd.append("\uD800", "\uDC00"); [...fd][0].map(s => s.charCodeAt(0).toString(16)).join()`, "fffd,fffd"},
		{"append Blob", `const fd = new FormData(); fd.append("b", new Blob(["abc"], {type: "text/x"})); show(fd) + " " + (Date.now() - fd.get("b").lastModified < 60000)`, "b=File(blob,text/x,3) true"},
		{"append File keeps it", `const f = new File(["z"], "f.txt"); const fd = new FormData(); fd.append("f", f); fd.get("f") === f`, "true"},
		{"append File with filename", `const f = new File(["z"], "f.txt", {type: "a/b", lastModified: 42}); const fd = new FormData(); fd.append("f", f, "g");
			const g = fd.get("f"); [g === f, g.name, g.type, g.lastModified, g.size].join()`, "false,g,a/b,42,1"},
		{"append Blob with undefined filename", `const fd = new FormData(); fd.append("b", new Blob(), undefined); fd.get("b").name`, "blob"},
		{"append string with filename", `new FormData().append("a", "b", "c")`, "TypeError: Failed to execute 'append' on 'FormData': parameter 2 is not of type 'Blob'."},
		{"append too few", `new FormData().append("a")`, "TypeError"},
		{"get", `const fd = new FormData(); fd.append("a", "1"); fd.append("a", "2"); [fd.get("a"), fd.get("b")].join()`, "1,"},
		{"get null", `new FormData().get("x") === null`, "true"},
		{"getAll", `const fd = new FormData(); fd.append("a", "1"); fd.append("b", "2"); fd.append("a", "3"); JSON.stringify([fd.getAll("a"), fd.getAll("c")])`, `[["1","3"],[]]`},
		{"has", `const fd = new FormData(); fd.append("a", "1"); [fd.has("a"), fd.has("b")].join()`, "true,false"},
		{"delete", `const fd = new FormData(); fd.append("a", "1"); fd.append("b", "2"); fd.append("a", "3"); fd.delete("a"); show(fd)`, "b=2"},
		{"set replaces first", `const fd = new FormData(); fd.append("a", "1"); fd.append("b", "2"); fd.append("a", "3"); fd.append("c", "4"); fd.set("a", "x"); show(fd)`, "a=x|b=2|c=4"},
		{"set appends", `const fd = new FormData(); fd.append("a", "1"); fd.set("b", new Blob(["q"]), "n"); show(fd)`, "a=1|b=File(n,,1)"},
		{"set string with filename", `new FormData().set("a", "b", "c")`, "TypeError: Failed to execute 'set' on 'FormData': parameter 2 is not of type 'Blob'."},
		{"keys values", `const fd = new FormData(); fd.append("a", "1"); fd.append("b", "2"); [...fd.keys()].join() + ";" + [...fd.values()].join()`, "a,b;1,2"},
		{"forEach", `const fd = new FormData(); fd.append("a", "1"); let s = ""; fd.forEach((v, k, o) => { s += k + v + (o === fd) }); s`, "a1true"},
		{"iterator sees changes", `const fd = new FormData(); fd.append("a", "1"); const it = fd.keys(); fd.append("b", "2"); [...it].join()`, "a,b"},
		{"brand check", `FormData.prototype.get.call({}, "a")`, "TypeError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, _ := newVM(t, 0)
			got := jstest.Outcome(vm, show+c.src)
			if got != c.want && !(c.want == "TypeError" && strings.HasPrefix(got, "TypeError:")) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}
