package builtins

import "github.com/wsjs/wsjs/bindings"

// Binding installs the built-ins in a realm. It needs no web API.
var Binding = &bindings.Binding{Name: "builtins", Register: Register}

// Register installs the built-ins in env.Realm. It must run before scripts
// do, as the built-ins it adds to (Math, DataView) are taken from the
// global object.
func Register(env *bindings.Env) error {
	return installFloat16(env.Realm.VM(), env.Realm)
}
