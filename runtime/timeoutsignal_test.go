package runtime

import "testing"

// TestTimeoutSignalsKeepAlive checks that a pending AbortSignal.timeout()
// keeps the runtime, or a worker and so its parent, running only with
// Options.TimeoutSignalsKeepAlive.
func TestTimeoutSignalsKeepAlive(t *testing.T) {
	files := map[string]string{
		"main.js":   `AbortSignal.timeout(20).onabort = () => console.log("fired");`,
		"parent.js": `const w = new Worker("./worker.js"); w.onmessage = (e) => { console.log(e.data); w.terminate(); };`,
		"worker.js": `AbortSignal.timeout(20).onabort = () => postMessage("fired in the worker");`,
	}
	cases := []struct {
		entry     string
		keepAlive bool
		want      string
	}{
		{"main.js", false, ""},
		{"main.js", true, "fired\n"},
		{"parent.js", false, ""},
		{"parent.js", true, "fired in the worker\n"},
	}
	for _, c := range cases {
		res := runFiles(t, files, c.entry, Options{TimeoutSignalsKeepAlive: c.keepAlive})
		if res.err != nil || res.stdout != c.want {
			t.Errorf("%s, keep-alive %v: %q, %v; want %q", c.entry, c.keepAlive, res.stdout, res.err, c.want)
		}
	}
}
