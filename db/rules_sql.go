package db

import (
	"database/sql/driver"

	"modernc.org/sqlite"

	"github.com/rapportcrm/rapport/model"
)

// The SQLite aggregate triggers (migration 15) count satisfied, promoter
// and detractor answers through these functions, so the satisfaction
// rules are model's, stated once: rapport_csat_sat(csat),
// rapport_nps_pro(nps) and rapport_nps_det(nps) give 1 or 0, and NULL for
// no answer (as the comparisons they replace did).
func init() {
	for name, rule := range map[string]func(int) bool{
		"rapport_csat_sat": model.CSATSatisfied,
		"rapport_nps_pro":  model.NPSPromoter,
		"rapport_nps_det":  model.NPSDetractor,
	} {
		sqlite.MustRegisterDeterministicScalarFunction(name, 1,
			func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
				score, ok := args[0].(int64)
				if !ok {
					if f, isFloat := args[0].(float64); isFloat {
						score, ok = int64(f), true
					}
				}
				if !ok {
					return nil, nil
				}
				if rule(int(score)) {
					return int64(1), nil
				}
				return int64(0), nil
			})
	}
}
