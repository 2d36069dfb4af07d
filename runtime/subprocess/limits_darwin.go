package subprocess

import "syscall"

// memoryRlimit is the rlimit that bounds a child's memory: its address space,
// which includes what Go only reserves.
const memoryRlimit = syscall.RLIMIT_AS
