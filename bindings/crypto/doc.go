// Package crypto installs the Crypto interface of the W3C Web Cryptography
// API (https://w3c.github.io/webcrypto/#crypto-interface) on a goja runtime:
// the global crypto object with getRandomValues, which fills an integer typed
// array with random values, and randomUUID, which returns a version 4 UUID.
// Both draw from Go's crypto/rand. The SubtleCrypto interface (crypto.subtle)
// is not provided.
package crypto
