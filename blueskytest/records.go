package blueskytest

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Record is a record in a repo, as getRecord answers it, with the moment
// the fake indexed it.
type Record struct {
	URI       string          `json:"uri"`
	CID       string          `json:"cid"`
	Value     json.RawMessage `json:"value"`
	IndexedAt time.Time       `json:"indexedAt"`
}

type repo struct {
	did  string
	rev  string
	coll map[string]map[string]*Record // collection -> rkey -> record
}

func newRepo(did string) *repo { return &repo{did: did, coll: map[string]map[string]*Record{}} }

var (
	tidRE  = regexp.MustCompile(`^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$`)
	rkeyRE = regexp.MustCompile(`^[A-Za-z0-9._:~-]{1,512}$`)
	nsidRE = regexp.MustCompile(`^[a-zA-Z]([a-zA-Z0-9-]{0,62})?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})?)+\.[a-zA-Z]([a-zA-Z0-9]{0,62})?$`)
)

const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// tidLocked makes a TID for the fake's clock: microseconds since the epoch
// and a clock id, base32-sortable.
func (s *Server) tidLocked() string {
	s.seq++
	// Never the same twice, even when the clock stands still (a test's).
	us := max(s.clock.now().UnixMicro(), s.lastTID+1)
	s.lastTID = us
	v := uint64(us)<<10 | uint64(s.seq&0x3ff)
	b := make([]byte, 13)
	for i := 12; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b)
}

var cidEnc = base32.StdEncoding.WithPadding(base32.NoPadding)

// cidFor is a CIDv1 (base32, sha2-256) of b with the multicodec given:
// 0x71 dag-cbor for records, 0x55 raw for blobs. The fake hashes a record's
// JSON rather than its DAG-CBOR, so its CIDs have the real shape but not the
// real value.
func cidFor(codec byte, b []byte) string {
	sum := sha256.Sum256(b)
	raw := append([]byte{0x01, codec, 0x12, 0x20}, sum[:]...)
	return "b" + strings.ToLower(cidEnc.EncodeToString(raw))
}

// checkRkey validates a record key for collection: any record key, and a TID
// for collections whose records are keyed by TID (app.bsky.feed.post).
func checkRkey(collection, rkey string) *xrpcError {
	if !rkeyRE.MatchString(rkey) || rkey == "." || rkey == ".." {
		return invalidRequest("", "Invalid record key: %s", rkey)
	}
	if tidKeyed[collection] && !tidRE.MatchString(rkey) {
		return invalidRequest("", "Invalid %s record: Record key %s is not a valid TID", collection, rkey)
	}
	return nil
}

var tidKeyed = map[string]bool{"app.bsky.feed.post": true, "app.bsky.feed.like": true, "app.bsky.feed.repost": true, "app.bsky.graph.follow": true}

// writeInput is createRecord's and putRecord's input.
type writeInput struct {
	Repo       string          `json:"repo"`
	Collection string          `json:"collection"`
	Rkey       string          `json:"rkey"`
	Validate   *bool           `json:"validate"`
	Record     json.RawMessage `json:"record"`
	SwapCommit string          `json:"swapCommit"`
	SwapRecord *string         `json:"swapRecord"`
}

// prepareWrite checks the caller, the collection, the key and the record,
// and returns the writer's account and the record's JSON with its $type.
func (s *Server) prepareWrite(c *call, in *writeInput) (*account, []byte, *xrpcError) {
	cl, e := s.auth(c, "")
	if e != nil {
		return nil, nil, e
	}
	if in.Repo == "" || in.Collection == "" || len(in.Record) == 0 {
		return nil, nil, invalidRequest("", `Input must have the properties "repo", "collection" and "record"`)
	}
	if !nsidRE.MatchString(in.Collection) {
		return nil, nil, invalidRequest("", "Input/collection must be a valid nsid")
	}
	s.mu.Lock()
	a := s.findLocked(in.Repo)
	s.mu.Unlock()
	if a == nil {
		return nil, nil, invalidRequest("", "Could not find repo: %s", in.Repo)
	}
	if a.DID != cl.did {
		return nil, nil, authRequired("", "")
	}
	var rec map[string]any
	if err := json.Unmarshal(in.Record, &rec); err != nil || rec == nil {
		return nil, nil, invalidRequest("", "Input/record must be an object")
	}
	switch t := rec["$type"].(type) {
	case nil:
		rec["$type"] = in.Collection
	case string:
		if t != in.Collection {
			return nil, nil, invalidRequest("", "Invalid $type: expected %s, got %s", in.Collection, t)
		}
	default:
		return nil, nil, invalidRequest("", "Invalid $type: expected %s", in.Collection)
	}
	if in.Validate == nil || *in.Validate {
		if in.Collection == "app.bsky.feed.post" {
			if e := s.validatePost(a.DID, rec); e != nil {
				return nil, nil, e
			}
		}
	}
	b, _ := json.Marshal(rec)
	return a, b, nil
}

