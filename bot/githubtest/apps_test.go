package githubtest

import (
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// An App confirms installation events with GET /app/installations/{id}:
// the fake answers it like GitHub, with suspended_at while suspended and
// 404 once uninstalled.
func TestGetInstallationShowsSuspensionAndDeletion(t *testing.T) {
	s, w := newWorld(t, WorldSpec{})
	get := func() (int, map[string]any) {
		now := time.Now()
		bearer := appJWT(t, s.app.key, jwt.MapClaims{"iat": now.Add(-30 * time.Second).Unix(), "exp": now.Add(time.Minute).Unix(), "iss": strconv.FormatInt(s.app.id, 10)})
		return appCall(t, s, bearer, "GET", "/app/installations/"+strconv.FormatInt(w.Installation.ID, 10))
	}
	if code, body := get(); code != 200 || body["suspended_at"] != nil {
		t.Fatalf("active installation: %d suspended_at=%v", code, body["suspended_at"])
	}
	s.SuspendInstallation(w.Installation.ID, true)
	if code, body := get(); code != 200 || body["suspended_at"] == nil || body["suspended_by"] == nil {
		t.Fatalf("suspended installation: %d suspended_at=%v", code, body["suspended_at"])
	}
	s.SuspendInstallation(w.Installation.ID, false)
	if _, body := get(); body["suspended_at"] != nil {
		t.Fatalf("unsuspended installation: suspended_at=%v", body["suspended_at"])
	}
	s.DeleteInstallation(w.Installation.ID)
	if code, _ := get(); code != 404 {
		t.Fatalf("deleted installation: %d, want 404", code)
	}
	if v := s.Violations(); len(v) > 0 {
		t.Errorf("violations: %+v", v)
	}
}
