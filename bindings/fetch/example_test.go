package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/fetch"
	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// Installing Binding installs fetch() in a runtime, with the bindings it
// needs; a script fetches from a server on loopback, and a connection policy
// keeps it away from everything else.
func ExampleRegister() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"greeting": "hello from `+r.URL.Path+`"}`)
	}))
	defer srv.Close()

	vm := goja.New()
	r := webidl.NewRealm(vm)
	r.SetAPIBaseURL(srv.URL + "/app/")
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	env := bindings.NewEnv(r, loop)
	bindings.Configure(env, fetch.Options{Network: &network.Policy{
		Allow: func(u *url.URL, addr netip.AddrPort) error {
			if addr.IsValid() && !addr.Addr().IsLoopback() {
				return errors.New("loopback only")
			}
			return nil
		},
	}})
	must(bindings.Install(env, fetch.Binding))
	must(vm.Set("print", fmt.Println))

	loop.Queue(func() {
		_, err := vm.RunString(`
			fetch("data.json")
				.then(res => { print(res.status, res.headers.get("content-type")); return res.json(); })
				.then(data => print(data.greeting))`)
		must(err)
	})
	// Run returns once the fetch and the reading of its body are done.
	must(loop.Run(context.Background()))
	// Output:
	// 200 application/json
	// hello from /app/data.json
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
