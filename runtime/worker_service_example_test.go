package runtime_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/wsjs/wsjs/runtime"
)

// A runtime whose BaseURL is a secure context (here a loopback address) can
// register service workers. The worker is installed and activated, and the
// page and the worker exchange messages; the worker intercepts no requests.
func ExampleRuntime_RunScript_serviceWorker() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `
oninstall = (e) => e.waitUntil(Promise.resolve());
onmessage = (e) => e.source.postMessage("hello, " + e.data);
`)
	}))
	defer srv.Close()

	rt, err := runtime.New(runtime.Options{BaseURL: srv.URL + "/app/", Stdout: os.Stdout, Stderr: os.Stdout})
	if err != nil {
		panic(err)
	}
	defer rt.Close()
	err = rt.RunScript(context.Background(), "main.js", `
navigator.serviceWorker.onmessage = (e) => console.log(e.data);
navigator.serviceWorker.register("sw.js").then((reg) => {
  const sw = reg.installing;
  sw.onstatechange = () => {
    console.log(sw.state);
    if (sw.state === "activated") sw.postMessage("page");
  };
});
`)
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// installed
	// activating
	// activated
	// hello, page
}
