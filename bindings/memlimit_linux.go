package bindings

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// processMemory is ProcessMemory, read once: RLIMIT_AS, RLIMIT_DATA, the
// cgroup v2 memory.max (or v1 memory.limit_in_bytes) and MemTotal of
// /proc/meminfo.
var processMemory = sync.OnceValue(func() int64 {
	return smallestPositive(rlimit(syscall.RLIMIT_AS), rlimit(syscall.RLIMIT_DATA),
		fileNumber("/sys/fs/cgroup/memory.max"), fileNumber("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
		memTotal())
})

// rlimit returns the soft limit of resource, or 0 for none.
func rlimit(resource int) int64 {
	var l syscall.Rlimit
	if syscall.Getrlimit(resource, &l) != nil || l.Cur > 1<<62 { // RLIM_INFINITY too
		return 0
	}
	return int64(l.Cur)
}

// fileNumber returns the number a file holds ("max" and errors: 0).
func fileNumber(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n > 1<<62 {
		return 0
	}
	return n
}

// memTotal returns the machine's memory from /proc/meminfo, or 0.
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
