package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsjs/wsjs/wpt-runner/manifest"
	"github.com/wsjs/wsjs/wpt-runner/results"
	"github.com/wsjs/wsjs/wpt-runner/wptserver"
)

// sharedResources is the read-only resources/ directory of the shared WPT
// checkout (testharness.js); fixtures link to it rather than copy it.
const sharedResources = "/work/shared/wpt/resources"

// prelude gives pages a self until the runtime defines one.
const prelude = `<script>if (typeof self === "undefined") var self = globalThis;</script>
<script src="/resources/testharness.js"></script>
<script src="/resources/testharnessreport.js"></script>
`

// fixture writes files under a new WPT root whose resources/ is the shared
// one.
func fixture(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(sharedResources, "testharness.js")); err != nil {
		t.Fatalf("testharness.js is missing: %v", err)
	}
	root := t.TempDir()
	if err := os.Symlink(sharedResources, filepath.Join(root, "resources")); err != nil {
		t.Fatal(err)
	}
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

func newTestRunner(t *testing.T, root string, multiplier float64) *runner {
	t.Helper()
	e, err := builtinEnv(root, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.close() })
	return &runner{env: e, loader: newLoader(e.client), timeoutMultiplier: multiplier, grace: 500 * time.Millisecond}
}

func runOne(t *testing.T, r *runner, root, url string) (results.Result, string) {
	t.Helper()
	tests, _, err := manifest.Find(root, url)
	if err != nil || len(tests) != 1 {
		t.Fatalf("Find(%s) = %v, %v", url, tests, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return r.run(ctx, tests[0])
}

func subtests(r results.Result) map[string]results.Subtest {
	m := map[string]results.Subtest{}
	for _, st := range r.Subtests {
		m[st.Name] = st
	}
	return m
}

func TestRun(t *testing.T) {
	root := fixture(t, map[string]string{
		"t/sync.html": prelude + `<title>Sync page</title>
<script>test(() => {}, "passes");</script>
<script>test(() => { assert_equals(1, 2, "one is two"); }, "fails");</script>
<script>test(() => {});</script>`,
		"t/async.html": prelude + `<script>
async_test(t => { t.step_timeout(() => t.done(), 20); }, "async");
promise_test(() => new Promise(resolve => setTimeout(resolve, 10)), "promise");
</script>`,
		"t/explicit.html": prelude + `<script>
setup({explicit_done: true});
test(() => {}, "first");
setTimeout(() => { test(() => {}, "later"); done(); }, 50);
</script>`,
		"t/missing.html": prelude + `<script src="/does/not/exist.js"></script>
<script>test(() => {}, "after a missing script");</script>`,
		"t/syntax.html": prelude + `<script>function (</script>
<script>test(() => {}, "after a syntax error");</script>`,
		"t/variant.html": prelude + `<meta name=variant content="?a=1">
<script>test(() => { assert_equals(typeof __wsjsWPT, "object"); }, "query");</script>`,
		"t/base.html": `<base href="/lib/">` + prelude + `<script src="helper.js"></script>
<script>test(() => { assert_equals(helper, "lib"); }, "base");</script>`,
		"lib/helper.js":    `var helper = "lib";`,
		"t/module.html":    prelude + `<script type=module>export {};</script><script>test(() => {}, "after");</script>`,
		"t/datablock.html": prelude + `<script type=text/plain>throw 1;</script><script>test(() => {}, "after");</script>`,
		"t/charset.html": prelude + `<script src="1252.js"></script>
<script>test(() => { assert_equals(euro, "\u20ac"); }, "decoded");</script>`,
		"t/1252.js":         "var euro = \"\x80\";",
		"t/1252.js.headers": "Content-Type: text/javascript; charset=windows-1252\n",
	})
	r := newTestRunner(t, root, 1)
	cases := []struct {
		url      string
		status   string
		subtests map[string]string // name -> status
		log      string            // the log contains this
	}{
		{"/t/sync.html", results.OK, map[string]string{"passes": results.Pass, "fails": results.Fail, "Sync page": results.Pass}, ""},
		{"/t/async.html", results.OK, map[string]string{"async": results.Pass, "promise": results.Pass}, ""},
		{"/t/explicit.html", results.OK, map[string]string{"first": results.Pass, "later": results.Pass}, ""},
		{"/t/missing.html", results.OK, map[string]string{"after a missing script": results.Pass}, "404"},
		// As in a browser, the error is a harness error that ends the file
		// before the next script defines its test.
		{"/t/syntax.html", results.Error, map[string]string{}, "SyntaxError"},
		{"/t/variant.html?a=1", results.OK, map[string]string{"query": results.Pass}, ""},
		{"/t/base.html", results.OK, map[string]string{"base": results.Pass}, ""},
		{"/t/module.html", results.Error, map[string]string{}, "module scripts are not supported"},
		{"/t/datablock.html", results.OK, map[string]string{"after": results.Pass}, ""},
		{"/t/charset.html", results.OK, map[string]string{"decoded": results.Pass}, ""},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			res, log := runOne(t, r, root, c.url)
			if res.Test != c.url {
				t.Errorf("test %q", res.Test)
			}
			if c.status != "" && res.Status != c.status {
				t.Errorf("status %s (%s), want %s; log:\n%s", res.Status, res.Message, c.status, log)
			}
			got := subtests(res)
			if len(got) != len(c.subtests) {
				t.Errorf("subtests %+v, want %v; log:\n%s", res.Subtests, c.subtests, log)
			}
			for name, want := range c.subtests {
				if got[name].Status != want {
					t.Errorf("subtest %q: %+v, want %s; log:\n%s", name, got[name], want, log)
				}
			}
			if c.log != "" && !strings.Contains(log, c.log) {
				t.Errorf("log does not mention %q:\n%s", c.log, log)
			}
		})
	}
	res, _ := runOne(t, r, root, "/t/syntax.html")
	if !strings.Contains(res.Message, "SyntaxError: ") || strings.Contains(res.Message, "SyntaxError: SyntaxError") {
		t.Errorf("syntax error message %q", res.Message)
	}
	res, _ = runOne(t, r, root, "/t/sync.html")
	if m := subtests(res)["fails"].Message; !strings.Contains(m, "one is two") {
		t.Errorf("failure message %q", m)
	}
}

