package mastodontest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

func pageLimit(p params, def, max int) int {
	n, err := strconv.Atoi(p.get("limit"))
	if err != nil || n <= 0 {
		return def
	}
	return min(n, max)
}

// paginate takes newest-first items and applies max_id, since_id and min_id
// as Mastodon does: min_id gives the items just after it, oldest of them
// first cut to limit, answered newest first.
func paginate[T any](list []T, p params, limit int, id func(T) string) []T {
	cmp := func(a, b string) int {
		x, _ := strconv.ParseInt(a, 10, 64)
		y, _ := strconv.ParseInt(b, 10, 64)
		return int(sign(x - y))
	}
	var kept []T
	for _, it := range list {
		i := id(it)
		if v := p.get("max_id"); v != "" && cmp(i, v) >= 0 {
			continue
		}
		if v := p.get("since_id"); v != "" && cmp(i, v) <= 0 {
			continue
		}
		if v := p.get("min_id"); v != "" && cmp(i, v) <= 0 {
			continue
		}
		kept = append(kept, it)
	}
	if p.get("min_id") != "" && len(kept) > limit {
		return kept[len(kept)-limit:]
	}
	if len(kept) > limit {
		kept = kept[:limit]
	}
	return kept
}

func sign(x int64) int64 {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

func ids[T any](page []T, id func(T) string) []string {
	out := make([]string, len(page))
	for i, it := range page {
		out[i] = id(it)
	}
	return out
}

// linkHeader is Mastodon's pagination Link: next goes to older items
// (max_id), prev to newer ones (min_id).
func linkHeader(base string, p params, page []string) http.Header {
	if len(page) == 0 {
		return nil
	}
	keep := []string{}
	for _, k := range []string{"types[]", "exclude_types[]", "limit"} {
		for _, v := range p[k] {
			keep = append(keep, k+"="+v)
		}
	}
	q := strings.Join(keep, "&")
	if q != "" {
		q += "&"
	}
	h := http.Header{}
	h.Set("Link", fmt.Sprintf(`<%s?%smax_id=%s>; rel="next", <%s?%smin_id=%s>; rel="prev"`,
		base, q, page[len(page)-1], base, q, page[0]))
	return h
}
