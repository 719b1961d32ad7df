package golang

import "strconv"

// Go's := in an inner block declares a new variable that may shadow an
// outer one of the same name. The IR has one namespace per function, so
// the lowerer renames shadowing variables (err → err·2) for the rest of
// their block; taint written to the inner one then stays there.

// scopes is the stack of blocks of the function being lowered, each
// mapping a source name to its IR name.
type scopes []map[string]string

func (l *lowerer) push() { l.scope = append(l.scope, map[string]string{}) }

func (l *lowerer) pop() {
	if len(l.scope) > 0 {
		l.scope = l.scope[:len(l.scope)-1]
	}
}

// declare introduces name in the innermost block and returns its IR name.
func (l *lowerer) declare(name string) string {
	if name == "_" || len(l.scope) == 0 {
		return name
	}
	cur := l.scope[len(l.scope)-1]
	if n, ok := cur[name]; ok {
		return n // a := redeclaring a variable of the same block reuses it
	}
	for i := len(l.scope) - 2; i >= 0; i-- {
		if _, ok := l.scope[i][name]; ok {
			l.renames++
			n := name + "·" + strconv.Itoa(l.renames)
			cur[name] = n
			return n
		}
	}
	cur[name] = name
	return name
}

// resolve gives the IR name of a use of name.
func (l *lowerer) resolve(name string) string {
	for i := len(l.scope) - 1; i >= 0; i-- {
		if n, ok := l.scope[i][name]; ok {
			return n
		}
	}
	return name
}