func TestRunTimeouts(t *testing.T) {
	root := fixture(t, map[string]string{
		// The loop stays busy with a far timer: the runner's timeout fires.
		"t/slow.html": prelude + `<script>
async_test(() => {}, "never done");
setTimeout(() => {}, 3600 * 1000);
</script>`,
		// Nothing left to run: no need to wait for the timeout.
		"t/idle.html": prelude + `<script>async_test(() => {}, "never done");</script>`,
		// Script that never returns: the runtime is closed.
		"t/busy.html": prelude + `<script>
async_test(() => {}, "never done");
setTimeout(() => { for (;;) {} }, 0);
</script>`,
		// A script of the page that never returns.
		"t/stuck.html": prelude + `<script>test(() => {}, "before");</script><script>for (;;) {}</script>`,
		// Tests in a worker: one that waits forever, one that spins.
		"t/wait.any.js": "// META: global=dedicatedworker\nasync_test(() => {}, \"never done\");\nsetTimeout(() => {}, 3600 * 1000);\n",
		"t/spin.any.js": "// META: global=dedicatedworker\nasync_test(() => {}, \"never done\");\nsetTimeout(() => { for (;;) {} }, 0);\n",
	})
	r := newTestRunner(t, root, 0.02) // 200 ms
	for _, url := range []string{"/t/slow.html", "/t/idle.html", "/t/busy.html", "/t/stuck.html", "/t/wait.any.worker.html", "/t/spin.any.worker.html"} {
		t.Run(url, func(t *testing.T) {
			res, log := runOne(t, r, root, url)
			if res.Status != results.Timeout {
				t.Errorf("status %s (%s), want TIMEOUT; log:\n%s", res.Status, res.Message, log)
			}
			if res.Duration > 3*time.Second {
				t.Errorf("took %v", res.Duration)
			}
		})
	}
	res, _ := runOne(t, r, root, "/t/stuck.html")
	if st := subtests(res)["before"]; st.Status != results.Pass {
		t.Errorf("stuck: results before the stuck script are lost: %+v", res)
	}
	// An idle loop ends a test long before a normal timeout.
	r = newTestRunner(t, root, 1)
	res, _ = runOne(t, r, root, "/t/idle.html")
	if res.Status != results.Timeout || res.Duration > 5*time.Second {
		t.Errorf("idle: %s after %v", res.Status, res.Duration)
	}
	if st := subtests(res)["never done"]; st.Status == results.Pass {
		t.Errorf("never done: %+v", st)
	}
}

