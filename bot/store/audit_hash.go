package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strconv"
)

// auditEncodingVersion is hashed into every record so a future change of
// encoding cannot be confused with tampering.
const auditEncodingVersion = "warden-audit-v1"

// recordHash is SHA-256 over the canonical encoding of a record: each field,
// in a fixed order, as a uvarint length followed by its bytes. Length
// prefixes make the encoding unambiguous (no two field lists encode alike).
// The previous record's hash is part of the input, which forms the chain.
func recordHash(r Record) string {
	h := sha256.New()
	var lenBuf [binary.MaxVarintLen64]byte
	field := func(s string) {
		n := binary.PutUvarint(lenBuf[:], uint64(len(s)))
		h.Write(lenBuf[:n])
		h.Write([]byte(s))
	}
	field(auditEncodingVersion)
	field(strconv.FormatInt(r.RepoID, 10))
	field(strconv.FormatInt(r.Seq, 10))
	field(r.Repo)
	field(strconv.Itoa(r.PR))
	field(r.Kind)
	field(r.Actor)
	field(r.Subject)
	field(string(r.Data))
	field(strconv.FormatInt(timeToMS(r.At), 10))
	field(r.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}
