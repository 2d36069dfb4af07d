package xhr_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/xhr"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// Installing Binding installs XMLHttpRequest in a runtime, with the bindings it
// needs; a script makes an asynchronous request, then a synchronous one, to a
// server on loopback.
func ExampleRegister() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"path": "`+r.URL.Path+`"}`)
	}))
	defer srv.Close()

	vm := goja.New()
	r := webidl.NewRealm(vm)
	r.SetAPIBaseURL(srv.URL + "/app/")
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	must(bindings.Install(bindings.NewEnv(r, loop), xhr.Binding))
	must(vm.Set("print", fmt.Println))

	loop.Queue(func() {
		_, err := vm.RunString(`
			const req = new XMLHttpRequest();
			req.responseType = "json";
			req.onreadystatechange = () => print("readyState", req.readyState);
			req.onload = () => print(req.status, req.getResponseHeader("Content-Type"), req.response.path);
			req.open("GET", "data.json");
			req.send();

			const sync = new XMLHttpRequest();
			sync.open("GET", "/other", false);
			sync.send(); // blocks until the response is in
			print("sync:", sync.responseText);`)
		must(err)
	})
	// Run returns once the request is done.
	must(loop.Run(context.Background()))
	// Output:
	// readyState 1
	// sync: {"path": "/other"}
	// readyState 2
	// readyState 3
	// readyState 4
	// 200 application/json /app/data.json
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
