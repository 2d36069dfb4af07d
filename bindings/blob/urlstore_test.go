package blob

import (
	"regexp"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

func TestBlobURLs(t *testing.T) {
	vm := goja.New()
	r := webidl.NewRealm(vm)
	r.SetAPIBaseURL("http://web-platform.test:8000/dir/page.html")
	env := bindings.NewEnv(r, nil)
	if err := bindings.Install(env, Binding); err != nil {
		t.Fatal(err)
	}
	store := URLStoreOf(env)
	if _, err := vm.RunString(describeJS); err != nil {
		t.Fatal(err)
	}
	u := evalString(t, vm, `globalThis.u = URL.createObjectURL(new Blob(["hi"], {type: "Text/Plain"})); u`)
	if !regexp.MustCompile(`^blob:http://web-platform\.test:8000/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(u) {
		t.Fatalf("createObjectURL gave %q", u)
	}
	e := store.Resolve(u + "#fragment")
	if e == nil || string(e.Data) != "hi" || e.Type != "text/plain" {
		t.Fatalf("Resolve = %+v", e)
	}
	assertJS(t, vm, `URL.createObjectURL(new Blob([])) !== u`)
	assertJS(t, vm, `describe(URL, "createObjectURL") === "value,writable,enumerable,configurable" && URL.createObjectURL.length === 1 && URL.revokeObjectURL.name === "revokeObjectURL"`)
	// The name and length of a function object are non-writable, non-enumerable and
	// configurable (https://webidl.spec.whatwg.org/#es-operations).
	assertJS(t, vm, `["createObjectURL", "revokeObjectURL"].every(n => describe(URL[n], "name") === "value,configurable" && describe(URL[n], "length") === "value,configurable")`)
	if got := evalString(t, vm, `URL.createObjectURL("not a blob")`); got != "throws TypeError" {
		t.Errorf("createObjectURL of a string: %s", got)
	}
	if got := evalString(t, vm, `URL.createObjectURL()`); got != "throws TypeError" {
		t.Errorf("createObjectURL(): %s", got)
	}
	assertJS(t, vm, `URL.revokeObjectURL("https://example.com/"); URL.revokeObjectURL(u) === undefined`)
	if store.Resolve(u) != nil {
		t.Fatal("a revoked URL still resolves")
	}
	// A file: base URL has an opaque origin.
	r.SetAPIBaseURL("file:///tmp/x.js")
	assertJS(t, vm, `URL.createObjectURL(new Blob([])).startsWith("blob:null/")`)
}

func TestBlobURLsNeedURL(t *testing.T) {
	vm := goja.New()
	if err := Register(bindings.NewEnv(webidl.NewRealm(vm), nil)); err == nil {
		t.Fatal("Register with a URLStore but no URL interface succeeded")
	}
}

// TestBlobURLLifetime checks that the blob URLs a realm made are revoked when
// its event loop closes (https://w3c.github.io/FileAPI/#lifeTime), and only
// those.
func TestBlobURLLifetime(t *testing.T) {
	cluster := &bindings.Cluster{}
	newRealm := func() (*goja.Runtime, *eventloop.Loop) {
		vm := goja.New()
		r := webidl.NewRealm(vm)
		r.SetAPIBaseURL("http://example.test/")
		loop := eventloop.New(vm, eventloop.Options{})
		t.Cleanup(loop.Close)
		env := bindings.NewEnv(r, loop)
		env.Cluster = cluster
		if err := bindings.Install(env, Binding); err != nil {
			t.Fatal(err)
		}
		return vm, loop
	}
	mainVM, _ := newRealm()
	workerVM, workerLoop := newRealm()
	mainURL := evalString(t, mainVM, `URL.createObjectURL(new Blob(["main"]))`)
	workerURL := evalString(t, workerVM, `URL.createObjectURL(new Blob(["worker"]))`)
	store := URLStoreOf(&bindings.Env{Cluster: cluster})
	entry := store.Resolve(workerURL)
	if entry == nil || store.Resolve(mainURL) == nil {
		t.Fatal("the URLs do not resolve")
	}
	workerLoop.Close()
	if store.Resolve(workerURL) != nil {
		t.Error("the URL of a closed realm still resolves")
	}
	if store.Resolve(mainURL) == nil {
		t.Error("the URL of another realm was revoked")
	}
	if string(entry.Data) != "worker" {
		t.Errorf("an entry resolved before holds %q", entry.Data)
	}
}
