package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// corpus is the read-only WPT checkout shared with the project.
const corpus = "/work/shared/wpt"

func needCorpus(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(corpus, "websockets")); err != nil {
		t.Fatalf("the WPT corpus is missing at %s: %v", corpus, err)
	}
}

func TestParseMeta(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []Meta
	}{
		{"none", "test(() => {});\n", nil},
		{"basic", "// META: script=constants.sub.js\n// META: variant=?wss\ncode\n",
			[]Meta{{"script", "constants.sub.js"}, {"variant", "?wss"}}},
		{"spacing", "//META:timeout=long\n//   META:   title=A title  \n",
			[]Meta{{"timeout", "long"}, {"title", "A title  "}}},
		{"stops at first other line", "// META: global=window\n\n// META: script=late.js\n",
			[]Meta{{"global", "window"}}},
		{"stops at a comment", "// Copyright\n// META: script=a.js\n", nil},
		{"indented is not metadata", "  // META: script=a.js\n", nil},
		{"crlf", "// META: script=a.js\r\n// META: variant=?x\r\n", []Meta{{"script", "a.js"}, {"variant", "?x"}}},
		{"no newline at end", "// META: timeout=long", []Meta{{"timeout", "long"}}},
		{"empty key and value", "// META: =\n", []Meta{{"", ""}}},
		{"value keeps equals", "// META: variant=?a=b&c=d\n", []Meta{{"variant", "?a=b&c=d"}}},
		{"key must be word characters", "// META: sc-ript=a.js\n", nil},
		{"no equals", "// META: script\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ParseMeta([]byte(c.src)); !reflect.DeepEqual(got, c.want) {
				t.Errorf("ParseMeta(%q) = %#v, want %#v", c.src, got, c.want)
			}
		})
	}
}

func TestParseGlobals(t *testing.T) {
	cases := []struct {
		value   string
		want    []Global
		unknown []string
	}{
		{"", []Global{Window, DedicatedWorker}, nil},
		{"window", []Global{Window}, nil},
		{"window,worker", []Global{Window, DedicatedWorker, SharedWorker, ServiceWorker}, nil},
		{" window , dedicatedworker ", []Global{Window, DedicatedWorker}, nil},
		{"window,dedicatedworker,sharedworker", []Global{Window, DedicatedWorker, SharedWorker}, nil},
		{"worker,dedicatedworker", []Global{DedicatedWorker, SharedWorker, ServiceWorker}, nil},
		{"shadowrealm", []Global{ShadowRealmInWindow, ShadowRealmInShadowRealm, ShadowRealmInDedicatedWorker,
			ShadowRealmInSharedWorker, ShadowRealmInServiceWorker, ShadowRealmInAudioWorklet}, nil},
		{"jsshell", []Global{JSShell}, nil},
		{"window,banana", []Global{Window}, []string{"banana"}},
		{"banana", nil, []string{"banana"}},
	}
	for _, c := range cases {
		got, unknown := ParseGlobals(c.value)
		if !reflect.DeepEqual(got, c.want) || !reflect.DeepEqual(unknown, c.unknown) {
			t.Errorf("ParseGlobals(%q) = %v, %v; want %v, %v", c.value, got, unknown, c.want, c.unknown)
		}
	}
}

