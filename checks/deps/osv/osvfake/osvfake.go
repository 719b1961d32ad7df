// Package osvfake is an OSV API server for tests and benchmarks: it serves
// records from a local export over loopback HTTP, counts requests, and can
// be told to fail.
package osvfake

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wardenbot/warden/checks/deps/osv"
)

// Server is a running fake. Close it when done.
type Server struct {
	*httptest.Server
	db *osv.LocalDB

	// BatchRequests and VulnRequests count requests served (including failures).
	BatchRequests, VulnRequests atomic.Int64
	// PageSize, when > 0, returns at most that many ids per query and a
	// next_page_token for the rest, as the real API does for long lists.
	PageSize int

	mu       sync.Mutex
	failures []int // status codes to answer with, in order, before serving
}

// New starts a fake serving every record of db (withdrawn ones too, for
// GET /v1/vulns/{id}).
func New(db *osv.LocalDB) *Server {
	s := &Server{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/querybatch", s.queryBatch)
	mux.HandleFunc("GET /v1/vulns/{id}", s.vuln)
	s.Server = httptest.NewServer(mux)
	return s
}

// FailNext makes the next len(codes) requests answer with those statuses.
func (s *Server) FailNext(codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, codes...)
}

func (s *Server) injectedFailure(w http.ResponseWriter) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) == 0 {
		return false
	}
	code := s.failures[0]
	s.failures = s.failures[1:]
	if code == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "0")
	}
	http.Error(w, http.StatusText(code), code)
	return true
}

type query struct {
	Package   osv.Package `json:"package"`
	Version   string      `json:"version"`
	PageToken string      `json:"page_token"`
}

type result struct {
	Vulns         []idOnly `json:"vulns,omitempty"`
	NextPageToken string   `json:"next_page_token,omitempty"`
}

type idOnly struct {
	ID       string `json:"id"`
	Modified string `json:"modified,omitempty"`
}

func (s *Server) queryBatch(w http.ResponseWriter, r *http.Request) {
	s.BatchRequests.Add(1)
	if s.injectedFailure(w) {
		return
	}
	var req struct {
		Queries []query `json:"queries"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 32<<20)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if len(req.Queries) > 1000 {
		http.Error(w, "too many queries", http.StatusBadRequest)
		return
	}
	keys := make([]osv.PackageKey, len(req.Queries))
	for i, q := range req.Queries {
		keys[i] = osv.PackageKey{Ecosystem: q.Package.Ecosystem, Name: q.Package.Name, Version: q.Version}
	}
	hits, err := s.db.Query(context.Background(), keys)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out := struct {
		Results []result `json:"results"`
	}{Results: make([]result, len(keys))}
	for i, k := range keys {
		var ids []idOnly
		for _, v := range hits[k] {
			ids = append(ids, idOnly{ID: v.ID, Modified: v.Modified})
		}
		start := 0
		if t := req.Queries[i].PageToken; strings.HasPrefix(t, "p") {
			start, _ = strconv.Atoi(t[1:])
		}
		if start > len(ids) {
			start = len(ids)
		}
		ids = ids[start:]
		if s.PageSize > 0 && len(ids) > s.PageSize {
			out.Results[i].NextPageToken = "p" + strconv.Itoa(start+s.PageSize)
			ids = ids[:s.PageSize]
		}
		out.Results[i].Vulns = ids
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func (s *Server) vuln(w http.ResponseWriter, r *http.Request) {
	s.VulnRequests.Add(1)
	if s.injectedFailure(w) {
		return
	}
	v, ok := s.db.Vuln(r.PathValue("id"))
	if !ok {
		http.Error(w, `{"code":5,"message":"Bug not found."}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
