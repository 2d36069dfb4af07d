package subprocess

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/webidl"
)

// Values cross the pipe as structured clones, in the wire format of
// bindings/structuredclone. On the host's side they are Go values, made
// into clones as goja's ToValue would make JavaScript values of them
// (structuredclone.FromGo), and read back as goja's Export would
// (structuredclone.ToGo); on the child's side they are JavaScript values,
// serialized and deserialized in its realm.

// maxDecoded bounds the memory decoding one value received may take: a
// value cannot grow beyond eight times the largest frame, whatever its
// sender, maybe a compromised child, wrote.
const maxDecoded = 8 * maxFrame

// encodeGo encodes a Go value to send.
func encodeGo(v any) ([]byte, error) {
	s, err := structuredclone.FromGo(v)
	if err != nil {
		return nil, err
	}
	return s.AppendBinary(nil)
}

// decodeGo decodes a value received to Go.
func decodeGo(b []byte) (any, error) {
	s, err := structuredclone.DecodeBinary(b, maxDecoded)
	if err != nil {
		return nil, fmt.Errorf("subprocess: bad value: %w", err)
	}
	return s.ToGo(), nil
}

// decodeArgs decodes the arguments of a call received to Go.
func decodeArgs(b []byte) ([]any, error) {
	v, err := decodeGo(b)
	if err != nil {
		return nil, err
	}
	args, ok := v.([]any)
	if !ok {
		return nil, errors.New("subprocess: arguments are not an array")
	}
	return args, nil
}

// deserializeArgs returns, in vm, the elements of the Array s holds.
func deserializeArgs(vm *goja.Runtime, s *structuredclone.Serialized, op string) []goja.Value {
	a, ok := s.Deserialize(webidl.RealmOf(vm), op).(*goja.Object)
	if !ok {
		return nil
	}
	vals := make([]goja.Value, a.Get("length").ToInteger())
	for i := range vals {
		vals[i] = a.Get(strconv.Itoa(i))
	}
	return vals
}

// serialize encodes v, a value of vm, to send. A value that cannot be
// cloned is a *structuredclone.DataCloneError; what else serializing
// throws (a getter) is thrown.
func serialize(vm *goja.Runtime, v goja.Value, op string) ([]byte, error) {
	r := webidl.RealmOf(vm)
	var s *structuredclone.Serialized
	if exc := vm.Try(func() { s = structuredclone.Serialize(r, v, nil, op) }); exc != nil {
		if name, msg, ok := r.DOMExceptionInfo(exc.Value()); ok && name == "DataCloneError" {
			return nil, &structuredclone.DataCloneError{Message: msg}
		}
		panic(exc)
	}
	defer s.Discard()
	return s.AppendBinary(nil)
}