// TestFindCorpus checks discovery on the real websockets directory.
func TestFindCorpus(t *testing.T) {
	needCorpus(t)
	tests, problems, err := Find(corpus, "websockets")
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
	byURL := map[string]Test{}
	for _, tt := range tests {
		if _, dup := byURL[tt.URL]; dup {
			t.Errorf("duplicate test URL %s", tt.URL)
		}
		byURL[tt.URL] = tt
	}
	present := []struct {
		url          string
		file         string
		typ          Type
		global       Global
		long, https  bool
		h2           bool
		variant      string
		firstScript  string
		wantNoScript bool
	}{
		{url: "/websockets/Close-1000.any.html?default", file: "websockets/Close-1000.any.js", typ: AnyJS, global: Window, variant: "?default", firstScript: "constants.sub.js"},
		{url: "/websockets/Close-1000.any.html?wss", file: "websockets/Close-1000.any.js", typ: AnyJS, global: Window, variant: "?wss", firstScript: "constants.sub.js"},
		{url: "/websockets/Close-1000.any.worker.html?wpt_flags=h2", file: "websockets/Close-1000.any.js", typ: AnyJS, global: DedicatedWorker, h2: true, variant: "?wpt_flags=h2", firstScript: "constants.sub.js"},
		{url: "/websockets/send-many-64K-messages-with-backpressure.any.sharedworker.html?wss", file: "websockets/send-many-64K-messages-with-backpressure.any.js", typ: AnyJS, global: SharedWorker, long: true, variant: "?wss", firstScript: "constants.sub.js"},
		{url: "/websockets/send-many-64K-messages-with-backpressure.https.any.serviceworker.html?default", file: "websockets/send-many-64K-messages-with-backpressure.any.js", typ: AnyJS, global: ServiceWorker, long: true, https: true, variant: "?default", firstScript: "constants.sub.js"},
		{url: "/websockets/mixed-content.https.any.html", file: "websockets/mixed-content.https.any.js", typ: AnyJS, global: Window, https: true, firstScript: "constants.sub.js"},
		{url: "/websockets/mixed-content.https.any.serviceworker.html", file: "websockets/mixed-content.https.any.js", typ: AnyJS, global: ServiceWorker, https: true, firstScript: "constants.sub.js"},
		{url: "/websockets/idlharness.any.worker.html", file: "websockets/idlharness.any.js", typ: AnyJS, global: DedicatedWorker, firstScript: "/resources/WebIDLParser.js"},
		{url: "/websockets/Send-data.worker.html?wss", file: "websockets/Send-data.worker.js", typ: WorkerJS, global: DedicatedWorker, variant: "?wss", wantNoScript: true},
		{url: "/websockets/remove-own-iframe-during-onerror.window.html?wss", file: "websockets/remove-own-iframe-during-onerror.window.js", typ: WindowJS, global: Window, long: true, variant: "?wss", firstScript: "constants.sub.js"},
		{url: "/websockets/constructor/001.html?wpt_flags=h2", file: "websockets/constructor/001.html", typ: HTML, global: Window, h2: true, variant: "?wpt_flags=h2", wantNoScript: true},
		{url: "/websockets/extended-payload-length.html?default", file: "websockets/extended-payload-length.html", typ: HTML, global: Window, long: true, variant: "?default", wantNoScript: true},
		{url: "/websockets/cookies/003.html?wss&wpt_flags=https", file: "websockets/cookies/003.html", typ: HTML, global: Window, https: true, variant: "?wss&wpt_flags=https", wantNoScript: true},
		{url: "/websockets/Create-url-with-windows-1252-encoding.html", file: "websockets/Create-url-with-windows-1252-encoding.html", typ: HTML, global: Window, wantNoScript: true},
		{url: "/websockets/stream/tentative/close.any.worker.html?wss", file: "websockets/stream/tentative/close.any.js", typ: AnyJS, global: DedicatedWorker, variant: "?wss", firstScript: "../../constants.sub.js"},
	}
	for _, p := range present {
		tt, ok := byURL[p.url]
		if !ok {
			t.Errorf("%s: not found", p.url)
			continue
		}
		if tt.File != p.file || tt.Type != p.typ || tt.Global != p.global || tt.Long != p.long ||
			tt.HTTPS() != p.https || tt.H2() != p.h2 || tt.Variant != p.variant {
			t.Errorf("%s: got file %s type %v global %s long %v https %v h2 %v variant %q",
				p.url, tt.File, tt.Type, tt.Global, tt.Long, tt.HTTPS(), tt.H2(), tt.Variant)
		}
		scripts := tt.Scripts()
		switch {
		case p.wantNoScript && len(scripts) > 0:
			t.Errorf("%s: unexpected META scripts %v", p.url, scripts)
		case !p.wantNoScript && (len(scripts) == 0 || scripts[0] != p.firstScript):
			t.Errorf("%s: META scripts %v, want first %q", p.url, scripts, p.firstScript)
		}
	}
	// Files that are not tests, and URLs no global or variant produces.
	absent := []string{
		"/websockets/constants.sub.js",
		"/websockets/handlers/echo_wsh.py",
		"/websockets/resources/websockets-test-helpers.sub.js",
		"/websockets/multi-globals/support/incumbent.sub.html",
		"/websockets/unload-a-document/001-1.html",
		"/websockets/multi-globals/url-parsing/current/current.html",
		"/websockets/Close-1000.any.sharedworker.html?default",
		"/websockets/Close-1000.any.html",
		"/websockets/Send-data.worker.js",
		"/websockets/mixed-content.https.https.any.serviceworker.html",
		"/websockets/send-many-64K-messages-with-backpressure.any.serviceworker.html?default",
	}
	for _, u := range absent {
		if _, ok := byURL[u]; ok {
			t.Errorf("%s: found, should not be a test", u)
		}
	}
	for _, tt := range tests {
		if strings.Contains(tt.File, "/handlers/") || strings.Contains(tt.File, "/resources/") || strings.Contains(tt.File, "/support/") {
			t.Errorf("%s: test from a non-test directory", tt.URL)
		}
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestFindFixtures(t *testing.T) {
	const th = `<script src="/resources/testharness.js"></script>`
	root := writeFiles(t, map[string]string{
		"top.any.js":                    "test(() => {});\n", // files at the root are not tests
		"d/plain.any.js":                "test(() => {});\n",
		"d/workers.any.js":              "// META: global=worker\n",
		"d/shell.any.js":                "// META: global=jsshell,window\n// META: variant=?a\n// META: variant=#b\n",
		"d/unknown.any.js":              "// META: global=banana\n",
		"d/badvariant.any.js":           "// META: variant=wss\n",
		"d/emptyquery.any.js":           "// META: variant=?\n",
		"d/sec.https.any.js":            "// META: global=window,serviceworker\n// META: timeout=long\n",
		"d/h2.h2.any.js":                "// META: global=window\n",
		"d/win.window.js":               "// META: title=T\n",
		"d/w.worker.js":                 "importScripts('/resources/testharness.js');\n",
		"d/helper.sub.js":               "var x;\n",
		"d/page.html":                   "<meta name=variant content='?x'><meta name=variant content=\"?y\">" + th,
		"d/relative.htm":                "<script src=../resources/testharness.js></script><meta name=timeout content=LONG>",
		"d/notest.html":                 "<script src=/resources/testharnessreport.js></script>",
		"d/commented.html":              "<!-- " + th + " -->",
		"d/foo-manual.html":             th,
		"d/foo-ref.html":                th,
		"d/foo-notref.html":             th,
		"d/reference/a.html":            th,
		"d/support/a.html":              th,
		"d/resources/a.any.js":          "",
		"d/handlers/x.any.js":           "",
		"d/crashtests/a.html":           th,
		"d/.hidden.any.js":              "",
		"d/a.any.js.headers":            "",
		"d/deep/er/nested.window.js":    "",
		"d/query-in-src.html":           `<script src="/resources/testharness.js?x"></script>`,
		"d/absolute-src.html":           `<script src="http://web-platform.test/resources/testharness.js"></script>`,
		"d/sub-dir-testharness/a.html":  `<script src="../../resources/testharness.js"></script>`,
		"d/type-flag-visual-visual.htm": th,
	})
	tests, problems, err := Find(root, "d")
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, tt := range tests {
		urls = append(urls, tt.URL)
	}
	want := []string{
		"/d/deep/er/nested.window.html",
		"/d/h2.h2.any.html",
		"/d/page.html?x",
		"/d/page.html?y",
		"/d/plain.any.html",
		"/d/plain.any.worker.html",
		"/d/relative.htm",
		"/d/sec.https.any.html",
		"/d/sec.https.any.serviceworker.html",
		"/d/shell.any.html#b",
		"/d/shell.any.html?a",
		"/d/shell.any.js#b",
		"/d/shell.any.js?a",
		"/d/sub-dir-testharness/a.html",
		"/d/w.worker.html",
		"/d/win.window.html",
		"/d/workers.any.sharedworker.html",
		"/d/workers.any.worker.html",
		"/d/workers.https.any.serviceworker.html",
	}
	if !reflect.DeepEqual(urls, want) {
		t.Errorf("URLs:\n got %q\nwant %q", urls, want)
	}
	var bad []string
	for _, p := range problems {
		bad = append(bad, p.File)
	}
	wantBad := []string{"d/badvariant.any.js", "d/emptyquery.any.js", "d/unknown.any.js"}
	if !reflect.DeepEqual(bad, wantBad) {
		t.Errorf("problems %v, want files %v", problems, wantBad)
	}
	for _, tt := range tests {
		switch tt.URL {
		case "/d/relative.htm", "/d/sec.https.any.serviceworker.html":
			if !tt.Long {
				t.Errorf("%s: not long", tt.URL)
			}
		case "/d/h2.h2.any.html":
			if !tt.H2() || tt.HTTPS() {
				t.Errorf("%s: h2 %v https %v", tt.URL, tt.H2(), tt.HTTPS())
			}
		case "/d/win.window.html":
			if tt.Title() != "T" || tt.Global != Window || tt.Type != WindowJS {
				t.Errorf("%s: %+v", tt.URL, tt)
			}
		case "/d/shell.any.js?a":
			if tt.Global != JSShell {
				t.Errorf("%s: global %s", tt.URL, tt.Global)
			}
		}
	}
}

func TestFindSelection(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"d/a.any.js": "// META: variant=?x\n// META: variant=?y\n",
		"d/b.html":   `<script src="/resources/testharness.js"></script>`,
	})
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"d/a.any.js"}, []string{"/d/a.any.html?x", "/d/a.any.html?y", "/d/a.any.worker.html?x", "/d/a.any.worker.html?y"}},
		{[]string{"/d/a.any.worker.html?y"}, []string{"/d/a.any.worker.html?y"}},
		{[]string{"/d/a.any.html"}, []string{"/d/a.any.html?x", "/d/a.any.html?y"}},
		{[]string{"d/b.html", "/d/b.html", "d/a.any.html?x"}, []string{"/d/a.any.html?x", "/d/b.html"}},
		{[]string{"/"}, []string{"/d/a.any.html?x", "/d/a.any.html?y", "/d/a.any.worker.html?x", "/d/a.any.worker.html?y", "/d/b.html"}},
	}
	for _, c := range cases {
		tests, _, err := Find(root, c.args...)
		if err != nil {
			t.Errorf("Find(%q): %v", c.args, err)
			continue
		}
		var got []string
		for _, tt := range tests {
			got = append(got, tt.URL)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Find(%q) = %q, want %q", c.args, got, c.want)
		}
	}
	for _, arg := range []string{"d/missing.any.js", "/d/a.any.html?z", "nowhere/x.html"} {
		if _, _, err := Find(root, arg); !errors.Is(err, ErrNotFound) {
			t.Errorf("Find(%q) error %v, want ErrNotFound", arg, err)
		}
	}
}

