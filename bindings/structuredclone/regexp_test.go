package structuredclone

import (
	"testing"

	"github.com/wsjs/wsjs/bindings"
)

// TestBuiltinRegExp checks that the RegExp objects the built-ins' constructor
// makes, whose slots goja's getters do not see, clone with their source and
// flags.
func TestBuiltinRegExp(t *testing.T) {
	vm, _ := newSharingRealm(t, &bindings.Cluster{})
	check(t, vm, []string{
		`(() => { const c = clone(new RegExp('foo', 'y')); return c.source === 'foo' && c.flags === 'y' && c.sticky })()`,
		`(() => { const c = clone(new RegExp('foo', 'u')); return c.source === 'foo' && c.unicode })()`,
		`clone(new RegExp('/')).source === '\\/'`,
		`clone(new RegExp('\n')).source === '\\n'`,
		`clone(new RegExp('')).source === '(?:)'`,
		`(() => { const r = new RegExp('a+', 'gi'); r.lastIndex = 3; const c = clone(r); return c !== r && c.source === 'a+' && c.flags === 'gi' && c.lastIndex === 0 && c.test('xAA') })()`,
		`(() => { const c = clone(new RegExp('(?<=a)b', 'd')); return c.source === '(?<=a)b' && c.hasIndices && c.exec('ab').indices[0][0] === 1 })()`,
	})
}
