package wptserver

import (
	"fmt"
	"net/http"
	"testing"
)

// TestWorkerWrappers compares the generated worker wrappers with what
// wptserve's WorkersHandler, SharedWorkersHandler and ClassicWorkerHandler
// templates produce for the same files.
func TestWorkerWrappers(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"w/a.any.js": "// META: title=A & <b>\n// META: script=constants.sub.js\n// META: timeout=long\n" +
			"// META: script=/x/\"q\\.js\n// META: variant=?wss\ntest(() => {});\n",
		"w/a.any.js.headers":    "X-Test: a\n",
		"w/__dir__.headers":     "X-Dir: w\n",
		"w/window.any.js":       "// META: global=window\n",
		"w/shared.any.js":       "// META: global=worker\n",
		"w/s.any.js":            "// META: global=sharedworker\n// META: title=S\n// META: script=/x.js\n",
		"w/b.worker.js":         "importScripts('/resources/testharness.js');\n",
		"w/c.sub.any.js":        "// META: title={{host}}\n",
		"w/plain.js":            "plain\n",
		"w/nometa.any.js":       "test(() => {});\n",
		"w/real.any.worker.js2": "not a wrapper\n",
	}
	writeTree(t, root, files)
	srv, err := Start(Config{Root: root, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := httpClient(srv)
	base := fmt.Sprintf("http://%s:%d", srv.Host(), srv.Ports().HTTP[0])

	tests := []struct {
		path, contentType string
		status            int
		body              string
	}{
		{"/w/a.any.worker.js?wss", "text/javascript", 200, `
self.GLOBAL = {
  isWindow: function() { return false; },
  isWorker: function() { return true; },
  isShadowRealm: function() { return false; },
};
importScripts("/resources/testharness.js");
self.META_TITLE = "A & <b>";
importScripts("constants.sub.js")
importScripts("/x/\"q\\.js")
importScripts("/w/a.any.js");
done();
`},
		{"/w/nometa.any.worker.js", "text/javascript", 200, `
self.GLOBAL = {
  isWindow: function() { return false; },
  isWorker: function() { return true; },
  isShadowRealm: function() { return false; },
};
importScripts("/resources/testharness.js");

importScripts("/w/nometa.any.js");
done();
`},
		{"/w/a.any.worker.html?wss", "text/html", 200, `<!doctype html>
<meta charset=utf-8>
<title>A &amp; &lt;b></title>
<meta name="timeout" content="long">
<script src="/resources/testharness.js"></script>
<script src="/resources/testharnessreport.js"></script>
<div id=log></div>
<script>
fetch_tests_from_worker(new Worker("/w/a.any.worker.js?wss"));
</script>
`},
		{"/w/s.any.sharedworker.html?wss", "text/html", 200, `<!doctype html>
<meta charset=utf-8>
<title>S</title>
<script src="/resources/testharness.js"></script>
<script src="/resources/testharnessreport.js"></script>
<div id=log></div>
<script>
fetch_tests_from_worker(new SharedWorker("/w/s.any.worker.js?wss"));
</script>
`},
		{"/w/b.worker.html", "text/html", 200, `<!doctype html>
<meta charset=utf-8>

<script src="/resources/testharness.js"></script>
<script src="/resources/testharnessreport.js"></script>
<div id=log></div>
<script>
fetch_tests_from_worker(new Worker("/w/b.worker.js"));
</script>
`},
		// The source file's name has .sub.: the wrapper is substituted.
		{"/w/c.sub.any.worker.js", "text/javascript", 200, `
self.GLOBAL = {
  isWindow: function() { return false; },
  isWorker: function() { return true; },
  isShadowRealm: function() { return false; },
};
importScripts("/resources/testharness.js");
self.META_TITLE = "` + srv.Host() + `";
importScripts("/w/c.sub.any.js");
done();
`},
		// A test not exposed in dedicated workers has no page, but its
		// worker script is served (ClassicWorkerHandler checks nothing).
		{"/w/window.any.worker.html", "application/json", 404, ""},
		{"/w/window.any.worker.js", "text/javascript", 200, ""},
		{"/w/shared.any.worker.html", "text/html", 200, ""},
		// Shared worker pages: only for tests exposed in shared workers,
		// which the default globals (window, dedicatedworker) are not.
		{"/w/shared.any.sharedworker.html", "text/html", 200, ""},
		{"/w/nometa.any.sharedworker.html", "application/json", 404, ""},
		{"/w/window.any.sharedworker.html", "application/json", 404, ""},
		{"/w/missing.any.sharedworker.html", "application/json", 404, ""},
		{"/w/missing.any.worker.js", "application/json", 404, ""},
		{"/w/missing.worker.html", "application/json", 404, ""},
		{"/w/b.worker.js", "text/javascript", 200, "importScripts('/resources/testharness.js');\n"},
	}
	for _, tt := range tests {
		resp, body := get(t, c, base+tt.path)
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s: status %d, want %d (%s)", tt.path, resp.StatusCode, tt.status, body)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != tt.contentType {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.path, ct, tt.contentType)
		}
		if tt.body != "" && body != tt.body {
			t.Errorf("GET %s: body\n%s\nwant\n%s", tt.path, body, tt.body)
		}
	}
	resp, _ := get(t, c, base+"/w/a.any.worker.js")
	if resp.Header.Get("X-Test") != "a" || resp.Header.Get("X-Dir") != "w" {
		t.Errorf("the headers files of a.any.js were not applied: %v", resp.Header)
	}
	// HEAD is answered like GET, without a body; other methods are not.
	req, _ := http.NewRequest(http.MethodPost, base+"/w/a.any.worker.js", nil)
	if resp, err := c.Do(req); err != nil {
		t.Error(err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("POST of a worker wrapper: status %d, want 404", resp.StatusCode)
		}
	}
}
