package compression

import (
	"math/rand/v2"
)

// randomBytes returns n bytes that do not compress, the same for the same n.
func randomBytes(n int) []byte {
	p := make([]byte, n)
	r := rand.New(rand.NewPCG(1, uint64(n)))
	for i := range p {
		p[i] = byte(r.Uint32())
	}
	return p
}
