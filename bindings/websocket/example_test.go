package websocket_test

import (
	"fmt"
	"net/netip"
	"net/url"

	"github.com/wsjs/wsjs/bindings/websocket"
)

// A plugin host lets scripts reach public addresses only. The policy is given the
// address of every connection actually made, so a name that resolves to a private
// address when dialed is refused as well.
func ExampleDenyPrivateNetworks() {
	opts := websocket.Options{Allow: websocket.DenyPrivateNetworks}
	u, _ := url.Parse("wss://chat.example/")
	for _, addr := range []string{"93.184.215.14:443", "127.0.0.1:443", "[::ffff:10.1.2.3]:443", "[64:ff9b::a9fe:a9fe]:443"} {
		fmt.Println(opts.Allow(u, netip.MustParseAddrPort(addr)))
	}
	// Output:
	// <nil>
	// websocket: address 127.0.0.1 is not public: loopback (RFC 1122)
	// websocket: address ::ffff:10.1.2.3 is not public: 10.1.2.3 is private (RFC 1918)
	// websocket: address 64:ff9b::a9fe:a9fe is not public: 169.254.169.254 is link-local (RFC 3927)
}
