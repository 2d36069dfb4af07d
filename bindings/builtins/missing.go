package builtins

import "github.com/wsjs/wsjs/bindings"

// installMissing adds the standard built-ins goja lacks, and replaces those
// it gets wrong in ways a script can reach (a Go panic, a wrong list), each
// from its own file.
func installMissing(env *bindings.Env) error {
	for _, install := range []func(*bindings.Env) error{
		func(env *bindings.Env) error { return installWellFormed(env.Realm) },
		func(env *bindings.Env) error { return installAnnexB(env.Realm) },
		func(env *bindings.Env) error { return installHTMLMethods(env.Realm) },
		func(env *bindings.Env) error { return installLegacyDate(env.Realm) },
		installWeakRefs,
		func(env *bindings.Env) error { return installIterator(env.Realm) },
		func(env *bindings.Env) error { return installDisposable(env.Realm) },
		func(env *bindings.Env) error { return installScripts(env.Realm) },
		func(env *bindings.Env) error { return installSumPrecise(env.Realm) },
		func(env *bindings.Env) error { return installUnscopables(env.Realm) },
		func(env *bindings.Env) error { return installToLocaleString(env.Realm) },
		func(env *bindings.Env) error { return installBigInt(env.Realm) },
	} {
		if err := install(env); err != nil {
			return err
		}
	}
	return nil
}
