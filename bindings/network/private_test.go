package network

import (
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

func TestDenyPrivateNetworksAddresses(t *testing.T) {
	cases := []struct {
		addr   string
		denied bool
	}{
		{"127.0.0.1", true}, {"127.255.255.254", true}, {"0.0.0.0", true}, {"0.1.2.3", true},
		{"10.1.2.3", true}, {"172.16.0.1", true}, {"172.31.255.255", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"100.64.0.1", true}, {"100.127.255.255", true},
		{"192.0.0.8", true}, {"192.0.2.1", true}, {"198.18.0.1", true}, {"198.19.255.255", true},
		{"198.51.100.7", true}, {"203.0.113.9", true}, {"192.88.99.1", true},
		{"224.0.0.1", true}, {"239.255.255.250", true}, {"240.0.0.1", true}, {"255.255.255.255", true},
		{"172.32.0.1", false}, {"100.128.0.1", false}, {"8.8.8.8", false}, {"1.1.1.1", false},
		{"93.184.215.14", false}, {"198.20.0.1", false}, {"223.255.255.255", false},

		{"::", true}, {"::1", true}, {"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true},
		{"::ffff:169.254.169.254", true}, {"::ffff:0.0.0.0", true}, {"::127.0.0.1", true},
		{"fe80::1%eth0", true}, {"fe80::1", true}, {"fc00::1", true}, {"fd12:3456::1", true},
		{"fec0::1", true}, {"ff02::1", true}, {"ff0e::1", true}, {"100::1", true},
		{"2001::1", true}, {"2001:db8::1", true}, {"3fff::1", true}, {"5f00::1", true},
		{"64:ff9b::7f00:1", true}, {"64:ff9b::a00:1", true}, {"64:ff9b:1::1", true},
		{"2002:7f00:1::1", true}, {"2002:c0a8:101::1", true},
		{"::ffff:8.8.8.8", false}, {"64:ff9b::808:808", false}, {"2002:808:808::1", false},
		{"2606:4700:4700::1111", false}, {"2001:4860:4860::8888", false}, {"2a00:1450::1", false},
	}
	u := &url.URL{Scheme: "ws", Host: "example.com"}
	for _, c := range cases {
		a := netip.MustParseAddr(c.addr)
		err := DenyPrivateNetworks(u, netip.AddrPortFrom(a, 443))
		if (err != nil) != c.denied {
			t.Errorf("%s: %v, want denied=%v", c.addr, err, c.denied)
		}
		if err != nil && !strings.Contains(err.Error(), "not public") {
			t.Errorf("%s: error %q does not say why", c.addr, err)
		}
	}
}

func TestDenyPrivateNetworksURLs(t *testing.T) {
	cases := []struct {
		url    string
		denied bool
	}{
		{"ws://localhost/", true}, {"ws://LOCALHOST./", true}, {"ws://app.localhost:8080/", true},
		{"ws://127.0.0.1/", true}, {"ws://[::1]:9000/", true}, {"wss://[::ffff:7f00:1]/", true},
		{"ws://10.0.0.1/", true}, {"ws://[fe80::1%25eth0]/", true},
		{"ws://example.com/", false}, {"wss://8.8.8.8/", false}, {"ws://localhost.example/", false},
		{"ws://[2606:4700:4700::1111]/", false},
	}
	for _, c := range cases {
		u, err := url.Parse(c.url)
		if err != nil {
			t.Fatal(err)
		}
		if err := DenyPrivateNetworks(u, netip.AddrPort{}); (err != nil) != c.denied {
			t.Errorf("%s: %v, want denied=%v", c.url, err, c.denied)
		}
	}
}
