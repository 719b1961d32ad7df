package githubtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Spec is GitHub's OpenAPI description, indexed by method and path template.
// Request bodies and parameters are checked with a JSON Schema validator
// (OpenAPI 3.0 schemas are draft-4 style; "nullable" is rewritten into a
// "null" type when loading).
//
// kin-openapi v0.153.0 was the first choice, but it needs go.yaml.in/yaml/v4
// v4.0.0 while the module pins v4.0.0-rc.3 for actionlint, so it does not
// compile here; santhosh-tekuri/jsonschema/v6 is already in the module graph.
type Spec struct {
	paths   map[string]map[string]any // template -> path item
	byCount map[int][]specPath

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
	doc      map[string]any
}

type specPath struct {
	template string
	segs     []string
}

const specURL = "github-api.json"

// LoadSpec parses GitHub's api.github.com.json.
func LoadSpec(data []byte) (*Spec, error) {
	docAny, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("githubtest: parse OpenAPI description: %w", err)
	}
	doc, ok := docAny.(map[string]any)
	if !ok {
		return nil, errors.New("githubtest: OpenAPI description is not an object")
	}
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		return nil, errors.New("githubtest: OpenAPI description has no paths")
	}
	rewriteNullable(doc)
	sp := &Spec{paths: map[string]map[string]any{}, byCount: map[int][]specPath{}, schemas: map[string]*jsonschema.Schema{}, doc: doc}
	for tmpl, item := range paths {
		m, _ := item.(map[string]any)
		sp.paths[tmpl] = m
		segs := splitPath(tmpl)
		sp.byCount[len(segs)] = append(sp.byCount[len(segs)], specPath{template: tmpl, segs: segs})
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	if err := c.AddResource(specURL, doc); err != nil {
		return nil, fmt.Errorf("githubtest: register OpenAPI description: %w", err)
	}
	sp.compiler = c
	return sp, nil
}

// rewriteNullable turns OpenAPI 3.0 "nullable: true" into JSON Schema.
func rewriteNullable(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = rewriteNullable(x[i])
		}
	case map[string]any:
		for k, child := range x {
			x[k] = rewriteNullable(child)
		}
		if x["nullable"] == true {
			delete(x, "nullable")
			if t, ok := x["type"].(string); ok {
				x["type"] = []any{t, "null"}
				if enum, ok := x["enum"].([]any); ok {
					x["enum"] = append(enum, nil)
				}
				return x
			}
			return map[string]any{"anyOf": []any{x, map[string]any{"type": "null"}}}
		}
	}
	return v
}

// SpecCache loads the spec at most once; share one per process, since the
// description is large (13 MB) and immutable once parsed.
type SpecCache struct {
	once sync.Once
	spec *Spec
	err  error
}

// Get returns the cached spec, fetching it with FetchOpenAPISpec on first use.
func (c *SpecCache) Get(ctx context.Context, cacheDir string) (*Spec, error) {
	c.once.Do(func() {
		var data []byte
		data, c.err = FetchOpenAPISpec(ctx, cacheDir)
		if c.err == nil {
			c.spec, c.err = LoadSpec(data)
		}
	})
	return c.spec, c.err
}

func (sp *Spec) operation(method, template string) map[string]any {
	op, _ := sp.paths[template][strings.ToLower(method)].(map[string]any)
	return op
}

// findTemplate returns GitHub's template matching a concrete path, or "".
// The last parameter may span segments (file paths, refs).
func (sp *Spec) findTemplate(method, path string) string {
	segs := splitPath(path)
	best, bestLiterals := "", -1
	for n, list := range sp.byCount {
		if n > len(segs) {
			continue
		}
		for _, p := range list {
			if sp.operation(method, p.template) == nil {
				continue
			}
			_, literals, ok := matchTemplate(p.segs, segs, n < len(segs) && multiSegmentParam(p.segs))
			if ok && literals > bestLiterals {
				best, bestLiterals = p.template, literals
			}
		}
	}
	return best
}

// multiSegmentParam: templates ending in a parameter that GitHub lets span
// slashes (file paths, refs, base...head).
func multiSegmentParam(segs []string) bool {
	if len(segs) == 0 {
		return false
	}
	switch segs[len(segs)-1] {
	case "{path}", "{ref}", "{basehead}":
		return true
	}
	return false
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// schemaAt compiles (once) the schema at a JSON pointer of the description.
func (sp *Spec) schemaAt(pointer string) (*jsonschema.Schema, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if s, ok := sp.schemas[pointer]; ok {
		return s, nil
	}
	s, err := sp.compiler.Compile(specURL + "#" + pointer)
	if err != nil {
		return nil, fmt.Errorf("githubtest: compile schema %s: %w", pointer, err)
	}
	sp.schemas[pointer] = s
	return s, nil
}

// resolveRef follows a local "$ref" in the description.
func (sp *Spec) resolveRef(v any) (any, string) {
	m, ok := v.(map[string]any)
	if !ok {
		return v, ""
	}
	ref, ok := m["$ref"].(string)
	if !ok || !strings.HasPrefix(ref, "#/") {
		return v, ""
	}
	var cur any = sp.doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		cm, ok := cur.(map[string]any)
		if !ok {
			return nil, ""
		}
		cur = cm[part]
	}
	return cur, strings.TrimPrefix(ref, "#")
}