func TestRunGeneratedPages(t *testing.T) {
	root := fixture(t, map[string]string{
		"t/a.any.js":    "// META: title=Any title\n// META: script=/t/helper.js\ntest(() => { assert_true(helperLoaded); assert_true(GLOBAL.isWorker()); }, \"in a worker\");\n",
		"t/w.window.js": "// META: script=/t/helper.js\ntest(() => { assert_true(helperLoaded); }, \"helper\");\n",
		"t/helper.js":   "var helperLoaded = true;\n",
		"t/d.worker.js": "importScripts(\"/resources/testharness.js\");\ntest(() => { assert_true(self instanceof DedicatedWorkerGlobalScope); }, \"dedicated\");\ndone();\n",
		"t/e.any.js":    "// META: global=dedicatedworker\nthrow new Error(\"broken test file\");\n",
		"t/s.any.js":    "// META: global=sharedworker,serviceworker\ntest(() => { assert_true(self instanceof SharedWorkerGlobalScope); }, \"shared\");\n",
		"t/sw.any.js":   "// META: global=serviceworker\ntest(() => { assert_true(self instanceof ServiceWorkerGlobalScope); }, \"service\");\n",
	})
	r := newTestRunner(t, root, 1)
	// A worker variant runs in a dedicated worker that the generated page
	// starts, and its results come back through fetch_tests_from_worker.
	res, log := runOne(t, r, root, "/t/a.any.worker.html")
	if got := subtests(res)["in a worker"].Status; res.Status != results.OK || got != results.Pass {
		t.Errorf("any.js worker variant: %s (%s) %+v; log:\n%s", res.Status, res.Message, res.Subtests, log)
	}
	res, log = runOne(t, r, root, "/t/d.worker.html")
	if got := subtests(res)["dedicated"].Status; res.Status != results.OK || got != results.Pass {
		t.Errorf("worker.js: %s (%s) %+v; log:\n%s", res.Status, res.Message, res.Subtests, log)
	}
	// An exception in the worker's script is a harness error of the page.
	res, log = runOne(t, r, root, "/t/e.any.worker.html")
	if res.Status != results.Error || !strings.Contains(res.Message, "broken test file") {
		t.Errorf("throwing worker: %s (%s); log:\n%s", res.Status, res.Message, log)
	}
	// A shared worker variant runs in a shared worker, its results coming
	// through the SharedWorker's port.
	res, log = runOne(t, r, root, "/t/s.any.sharedworker.html")
	if got := subtests(res)["shared"].Status; res.Status != results.OK || got != results.Pass {
		t.Errorf("shared worker variant: %s (%s) %+v; log:\n%s", res.Status, res.Message, res.Subtests, log)
	}
	// A service worker variant runs in a service worker that the page
	// registers, its results coming through navigator.serviceWorker.
	res, log = runOne(t, r, root, "/t/sw.https.any.serviceworker.html")
	if got := subtests(res)["service"].Status; res.Status != results.OK || got != results.Pass {
		t.Errorf("service worker variant: %s (%s) %+v; log:\n%s", res.Status, res.Message, res.Subtests, log)
	}
	// Generated window pages load their META scripts before the test.
	res, log = runOne(t, r, root, "/t/w.window.html")
	if !strings.Contains(log, "self is not defined") {
		if got := subtests(res)["helper"].Status; res.Status != results.OK || got != results.Pass {
			t.Errorf("window.js: %s %+v; log:\n%s", res.Status, res.Subtests, log)
		}
	}
}

