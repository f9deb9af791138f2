package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rapportcrm/rapport/model"
)

// One person, one customer (migration 9): no two customers share a
// case-folded e-mail or a phone's digits. Every write that sets either
// asks identityConflict first, so the refusal names the customer who has
// the value; the unique indexes of migration 9 hold the rule for writers
// that do not ask (translate words their error).

// identityConflict returns a *model.DuplicateError when a customer other
// than self (0 for a new one) holds the e-mail or the phone.
func identityConflict(ctx context.Context, q querier, self int64, email, phone string) error {
	if key := model.NormalizeEmail(email); key != "" {
		// "<> ''" repeats the partial index's condition so SQLite uses it.
		id, name, err := identityOwner(ctx, q, "SELECT id, name FROM customers WHERE email_key = ? AND email_key <> '' AND id <> ? ORDER BY id LIMIT 1", key, self)
		if err != nil {
			return err
		}
		if id != 0 {
			return &model.DuplicateError{Field: "email", Value: email, ID: id, Name: name}
		}
	}
	if digits := model.PhoneDigits(phone); digits != "" {
		id, name, err := identityOwner(ctx, q, "SELECT id, name FROM customers WHERE phone_digits = ? AND phone_digits <> '' AND id <> ? ORDER BY id LIMIT 1", digits, self)
		if err != nil {
			return err
		}
		if id != 0 {
			return &model.DuplicateError{Field: "phone", Value: phone, ID: id, Name: name}
		}
	}
	return nil
}

func identityOwner(ctx context.Context, q querier, query, key string, self int64) (int64, string, error) {
	var id int64
	var name string
	err := q.QueryRowContext(ctx, query, key, self).Scan(&id, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return id, name, err
}

// changedIdentity returns the e-mail and phone of next that differ from
// old as the identity rule compares them ("" for one that stays), so that
// only what a write changes is checked: a customer marked as an old
// duplicate (migration 9) can still change its other fields.
func changedIdentity(old, next model.Customer) (email, phone string) {
	if model.NormalizeEmail(old.Email) != model.NormalizeEmail(next.Email) {
		email = next.Email
	}
	if model.PhoneDigits(old.Phone) != model.PhoneDigits(next.Phone) {
		phone = next.Phone
	}
	return email, phone
}

// refIDs returns the ids of the customers whose email_key or phone_digits
// equal key, at most limit of them, for FindCustomer.
func refIDs(ctx context.Context, q querier, column, key string, limit int) ([]int64, error) {
	return queryColumn[int64](ctx, q, fmt.Sprintf("SELECT id FROM customers WHERE %[1]s = ? AND %[1]s <> '' ORDER BY id LIMIT ?", column), key, limit)
}
