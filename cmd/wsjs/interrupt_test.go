package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// TestInterrupt interrupts the command as a process while its script waits
// on a timer: the script stops and the command exits with status 130.
func TestInterrupt(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "eval", `console.log("waiting"); setTimeout(() => console.log("timer ran"), 60000)`)
	cmd.Env = append(os.Environ(), "WSJS_TEST_AS_COMMAND=1")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "waiting" {
		t.Fatalf("first line %q, %v", lines.Text(), lines.Err())
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		t.Errorf("after the interrupt: %q", lines.Text())
	}
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Errorf("exit: %v", err)
	}
	if got := errOut.String(); got != "wsjs: interrupted\n" {
		t.Errorf("stderr %q", got)
	}
}