func TestTestURL(t *testing.T) {
	e := &env{host: "web-platform.test", httpPort: 8000, httpsPort: 8443, h2Port: 9000}
	cases := []struct{ test, want string }{
		{"/websockets/Close-1000.any.html?wss", "http://web-platform.test:8000/websockets/Close-1000.any.html?wss"},
		{"/websockets/Close-1000.any.html?wpt_flags=h2", "https://web-platform.test:9000/websockets/Close-1000.any.html?wpt_flags=h2"},
		{"/websockets/cookies/003.html?wss&wpt_flags=https", "https://web-platform.test:8443/websockets/cookies/003.html?wss&wpt_flags=https"},
		{"/websockets/mixed-content.https.any.html", "https://web-platform.test:8443/websockets/mixed-content.https.any.html"},
		{"/x/a.https.any.serviceworker.html", "https://web-platform.test:8443/x/a.https.any.serviceworker.html"},
		{"/x/a.h2.any.html", "https://web-platform.test:9000/x/a.h2.any.html"},
		{"/x/a.www.any.html", "http://www.web-platform.test:8000/x/a.www.any.html"},
		{"/x/with space.html#frag", "http://web-platform.test:8000/x/with%20space.html#frag"},
		{"/x/a.html?", "http://web-platform.test:8000/x/a.html?"},
	}
	for _, c := range cases {
		u, err := e.testURL(manifest.Test{URL: c.test})
		if err != nil || u.String() != c.want {
			t.Errorf("testURL(%s) = %v, %v; want %s", c.test, u, err, c.want)
		}
	}
}

func TestDecode(t *testing.T) {
	cases := []struct {
		body, contentType, want string
	}{
		{"\xEF\xBB\xBFa\u20ac", "text/javascript; charset=windows-1252", "a\u20ac"},
		{"a\x80", "text/javascript; charset=windows-1252", "a\u20ac"},
		{"a\xe9", "text/javascript;charset=ISO-8859-1", "a\u00e9"},
		{"a\u00e9", "text/javascript", "a\u00e9"},
		{"\xFF\xFEa\x00b\x00", "", "ab"},
		{"\xFE\xFF\x00a\x00b", "text/javascript; charset=utf-8", "ab"},
		{"x", "text/javascript; charset=no-such-charset", "x"},
	}
	for _, c := range cases {
		got, err := decode([]byte(c.body), c.contentType)
		if err != nil || got != c.want {
			t.Errorf("decode(%q, %q) = %q, %v; want %q", c.body, c.contentType, got, err, c.want)
		}
	}
}

