package githubtest

import (
	"strings"
)

// authKind says which credential a route accepts.
type authKind int

const (
	authInstallation authKind = iota // installation token
	authApp                          // App JWT
)

// route is one REST endpoint the fake implements. template is the path
// template exactly as in GitHub's OpenAPI description, so it doubles as the
// key of the operation the request is validated against.
type route struct {
	method   string
	template string
	auth     authKind
	// perm and level: the installation permission the route needs.
	perm, level string
	// greedy: the last parameter may span several segments (file paths, refs).
	greedy bool
	// contentCreating counts toward GitHub's content-creation secondary limit.
	contentCreating bool
	// precheck validates the body before the OpenAPI schema does, where
	// GitHub's own message differs from a generic schema error.
	precheck func(*call) error
	handle   func(*call) (int, any, error)
	segs     []string
}

// routeTable matches request paths against templates, preferring the route
// with the most literal segments, then non-greedy ones.
type routeTable struct {
	byMethod map[string][]*route
}

func newRouteTable(routes []*route) *routeTable {
	t := &routeTable{byMethod: map[string][]*route{}}
	for _, r := range routes {
		r.segs = splitPath(r.template)
		t.byMethod[r.method] = append(t.byMethod[r.method], r)
	}
	return t
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// lookup returns the route for method and path with its parameters, or nil.
func (t *routeTable) lookup(method, path string) (*route, map[string]string) {
	segs := splitPath(path)
	var best *route
	var bestParams map[string]string
	bestScore := -1
	for _, r := range t.byMethod[method] {
		params, literals, ok := matchTemplate(r.segs, segs, r.greedy)
		if !ok {
			continue
		}
		score := literals * 2
		if !r.greedy {
			score++
		}
		if score > bestScore {
			best, bestParams, bestScore = r, params, score
		}
	}
	return best, bestParams
}

// matchTemplate matches path segments against template segments. With greedy
// the last template parameter takes the remaining segments.
func matchTemplate(tmpl, segs []string, greedy bool) (map[string]string, int, bool) {
	if len(segs) < len(tmpl) || (!greedy && len(segs) != len(tmpl)) {
		return nil, 0, false
	}
	params := map[string]string{}
	literals := 0
	for i, ts := range tmpl {
		isParam := strings.HasPrefix(ts, "{") && strings.HasSuffix(ts, "}")
		if !isParam {
			if ts != segs[i] {
				return nil, 0, false
			}
			literals++
			continue
		}
		name := ts[1 : len(ts)-1]
		if i == len(tmpl)-1 && greedy {
			params[name] = strings.Join(segs[i:], "/")
			return params, literals, true
		}
		if segs[i] == "" {
			return nil, 0, false
		}
		params[name] = segs[i]
	}
	return params, literals, true
}
