package network_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"

	"github.com/wsjs/wsjs/bindings/network"
)

// A policy that lets connections reach loopback only, used for an HTTP request the
// way fetch uses it: the URL is checked before anything is resolved, then every
// address dialed.
func ExamplePolicy() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	}))
	defer srv.Close()

	p := &network.Policy{
		Allow: func(u *url.URL, addr netip.AddrPort) error {
			if !addr.IsValid() {
				fmt.Println("asked about", u.Path)
				return nil
			}
			if !addr.Addr().IsLoopback() {
				return errors.New("loopback only")
			}
			fmt.Println("dialing a loopback address")
			return nil
		},
	}
	tr := p.Transport()
	defer tr.CloseIdleConnections()

	u, _ := url.Parse(srv.URL + "/greeting")
	if err := p.Check(u); err != nil {
		panic(err)
	}
	req, _ := http.NewRequestWithContext(network.WithURL(context.Background(), u), "GET", u.String(), nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// asked about /greeting
	// dialing a loopback address
	// 200 hello
}

// A plugin host lets scripts reach public addresses only. The policy is given the
// address of every connection actually made, so a name that resolves to a private
// address when dialed is refused as well.
func ExampleDenyPrivateNetworks() {
	p := network.Policy{Allow: network.DenyPrivateNetworks}
	u, _ := url.Parse("wss://chat.example/")
	for _, addr := range []string{"93.184.215.14:443", "127.0.0.1:443", "[::ffff:10.1.2.3]:443", "[64:ff9b::a9fe:a9fe]:443"} {
		fmt.Println(p.Allow(u, netip.MustParseAddrPort(addr)))
	}
	// Output:
	// <nil>
	// network: address 127.0.0.1 is not public: loopback (RFC 1122)
	// network: address ::ffff:10.1.2.3 is not public: 10.1.2.3 is private (RFC 1918)
	// network: address 64:ff9b::a9fe:a9fe is not public: 169.254.169.254 is link-local (RFC 3927)
}
