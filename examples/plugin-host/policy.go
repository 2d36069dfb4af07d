package main

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"

	"github.com/wsjs/wsjs/bindings/network"
)

// allowHosts returns a network.Policy.Allow that lets plugins connect to the
// listed hosts only, and among the addresses they resolve to, to loopback
// and public ones: a listed name that resolves to a private network is
// refused when it is dialed.
func allowHosts(hosts []string) func(*url.URL, netip.AddrPort) error {
	return func(u *url.URL, addr netip.AddrPort) error {
		if !addr.IsValid() { // before anything is resolved
			if u == nil || !slices.Contains(hosts, u.Hostname()) {
				return fmt.Errorf("host not in the plugins' allow list")
			}
			return nil
		}
		if addr.Addr().Unmap().IsLoopback() {
			return nil
		}
		return network.DenyPrivateNetworks(u, addr)
	}
}

// noProxy is a network.Policy.Proxy that connects directly, whatever the
// environment says.
func noProxy(*http.Request) (*url.URL, error) { return nil, nil }
