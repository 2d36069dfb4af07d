package wptserver

import (
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func testEnv(t testing.TB) *subEnv {
	hosts, err := newHostTable("", "")
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Add("X-Test", "one")
	h.Add("X-Test", "two")
	return &subEnv{
		hosts:    hosts,
		ports:    DefaultPorts(),
		root:     "/wpt",
		scheme:   "https",
		hostname: "www.web-platform.test",
		port:     8443,
		path:     "/websockets/constants.sub.js",
		rawQuery: "a=1&b=%C3%A9t%C3%A9&a=2&c&d=x+y",
		header:   h,
	}
}

func TestSubstitute(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		name string
		in   string
		html bool
		want string
	}{
		{
			name: "host",
			in:   `const h = "{{host}}";`,
			want: `const h = "web-platform.test";`,
		},
		{
			name: "ports",
			in:   "{{ports[http][0]}} {{ports[http][1]}} {{ports[https][0]}} {{ports[https][1]}} {{ports[ws][0]}} {{ports[wss][0]}} {{ports[h2][0]}}",
			want: "8000 8001 8443 8444 8888 8889 9000",
		},
		{
			name: "negative list index",
			in:   "{{ports[http][-1]}}",
			want: "8001",
		},
		{
			name: "domains",
			in:   "{{domains[]}} {{domains[www2]}} {{domains[天気の良い日]}} {{domains[élève]}} {{domains[www.www1]}}",
			want: "web-platform.test www2.web-platform.test xn--n8j6ds53lwwkrqhv28a.web-platform.test xn--lve-6lad.web-platform.test www.www1.web-platform.test",
		},
		{
			name: "not-subdomain",
			in:   "{{domains[nonexistent]}}",
			want: "nonexistent.web-platform.test",
		},
		{
			name: "hosts",
			in:   "{{hosts[alt][]}} {{hosts[alt][www]}} {{hosts[][www1]}}",
			want: "not-web-platform.test www.not-web-platform.test www1.web-platform.test",
		},
		{
			name: "alternate_hosts",
			in:   "{{alternate_hosts[alt]}}",
			want: "not-web-platform.test",
		},
		{
			name: "location",
			in:   "{{location[server]}}|{{location[scheme]}}|{{location[host]}}|{{location[hostname]}}|{{location[port]}}|{{location[path]}}|{{location[pathname]}}|{{location[query]}}",
			want: "https://www.web-platform.test:8443|https|www.web-platform.test:8443|www.web-platform.test|8443|/websockets/constants.sub.js|/websockets/constants.sub.js|?a=1&b=%C3%A9t%C3%A9&a=2&c&d=x+y",
		},
		{
			name: "GET first value, decoded, missing is empty",
			in:   "[{{GET[a]}}][{{GET[b]}}][{{GET[c]}}][{{GET[d]}}][{{GET[zz]}}]",
			want: "[1][été][][x y][]",
		},
		{
			name: "headers joined",
			in:   "{{headers[x-test]}}",
			want: "one, two",
		},
		{
			name: "header_or_default",
			in:   "{{header_or_default(X-Test, absent)}}/{{header_or_default(X-Missing, test-header-absent)}}",
			want: "one, two/test-header-absent",
		},
		{
			name: "trailing junk after expression is ignored",
			in:   "{{host }}",
			want: "web-platform.test",
		},
		{
			name: "html escaping",
			in:   `<a title="{{header_or_default(X-None, <&"'>)}}">`,
			html: true,
			want: `<a title="&lt;&amp;&quot;&#x27;&gt;">`,
		},
		{
			name: "no escaping outside markup",
			in:   `{{header_or_default(X-None, <&"'>)}}`,
			want: `<&"'>`,
		},
		{
			name: "unterminated braces pass through",
			in:   "a {{ b } c }} {{host",
			want: "a {{ b } c }} {{host",
		},
		{
			name: "url_base",
			in:   "{{url_base}}",
			want: "/",
		},
		{
			name: "string index",
			in:   "{{host[0]}}",
			want: "w",
		},
		{
			name: "fs_path relative and absolute",
			in:   "{{fs_path(x.js)}} {{fs_path(/common/utils.js)}}",
			want: filepath.FromSlash("/wpt/websockets/x.js /wpt/common/utils.js"),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.substitute([]byte(tc.in), tc.html)
			if err != nil {
				t.Fatalf("substitute(%q): %v", tc.in, err)
			}
			if string(got) != tc.want {
				t.Errorf("substitute(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSubstituteVariablesAndUUID(t *testing.T) {
	env := testEnv(t)
	got, err := env.substitute([]byte("{{$id:uuid()}} {{$id}} {{uuid()}}"), false)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(got), " ")
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for _, p := range parts {
		if !re.MatchString(p) {
			t.Fatalf("%q is not a v4 UUID", p)
		}
	}
	if parts[0] != parts[1] {
		t.Errorf("variable not reused: %q != %q", parts[0], parts[1])
	}
	if parts[0] == parts[2] {
		t.Errorf("two uuid() calls gave the same value %q", parts[0])
	}
}

func TestSubstituteErrors(t *testing.T) {
	env := testEnv(t)
	for _, in := range []string{
		"{{nosuchthing}}",
		"{{ host}}",
		"{{ports[http][7]}}",
		"{{ports[gopher][0]}}",
		"{{ports[http]}}",
		"{{headers[x-missing]}}",
		"{{uuid(1)}}",
		"{{host(1)}}",
		"{{file_hash(md4, x)}}",
		"{{fs_path(../../etc/passwd)}}",
		"{{$v:}}",
		"{{[0]}}",
		"{{{{host}}", // the expression is "{{host", as in wptserve
	} {
		if got, err := env.substitute([]byte(in), false); err == nil {
			t.Errorf("substitute(%q) = %q, want an error", in, got)
		}
	}
}

func FuzzSubstitute(f *testing.F) {
	for _, s := range []string{
		"{{host}}",
		"{{ports[ws][0]}}",
		"{{$a:uuid()}}{{$a}}",
		"{{header_or_default(a, b)}}",
		"{{{{}}}}",
		"{{GET[x]}}",
		"{{location[query]}}",
		"{{hosts[alt][www]}}",
		"}}{{",
		"{{domains[[]]}}",
	} {
		f.Add(s, false)
	}
	env := testEnv(f)
	f.Fuzz(func(t *testing.T, in string, html bool) {
		out, err := env.substitute([]byte(in), html)
		if err != nil {
			return
		}
		if !strings.Contains(in, "{{") && string(out) != in {
			t.Fatalf("text without {{ changed: %q -> %q", in, out)
		}
	})
}