func (s *Server) createRecord(c *call) (any, *xrpcError) {
	var in writeInput
	if e := c.decode(&in); e != nil {
		return nil, e
	}
	if in.Rkey != "" {
		if e := checkRkey(in.Collection, in.Rkey); e != nil {
			return nil, e
		}
	}
	a, b, e := s.prepareWrite(c, &in)
	if e != nil {
		return nil, e
	}
	if e := s.consume(c, "write", a.DID, CreatePoints, writeHour, writeDay); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[a.DID]
	if in.SwapCommit != "" && in.SwapCommit != rp.commitCID() {
		return nil, invalidRequest("InvalidSwap", "Commit was at %s", rp.commitCID())
	}
	rkey := in.Rkey
	if rkey == "" {
		rkey = s.tidLocked()
	}
	if rp.coll[in.Collection][rkey] != nil {
		// The reference PDS's repo refuses a second value at a key with a
		// plain error, which its XRPC server answers as a bare 500.
		return nil, internalError()
	}
	r := s.putLocked(rp, in.Collection, rkey, b)
	return map[string]any{"uri": r.URI, "cid": r.CID, "commit": map[string]string{"cid": rp.commitCID(), "rev": rp.rev}, "validationStatus": "valid"}, nil
}

func (s *Server) putRecord(c *call) (any, *xrpcError) {
	var in writeInput
	if e := c.decode(&in); e != nil {
		return nil, e
	}
	if in.Rkey == "" {
		return nil, invalidRequest("", `Input must have the property "rkey"`)
	}
	if e := checkRkey(in.Collection, in.Rkey); e != nil {
		return nil, e
	}
	a, b, e := s.prepareWrite(c, &in)
	if e != nil {
		return nil, e
	}
	if e := s.consume(c, "write", a.DID, UpdatePoints, writeHour, writeDay); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[a.DID]
	old := rp.coll[in.Collection][in.Rkey]
	if in.SwapRecord != nil {
		if (old == nil && *in.SwapRecord != "") || (old != nil && old.CID != *in.SwapRecord) {
			return nil, invalidRequest("InvalidSwap", "Record was at %s", cidOrNull(old))
		}
	}
	r := s.putLocked(rp, in.Collection, in.Rkey, b)
	return map[string]any{"uri": r.URI, "cid": r.CID, "commit": map[string]string{"cid": rp.commitCID(), "rev": rp.rev}, "validationStatus": "valid"}, nil
}

func cidOrNull(r *Record) string {
	if r == nil {
		return "null"
	}
	return r.CID
}

// putLocked stores a record and indexes it for the AppView.
func (s *Server) putLocked(rp *repo, collection, rkey string, b []byte) *Record {
	if rp.coll[collection] == nil {
		rp.coll[collection] = map[string]*Record{}
	}
	r := &Record{URI: "at://" + rp.did + "/" + collection + "/" + rkey, CID: cidFor(0x71, b), Value: b, IndexedAt: s.clock.now()}
	rp.coll[collection][rkey] = r
	rp.rev = s.tidLocked()
	if collection == "app.bsky.feed.post" {
		s.notifyLocked(rp.did, r)
	}
	s.touchLocked()
	return r
}

func (rp *repo) commitCID() string { return cidFor(0x71, []byte(rp.did+"@"+rp.rev)) }

func (s *Server) deleteRecord(c *call) (any, *xrpcError) {
	var in struct {
		Repo       string  `json:"repo"`
		Collection string  `json:"collection"`
		Rkey       string  `json:"rkey"`
		SwapRecord *string `json:"swapRecord"`
	}
	if e := c.decode(&in); e != nil {
		return nil, e
	}
	cl, e := s.auth(c, "")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	a := s.findLocked(in.Repo)
	s.mu.Unlock()
	if a == nil {
		return nil, invalidRequest("", "Could not find repo: %s", in.Repo)
	}
	if a.DID != cl.did {
		return nil, authRequired("", "")
	}
	if e := s.consume(c, "write", a.DID, DeletePoints, writeHour, writeDay); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[a.DID]
	old := rp.coll[in.Collection][in.Rkey]
	if old == nil {
		return map[string]any{}, nil // no-op when the record is not there, as the PDS does
	}
	if in.SwapRecord != nil && *in.SwapRecord != old.CID {
		return nil, invalidRequest("InvalidSwap", "Record was at %s", old.CID)
	}
	delete(rp.coll[in.Collection], in.Rkey)
	rp.rev = s.tidLocked()
	s.dropNotesLocked(old.URI)
	s.touchLocked()
	return map[string]any{"commit": map[string]string{"cid": rp.commitCID(), "rev": rp.rev}}, nil
}

