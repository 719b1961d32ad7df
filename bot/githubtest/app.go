package githubtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
)

// appIdentity is the fake's GitHub App: id, slug, key pair, webhook secret.
type appIdentity struct {
	id            int64
	slug          string
	key           *rsa.PrivateKey
	webhookSecret string
	hookID        int64
}

func newAppIdentity(id int64, slug, secret string) (*appIdentity, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("githubtest: app key: %w", err)
	}
	if secret == "" {
		b := make([]byte, 20)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("githubtest: webhook secret: %w", err)
		}
		secret = hex.EncodeToString(b)
	}
	return &appIdentity{id: id, slug: slug, key: key, webhookSecret: secret, hookID: id*10 + 7}, nil
}

func (a *appIdentity) botLogin() string { return a.slug + "[bot]" }

// AppInfo is what warden's configuration needs to know about the fake App.
type AppInfo struct {
	ID            int64
	Slug          string
	BotLogin      string // e.g. "warden[bot]"
	WebhookSecret string
	HookID        int64
}

// App describes the fake's GitHub App.
func (s *Server) App() AppInfo {
	return AppInfo{ID: s.app.id, Slug: s.app.slug, BotLogin: s.app.botLogin(), WebhookSecret: s.app.webhookSecret, HookID: s.app.hookID}
}

// PrivateKeyPEM is the App's private key in PKCS#1 PEM, as GitHub hands it
// out (WARDEN_PRIVATE_KEY).
func (s *Server) PrivateKeyPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(s.app.key)})
}
