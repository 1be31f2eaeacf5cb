package blueskytest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// claims are what the fake reads back from a bearer JWT.
type claims struct {
	did   string
	scope string
	jti   string
}

var b64 = base64.RawURLEncoding

// sign makes an HS256 JWT, as the reference PDS does for its sessions.
func (s *Server) sign(typ string, payload map[string]any) string {
	h, _ := json.Marshal(map[string]string{"typ": typ, "alg": "HS256"})
	p, _ := json.Marshal(payload)
	msg := b64.EncodeToString(h) + "." + b64.EncodeToString(p)
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(msg))
	return msg + "." + b64.EncodeToString(mac.Sum(nil))
}

// auth checks the call's bearer JWT: signed by this server, not expired,
// of the scope wanted ("" takes an access or app-password session).
func (s *Server) auth(c *call, scope string) (claims, *xrpcError) {
	h := c.r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return claims{}, authRequired("AuthMissing", "Authentication Required")
	}
	parts := strings.Split(strings.TrimSpace(tok), ".")
	if len(parts) != 3 {
		return claims{}, invalidRequest("InvalidToken", "Token could not be verified")
	}
	mac := hmac.New(sha256.New, s.secret)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := b64.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return claims{}, invalidRequest("InvalidToken", "Token could not be verified")
	}
	raw, err := b64.DecodeString(parts[1])
	var p struct {
		Scope string `json:"scope"`
		Sub   string `json:"sub"`
		Jti   string `json:"jti"`
		Exp   int64  `json:"exp"`
	}
	if err != nil || json.Unmarshal(raw, &p) != nil {
		return claims{}, invalidRequest("InvalidToken", "Malformed token")
	}
	// exp is on the client's clock (see clock.client).
	if p.Exp <= s.clock.base().Unix() {
		return claims{}, invalidRequest("ExpiredToken", "Token has expired")
	}
	switch {
	case scope == "" && (p.Scope == "com.atproto.access" || p.Scope == "com.atproto.appPass"):
	case scope != "" && p.Scope == scope:
	default:
		return claims{}, invalidRequest("InvalidToken", "Bad token scope")
	}
	return claims{did: p.Sub, scope: p.Scope, jti: p.Jti}, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b
}
