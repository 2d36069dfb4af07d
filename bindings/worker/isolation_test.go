package worker

import (
	"net/http"
	"testing"
)

func TestResponseIsolates(t *testing.T) {
	both := http.Header{"Cross-Origin-Opener-Policy": {"same-origin"}, "Cross-Origin-Embedder-Policy": {"require-corp"}}
	tests := []struct {
		name     string
		url      string
		h        http.Header
		document bool
		want     bool
	}{
		{"document with both", "https://web-platform.test/a.html", both, true, true},
		{"worker with both", "https://web-platform.test/a.js", both, false, true},
		{"insecure", "http://web-platform.test/a.html", both, true, false},
		{"loopback is secure", "http://127.0.0.1:8000/a.html", both, true, true},
		{"no headers", "https://web-platform.test/a.html", http.Header{}, true, false},
		{"document without COOP", "https://web-platform.test/a.html", http.Header{"Cross-Origin-Embedder-Policy": {"require-corp"}}, true, false},
		{"worker without COOP", "https://web-platform.test/a.js", http.Header{"Cross-Origin-Embedder-Policy": {"credentialless"}}, false, true},
		{"parameters", "https://web-platform.test/a.html", http.Header{"Cross-Origin-Opener-Policy": {"same-origin; report-to=\"x\""}, "Cross-Origin-Embedder-Policy": {" require-corp;report-to=\"y\""}}, true, true},
		{"COOP allowing popups", "https://web-platform.test/a.html", http.Header{"Cross-Origin-Opener-Policy": {"same-origin-allow-popups"}, "Cross-Origin-Embedder-Policy": {"require-corp"}}, true, false},
		{"unsafe-none", "https://web-platform.test/a.js", http.Header{"Cross-Origin-Embedder-Policy": {"unsafe-none"}}, false, false},
		{"two values", "https://web-platform.test/a.js", http.Header{"Cross-Origin-Embedder-Policy": {"require-corp", "require-corp"}}, false, false},
		{"report only", "https://web-platform.test/a.js", http.Header{"Cross-Origin-Embedder-Policy-Report-Only": {"require-corp"}}, false, false},
	}
	for _, tt := range tests {
		if got := ResponseIsolates(tt.url, tt.h, tt.document); got != tt.want {
			t.Errorf("%s: ResponseIsolates(%q, %v, %v) = %v, want %v", tt.name, tt.url, tt.h, tt.document, got, tt.want)
		}
	}
}
