//go:build soak

package websocket

import (
	"testing"
	"time"
)

// TestSoakAutobahn plays the whole Autobahn-style suite (autobahn_test.go) at
// Autobahn's sizes: category 9 with messages of up to 16 MiB and 1,000 round
// trips, and every case of 12 and 13 (up to 128 KiB messages) with 100 messages
// each, where Autobahn sends 1,000.
func TestSoakAutobahn(t *testing.T) {
	full := abScale{sizeDiv: 1, rttCount: 1000, zipCount: 100, zipMaxSize: 1 << 30, quietWait: time.Second}
	runAutobahn(t, full, 2*time.Minute)
}
