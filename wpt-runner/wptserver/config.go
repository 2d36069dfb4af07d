package wptserver

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/net/idna"
)

// DefaultRoot is the WPT checkout served when Config.Root is empty.
const DefaultRoot = "/work/shared/wpt"

// Config configures Start. Its zero value serves DefaultRoot as
// web-platform.test (alternate host not-web-platform.test) on free ports.
type Config struct {
	// Root is the directory of the WPT checkout. Files are served from it
	// and never modified.
	Root string

	// Host is the primary host name, {{host}} in templates.
	// Empty means "web-platform.test".
	Host string

	// AltHost is the alternate host name, {{hosts[alt][]}} in templates.
	// Empty means "not-web-platform.test". It must not share its last
	// labels with Host.
	AltHost string

	// Ports are the ports to listen on; a zero field picks a free port.
	// DefaultPorts returns the ports WPT's own runner uses.
	Ports Ports

	// Logf, when set, receives one line per failed request or handler
	// error. Nil discards them.
	Logf func(format string, args ...any)
}

// Ports holds the port of every server, indexed like WPT's "ports"
// configuration ({{ports[http][1]}} is HTTP[1]).
type Ports struct {
	HTTP  [2]int // plain HTTP/1.1, two servers
	HTTPS [2]int // HTTP/1.1 over TLS, two servers
	WS    int    // WebSocket server (pywebsocket3 stand-in)
	WSS   int    // WebSocket server over TLS
	H2    int    // HTTPS server offering HTTP/2 through ALPN
}

// DefaultPorts returns the ports WPT's test runner configures: http 8000 and
// 8001, https 8443 and 8444, ws 8888, wss 8889 and h2 9000.
func DefaultPorts() Ports {
	return Ports{
		HTTP:  [2]int{8000, 8001},
		HTTPS: [2]int{8443, 8444},
		WS:    8888,
		WSS:   8889,
		H2:    9000,
	}
}

// byScheme returns the ports as the {{ports}} template value.
func (p Ports) byScheme() map[string][]int {
	return map[string][]int{
		"http":  {p.HTTP[0], p.HTTP[1]},
		"https": {p.HTTPS[0], p.HTTPS[1]},
		"ws":    {p.WS},
		"wss":   {p.WSS},
		"h2":    {p.H2},
	}
}

// baseSubdomains are the subdomain labels WPT configures; every product of
// up to two of them is a valid subdomain.
var baseSubdomains = []string{"www", "www1", "www2", "天気の良い日", "élève"}

// baseNotSubdomains name hosts that exist in templates but never resolve.
var baseNotSubdomains = []string{"nonexistent"}

// subdomainProduct returns every dotted join of one or two labels.
func subdomainProduct(labels []string) []string {
	var out []string
	for _, a := range labels {
		out = append(out, a)
	}
	for _, a := range labels {
		for _, b := range labels {
			out = append(out, a+"."+b)
		}
	}
	return out
}

// hostTable is the host part of the WPT configuration: for each host key
// ("" for the primary host, "alt" for the alternate one) the map from
// subdomain (Unicode, as written in templates) to ASCII host name.
type hostTable struct {
	primary string
	alt     string
	// domains[key][sub] are the resolvable names; notDomains those that
	// appear in templates but do not resolve.
	domains    map[string]map[string]string
	notDomains map[string]map[string]string
}

func newHostTable(primary, alt string) (*hostTable, error) {
	if primary == "" {
		primary = "web-platform.test"
	}
	if alt == "" {
		alt = "not-web-platform.test"
	}
	primary = strings.ToLower(primary)
	alt = strings.ToLower(alt)
	if !domainsDistinct(primary, alt) {
		return nil, fmt.Errorf("wptserver: alternate host %q is not distinct from host %q", alt, primary)
	}
	t := &hostTable{
		primary:    primary,
		alt:        alt,
		domains:    map[string]map[string]string{},
		notDomains: map[string]map[string]string{},
	}
	for key, host := range map[string]string{"": primary, "alt": alt} {
		d := map[string]string{"": host}
		for _, sub := range subdomainProduct(baseSubdomains) {
			a, err := idna.Punycode.ToASCII(sub)
			if err != nil {
				return nil, fmt.Errorf("wptserver: subdomain %q: %v", sub, err)
			}
			d[sub] = a + "." + host
		}
		t.domains[key] = d
		nd := map[string]string{}
		for _, sub := range subdomainProduct(baseNotSubdomains) {
			nd[sub] = sub + "." + host
		}
		t.notDomains[key] = nd
	}
	return t, nil
}

// domainsDistinct reports whether a and b differ in their common number of
// trailing labels, as WPT requires of the primary and alternate hosts.
func domainsDistinct(a, b string) bool {
	ap := strings.Split(a, ".")
	bp := strings.Split(b, ".")
	n := min(len(ap), len(bp))
	return strings.Join(ap[len(ap)-n:], ".") != strings.Join(bp[len(bp)-n:], ".")
}

// allDomains returns, for key, the resolvable and non-resolvable names, as
// {{hosts[key][sub]}} sees them.
func (t *hostTable) allDomains(key string) map[string]string {
	out := map[string]string{}
	for k, v := range t.domains[key] {
		out[k] = v
	}
	for k, v := range t.notDomains[key] {
		out[k] = v
	}
	return out
}

// resolvable returns every host name that resolves to the server, sorted.
func (t *hostTable) resolvable() []string {
	var out []string
	for _, d := range t.domains {
		for _, h := range d {
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

// lookup classifies a host name: known reports whether it is one of the
// configured names, resolves whether it maps to the server.
func (t *hostTable) lookup(host string) (known, resolves bool) {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if a, err := idna.Punycode.ToASCII(host); err == nil {
		host = a
	}
	for _, d := range t.domains {
		for _, h := range d {
			if h == host {
				return true, true
			}
		}
	}
	for _, d := range t.notDomains {
		for _, h := range d {
			if h == host {
				return true, false
			}
		}
	}
	return false, false
}
