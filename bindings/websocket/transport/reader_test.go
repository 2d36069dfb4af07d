package transport

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
)

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

func TestLazyReaderPendingAndLargeReads(t *testing.T) {
	client, server := tcpPair(t)
	// Bytes the handshake read past its response come first.
	br := bufio.NewReader(io.MultiReader(strings.NewReader("pending"), client))
	if _, err := br.Peek(7); err != nil {
		t.Fatal(err)
	}
	l := newLazyReader(client, br)
	big := bytes.Repeat([]byte{7}, 3*readBufferSize+5)
	go func() {
		server.Write(big)
		server.Close()
	}()
	got, err := io.ReadAll(l)
	if err != nil {
		t.Fatal(err)
	}
	if want := append([]byte("pending"), big...); !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, want %d", len(got), len(want))
	}
}

func TestLazyReaderOtherStreamsKeepTheirBuffer(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	l := newLazyReader(a, nil)
	if l.rc != nil {
		t.Fatal("raw connection on a pipe")
	}
	go func() {
		b.Write([]byte("abc"))
		b.Close()
	}()
	var p [2]byte
	if n, err := l.Read(p[:]); err != nil || string(p[:n]) != "ab" {
		t.Fatalf("read %q, %v", p[:n], err)
	}
	if n, err := l.Read(p[:]); err != nil || string(p[:n]) != "c" {
		t.Fatalf("read %q, %v", p[:n], err)
	}
	if l.buf == nil {
		t.Fatal("a pipe's reader gave its buffer back")
	}
	if _, err := l.Read(p[:]); err != io.EOF {
		t.Fatalf("at the end: %v", err)
	}
}

func TestLazyReaderDiscardAll(t *testing.T) {
	client, server := tcpPair(t)
	l := newLazyReader(client, nil)
	go func() {
		server.Write(bytes.Repeat([]byte{1}, 10000))
		server.Close()
	}()
	if err := l.discardAll(); err != nil {
		t.Fatal(err)
	}
	if l.buf != nil {
		t.Fatal("buffer kept after discarding")
	}
}
