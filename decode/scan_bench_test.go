package decode

import "testing"

func benchScan(b *testing.B, msg string) {
	data := []byte(msg)
	var m Message
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Scan(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan: a REGISTER with Digest credentials and a 401 challenge,
// the two messages every registration trace is made of.
func BenchmarkScan(b *testing.B) {
	b.Run("REGISTER-auth", func(b *testing.B) { benchScan(b, register) })
	b.Run("401", func(b *testing.B) { benchScan(b, unauthorized) })
}

func BenchmarkSubParsers(b *testing.B) {
	var m Message
	var mr Message
	_ = m.Scan([]byte(unauthorized))
	_ = mr.Scan([]byte(register))
	b.Run("TopVia", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.TopVia()
		}
	})
	b.Run("NameAddr", func(b *testing.B) {
		b.ReportAllocs()
		v := m.Get(HTo)
		for b.Loop() {
			ParseNameAddr(v)
		}
	})
	b.Run("Challenge", func(b *testing.B) {
		b.ReportAllocs()
		v := m.Get(HWWWAuthenticate)
		for b.Loop() {
			ParseChallenge(v)
		}
	})
	b.Run("Credentials", func(b *testing.B) {
		b.ReportAllocs()
		v := mr.Get(HAuthorization)
		for b.Loop() {
			ParseCredentials(v)
		}
	})
	b.Run("Contacts", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mr.Contacts(func(Contact) bool { return true })
		}
	})
	b.Run("CSeq", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.CSeq()
		}
	})
	b.Run("AOR", func(b *testing.B) {
		b.ReportAllocs()
		v := []byte("sip:alice@Example.COM:5060;transport=udp")
		for b.Loop() {
			_ = AOR(v)
		}
	})
}
