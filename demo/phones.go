package demo

import (
	"strconv"

	"github.com/rapportcrm/rapport/model"
)

// uniquePhone keeps the demo within the identity rule (migration 9): a
// phone is one customer's. A number already given is drawn again, from
// the customer's id rather than the random stream, so everything else the
// seed makes stays the same; a pattern ("+1 212-555-####") with no number
// left, or a fixed number, gives no phone.
func (g *demoGen) uniquePhone(id int64, pattern, phone string) string {
	if g.phones == nil {
		g.phones = map[uint64]struct{}{}
	}
	h := uint64(id)*0x9E3779B97F4A7C15 + g.seed
	for try := 0; try < 8; try++ {
		key, err := strconv.ParseUint(model.PhoneDigits(phone), 10, 64)
		if err != nil {
			return phone // no digits, or too many to be a key: not the demo's
		}
		if _, taken := g.phones[key]; !taken {
			g.phones[key] = struct{}{}
			return phone
		}
		if pattern == "" {
			return ""
		}
		b := []byte(pattern)
		for i, c := range b {
			if c == '#' {
				h ^= h >> 31
				h *= 0xBF58476D1CE4E5B9
				h ^= h >> 29
				b[i] = byte('0' + h%10)
			}
		}
		phone = string(b)
	}
	return ""
}
