package network

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// specialRange is an address block that a script must not reach under
// DenyPrivateNetworks, with the name of the registry entry it comes from.
type specialRange struct {
	prefix netip.Prefix
	name   string
}

// nonPublic lists the blocks of the IANA IPv4 and IPv6 Special-Purpose Address
// Registries (RFC 6890 and its updates) that are not globally reachable (the
// IETF protocol assignment blocks whole, though a few anycast addresses in them
// are), plus multicast and the reserved IPv4 block 240.0.0.0/4. Blocks that
// embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the embedded
// address instead; see embeddedIPv4.
var nonPublic = func() []specialRange {
	var out []specialRange
	for _, e := range []struct{ prefix, name string }{
		{"0.0.0.0/8", "this network (RFC 791)"},
		{"10.0.0.0/8", "private (RFC 1918)"},
		{"100.64.0.0/10", "shared address space, CGNAT (RFC 6598)"},
		{"127.0.0.0/8", "loopback (RFC 1122)"},
		{"169.254.0.0/16", "link-local (RFC 3927)"},
		{"172.16.0.0/12", "private (RFC 1918)"},
		{"192.0.0.0/24", "IETF protocol assignments (RFC 6890)"},
		{"192.0.2.0/24", "documentation (RFC 5737)"},
		{"192.31.196.0/24", "AS112-v4 (RFC 7535)"},
		{"192.52.193.0/24", "AMT (RFC 7450)"},
		{"192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"},
		{"192.168.0.0/16", "private (RFC 1918)"},
		{"192.175.48.0/24", "direct delegation AS112 service (RFC 7534)"},
		{"198.18.0.0/15", "benchmarking (RFC 2544)"},
		{"198.51.100.0/24", "documentation (RFC 5737)"},
		{"203.0.113.0/24", "documentation (RFC 5737)"},
		{"224.0.0.0/4", "multicast (RFC 5771)"},
		{"240.0.0.0/4", "reserved, and the limited broadcast address (RFC 1112, RFC 919)"},
		{"::/128", "unspecified (RFC 4291)"},
		{"::1/128", "loopback (RFC 4291)"},
		{"::/96", "deprecated IPv4-compatible (RFC 4291)"},
		{"64:ff9b:1::/48", "local-use IPv4/IPv6 translation (RFC 8215)"},
		{"100::/64", "discard-only (RFC 6666)"},
		{"2001::/23", "IETF protocol assignments, Teredo included (RFC 2928, RFC 4380)"},
		{"2001:db8::/32", "documentation (RFC 3849)"},
		{"3fff::/20", "documentation (RFC 9637)"},
		{"5f00::/16", "segment routing SIDs (RFC 9602)"},
		{"fc00::/7", "unique local (RFC 4193)"},
		{"fe80::/10", "link-local (RFC 4291)"},
		{"fec0::/10", "deprecated site-local (RFC 3879)"},
		{"ff00::/8", "multicast (RFC 4291)"},
	} {
		out = append(out, specialRange{netip.MustParsePrefix(e.prefix), e.name})
	}
	return out
}()

// Translation prefixes whose addresses stand for an IPv4 address.
var (
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96") // RFC 6052
	sixToFour   = netip.MustParsePrefix("2002::/16")    // RFC 3056
)

// embeddedIPv4 returns the IPv4 address an IPv6 address stands for, if it is
// one of the forms that carry traffic to an IPv4 host: IPv4-mapped
// (::ffff:a.b.c.d), the NAT64 well-known prefix and 6to4.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if a.Is4In6() {
		return a.Unmap(), true
	}
	b := a.As16()
	switch {
	case nat64Prefix.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// nonPublicRange returns the name of the non-public block holding a, or "".
func nonPublicRange(a netip.Addr) string {
	a = a.WithZone("")
	if v4, ok := embeddedIPv4(a); ok {
		if name := nonPublicRange(v4); name != "" {
			return v4.String() + " is " + name
		}
		if a.Is4In6() {
			return ""
		}
	}
	for _, r := range nonPublic {
		if r.prefix.Contains(a) {
			return r.name
		}
	}
	return ""
}

// DenyPrivateNetworks is a connection policy for Policy.Allow that lets scripts
// reach public unicast addresses only: it refuses loopback, private (RFC 1918,
// unique local), link-local, shared CGNAT space, multicast, unspecified,
// documentation, benchmarking and the other blocks of the IANA special-purpose
// registries that are not globally reachable, whether written as IPv4, as
// IPv4-mapped IPv6 (::ffff:127.0.0.1), or through the NAT64 and 6to4 prefixes.
//
// It judges the address actually connected to, each time a connection is
// made, so a host name that resolves to a public address when checked and to a
// private one when dialed (DNS rebinding) is still refused; nothing is sent
// before the check. Before anything is resolved it already refuses URLs whose
// host is such an address, "localhost", or a name under ".localhost" (RFC 6761).
//
// With a proxy (Policy.Proxy, or the environment's HTTP_PROXY and HTTPS_PROXY)
// the address connected to is the proxy's, so a proxy on a private address is
// refused too; the proxy is then trusted to apply its own policy to the final
// host. Combine it with checks of your own by calling it from your Allow.
func DenyPrivateNetworks(u *url.URL, addr netip.AddrPort) error {
	if !addr.IsValid() {
		// First call, from the URL alone.
		host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		if host == "localhost" || strings.HasSuffix(host, ".localhost") {
			return fmt.Errorf("network: host %q is loopback (RFC 6761)", u.Hostname())
		}
		a, err := netip.ParseAddr(host)
		if err != nil {
			return nil // a name: judged once it is resolved and dialed
		}
		addr = netip.AddrPortFrom(a, 0)
	}
	if name := nonPublicRange(addr.Addr()); name != "" {
		return fmt.Errorf("network: address %s is not public: %s", addr.Addr(), name)
	}
	return nil
}
