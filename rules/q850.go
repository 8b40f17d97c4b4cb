package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sipdiag/sipdiag/decode"
)

// q850Causes names the ITU-T Q.850 cause values (Table 1/Q.850) that SIP
// gateways put in a Reason header (RFC 3326: `Reason: Q.850;cause=17`) or
// that CUBE logs as the disconnect cause. Only the values in use are
// listed; the rest are printed as their number.
var q850Causes = map[int]string{
	1:   "unallocated (unassigned) number",
	2:   "no route to specified transit network",
	3:   "no route to destination",
	6:   "channel unacceptable",
	16:  "normal call clearing",
	17:  "user busy",
	18:  "no user responding",
	19:  "no answer from user (user alerted)",
	20:  "subscriber absent",
	21:  "call rejected",
	22:  "number changed",
	25:  "exchange routing error",
	26:  "non-selected user clearing",
	27:  "destination out of order",
	28:  "invalid number format (address incomplete)",
	29:  "facility rejected",
	31:  "normal, unspecified",
	34:  "no circuit/channel available",
	38:  "network out of order",
	41:  "temporary failure",
	42:  "switching equipment congestion",
	43:  "access information discarded",
	44:  "requested circuit/channel not available",
	47:  "resource unavailable, unspecified",
	49:  "quality of service not available",
	50:  "requested facility not subscribed",
	55:  "incoming calls barred within the CUG",
	57:  "bearer capability not authorized",
	58:  "bearer capability not presently available",
	63:  "service or option not available, unspecified",
	65:  "bearer capability not implemented",
	66:  "channel type not implemented",
	69:  "requested facility not implemented",
	70:  "only restricted digital information bearer capability is available",
	79:  "service or option not implemented, unspecified",
	81:  "invalid call reference value",
	87:  "user not member of CUG",
	88:  "incompatible destination",
	91:  "invalid transit network selection",
	95:  "invalid message, unspecified",
	96:  "mandatory information element is missing",
	97:  "message type non-existent or not implemented",
	98:  "message not compatible with call state or message type non-existent or not implemented",
	99:  "information element/parameter non-existent or not implemented",
	100: "invalid information element contents",
	101: "message not compatible with call state",
	102: "recovery on timer expiry",
	103: "parameter non-existent or not implemented, passed on",
	110: "message with unrecognized parameter, discarded",
	111: "protocol error, unspecified",
	127: "interworking, unspecified",
}

// q850Hints says what the common causes usually mean in a SIP trunk
// ticket (the Q.850 names alone are telephony jargon).
var q850Hints = map[int]string{
	1:   "the number does not exist at the far end: check the dialled digits and the number format (E.164 with +, national prefixes)",
	3:   "the far end has no route for this number: check its routing for the called prefix",
	17:  "the called party is busy",
	18:  "the called party's device did not respond",
	19:  "the called party was alerted but did not answer",
	21:  "the called party or the network refused the call (call screening, barring, or the caller ID is not accepted)",
	27:  "the called device is unreachable (not registered, or its link is down)",
	28:  "the number format is not accepted: check the dial plan's digit manipulation",
	34:  "no trunk channel free: the trunk's capacity is used up",
	38:  "the network behind the gateway is down",
	41:  "a temporary failure on the way: retry; if persistent check the gateway's trunk",
	42:  "the far switch is congested",
	47:  "a resource (DSP, transcoder, channel) is not available on the gateway",
	57:  "the caller is not allowed this bearer capability (e.g. no international or data calls)",
	58:  "the bearer (codec/fax) is not available right now",
	63:  "a service the call needs is not available (often a class-of-service or barring setting)",
	65:  "the bearer capability (codec, fax, data) is not supported",
	79:  "a service the call needs is not implemented at the far end",
	88:  "the destination cannot handle this call type (codec, fax/modem or data mismatch)",
	102: "a timer expired waiting for the far end: it did not answer in time",
	111: "the far end saw a protocol error in the signalling",
	127: "interworking between networks failed (the cause was lost on the way)",
}

// q850Words says a cause in words: "17 (user busy)".
func q850Words(cause int) string {
	if n, ok := q850Causes[cause]; ok {
		return fmt.Sprintf("%d (%s)", cause, n)
	}
	return strconv.Itoa(cause)
}

// reasonWords explains a Reason header (RFC 3326 §2: protocol ;cause=N
// ;text="...", read with decode's parser): the Q.850 cause in words and
// what it usually means, or the SIP cause. A value without a cause (no
// cause is 0: Q.850 causes start at 1) or that cannot be read is only
// quoted by the caller.
func reasonWords(h string) string {
	var out []string
	decode.EachValue([]byte(h), func(v []byte) bool {
		r, _ := decode.ParseReason(v)
		switch {
		case r.Cause == 0:
		case strings.EqualFold(string(r.Protocol), "Q.850"):
			s := "Q.850 cause " + q850Words(r.Cause)
			if hint, ok := q850Hints[r.Cause]; ok {
				s += ": " + hint
			}
			out = append(out, s)
		case strings.EqualFold(string(r.Protocol), "SIP"):
			out = append(out, fmt.Sprintf("SIP cause %d", r.Cause))
		}
		return true
	})
	return strings.Join(out, "; ")
}

// warningCodes are the Warning codes of RFC 3261 §20.43 (and RFC 5630's
// 380/381): each says why an offer or request could not be honoured.
var warningCodes = map[int]string{
	300: "incompatible network protocol",
	301: "incompatible network address formats",
	302: "incompatible transport protocol",
	303: "incompatible bandwidth units",
	304: "media type not available",
	305: "incompatible media format (no codec in common)",
	306: "attribute not understood",
	307: "session description parameter not understood",
	330: "multicast not available",
	331: "unicast not available",
	370: "insufficient bandwidth",
	380: "SIPS not allowed",
	381: "SIPS required",
	399: "miscellaneous warning",
}

// warningValue is one value of a Warning header: code agent "text".
type warningValue struct {
	Code  int
	Agent string
	Text  string
}

// parseWarning reads the values of a Warning header with decode's
// parser, keeping those with a warn-code and an agent.
func parseWarning(h string) []warningValue {
	var out []warningValue
	decode.EachValue([]byte(h), func(v []byte) bool {
		w, ok := decode.ParseWarning(v)
		if w.Code < 100 || w.Code > 999 || len(w.Agent) == 0 {
			return true
		}
		wv := warningValue{Code: w.Code, Agent: string(w.Agent)}
		if ok {
			wv.Text = string(w.Text) // only a quoted warn-text is the text
		}
		out = append(out, wv)
		return true
	})
	return out
}

// warningWords explains a Warning header: `305 (incompatible media
// format) from sbc.example: "no common codec"`.
func warningWords(h string) string {
	var out []string
	for _, w := range parseWarning(h) {
		s := strconv.Itoa(w.Code)
		if n, ok := warningCodes[w.Code]; ok {
			s += " (" + n + ")"
		}
		s += " from " + w.Agent
		if w.Text != "" {
			s += fmt.Sprintf(": %q", w.Text)
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}
