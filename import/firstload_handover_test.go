package importer

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// handOverRows are rows a first load must not create set-based: each
// names, by e-mail or phone, a customer an earlier row created, or
// changes one (first_load_customers.go in package db).
const handOverRows = "Ticket ID,Requester ID,Requester,Requester email,Phone,Plan,Customer tags,Tags,Subject,Created at\n" +
	"1,k1,Ann,ann@example.com,555-0101,free,,,Ann's first,2025-01-01 10:00\n" +
	// two source ids, one e-mail (in another case)
	"2,k2,Ann B,ANN@Example.com,,pro,,,Same e-mail,2025-01-01 11:00\n" +
	"3,k3,Bob,bob@example.com,555 0102,free,,,Bob,2025-01-01 12:00\n" +
	// one phone, written otherwise
	"4,k4,Bobby,,(555) 0102,pro,vip,,Same phone,2025-01-01 13:00\n" +
	"5,k5,Cy,cy@example.com,,free,,,Cy,2025-01-02 10:00\n" +
	// a later row changes Cy's e-mail; a new person takes the old one,
	// another row names the new one
	"6,k5,Cy,cy.new@example.com,,free,,,Cy moves,2025-01-02 11:00\n" +
	"7,k6,Dee,cy@example.com,,free,,,Old e-mail,2025-01-02 12:00\n" +
	"8,k7,Eve,cy.new@example.com,,,,,New e-mail,2025-01-02 13:00\n" +
	// no source id: found by e-mail the second time, and twice nothing to
	// find a person by
	"9,,Fay,fay@example.com,,free,,,No key,2025-01-03 10:00\n" +
	"10,,Fay,fay@example.com,,pro,,,No key again,2025-01-03 11:00\n" +
	"11,,Gus,,,free,,,Nothing to find,2025-01-03 12:00\n" +
	"12,,Gus,,,free,,,Nothing again,2025-01-03 13:00\n" +
	// tags on ticket rows, then on a later row of the customer
	"13,k8,Hal,hal@example.com,555-0108,free,,urgent,Hal,2025-01-04 10:00\n" +
	"14,k8,Hal,hal@example.com,555-0108,free,gold VIP,urgent vip,Hal tagged,2025-01-04 11:00\n" +
	"15,k8,Hal,hal@example.com,555-0108,free,,,Hal again,2025-01-04 12:00\n" +
	// e-mail of Ann, phone of Bob: rejected, twice (a duplicate row)
	"16,k9,Ivy,ann@example.com,555-0102,free,,,Two people,2025-01-05 10:00\n" +
	"17,k9,Ivy,ann@example.com,555-0102,free,,,Two people again,2025-01-05 11:00\n" +
	// a new customer whose phone an earlier one holds, and one whose
	// e-mail does with a new phone
	"18,k10,Jon,jon@example.com,555-0110,free,,,Jon,2025-01-06 10:00\n" +
	"19,k11,Kim,kim@example.com,555-0110,free,,,Jon's phone,2025-01-06 11:00\n" +
	"20,k12,Lu,jon@example.com,555-0111,free,,,Jon's e-mail,2025-01-06 12:00\n" +
	// a ticket exported twice, and a known customer's ticket after all that
	"2,k2,Ann B,ann@example.com,,pro,,,Same e-mail (edited),2025-01-01 11:00\n" +
	"21,k1,Ann,ann@example.com,555-0101,free,,,Ann's last,2025-01-07 10:00\n" +
	"22,k13,Mo,mo@example.com,555-0113,enterprise,trial,,New at the end,2025-01-07 11:00\n"

// TestFirstLoadHandsOver imports handOverRows by the first-load path and
// row by row, in one batch and in batches of 1, 3 and 4 rows (so what the
// load knows crosses batches), on SQLite and on PostgreSQL: the same
// counts, rejected rows and rows everywhere.
func TestFirstLoadHandsOver(t *testing.T) {
	defer func(n int64, b, i int) { firstLoadBytes, firstLoadBatch, batchSize = n, b, i }(firstLoadBytes, firstLoadBatch, batchSize)
	firstLoadBytes = 0
	file := filepath.Join(t.TempDir(), "handover.csv")
	if err := os.WriteFile(file, []byte(handOverRows), 0o600); err != nil {
		t.Fatal(err)
	}
	columns := map[string]Field{"Customer tags": FieldCustomerTags}
	for _, batch := range []int{10000, 1, 3, 4} {
		firstLoadBatch, batchSize = batch, batch // the same batches both ways: a ticket twice in one is applied once
		t.Run("batch "+strconv.Itoa(batch), func(t *testing.T) {
			t.Run("SQLite", func(t *testing.T) { compareFirstLoad(t, file, columns) })
			t.Run("PostgreSQL", func(t *testing.T) { comparePGFirstLoad(t, file, columns) })
		})
	}
}
