package bluesky_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/blueskytest"
)

func pngOf(w, h int, noisy bool) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(x), uint8(y), 120, 255}
			if noisy {
				v := rng.Uint32()
				c = color.RGBA{uint8(v), uint8(v >> 8), uint8(v >> 16), 255}
			}
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

func TestTheLinkCardCarriesTheArticlesImage(t *testing.T) {
	small, big := pngOf(400, 200, false), pngOf(1300, 400, true)
	if len(big) <= blueskytest.ImageMaxBytes {
		t.Fatalf("the big image is only %d bytes", len(big))
	}
	img := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/small.png":
			w.Write(small)
		case "/big.png":
			w.Write(big)
		default:
			http.NotFound(w, r)
		}
	}))
	defer img.Close()
	r := newRig(t, nil)
	for _, tc := range []struct{ id, path string }{{"small", "/small.png"}, {"big", "/big.png"}, {"missing", "/gone.png"}} {
		r.article(tc.id, func(a *herald.Article) { a.ImageURL = img.URL + tc.path })
		r.dispatch()
	}
	recs := r.records()
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3: an image that cannot be had does not stop the post", len(recs))
	}
	thumbs := 0
	for _, rec := range recs {
		v := value(t, rec)
		if len(v.Embed.External.Thumb) == 0 {
			continue
		}
		var ref blueskytest.BlobRef
		if err := json.Unmarshal(v.Embed.External.Thumb, &ref); err != nil {
			t.Fatal(err)
		}
		data, mt, ok := r.fake.Blob(ref.Ref["$link"])
		if ref.Type != "blob" || !ok || len(data) != ref.Size || mt != ref.MimeType || ref.Size > blueskytest.ImageMaxBytes {
			t.Fatalf("thumb %+v (stored %v, %d bytes, %s)", ref, ok, len(data), mt)
		}
		thumbs++
	}
	if thumbs != 2 {
		t.Fatalf("%d cards with a thumb, want 2 (the small image as it is, the big one made smaller)", thumbs)
	}
}