// checkRequest validates parameters and body of a request for template.
func (sp *Spec) checkRequest(method, template string, params map[string]string, query map[string][]string, body []byte) []string {
	op := sp.operation(method, template)
	opPtr := "/paths/" + escapePointer(template) + "/" + strings.ToLower(method)
	var problems []string
	paramLists := []struct {
		list any
		ptr  string
	}{{sp.paths[template]["parameters"], "/paths/" + escapePointer(template) + "/parameters"}, {op["parameters"], opPtr + "/parameters"}}
	for _, pl := range paramLists {
		list, _ := pl.list.([]any)
		for i, raw := range list {
			p, refPtr := sp.resolveRef(raw)
			pm, _ := p.(map[string]any)
			if pm == nil {
				continue
			}
			ptr := pl.ptr + "/" + strconv.Itoa(i)
			if refPtr != "" {
				ptr = refPtr
			}
			problems = append(problems, sp.checkParam(pm, ptr, params, query)...)
		}
	}
	rb, rbPtr := sp.resolveRef(op["requestBody"])
	rbm, _ := rb.(map[string]any)
	if rbPtr == "" {
		rbPtr = opPtr + "/requestBody"
	}
	// A JSON null body counts as no body (ghinstallation sends "null" when
	// no token options are set, and GitHub accepts it).
	if trimmed := bytes.TrimSpace(body); rbm == nil || len(trimmed) == 0 || string(trimmed) == "null" {
		if rbm != nil && rbm["required"] == true {
			problems = append(problems, "request body is required")
		}
		return problems
	}
	content, _ := rbm["content"].(map[string]any)
	if _, ok := content["application/json"]; !ok {
		return problems
	}
	instance, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return append(problems, "body is not valid JSON")
	}
	sch, err := sp.schemaAt(rbPtr + "/content/application~1json/schema")
	if err != nil {
		return append(problems, err.Error())
	}
	if err := sch.Validate(instance); err != nil {
		problems = append(problems, "body: "+validationText(err))
	}
	return problems
}

func (sp *Spec) checkParam(p map[string]any, ptr string, params map[string]string, query map[string][]string) []string {
	name, _ := p["name"].(string)
	in, _ := p["in"].(string)
	var value string
	var present bool
	switch in {
	case "path":
		value, present = params[name]
	case "query":
		if vs, ok := query[name]; ok && len(vs) > 0 {
			value, present = vs[0], true
		}
	default:
		return nil
	}
	if !present {
		if p["required"] == true {
			return []string{fmt.Sprintf("%s parameter %q is required", in, name)}
		}
		return nil
	}
	schema, _ := p["schema"].(map[string]any)
	if schema == nil {
		return nil
	}
	resolved, _ := sp.resolveRef(schema)
	rm, _ := resolved.(map[string]any)
	instance := coerceParam(value, rm)
	sch, err := sp.schemaAt(ptr + "/schema")
	if err != nil {
		return []string{err.Error()}
	}
	if err := sch.Validate(instance); err != nil {
		return []string{fmt.Sprintf("%s parameter %q: %s", in, name, validationText(err))}
	}
	return nil
}

// coerceParam turns a query or path string into the schema's type.
func coerceParam(v string, schema map[string]any) any {
	typ, _ := schema["type"].(string)
	if types, ok := schema["type"].([]any); ok && len(types) > 0 {
		typ, _ = types[0].(string)
	}
	switch typ {
	case "integer", "number":
		if _, err := strconv.ParseFloat(v, 64); err == nil {
			return jsonNumber(v)
		}
	case "boolean":
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	case "array":
		var out []any
		for _, part := range strings.Split(v, ",") {
			out = append(out, part)
		}
		return out
	}
	return v
}

func validationText(err error) string {
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		var lines []string
		for _, l := range strings.Split(ve.Error(), "\n")[1:] {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, strings.TrimPrefix(l, "- "))
			}
		}
		if len(lines) > 0 {
			return strings.Join(lines, "; ")
		}
	}
	return err.Error()
}

// validate runs the route's GitHub-specific precheck, then the OpenAPI
// request validation.
func (s *Server) validate(c *call) *apiError {
	if c.route.precheck != nil {
		if err := c.route.precheck(c); err != nil {
			var ae *apiError
			if !errors.As(err, &ae) {
				return &apiError{Status: http.StatusInternalServerError, Message: err.Error(), DocumentationURL: docsREST}
			}
			kind := ViolationRule
			if ae.Status == http.StatusBadRequest {
				kind = ViolationSchema
			}
			s.recordViolation(Violation{Kind: kind, Method: c.req.Method, Path: c.req.URL.Path, Message: ruleMessage(ae)})
			return ae
		}
	}
	if s.opts.Spec == nil {
		return nil
	}
	if s.opts.Spec.operation(c.req.Method, c.route.template) == nil {
		s.recordViolation(Violation{Kind: ViolationRoute, Method: c.req.Method, Path: c.req.URL.Path,
			Message: "the fake serves " + c.route.template + " but GitHub's description has no such operation"})
		return errNotFound()
	}
	problems := s.opts.Spec.checkRequest(c.req.Method, c.route.template, c.params, c.query, c.body)
	if len(problems) == 0 {
		return nil
	}
	detail := strings.Join(problems, "\n")
	s.recordViolation(Violation{Kind: ViolationSchema, Method: c.req.Method, Path: c.req.URL.Path, Message: detail})
	return errUnprocessable("Invalid request.\n\n" + detail)
}

// jsonNumber keeps numeric parameters exact, as the validator expects.
func jsonNumber(v string) any { return json.Number(v) }
