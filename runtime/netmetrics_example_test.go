package runtime_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/wsjs/wsjs/runtime"
)

// A host watches the network use of the scripts it runs: the bytes their
// requests and sockets carried, and the sockets they hold open.
func ExampleRuntime_Metrics_network() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"price": 42}`)
	}))
	defer srv.Close()

	rt, _ := runtime.New(runtime.Options{Stdout: io.Discard})
	err := rt.RunScript(context.Background(), "plugin.js", `
		const { price } = await (await fetch("`+srv.URL+`/quote")).json();
		console.log(price);
	`)
	if err != nil {
		panic(err)
	}
	m := rt.Metrics()
	fmt.Println("sockets:", m.Sockets)
	fmt.Println("bytes in and out:", m.BytesIn > 0, m.BytesOut > 0)
	rt.Close()
	after := rt.Metrics()
	fmt.Println("kept once closed:", after.BytesIn == m.BytesIn && after.BytesOut == m.BytesOut)
	// Output:
	// sockets: 0
	// bytes in and out: true true
	// kept once closed: true
}
