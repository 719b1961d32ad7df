package githubtest

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// token is a minted installation access token.
type token struct {
	value          string
	installationID int64
	repoIDs        map[int64]bool // nil: every repository of the installation
	permissions    map[string]string
	expiresAt      time.Time
}

// authenticate checks the credential the route needs and resolves {owner}/{repo}.
func (s *Server) authenticate(c *call) *apiError {
	authz := c.req.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(authz, " ")
	scheme = strings.ToLower(scheme)
	if authz == "" {
		return errUnauthorized("Requires authentication")
	}
	if c.route.auth == authApp {
		if scheme != "bearer" {
			return errUnauthorized("A JSON web token could not be decoded")
		}
		return s.checkAppJWT(cred)
	}
	if scheme != "token" && scheme != "bearer" {
		return errUnauthorized("Bad credentials")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, e := s.installationTokenLocked(cred)
	if e != nil {
		return e
	}
	c.tok = tok
	if owner, ok := c.params["owner"]; ok {
		repo, e := s.repoForTokenLocked(tok, owner, c.params["repo"])
		if e != nil {
			return e
		}
		c.repo = repo
	}
	if c.route.perm != "" && !hasPermission(tok.permissions, c.route.perm, c.route.level) {
		return errForbidden("Resource not accessible by integration")
	}
	return nil
}

// checkAppJWT applies GitHub's rules for App JWTs: RS256 signed by the App's
// key, integer iat/exp, iss the App id, iat not in the future (beyond the
// leeway), exp in the future and at most 10 minutes after iat.
func (s *Server) checkAppJWT(raw string) *apiError {
	now := s.now()
	claims := jwt.MapClaims{}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	if _, err := parser.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) {
		return &s.app.key.PublicKey, nil
	}); err != nil {
		return errUnauthorized("A JSON web token could not be decoded")
	}
	iat, okIat := intClaim(claims["iat"])
	exp, okExp := intClaim(claims["exp"])
	if !okIat {
		return errUnauthorized("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.")
	}
	if !okExp {
		return errUnauthorized("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.")
	}
	if iss := fmt.Sprint(claims["iss"]); iss != strconv.FormatInt(s.app.id, 10) && iss != fmt.Sprint(float64(s.app.id)) {
		return errUnauthorized("'Issuer' claim ('iss') must be an Integer")
	}
	if time.Unix(iat, 0).After(now.Add(s.opts.JWTLeeway)) {
		return errUnauthorized("'Issued at' claim ('iat') must be an Integer representing a time in the past.")
	}
	if !time.Unix(exp, 0).After(now) {
		return errUnauthorized("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.")
	}
	if exp-iat > 600 || time.Unix(exp, 0).After(now.Add(10*time.Minute+s.opts.JWTLeeway)) {
		return errUnauthorized("'Expiration time' claim ('exp') is too far in the future")
	}
	return nil
}

// intClaim accepts JSON integers only (GitHub rejects fractional times).
func intClaim(v any) (int64, bool) {
	f, ok := v.(float64)
	if !ok || f != float64(int64(f)) {
		return 0, false
	}
	return int64(f), true
}

func (s *Server) installationTokenLocked(value string) (*token, *apiError) {
	tok, ok := s.st.tokens[value]
	if !ok {
		return nil, errUnauthorized("Bad credentials")
	}
	if !s.nowLocked().Before(tok.expiresAt) {
		return nil, errUnauthorized("Bad credentials")
	}
	inst := s.st.installations[tok.installationID]
	if inst == nil || inst.Deleted {
		return nil, errUnauthorized("Bad credentials")
	}
	if inst.Suspended {
		return nil, errForbidden("This installation has been suspended")
	}
	return tok, nil
}

// repoForTokenLocked finds a repository the token may see; GitHub answers 404,
// not 403, for repositories outside a token's scope.
func (s *Server) repoForTokenLocked(tok *token, owner, name string) (*Repository, *apiError) {
	repo := s.st.repos[strings.ToLower(owner+"/"+name)]
	if repo == nil || !s.tokenCoversLocked(tok, repo) {
		return nil, errNotFound()
	}
	return repo, nil
}

func (s *Server) tokenCoversLocked(tok *token, repo *Repository) bool {
	inst := s.st.installations[tok.installationID]
	if inst == nil || !installationCovers(inst, repo) {
		return false
	}
	return tok.repoIDs == nil || tok.repoIDs[repo.ID]
}

func installationCovers(inst *Installation, repo *Repository) bool {
	if !strings.EqualFold(inst.Account, repo.Owner) {
		return false
	}
	if inst.RepositorySelection != "selected" {
		return true
	}
	for _, id := range inst.RepositoryIDs {
		if id == repo.ID {
			return true
		}
	}
	return false
}

var permissionRank = map[string]int{"read": 1, "write": 2, "admin": 3}

func hasPermission(perms map[string]string, perm, level string) bool {
	if perm == "metadata" && len(perms) > 0 {
		return true // every installation token can read metadata
	}
	return permissionRank[perms[perm]] >= permissionRank[level]
}

const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newTokenValue makes a "ghs_" token whose length varies and is never 40,
// so clients that assume the classic format break here first.
func newTokenValue(appID int64) (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(24))
	if err != nil {
		return "", fmt.Errorf("githubtest: token: %w", err)
	}
	length := 44 + int(n.Int64())
	var b strings.Builder
	b.WriteString("ghs_" + strconv.FormatInt(appID, 10) + "_")
	for b.Len() < length {
		i, err := rand.Int(rand.Reader, big.NewInt(int64(len(tokenAlphabet))))
		if err != nil {
			return "", fmt.Errorf("githubtest: token: %w", err)
		}
		b.WriteByte(tokenAlphabet[i.Int64()])
	}
	return b.String(), nil
}

// tokenAllowsGit reports whether value is a currently valid installation
// token that may read the repository "owner/name" (contents:read).
func (s *Server) tokenAllowsGit(value, fullName string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, e := s.installationTokenLocked(value)
	if e != nil {
		return false
	}
	owner, name, _ := strings.Cut(fullName, "/")
	if _, e := s.repoForTokenLocked(tok, owner, name); e != nil {
		return false
	}
	return hasPermission(tok.permissions, "contents", "read")
}
