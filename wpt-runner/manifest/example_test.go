package manifest_test

import (
	"fmt"

	"github.com/wsjs/wsjs/wpt-runner/manifest"
)

func ExampleParseMeta() {
	src := []byte("// META: global=window,worker\n// META: script=constants.sub.js\n// META: variant=?wss\n\ntest(() => {});\n")
	for _, m := range manifest.ParseMeta(src) {
		fmt.Printf("%s = %s\n", m.Key, m.Value)
	}
	gs, _ := manifest.ParseGlobals("window,worker")
	fmt.Println(gs)
	// Output:
	// global = window,worker
	// script = constants.sub.js
	// variant = ?wss
	// [window dedicatedworker sharedworker serviceworker]
}

func ExampleParseHTML() {
	page := manifest.ParseHTML([]byte(`<!doctype html>
<title>WebSockets: send() with no args</title>
<script src=/resources/testharness.js></script>
<meta name="variant" content="?wss">
<script>
test(() => {});
</script>`))
	fmt.Println(page.Title, page.Variants)
	for _, s := range page.Scripts {
		fmt.Printf("src=%q inline=%q line=%d\n", s.Src, s.Text, s.Line)
	}
	// Output:
	// WebSockets: send() with no args [?wss]
	// src="/resources/testharness.js" inline="" line=3
	// src="" inline="\ntest(() => {});\n" line=5
}