// getRecord needs no authentication, as on a real PDS.
func (s *Server) getRecord(c *call) (any, *xrpcError) {
	repoID, coll, rkey := c.param("repo"), c.param("collection"), c.param("rkey")
	if repoID == "" || coll == "" || rkey == "" {
		return nil, invalidRequest("", "Params must have the properties \"repo\", \"collection\" and \"rkey\"")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(repoID)
	if a == nil {
		return nil, invalidRequest("", "Could not find repo: %s", repoID)
	}
	uri := "at://" + a.DID + "/" + coll + "/" + rkey
	r := s.repos[a.DID].coll[coll][rkey]
	if r == nil || (c.param("cid") != "" && c.param("cid") != r.CID) {
		return nil, invalidRequest("RecordNotFound", "Could not locate record: %s", uri)
	}
	return map[string]any{"uri": r.URI, "cid": r.CID, "value": r.Value}, nil
}

// listRecords needs no authentication; newest key first unless reverse.
func (s *Server) listRecords(c *call) (any, *xrpcError) {
	repoID, coll := c.param("repo"), c.param("collection")
	if repoID == "" || coll == "" {
		return nil, invalidRequest("", "Params must have the properties \"repo\" and \"collection\"")
	}
	lim, e := limitParam(c, 50, 100)
	if e != nil {
		return nil, e
	}
	reverse := c.param("reverse") == "true"
	cursor := c.param("cursor")
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(repoID)
	if a == nil {
		return nil, invalidRequest("", "Could not find repo: %s", repoID)
	}
	m := s.repos[a.DID].coll[coll]
	keys := make([]string, 0, len(m))
	for k := range m {
		if cursor == "" || (!reverse && k < cursor) || (reverse && k > cursor) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if !reverse {
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
	}
	out := map[string]any{}
	recs := []map[string]any{}
	for _, k := range keys {
		if len(recs) == lim {
			break
		}
		r := m[k]
		recs = append(recs, map[string]any{"uri": r.URI, "cid": r.CID, "value": r.Value})
		out["cursor"] = k
	}
	if len(recs) < lim {
		delete(out, "cursor")
	}
	out["records"] = recs
	return out, nil
}

func limitParam(c *call, def, most int) (int, *xrpcError) {
	v := c.param("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, invalidRequest("", "limit must be an integer from 1 to %d", most)
	}
	return n, nil
}

func (s *Server) describeRepo(c *call) (any, *xrpcError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(c.param("repo"))
	if a == nil {
		return nil, invalidRequest("", "Could not find user: %s", c.param("repo"))
	}
	colls := []string{}
	for k := range s.repos[a.DID].coll {
		colls = append(colls, k)
	}
	sort.Strings(colls)
	return map[string]any{"handle": a.Handle, "did": a.DID, "collections": colls, "handleIsCorrect": true,
		"didDoc": map[string]any{"id": a.DID}}, nil
}

func (s *Server) resolveHandle(c *call) (any, *xrpcError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(c.param("handle"))
	if a == nil || strings.HasPrefix(c.param("handle"), "did:") {
		return nil, invalidRequest("", "Unable to resolve handle")
	}
	return map[string]string{"did": a.DID}, nil
}

// Records returns the records of a repo's collection (by handle or DID),
// oldest key first.
func (s *Server) Records(repoID, collection string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(repoID)
	if a == nil {
		return nil
	}
	m := s.repos[a.DID].coll[collection]
	out := make([]Record, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URI < out[j].URI })
	return out
}

// parseURI splits at://authority/collection/rkey.
func parseURI(uri string) (authority, collection, rkey string, err error) {
	rest, ok := strings.CutPrefix(uri, "at://")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", fmt.Errorf("invalid at-uri %q", uri)
	}
	return parts[0], parts[1], parts[2], nil
}
