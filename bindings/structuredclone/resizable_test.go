package structuredclone

import (
	"testing"

	"github.com/wsjs/wsjs/bindings"
)

// TestResizableArrayBuffer checks that a resizable ArrayBuffer clones, and
// transfers, as a resizable one with the same maxByteLength (HTML's
// "ResizableArrayBuffer"), and that length-tracking views track the clone.
func TestResizableArrayBuffer(t *testing.T) {
	vm, _ := newSharingRealm(t, &bindings.Cluster{})
	check(t, vm, []string{
		`(() => {
			const b = new ArrayBuffer(2, {maxByteLength: 6}); new Uint8Array(b).set([1, 2])
			const [c, u, d] = clone([b, new Uint8Array(b), new DataView(b, 1)])
			const same = c !== b && c.resizable && c.maxByteLength === 6 && c.byteLength === 2 && u.buffer === c && d.buffer === c && u.join() === '1,2'
			c.resize(6)
			return same && u.length === 6 && u.join() === '1,2,0,0,0,0' && d.byteLength === 5 && b.byteLength === 2
		})()`,
		`(() => { const b = new ArrayBuffer(4, {maxByteLength: 8}); b.resize(1); const c = clone(b); c.resize(4); return new Uint8Array(c).join() === '0,0,0,0' })()`,
		`!clone(new ArrayBuffer(2)).resizable && clone(new ArrayBuffer(0, {maxByteLength: 0})).resizable`,
		`(() => {
			const b = new ArrayBuffer(2, {maxByteLength: 8}); new Uint8Array(b).set([5, 6]); b.resize(3); b.resize(2)
			const c = clone(b, {transfer: [b]})
			const moved = b.detached && c.resizable && c.maxByteLength === 8 && c.byteLength === 2
			c.resize(4)
			return moved && new Uint8Array(c).join() === '5,6,0,0'
		})()`,
		`(() => { const b = new ArrayBuffer(2, {maxByteLength: 4}), v = new Uint8Array(b, 0, 2); b.resize(1); return throws(() => clone(v)) === 'DataCloneError:25' })()`,
	})
}
