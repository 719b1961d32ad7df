package githubtest

import (
	"encoding/json"
	"net/http"
)

// Documentation URLs GitHub puts in error bodies; go-github keys some of its
// error types on their suffix, so they must match GitHub's.
const (
	docsREST               = "https://docs.github.com/rest"
	docsPrimaryRateLimit   = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-rate-limits"
	docsSecondaryRateLimit = "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)

// FieldError is one entry of the "errors" array of a GitHub error body.
type FieldError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code,omitempty"`
	Message  string `json:"message,omitempty"`
}

// apiError is an error response in GitHub's shape.
type apiError struct {
	Status  int    `json:"-"`
	Message string `json:"message"`
	// Errors holds FieldError values or plain strings; GitHub uses both.
	Errors           []any       `json:"errors,omitempty"`
	DocumentationURL string      `json:"documentation_url"`
	Header           http.Header `json:"-"`
}

func (e *apiError) Error() string { return e.Message }

func errNotFound() *apiError {
	return &apiError{Status: http.StatusNotFound, Message: "Not Found", DocumentationURL: docsREST}
}

func errUnauthorized(msg string) *apiError {
	return &apiError{Status: http.StatusUnauthorized, Message: msg, DocumentationURL: docsREST}
}

func errForbidden(msg string) *apiError {
	return &apiError{Status: http.StatusForbidden, Message: msg, DocumentationURL: docsREST}
}

// errValidation is GitHub's 422 "Validation Failed" with field errors.
func errValidation(errs ...FieldError) *apiError {
	e := &apiError{Status: http.StatusUnprocessableEntity, Message: "Validation Failed", DocumentationURL: docsREST}
	for _, fe := range errs {
		e.Errors = append(e.Errors, fe)
	}
	return e
}

// errUnprocessableList is GitHub's "Unprocessable Entity" whose errors are
// sentences joined Rails-style into one string ("a, b, and c").
func errUnprocessableList(docs string, msgs ...string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Message: "Unprocessable Entity", Errors: []any{joinSentence(msgs)}, DocumentationURL: docs}
}

func joinSentence(msgs []string) string {
	switch len(msgs) {
	case 0:
		return ""
	case 1:
		return msgs[0]
	case 2:
		return msgs[0] + " and " + msgs[1]
	}
	out := ""
	for i, m := range msgs[:len(msgs)-1] {
		if i > 0 {
			out += ", "
		}
		out += m
	}
	return out + ", and " + msgs[len(msgs)-1]
}

// errUnprocessable is a 422 whose message is the whole story.
func errUnprocessable(msg string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Message: msg, DocumentationURL: docsREST}
}

func errBadRequest(msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Message: msg, DocumentationURL: docsREST}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if v == nil {
		return
	}
	_ = json.NewEncoder(w).Encode(v)
}

func writeAPIError(w http.ResponseWriter, e *apiError) {
	for k, vs := range e.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	writeJSON(w, e.Status, e)
}
