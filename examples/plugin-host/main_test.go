package main

import (
	"context"
	"strings"
	"testing"
)

// TestRunFails checks that run reports what keeps it from serving.
func TestRunFails(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"-plugins", "no-such-dir"}, "no-such-dir"},
		{[]string{"-plugins", "plugins", "-modules", "packages", "-addr", "256.0.0.1:0"}, "256.0.0.1"},
	}
	for _, c := range cases {
		err := run(context.Background(), c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("run(%q) = %v, want an error with %q", c.args, err, c.want)
		}
	}
}
