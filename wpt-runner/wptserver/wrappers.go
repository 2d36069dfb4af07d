package wptserver

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"

	"github.com/wsjs/wsjs/wpt-runner/manifest"
)

// The wrappers of dedicated and shared worker tests, as tools/serve/serve.py
// generates them: WorkersHandler answers "X.any.worker.html" and
// "X.worker.html", and SharedWorkersHandler "X.any.sharedworker.html", with a
// page that runs the test in a worker and collects its results, and
// ClassicWorkerHandler answers "X.any.worker.js", the worker's script for
// both kinds of worker, which imports testharness.js, the META scripts and
// X.any.js. (The page of an "X.worker.html" starts X.worker.js itself, a file
// served as it is.) All read the "// META:" header of the source file, take
// their headers from its headers files, and run the pipes of a ".sub." name
// or a ?pipe= query, like wptserve's WrapperHandler.

// workerWrapper describes one of those handlers.
type workerWrapper struct {
	suffix string // the request path ends with it
	// source and resource replace suffix to give the source file on disk
	// and the resource the wrapper loads.
	source, resource string
	// global is the global_type of a page's handler: the source must be
	// exposed to it. It is empty for ClassicWorkerHandler, which makes the
	// worker's script.
	global manifest.Global
	// worker is the constructor the page starts the worker with.
	worker string
}

// workerWrappers are tried in wptserve's route order; the first whose suffix
// matches answers.
var workerWrappers = []workerWrapper{
	{suffix: ".any.worker.html", source: ".any.js", resource: ".any.worker.js", global: manifest.DedicatedWorker, worker: "Worker"},
	{suffix: ".worker.html", source: ".worker.js", resource: ".worker.js", global: manifest.DedicatedWorker, worker: "Worker"},
	{suffix: ".any.sharedworker.html", source: ".any.js", resource: ".any.worker.js", global: manifest.SharedWorker, worker: "SharedWorker"},
	{suffix: ".any.worker.js", source: ".any.js", resource: ".any.js"},
}

// workerWrapperFor returns the wrapper that answers a GET of urlPath.
func workerWrapperFor(urlPath string) (workerWrapper, bool) {
	for _, w := range workerWrappers {
		if strings.HasSuffix(urlPath, w.suffix) {
			return w, true
		}
	}
	return workerWrapper{}, false
}

// serveWorkerWrapper builds the response of wrapper w for r.
func (h *httpHandler) serveWorkerWrapper(r *http.Request, env *subEnv, w workerWrapper) *response {
	fsPath, err := h.fsPath(r.URL.Path)
	if err != nil {
		return errorResponse(http.StatusNotFound, "")
	}
	fsPath = strings.TrimSuffix(fsPath, w.suffix) + w.source
	src, err := os.ReadFile(fsPath)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
			return errorResponse(http.StatusNotFound, "")
		}
		return errorResponse(http.StatusInternalServerError, err.Error())
	}
	meta := manifest.ParseMeta(src)
	resp := newResponse()
	page := w.global != ""
	contentType := "text/javascript"
	if page {
		contentType = "text/html"
	}
	resp.set("Content-Type", contentType)
	hdrs, err := loadHeaders(env, fsPath)
	if err != nil {
		h.srv.logf("%s: %v", r.URL.Path, err)
		return errorResponse(http.StatusInternalServerError, err.Error())
	}
	for _, kv := range hdrs {
		resp.set(kv[0], kv[1])
	}
	resourcePath := strings.TrimSuffix(r.URL.EscapedPath(), w.suffix) + w.resource
	if page {
		// HtmlWrapperHandler.check_exposure: the source must run in the
		// handler's kind of worker.
		global := ""
		for _, m := range meta {
			if m.Key == "global" {
				global = m.Value
				break
			}
		}
		gs, _ := manifest.ParseGlobals(global)
		exposed := false
		for _, g := range gs {
			exposed = exposed || g == w.global
		}
		if !exposed {
			return errorResponse(http.StatusNotFound, "This test cannot be loaded in "+string(w.global)+" mode")
		}
		query := ""
		if r.URL.RawQuery != "" {
			query = "?" + r.URL.RawQuery
		}
		resp.body = workerPage(meta, w.worker, resourcePath+query)
	} else {
		resp.body = workerScript(meta, resourcePath)
	}
	if err := applyPipes(pipeline(resourcePath, r.URL.RawQuery), env, resp); err != nil {
		h.srv.logf("%s: %v", r.URL.Path, err)
		return errorResponse(http.StatusInternalServerError, err.Error())
	}
	return resp
}

// workerPage is the page of WorkersHandler (ctor "Worker") and
// SharedWorkersHandler ("SharedWorker"): the timeout and title META lines as
// HTML, then the harness and a script that starts the worker at src.
func workerPage(meta []manifest.Meta, ctor, src string) []byte {
	var b strings.Builder
	b.WriteString("<!doctype html>\n<meta charset=utf-8>\n")
	var lines []string
	for _, m := range meta {
		switch {
		case m.Key == "timeout" && m.Value == "long":
			lines = append(lines, `<meta name="timeout" content="long">`)
		case m.Key == "title":
			lines = append(lines, "<title>"+strings.NewReplacer("&", "&amp;", "<", "&lt;").Replace(m.Value)+"</title>")
		}
	}
	b.WriteString(strings.Join(lines, "\n"))
	fmt.Fprintf(&b, `
<script src="/resources/testharness.js"></script>
<script src="/resources/testharnessreport.js"></script>
<div id=log></div>
<script>
fetch_tests_from_worker(new %s("%s"));
</script>
`, ctor, src)
	return []byte(b.String())
}

// workerScript is ClassicWorkerHandler's script: the GLOBAL flags, the
// harness, the META scripts and title in header order, and the test file.
func workerScript(meta []manifest.Meta, testPath string) []byte {
	escape := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	var lines []string
	for _, m := range meta {
		switch m.Key {
		case "script":
			lines = append(lines, `importScripts("`+escape.Replace(m.Value)+`")`)
		case "title":
			lines = append(lines, `self.META_TITLE = "`+escape.Replace(m.Value)+`";`)
		}
	}
	var b strings.Builder
	// The META lines that become markup in a page become nothing here.
	b.WriteString(`
self.GLOBAL = {
  isWindow: function() { return false; },
  isWorker: function() { return true; },
  isShadowRealm: function() { return false; },
};
importScripts("/resources/testharness.js");
`)
	b.WriteString(strings.Join(lines, "\n"))
	fmt.Fprintf(&b, "\nimportScripts(\"%s\");\ndone();\n", testPath)
	return []byte(b.String())
}
