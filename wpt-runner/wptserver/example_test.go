package wptserver_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/wsjs/wsjs/wpt-runner/wptserver"
)

// Serve a checkout and fetch a template file over HTTPS from a WPT
// subdomain, resolved by the server's dialer and trusted through its CA.
func ExampleStart() {
	root, err := os.MkdirTemp("", "wpt")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(root)
	os.WriteFile(filepath.Join(root, "hello.sub.js"), []byte(`const host = "{{host}}", alt = "{{hosts[alt][www]}}";`), 0o644)

	srv, err := wptserver.Start(wptserver.Config{Root: root})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	client := &http.Client{Transport: &http.Transport{
		DialContext:     srv.DialContext,
		TLSClientConfig: &tls.Config{RootCAs: srv.CA()},
	}}
	resp, err := client.Get(srv.URL("https", "www1."+srv.Host()) + "/hello.sub.js")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"))
	fmt.Println(string(body))
	// Output:
	// 200 OK text/javascript
	// const host = "web-platform.test", alt = "www.not-web-platform.test";
}

// Talk to the Go counterpart of websockets/handlers/echo_wsh.py.
func ExampleServer_DialContext() {
	srv, err := wptserver.Start(wptserver.Config{Root: os.TempDir()})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	d := ws.Dialer{NetDial: srv.DialContext, Protocols: []string{"echo"}}
	conn, _, hs, err := d.Dial(context.Background(), srv.URL("ws", "")+"/echo")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	wsutil.WriteClientText(conn, []byte("hello"))
	msg, err := wsutil.ReadServerText(conn)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(hs.Protocol, string(msg))
	// Output: echo hello
}
