package workflows

import (
	"fmt"
	"strings"

	"github.com/rhysd/actionlint"
)

// stepAction returns the parsed uses reference of an action step.
func stepAction(st *actionlint.Step) (*actionlint.ExecAction, actionRef, bool) {
	a, ok := st.Exec.(*actionlint.ExecAction)
	if !ok || a.Uses == nil {
		return nil, actionRef{}, false
	}
	ref, ok := parseUses(a.Uses.Value)
	return a, ref, ok
}

// stepRun returns the run script of a run step.
func stepRun(st *actionlint.Step) (*actionlint.ExecRun, bool) {
	r, ok := st.Exec.(*actionlint.ExecRun)
	if !ok || r.Run == nil {
		return nil, false
	}
	return r, true
}

// input returns the with: input name (case-insensitive) of an action step.
func input(a *actionlint.ExecAction, name string) *actionlint.Input {
	if a == nil || a.Inputs == nil {
		return nil
	}
	in := a.Inputs[strings.ToLower(name)]
	if in == nil || in.Value == nil {
		return nil
	}
	return in
}

// stepLabel names a step for messages: its name, id, or ordinal.
func stepLabel(st *actionlint.Step, index int) string {
	switch {
	case st.Name != nil && st.Name.Value != "":
		return fmt.Sprintf("step %q", st.Name.Value)
	case st.ID != nil && st.ID.Value != "":
		return fmt.Sprintf("step %q", st.ID.Value)
	}
	return fmt.Sprintf("step %d", index+1)
}

// stepKey identifies a step inside its job for fingerprints: its id when
// it has one, else its ordinal.
func stepKey(st *actionlint.Step, index int) string {
	if st.ID != nil && st.ID.Value != "" {
		return st.ID.Value
	}
	return fmt.Sprintf("#%d", index+1)
}

func jobID(j *actionlint.Job) string {
	if j.ID == nil {
		return ""
	}
	return j.ID.Value
}

// runsOnWindows reports whether the job's runner labels mention Windows,
// where the default shell is PowerShell.
func runsOnWindows(j *actionlint.Job) bool {
	if j.RunsOn == nil {
		return false
	}
	for _, l := range j.RunsOn.Labels {
		if l != nil && strings.Contains(strings.ToLower(l.Value), "windows") {
			return true
		}
	}
	return j.RunsOn.LabelsExpr != nil
}

// stepShell is the shell a run step uses, as configured at step, job or
// workflow level; "" means the runner's default.
func stepShell(w *actionlint.Workflow, j *actionlint.Job, r *actionlint.ExecRun) string {
	switch {
	case r.Shell != nil:
		return r.Shell.Value
	case j != nil && j.Defaults != nil && j.Defaults.Run != nil && j.Defaults.Run.Shell != nil:
		return j.Defaults.Run.Shell.Value
	case w != nil && w.Defaults != nil && w.Defaults.Run != nil && w.Defaults.Run.Shell != nil:
		return w.Defaults.Run.Shell.Value
	}
	return ""
}
