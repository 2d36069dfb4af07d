package subprocess

import "syscall"

// memoryRlimit is the rlimit that bounds a child's memory. On Linux (4.7 on)
// RLIMIT_DATA counts the private writable mappings, the memory a Go process
// uses, and not the address space Go only reserves.
const memoryRlimit = syscall.RLIMIT_DATA
