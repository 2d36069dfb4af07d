package runtime

import "github.com/wsjs/wsjs/runtime/internal/loader"

// A LoadError reports why a script could not be loaded: it could not be read, an
// import could not be resolved, or its syntax is invalid. Its Error method formats
// every problem as "file:line:col: text", followed by the offending line with a caret
// under the column.
type LoadError = loader.LoadError

// A Problem is one error found while loading a script. Line and Column count from 1;
// they are 0 when the problem has no position.
type Problem = loader.Problem
