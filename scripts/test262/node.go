package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"time"
)

// nodeHost is the script each Node.js process runs: jobs in on stdin, results
// out on stdout, one JSON object a line.
//
//go:embed node_host.js
var nodeHost string

// A nodeProc is a Node.js process that runs one job at a time.
type nodeProc struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// nodeIdle holds the processes not running a job.
var nodeIdle = make(chan *nodeProc, 256)

type nodeJob struct {
	Harness   [][2]string `json:"harness"` // name, source
	Src       string      `json:"src"`
	File      string      `json:"file"`
	Module    bool        `json:"module"`
	Async     bool        `json:"async"`
	TimeoutMs int64       `json:"timeoutMs"`
}

type nodeResult struct {
	Phase   string   `json:"phase"`
	Type    string   `json:"type"`
	Msg     string   `json:"msg"`
	Printed []string `json:"printed"`
}

// runNode runs t in mode m in a new vm context of a Node.js process, for
// comparison; node must be on the PATH.
func runNode(ctx context.Context, c *corpus, t *test, m mode) (obs observation) {
	job := nodeJob{Src: source(t, m), File: t.abs, Module: m == module, Async: t.meta.Has("async"), TimeoutMs: 10000}
	if d, ok := ctx.Deadline(); ok {
		job.TimeoutMs = time.Until(d).Milliseconds()
	}
	for _, f := range harness(t) {
		src, err := c.include(f)
		if err != nil {
			obs.Unsupported = err.Error()
			return obs
		}
		job.Harness = append(job.Harness, [2]string{f, src})
	}
	var p *nodeProc
	select {
	case p = <-nodeIdle:
	default:
		var err error
		if p, err = startNode(); err != nil {
			obs.Unsupported = "node: " + err.Error()
			return obs
		}
	}
	done := make(chan error, 1)
	var res nodeResult
	go func() {
		line, err := json.Marshal(job)
		if err == nil {
			_, err = p.in.Write(append(line, '\n'))
		}
		if err == nil {
			line, err = p.out.ReadBytes('\n')
		}
		if err == nil {
			err = json.Unmarshal(line, &res)
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			p.kill()
			obs.Unsupported = fmt.Sprintf("node: %v", err)
			return obs
		}
		nodeIdle <- p
	case <-ctx.Done():
		p.kill()
		obs.Timeout = true
		return obs
	}
	return observation{Phase: res.Phase, ErrType: res.Type, ErrMsg: res.Msg, Printed: res.Printed}
}

func startNode() (*nodeProc, error) {
	cmd := exec.Command("node", "--experimental-vm-modules", "--expose-gc", "--no-warnings", "-e", nodeHost)
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &nodeProc{cmd: cmd, in: in, out: bufio.NewReader(out)}, nil
}

func (p *nodeProc) kill() {
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
}
