package builtins

import "github.com/wsjs/wsjs/webidl"

// installMissing adds the standard built-ins goja lacks, each from its own
// file.
func installMissing(realm *webidl.Realm) error {
	for _, install := range []func(*webidl.Realm) error{installWellFormed, installAnnexB} {
		if err := install(realm); err != nil {
			return err
		}
	}
	return nil
}
