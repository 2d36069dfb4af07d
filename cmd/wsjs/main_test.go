package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, contents := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(contents), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = wsjsMain(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunTypeScriptWithImportsInHTMLOrder(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.ts": `import { say, later } from "./util.ts";
say("1 script");
setTimeout(() => say("5 timeout"), 0);
queueMicrotask(() => say("3 queueMicrotask"));
(async (): Promise<void> => {
  await null;
  say("4 after await");
  await later(1);
  say("6 after timer promise");
})();
say("2 script end");
`,
		"util.ts": `export const say = (s: string): void => console.log(s);
export const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
`,
	})
	code, out, errOut := runCLI(t, "", "run", filepath.Join(dir, "main.ts"))
	want := "1 script\n2 script end\n3 queueMicrotask\n4 after await\n5 timeout\n6 after timer promise\n"
	if code != 0 || out != want || errOut != "" {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestUncaughtErrorExitsOne(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.ts": "import { boom } from \"./boom.ts\";\nconsole.log(\"start\");\nboom(3);\n",
		"boom.ts": "export function boom(n: number): never {\n  const msg: string = `boom ${n}`;\n  throw new Error(msg);\n}\n",
	})
	code, out, errOut := runCLI(t, "", "run", filepath.Join(dir, "main.ts"))
	if code != 1 || out != "start\n" {
		t.Errorf("exit %d stdout %q", code, out)
	}
	want := "Uncaught Error: boom 3\n    at boom (" + filepath.Join(dir, "boom.ts") + ":3:9)\n    at " + filepath.Join(dir, "main.ts") + ":3:1\n"
	if errOut != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
	}
}

func TestSyntaxErrorExitsOne(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.ts": "const ok = 1;\nconst x: number = (1 + ;\n"})
	code, out, errOut := runCLI(t, "", "run", filepath.Join(dir, "bad.ts"))
	want := "error: " + filepath.Join(dir, "bad.ts") + ":2:24: Unexpected \";\"\n    const x: number = (1 + ;\n                           ^\n"
	if code != 1 || out != "" || errOut != want {
		t.Errorf("exit %d stdout %q\nstderr:\n%s\nwant:\n%s", code, out, errOut, want)
	}
}

func TestStdinEvalAndArgs(t *testing.T) {
	cases := []struct {
		name  string
		stdin string
		args  []string
		code  int
		out   string
	}{
		{"stdin js", "console.log('from stdin', wsjs.args)", []string{"run", "-", "x", "--y"}, 0, "from stdin [ 'x', '--y' ]\n"},
		{"stdin ts", "const n: number = 41; console.log(n + 1)", []string{"run", "--ext", "ts", "-"}, 0, "42\n"},
		{"eval", "", []string{"eval", "console.log(6 * 7)"}, 0, "42\n"},
		{"eval empty", "", []string{"eval", ""}, 0, ""},
		{"eval ts", "", []string{"eval", "--ext=.ts", "let s: string = 'typed'; console.log(s)"}, 0, "typed\n"},
		{"eval args", "", []string{"eval", "console.log(wsjs.args.length)", "a", "b"}, 0, "2\n"},
		{"eval throws", "", []string{"eval", "null.x"}, 1, ""},
		{"eval rejection", "", []string{"eval", "Promise.reject(1)"}, 1, ""},
		{"timeout", "", []string{"eval", "--timeout", "50ms", "for (;;) {}"}, 1, ""},
		{"timeout not reached", "", []string{"eval", "--timeout=10s", "setTimeout(() => console.log('done'), 1)"}, 0, "done\n"},
		{"base url", "", []string{"eval", "--base-url", "http://127.0.0.1:8080/", "console.log('ok')"}, 0, "ok\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, c.stdin, c.args...)
			if code != c.code || out != c.out {
				t.Errorf("exit %d (want %d) stdout %q (want %q) stderr %q", code, c.code, out, c.out, errOut)
			}
			if c.code == 0 && errOut != "" {
				t.Errorf("stderr %q", errOut)
			}
			if c.name == "timeout" && errOut != "wsjs: script timed out after 50ms\n" {
				t.Errorf("stderr %q", errOut)
			}
			if c.name == "eval throws" && !strings.HasPrefix(errOut, "Uncaught TypeError: Cannot read property 'x'") {
				t.Errorf("stderr %q", errOut)
			}
		})
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	cases := []struct {
		args []string
		msg  string
	}{
		{nil, "Usage:"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"run"}, "run needs a FILE"},
		{[]string{"eval"}, "eval needs CODE"},
		{[]string{"run", "--nope", "x.js"}, "flag provided but not defined: -nope"},
		{[]string{"run", "--timeout", "soon", "x.js"}, `invalid value "soon" for flag -timeout`},
		{[]string{"run", "--timeout", "-1s", "x.js"}, "--timeout must not be negative"},
		{[]string{"eval", "--ext", "py", "1"}, `--ext "py" is not one of`},
		{[]string{"eval", "--base-url", "not a url", "1"}, "is not an absolute URL"},
		{[]string{"version", "extra"}, "version takes no arguments"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, "", c.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, c.msg) {
				t.Errorf("exit %d stdout %q stderr %q, want exit 2 and %q", code, out, errOut, c.msg)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"run", "--help"}} {
		code, out, _ := runCLI(t, "", args...)
		if code != 0 || out != usage {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	for _, want := range []string{"wsjs run", "wsjs eval", "wsjs version", "--timeout", "--base-url", "--ext", "wsjs.args", "Exit status"} {
		if !strings.Contains(usage, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
	code, out, _ := runCLI(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "wsjs ") || !strings.Contains(out, "esbuild") {
		t.Errorf("version: exit %d %q", code, out)
	}
}

// TestMain lets the test binary act as the wsjs command when asked, so that
// TestProcess can run it as a process without building anything.
func TestMain(m *testing.M) {
	if os.Getenv("WSJS_TEST_AS_COMMAND") == "1" {
		os.Exit(wsjsMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestProcess runs the command as a process: exit status, standard input and the
// split of console output between standard output and standard error.
func TestProcess(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	command := func(args ...string) *exec.Cmd {
		cmd := exec.Command(exe, args...)
		cmd.Env = append(os.Environ(), "WSJS_TEST_AS_COMMAND=1")
		return cmd
	}
	cmd := command("run", "-", "arg")
	cmd.Stdin = strings.NewReader(`console.log("out", wsjs.args[0]); console.error("err"); throw new Error("exit")`)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("run: %v", err)
	}
	if out.String() != "out arg\n" || !strings.HasPrefix(errOut.String(), "err\nUncaught Error: exit\n    at [stdin].js:1:") {
		t.Errorf("stdout %q stderr %q", out.String(), errOut.String())
	}
	if err := command("bogus").Run(); err == nil || err.(*exec.ExitError).ExitCode() != 2 {
		t.Errorf("usage error: %v", err)
	}
	if err := command("eval", "setTimeout(() => {}, 1)").Run(); err != nil {
		t.Errorf("success: %v", err)
	}
}