func srcs(p Page) []string {
	var out []string
	for _, s := range p.Scripts {
		if s.HasSrc {
			out = append(out, s.Src)
		} else {
			out = append(out, "inline:"+strings.TrimSpace(s.Text))
		}
	}
	return out
}

func TestPage(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"d/a.any.js":     "// META: global=window,dedicatedworker,sharedworker,serviceworker,jsshell,shadowrealm-in-window\n// META: script=/common/x.js\n// META: script=y.js?a&b=\"c\"\n// META: title=A & <B>\n// META: timeout=long\n// META: variant=?v#f\n",
		"d/w.window.js":  "// META: script=z.js\n",
		"d/k.worker.js":  "// META: variant=?q\n",
		"d/page.html":    `<script src="/resources/testharness.js"></script>`,
		"d/mod.any.js":   "// META: global=dedicatedworker-module\n",
		"d/realm.any.js": "// META: global=shadowrealm-in-sharedworker\n",
	})
	tests, _, err := Find(root, "d")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"/d/a.any.html?v#f":                             {"inline:self.GLOBAL = {\n  isWindow: () => true,\n  isWorker: () => false,\n  isShadowRealm: () => false,\n};", "/resources/testharness.js", "/resources/testharnessreport.js", "/common/x.js", `y.js?a&b="c"`, "/d/a.any.js"},
		"/d/a.any.worker.html?v#f":                      {"/resources/testharness.js", "/resources/testharnessreport.js", `inline:fetch_tests_from_worker(new Worker("/d/a.any.worker.js?v"));`},
		"/d/a.any.sharedworker.html?v#f":                {"/resources/testharness.js", "/resources/testharnessreport.js", `inline:fetch_tests_from_worker(new SharedWorker("/d/a.any.worker.js?v"));`},
		"/d/a.any.js?v#f":                               {"inline:self.GLOBAL = {\n  isWindow: () => false,\n  isWorker: () => false,\n  isShadowRealm: () => false,\n};", "/resources/testharness.js", "/common/x.js", `y.js?a&b="c"`, "/d/a.any.js"},
		"/d/w.window.html":                              {"/resources/testharness.js", "/resources/testharnessreport.js", "z.js", "/d/w.window.js"},
		"/d/k.worker.html?q":                            {"/resources/testharness.js", "/resources/testharnessreport.js", `inline:fetch_tests_from_worker(new Worker("/d/k.worker.js?q"));`},
		"/d/mod.any.worker-module.html":                 {"/resources/testharness.js", "/resources/testharnessreport.js", `inline:fetch_tests_from_worker(new Worker("/d/mod.any.worker-module.js", {type: "module"}));`},
		"/d/realm.any.shadowrealm-in-sharedworker.html": {"/resources/testharness.js", "/resources/testharnessreport.js", `inline:throw new TypeError("global shadowrealm-in-sharedworker has no generated page in this runner");`},
	}
	for _, tt := range tests {
		html, ok := tt.Page()
		if tt.Type == HTML {
			if ok {
				t.Errorf("%s: HTML test has a generated page", tt.URL)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: no page", tt.URL)
			continue
		}
		p := ParseHTML(html)
		if w, ok := want[tt.URL]; ok && !reflect.DeepEqual(srcs(p), w) {
			t.Errorf("%s: scripts\n got %q\nwant %q", tt.URL, srcs(p), w)
		}
		if strings.HasPrefix(tt.URL, "/d/a.") {
			if p.Title != "A & <B>" || !strings.EqualFold(p.Timeout, "long") {
				t.Errorf("%s: title %q timeout %q", tt.URL, p.Title, p.Timeout)
			}
		}
		for _, s := range p.Scripts {
			if s.Kind() != Classic {
				t.Errorf("%s: generated script of kind %v", tt.URL, s.Kind())
			}
		}
	}
}
