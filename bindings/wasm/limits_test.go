package wasm_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

// locals encodes a function body declaring n (< 2^21) locals of i32.
func locals(n int) []byte {
	return []byte{6, 1, byte(n) | 0x80, byte(n>>7) | 0x80, byte(n >> 14), i32, 0x0b}
}

// manyLocals is a module of count functions, each declaring n locals.
func manyLocals(count, n int) []byte {
	return mod(voidType, sec(3, count, bytes.Repeat([]byte{0}, count)), sec(10, count, bytes.Repeat(locals(n), count)))
}

// elements is a module with a table of n entries (< 2^21) and an element
// segment filling it, n bytes: wazero takes 65 bytes per element.
func elements(n int) []byte {
	leb := []byte{byte(n) | 0x80, byte(n>>7) | 0x80, byte(n >> 14)}
	table := append([]byte{4, 6, 1, 0x70, 0}, leb...)
	seg := append(append([]byte{1, 0, 0x41, 0, 0x0b}, leb...), make([]byte, n)...)
	size := len(seg)
	elem := append([]byte{9, byte(size) | 0x80, byte(size>>7) | 0x80, byte(size >> 14)}, seg...)
	return mod(voidType, sec(3, 1, 0), table, elem, sec(10, 1, code(0x0b)))
}

// TestModuleMemory checks that what wazero takes for a module is charged
// to the memory budget while the Module lives: a module of 1 MB of table
// elements takes some 65 MB.
func TestModuleMemory(t *testing.T) {
	// The module's bytes are made in script: as an array literal, a
	// megabyte takes seconds to parse.
	b := elements(1 << 20)
	prefix, suffix := b[:bytes.Index(b, make([]byte, 64))], b[len(b)-len(sec(10, 1, code(0x0b))):]
	makeJS := fmt.Sprintf(`(() => { const b = new Uint8Array(%d); b.set(%s); b.set(%s, %d); return b; })()`,
		len(b), jsBytes(prefix), jsBytes(suffix), len(b)-len(suffix))
	src := strings.NewReplacer("ELEMENTS", makeJS).Replace(`
		const bytes = ELEMENTS;
		throwsAs(() => new WebAssembly.Module(bytes), RangeError);
		throwsAs(() => WebAssembly.validate(bytes), RangeError);
		let rejected = false;
		WebAssembly.compile(bytes).catch(e => { rejected = e instanceof RangeError; });
		setTimeout(() => assert(rejected, "compile rejects with a RangeError"));`)
	if err := run(t, runtime.Limits{MemoryBytes: 32 << 20}, 10*time.Second, src); err != nil {
		t.Fatal(err)
	}
	fits := strings.NewReplacer("ELEMENTS", makeJS).Replace(`
		const m = new WebAssembly.Module(ELEMENTS);
		assert(new WebAssembly.Instance(m) instanceof WebAssembly.Instance, "instance");`)
	if err := run(t, runtime.Limits{MemoryBytes: 256 << 20}, 10*time.Second, fits); err != nil {
		t.Fatal(err)
	}
}

// TestModuleLimits checks that a module that would make wazero allocate far
// more than its own size is a CompileError, or a table that would grow past
// the JS API's limit fails to grow, instead of the process running out of
// memory, as it did for each of these before checkModule.
func TestModuleLimits(t *testing.T) {
	grow := func(n []byte) []byte { // a table of 0 entries, and run() growing it by n
		return mod(sec(1, 1, 0x60, 0, 1, i32), sec(3, 1, 0), sec(4, 1, 0x70, 0, 0), sec(7, 1, "run", 0, 0),
			sec(10, 1, code(append(append([]byte{0xd0, 0x70, 0x41}, n...), 0xfc, 0x0f, 0, 0x0b)...)))
	}
	tests := []struct{ name, src string }{
		// FuzzModule's find: 3.9 billion imports declared in 20 bytes.
		{"import count", `throwsAs(() => new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0, 2,2,0xec,0xec,0xec,0xec,3,0,109,10,118,1,0x86])), WebAssembly.CompileError);`},
		{"locals of a function", `
			new WebAssembly.Module(FIFTYK);
			throwsAs(() => new WebAssembly.Module(OVERFIFTYK), WebAssembly.CompileError);`},
		{"locals of all functions", `
			assert(!WebAssembly.validate(MANYLOCALS), "over the module's locals");
			throwsAs(() => new WebAssembly.Module(MANYLOCALS), WebAssembly.CompileError);`},
		{"tables", `
			throwsAs(() => new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0, 4,7,1,0x70,0,0x81,0xad,0xe2,4])), WebAssembly.CompileError);
			throwsAs(() => new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0, 4,13,2,0x70,0,0x80,0x9b,0xee,2,0x70,0,0x80,0x9b,0xee,2])), WebAssembly.CompileError);`},
		{"table.grow past the limit", `
			assert(new WebAssembly.Instance(new WebAssembly.Module(GROWHUGE)).exports.run() === -1, "2^31-1 entries");
			assert(new WebAssembly.Instance(new WebAssembly.Module(GROWOVER)).exports.run() === -1, "10,000,001 entries");
			assert(new WebAssembly.Instance(new WebAssembly.Module(GROWFIVE)).exports.run() === 0, "5 entries");
			const t = new WebAssembly.Table({initial: 1, element: "anyfunc"});
			throwsAs(() => t.grow(2 ** 31), RangeError);
			assert(t.grow(5) === 1 && t.length === 6, "grows within the limit");`},
		{"custom sections", `
			// A "name" section whose subsection sizes do not add up: the
			// module still compiles, and its custom sections are there.
			const m = new WebAssembly.Module(NAMED);
			const cs = WebAssembly.Module.customSections(m, "name");
			assert(cs.length === 1 && new Uint8Array(cs[0]).join() === "1,200,1,0", "name section " + cs.map(b => new Uint8Array(b).join()));
			assert(new WebAssembly.Instance(m).exports.add(1, 2) === 3, "add");`},
	}
	named := append(append([]byte{}, addMod...), sec(0, "name", []byte{1, 200, 1, 0})...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.NewReplacer("OVERFIFTYK", jsBytes(manyLocals(1, 50_001)), "FIFTYK", jsBytes(manyLocals(1, 50_000)),
				"MANYLOCALS", jsBytes(manyLocals(30, 50_000)),
				"GROWHUGE", jsBytes(grow([]byte{0xff, 0xff, 0xff, 0xff, 0x07})), "GROWOVER", jsBytes(grow([]byte{0x81, 0xad, 0xe2, 0x04})),
				"GROWFIVE", jsBytes(grow([]byte{5})), "NAMED", jsBytes(named)).Replace(tc.src)
			if err := run(t, runtime.Limits{}, 10*time.Second, src); err != nil {
				t.Fatal(err)
			}
		})
	}
}
