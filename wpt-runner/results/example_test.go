package results_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/wsjs/wsjs/wpt-runner/results"
)

func ExampleExpectations_Compare() {
	exp, err := results.Load(strings.NewReader(`{
  "/websockets/Close-1000.any.worker.html?wss": {"status": "ERROR", "reason": "needs Worker"}
}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	run := []results.Result{
		{Test: "/websockets/Close-1000.any.worker.html?wss", Status: results.Error, Message: "ReferenceError: Worker is not defined"},
		{Test: "/websockets/Close-1000.any.html?wss", Status: results.OK, Subtests: []results.Subtest{
			{Name: "close(1000)", Status: results.Fail, Message: "assert_true: expected true got false"},
		}},
	}
	for _, d := range exp.Compare(run) {
		fmt.Println(d)
	}
	// Output:
	// regression: /websockets/Close-1000.any.html?wss / "close(1000)": expected PASS, got FAIL: assert_true: expected true got false
}

func ExampleExpectations_Update() {
	exp := results.Expectations{
		"/a.html": {Status: results.OK, Subtests: map[string]*results.Expected{
			"x": {Status: results.Fail, Reason: "needs a DOM (document)"},
		}},
	}
	run := []results.Result{{Test: "/a.html", Status: results.OK, Subtests: []results.Subtest{
		{Name: "x", Status: results.Timeout},
		{Name: "y", Status: results.Fail},
	}}}
	exp.Update(run, nil).Write(os.Stdout)
	// Output:
	// {
	//   "/a.html": {
	//     "status": "OK",
	//     "subtests": {
	//       "x": {
	//         "status": "TIMEOUT",
	//         "reason": "needs a DOM (document)"
	//       },
	//       "y": {
	//         "status": "FAIL",
	//         "reason": "TODO: investigate"
	//       }
	//     }
	//   }
	// }
}
