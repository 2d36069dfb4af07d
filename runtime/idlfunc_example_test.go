package runtime_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

// setOptions is the dictionary of the kv module's set:
//
//	dictionary SetOptions {
//	  [EnforceRange] unsigned long ttl = 60;
//	  sequence<DOMString> tags;
//	};
type setOptions struct {
	TTL  uint32 `idl:"ttl,enforcerange,default=60"`
	Tags []string
}

// A host module whose function takes its arguments as a web API would:
//
//	undefined set(USVString key, USVString value, optional SetOptions options = {});
func ExampleIDLFunc() {
	store := map[string]string{}
	set := runtime.IDLFunc("set", func(key, value string, opts setOptions) {
		store[key] = value
		fmt.Printf("set %s=%s for %v, tagged %q\n", key, value, time.Duration(opts.TTL)*time.Second, opts.Tags)
	}, "key", "value", "options,optional")

	rt, _ := runtime.New(runtime.Options{
		Stdout:  os.Stdout,
		Modules: map[string]runtime.Module{"kv": {"set": set}},
	})
	defer rt.Close()
	err := rt.RunScript(context.Background(), "plugin.js", `
		import { set } from "host:kv";
		set("greeting", "hello");
		set("answer", 42, { ttl: "3600", tags: new Set(["math"]) });
		for (const args of [["k"], ["k", "v", { ttl: -1 }], ["k", "v", { tags: "a" }]]) {
			try { set(...args); } catch (e) { console.log(e.name + ": " + e.message); }
		}
	`)
	if err != nil {
		panic(err)
	}
	// Output:
	// set greeting=hello for 1m0s, tagged []
	// set answer=42 for 1h0m0s, tagged ["math"]
	// TypeError: Failed to execute 'set': 2 argument(s) required, but only 1 present.
	// TypeError: Value is outside the 'unsigned long' value range.
	// TypeError: The provided value cannot be converted to a sequence.
}
