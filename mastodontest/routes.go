package mastodontest

import "strings"

func (s *Server) apiRoutes() []route {
	readStatuses := []string{"read:statuses"}
	writeStatuses := []string{"write:statuses"}
	writeMedia := []string{"write:media"}
	h := func(f func(*call) reply) func(*call) reply { return f }
	return []route{
		{method: "POST", pattern: "/api/v1/apps", auth: authNone, h: h((*call).appsCreate)},
		{method: "GET", pattern: "/api/v1/apps/verify_credentials", auth: authAny, h: h((*call).appsVerify)},
		{method: "POST", pattern: "/oauth/token", auth: authNone, h: h((*call).oauthToken)},
		{method: "POST", pattern: "/oauth/revoke", auth: authNone, h: h((*call).oauthRevoke)},
		{method: "POST", pattern: "/api/v1/accounts", auth: authAny, scopes: []string{"write:accounts"}, h: h((*call).accountsCreate)},
		{method: "GET", pattern: "/api/v1/accounts/verify_credentials", auth: authUser, scopes: []string{"read:accounts", "profile"}, h: h((*call).verifyCredentials)},
		{method: "GET", pattern: "/api/v1/accounts/:id", auth: authOptional, h: h((*call).accountShow)},
		{method: "GET", pattern: "/api/v1/accounts/:id/statuses", auth: authOptional, h: h((*call).accountStatuses)},
		{method: "GET", pattern: "/api/v2/instance", auth: authOptional, h: h((*call).instanceV2)},
		{method: "GET", pattern: "/api/v1/instance", auth: authOptional, h: h((*call).instanceV1)},
		{method: "POST", pattern: "/api/v1/statuses", auth: authUser, scopes: writeStatuses, h: h((*call).statusCreate)},
		{method: "GET", pattern: "/api/v1/statuses/:id", auth: authOptional, h: h((*call).statusShow)},
		{method: "PUT", pattern: "/api/v1/statuses/:id", auth: authUser, scopes: writeStatuses, h: h((*call).statusUpdate)},
		{method: "DELETE", pattern: "/api/v1/statuses/:id", auth: authUser, scopes: writeStatuses, family: "delete", h: h((*call).statusDelete)},
		{method: "GET", pattern: "/api/v1/statuses/:id/source", auth: authUser, scopes: readStatuses, h: h((*call).statusSource)},
		{method: "GET", pattern: "/api/v1/statuses/:id/context", auth: authOptional, h: h((*call).statusContext)},
		{method: "GET", pattern: "/api/v1/timelines/home", auth: authUser, scopes: readStatuses, h: h((*call).homeTimeline)},
		{method: "GET", pattern: "/api/v1/notifications", auth: authUser, scopes: []string{"read:notifications"}, h: h((*call).notificationsList)},
		{method: "POST", pattern: "/api/v2/media", auth: authUser, scopes: writeMedia, family: "media", h: h((*call).mediaCreate)},
		{method: "POST", pattern: "/api/v1/media", auth: authUser, scopes: writeMedia, family: "media", h: h((*call).mediaCreate)},
		{method: "GET", pattern: "/api/v1/media/:id", auth: authUser, scopes: writeMedia, h: h((*call).mediaShow)},
		{method: "PUT", pattern: "/api/v1/media/:id", auth: authUser, scopes: writeMedia, h: h((*call).mediaUpdate)},
	}
}

// SetMaxCharacters changes the instance's max_characters, as an instance
// that raised its limit (a common fork patch) answers.
func (s *Server) SetMaxCharacters(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > 0 {
		s.maxChars = n
	}
	s.notify()
}

func (c *call) instanceV2() reply {
	s := c.s
	users := 0
	for range s.accounts {
		users++
	}
	return ok(map[string]any{
		"domain": s.domain, "title": "Mastodon (fake)", "version": "4.3.2", "source_url": "https://github.com/mastodon/mastodon",
		"description": "A fake Mastodon instance for tests.", "usage": map[string]any{"users": map[string]any{"active_month": users}},
		"thumbnail": map[string]any{"url": s.url + "/packs/media/images/preview.png"}, "languages": []string{"en"},
		"configuration": map[string]any{
			"urls":     map[string]any{"streaming": strings.Replace(s.url, "http", "ws", 1)},
			"accounts": map[string]any{"max_featured_tags": 10, "max_pinned_statuses": 5},
			"statuses": map[string]any{"max_characters": s.maxChars, "max_media_attachments": 4,
				"characters_reserved_per_url": URLLength},
			"media_attachments": mediaLimits,
			"polls":             map[string]any{"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2629746},
			"translation":       map[string]any{"enabled": false},
		},
		"registrations": map[string]any{"enabled": true, "approval_required": false, "message": nil},
		"contact":       map[string]any{"email": "admin@" + s.domain, "account": nil},
		"rules":         []any{},
	})
}

func (c *call) instanceV1() reply {
	s := c.s
	return ok(map[string]any{
		"uri": s.domain, "title": "Mastodon (fake)", "short_description": "", "description": "", "email": "admin@" + s.domain,
		"version": "4.3.2", "urls": map[string]any{"streaming_api": strings.Replace(s.url, "http", "ws", 1)},
		"languages": []string{"en"}, "registrations": true, "approval_required": false, "invites_enabled": false,
		"configuration": map[string]any{
			"statuses":          map[string]any{"max_characters": s.maxChars, "max_media_attachments": 4, "characters_reserved_per_url": URLLength},
			"media_attachments": mediaLimits,
		},
	})
}
