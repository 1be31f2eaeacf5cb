package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// reviewsDB returns a database with an article and reviews by readers
// 7001 (a formula-like comment), 7002 (a rating) and 7003 (HTML).
func reviewsDB(t *testing.T) (string, int64) {
	t.Helper()
	ctx := context.Background()
	path := newDB(t)
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &herald.Article{Source: "file", ExternalID: "https://example.org/a/1", Kind: herald.KindCommentary,
		Language: herald.LangEnglish, Title: "A question", Lead: "The lead.", Body: "One.\n\nTwo.",
		Program: "Difficult Question", URL: "https://example.org/a/1"}
	if _, err := st.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*herald.Review{
		{UserID: 7001, UserName: "Leyla Məmmədova", Rating: 5, Text: "=HYPERLINK(\"http://evil\")", Source: herald.ReviewDM},
		{UserID: 7002, UserName: "Anar", Rating: 3, Source: herald.ReviewDM},
		{UserID: 7003, UserName: "@eve", Text: "<b>x</b> & \"quoted\",\nnext line", Source: herald.ReviewComment},
	} {
		r.ArticleID, r.Status = a.ID, herald.ReviewPending
		if _, err := st.SaveReview(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return path, a.ID
}

func TestReviewsJSONHasExactlyTheDocumentedFields(t *testing.T) {
	db, articleID := reviewsDB(t)
	r := mustRun(t, nil, "reviews", "--db", db, "--json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 3 {
		t.Fatalf("%d rows, %v:\n%s", len(rows), err, r.stdout)
	}
	want := []string{"article_id", "created_at", "id", "rating", "source", "status", "text", "updated_at", "user_id", "user_name"}
	for _, row := range rows {
		var keys []string
		for k := range row {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, want) {
			t.Errorf("fields %v, want %v", keys, want)
		}
	}
	first := rows[0]
	if first["user_id"] != float64(7001) || first["user_name"] != "Leyla Məmmədova" || first["rating"] != float64(5) ||
		first["article_id"] != float64(articleID) || first["source"] != "dm" || first["status"] != "pending" ||
		first["text"] != "=HYPERLINK(\"http://evil\")" {
		t.Errorf("first row %v", first)
	}

	tests := []struct {
		name  string
		args  []string
		users []float64
	}{
		{"by article", []string{"--article", "999"}, nil},
		{"by status", []string{"--status", "approved"}, nil},
		{"since a date", []string{"--since", "2000-01-01"}, []float64{7001, 7002, 7003}},
		{"since the future", []string{"--since", "2999-01-01"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRun(t, nil, append([]string{"reviews", "--db", db, "--json"}, tt.args...)...)
			var rows []map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
				t.Fatalf("%v:\n%s", err, r.stdout)
			}
			var users []float64
			for _, row := range rows {
				users = append(users, row["user_id"].(float64))
			}
			if !slices.Equal(users, tt.users) {
				t.Errorf("users %v, want %v", users, tt.users)
			}
		})
	}
}

func TestReviewsCSVOpensCleanlyInASpreadsheet(t *testing.T) {
	db, _ := reviewsDB(t)
	r := mustRun(t, nil, "reviews", "--db", db, "--csv")
	if !strings.HasPrefix(r.stdout, "\ufeff") {
		t.Fatalf("no byte order mark: %q", r.stdout[:min(20, len(r.stdout))])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.stdout, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows, %v:\n%s", len(rows), err, r.stdout)
	}
	if got := strings.Join(rows[0], ","); got != "id,article_id,user_id,user_name,rating,text,source,status,created_at,updated_at" {
		t.Errorf("header %q", got)
	}
	if rows[1][5] != "'=HYPERLINK(\"http://evil\")" {
		t.Errorf("a formula was not defused: %q", rows[1][5])
	}
	if rows[1][3] != "Leyla Məmmədova" || rows[3][5] != "<b>x</b> & \"quoted\",\nnext line" {
		t.Errorf("text did not survive: %q %q", rows[1][3], rows[3][5])
	}
	if bad := runHerald(t, nil, "reviews", "--db", db, "--csv", "--json"); bad.code != exitUsage {
		t.Errorf("--csv with --json: %v", bad)
	}
}

func TestReviewsPurgeDeletesOneReadersReviews(t *testing.T) {
	db, _ := reviewsDB(t)
	r := mustRun(t, nil, "reviews", "purge", "--db", db, "--user", "7001")
	if !strings.Contains(r.stdout, "deleted 1 reviews of user 7001") {
		t.Errorf("purge said %q", r.stdout)
	}
	out := mustRun(t, nil, "reviews", "--db", db, "--json")
	if strings.Contains(out.stdout, "7001") || !strings.Contains(out.stdout, "7002") {
		t.Errorf("after the purge:\n%s", out.stdout)
	}
	audit := mustRun(t, nil, "audit", "--db", db)
	if !strings.Contains(audit.stdout, "purge_reader") {
		t.Errorf("the purge was not audited:\n%s", audit.stdout)
	}
	if bad := runHerald(t, nil, "reviews", "purge", "--db", db); bad.code != exitUsage || !strings.Contains(bad.stderr, "--user") {
		t.Errorf("purge without --user: %v", bad)
	}
}