func TestCLI(t *testing.T) {
	root := fixture(t, map[string]string{
		"t/a.html": prelude + `<script>test(() => {}, "p"); test(() => { assert_true(false); }, "f");</script>`,
	})
	dir := t.TempDir()
	exp := filepath.Join(dir, "exp.json")
	report := filepath.Join(dir, "report.json")
	runCLI := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"--wpt-root", root, "-j", "2"}, args...), &out, &errOut)
		return code, out.String() + errOut.String()
	}
	// Without expectations, "f" failing is a regression.
	if err := os.WriteFile(exp, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runCLI("--expectations", exp, "--log-wptreport", report, "t")
	if code != exitUnexpected || !strings.Contains(out, `regression: /t/a.html / "f": expected PASS, got FAIL`) {
		t.Errorf("exit %d:\n%s", code, out)
	}
	var rep struct {
		RunInfo map[string]any `json:"run_info"`
		Results []struct {
			Test     string `json:"test"`
			Status   string `json:"status"`
			Subtests []struct {
				Name, Status string
			} `json:"subtests"`
		} `json:"results"`
	}
	b, err := os.ReadFile(report)
	if err != nil || json.Unmarshal(b, &rep) != nil {
		t.Fatalf("report: %v\n%s", err, b)
	}
	if len(rep.Results) != 1 || rep.Results[0].Test != "/t/a.html" || rep.RunInfo["product"] != "wsjs" {
		t.Errorf("report: %s", b)
	}
	// Updating records the failure with a TODO reason and passes.
	code, out = runCLI("--expectations", exp, "--update-expectations", "t")
	if code != exitOK {
		t.Errorf("update: exit %d:\n%s", code, out)
	}
	b, _ = os.ReadFile(exp)
	if !strings.Contains(string(b), results.TODO) {
		t.Errorf("updated expectations:\n%s", b)
	}
	code, out = runCLI("--expectations", exp, "/t/a.html")
	if code != exitOK || !strings.Contains(out, "all results as expected") {
		t.Errorf("after update: exit %d:\n%s", code, out)
	}
	// A directory of expectations: one file per top-level WPT directory,
	// read together and written back split the same way.
	expDir := filepath.Join(dir, "expdir")
	other := `{"/u/x.html": {"status": "TIMEOUT", "reason": "kept"}}`
	if err := os.MkdirAll(expDir, 0o755); err != nil || os.WriteFile(filepath.Join(expDir, "u.json"), []byte(other), 0o644) != nil {
		t.Fatal(err)
	}
	if code, out := runCLI("--expectations", expDir, "t"); code != exitUnexpected {
		t.Errorf("directory before update: exit %d:\n%s", code, out)
	}
	if code, out := runCLI("--expectations", expDir, "--update-expectations", "t"); code != exitOK {
		t.Errorf("directory update: exit %d:\n%s", code, out)
	}
	if b, err := os.ReadFile(filepath.Join(expDir, "t.json")); err != nil || !strings.Contains(string(b), results.TODO) {
		t.Errorf("t.json: %v\n%s", err, b)
	}
	if b, err := os.ReadFile(filepath.Join(expDir, "u.json")); err != nil || string(b) != other {
		t.Errorf("u.json, of a directory not run, was rewritten: %v\n%s", err, b)
	}
	if code, out := runCLI("--expectations", expDir, "t"); code != exitOK {
		t.Errorf("directory after update: exit %d:\n%s", code, out)
	}
	// Usage errors.
	for _, args := range [][]string{{"-j", "0"}, {"--timeout-multiplier", "-1"}, {"no/such/dir"}, {"--expectations", filepath.Join(dir, "missing.json"), "t"}} {
		if code, out := runCLI(args...); code != exitUsage {
			t.Errorf("%q: exit %d:\n%s", args, code, out)
		}
	}
	if code, out := runCLI("--list", "t"); code != exitOK || strings.TrimSpace(out) != "/t/a.html" {
		t.Errorf("--list: exit %d: %q", code, out)
	}
	// --skip leaves out a directory or a file, and an update keeps the
	// entries of what it left out.
	if err := os.MkdirAll(filepath.Join(root, "t", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "t", "sub", "b.html"), []byte(prelude+`<script>test(() => {}, "p");</script>`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		skip []string
		want string
	}{
		{nil, "/t/a.html\n/t/sub/b.html"},
		{[]string{"t/sub"}, "/t/a.html"},
		{[]string{"t/sub/"}, "/t/a.html"},
		{[]string{"t/a.html"}, "/t/sub/b.html"},
		{[]string{"t/su"}, "/t/a.html\n/t/sub/b.html"},
		{[]string{"t/a.html", "t/sub"}, ""},
	} {
		args := []string{"--list"}
		for _, s := range c.skip {
			args = append(args, "--skip", s)
		}
		if code, out := runCLI(append(args, "t")...); code != exitOK || strings.TrimSpace(out) != c.want {
			t.Errorf("--list --skip %q: exit %d: %q, want %q", c.skip, code, out, c.want)
		}
	}
	if code, out := runCLI("--expectations", expDir, "--update-expectations", "--skip", "t/a.html", "t"); code != exitOK {
		t.Errorf("update with --skip: exit %d:\n%s", code, out)
	}
	if b, err := os.ReadFile(filepath.Join(expDir, "t.json")); err != nil || !strings.Contains(string(b), "/t/a.html") {
		t.Errorf("t.json lost the entry of the test left out: %v\n%s", err, b)
	}

	// The same run against a server started apart, as with "wpt serve".
	srv, err := wptserver.Start(wptserver.Config{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, srv.CAPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	p := srv.Ports()
	code, out = runCLI("--external", "--resolve", "127.0.0.1", "--ca-file", ca,
		"--http-port", strconv.Itoa(p.HTTP[0]), "--https-port", strconv.Itoa(p.HTTPS[0]), "--h2-port", strconv.Itoa(p.H2),
		"--expectations", exp, "t")
	if code != exitOK || !strings.Contains(out, "external server web-platform.test") {
		t.Errorf("--external: exit %d:\n%s", code, out)
	}
	for _, args := range [][]string{
		{"--external", "--resolve", "not-an-ip", "t"},
		{"--external", "--ca-file", filepath.Join(dir, "missing.pem"), "t"},
		{"--external", "--ca-file", exp, "t"},
	} {
		if code, out := runCLI(args...); code != exitUsage {
			t.Errorf("%q: exit %d:\n%s", args, code, out)
		}
	}
}
