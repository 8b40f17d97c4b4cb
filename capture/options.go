package capture

import "time"

// Options tune a Reader. The zero value means "use the defaults".
type Options struct {
	// MaxProblems is how many problems Problems keeps (all are counted).
	// Default 1000.
	MaxProblems int
	// StreamIdle is how long (capture time) a TCP stream, SCTP message or
	// IP fragment set may stay silent before its state is dropped, so that
	// memory stays bounded on long captures. Default 120 s.
	StreamIdle time.Duration
	// MaxStreamBuffer caps the bytes buffered for one TCP stream direction
	// (unframed and out-of-order data together). Default 4 MiB.
	MaxStreamBuffer int
	// InputFormat forces the text format of text inputs by its name (see
	// TextFormats); "" detects it from the content. Captures are still
	// recognised by their magic numbers.
	InputFormat string
}

func (o Options) withDefaults() Options {
	if o.MaxProblems <= 0 {
		o.MaxProblems = 1000
	}
	if o.StreamIdle <= 0 {
		o.StreamIdle = 120 * time.Second
	}
	if o.MaxStreamBuffer <= 0 {
		o.MaxStreamBuffer = 4 << 20
	}
	return o
}
