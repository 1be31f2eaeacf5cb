package bot

import (
	"fmt"
	"strconv"
	"strings"
)

// Callback data of editors' buttons, versioned so that a future format can
// tell old buttons apart: "h1:<view>:<op>:<id>:<rev>:<offset>:<channel>".
// view is the message the button sits on (q queue, u unknown, f failed,
// c channels); op the action; id the post (or channel) it acts on; rev the
// post's revision when the button was drawn, so that a press on a post that
// changed since is refused as stale; offset and channel redraw the page.
// Telegram allows 64 bytes; the longest of these is under 50.
const callbackVersion = "h1"

// Button operations.
const (
	opPage       = "pg" // redraw the view
	opPostNow    = "n"
	opCancel     = "c"
	opMenu       = "r"  // open the reschedule menu
	opPlus1h     = "r1" // reschedule +1 hour
	opPlus3h     = "r3"
	opNextSlot   = "rn"
	opTypeTime   = "rt" // ask for a typed time
	opWasSent    = "ok" // settle unknown: it went out
	opSendAgain  = "sa" // settle unknown: send again
	opRetry      = "re" // retry a failed post
	opPauseChan  = "pz"
	opResumeChan = "rz"
)

// Views: the messages buttons sit on.
const (
	viewQueue    = "q"
	viewUnknown  = "u"
	viewFailed   = "f"
	viewChannels = "c"
)

// press is a decoded button.
type press struct {
	view, op string
	id, rev  int64
	offset   int
	channel  int64
}

func (p press) data() string {
	return strings.Join([]string{callbackVersion, p.view, p.op, strconv.FormatInt(p.id, 10),
		strconv.FormatInt(p.rev, 10), strconv.Itoa(p.offset), strconv.FormatInt(p.channel, 10)}, ":")
}

// with returns p acting with op on post id at rev.
func (p press) with(op string, id, rev int64) press {
	p.op, p.id, p.rev = op, id, rev
	return p
}

// parsePress decodes callback data; anything else (an old format, a forged
// button) is an error.
func parsePress(data string) (press, error) {
	f := strings.Split(data, ":")
	if len(f) != 7 || f[0] != callbackVersion {
		return press{}, fmt.Errorf("unknown button %q", data)
	}
	var p press
	var err error
	p.view, p.op = f[1], f[2]
	nums := []*int64{&p.id, &p.rev, nil, &p.channel}
	for i, s := range []string{f[3], f[4], f[5], f[6]} {
		if i == 2 {
			if p.offset, err = strconv.Atoi(s); err != nil || p.offset < 0 {
				return press{}, fmt.Errorf("bad button %q", data)
			}
			continue
		}
		if *nums[i], err = strconv.ParseInt(s, 10, 64); err != nil {
			return press{}, fmt.Errorf("bad button %q", data)
		}
	}
	switch p.view {
	case viewQueue, viewUnknown, viewFailed, viewChannels, viewApproval, viewEdit:
	default:
		return press{}, fmt.Errorf("bad button view %q", data)
	}
	return p, nil
}
