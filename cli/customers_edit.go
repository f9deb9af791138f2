package cli

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rapportcrm/rapport/model"
)

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// customerFields are the profile flags of add and set.
type customerFields struct {
	name, email, phone, company, plan, region, city, language, gender, lifecycle string
	ltv                                                                          float64
	attrs, tags                                                                  []string
}

func (cf *customerFields) register(f *pflag.FlagSet, set bool) {
	f.StringVar(&cf.name, "name", "", "name")
	f.StringVar(&cf.email, "email", "", "email address")
	f.StringVar(&cf.phone, "phone", "", "phone number")
	f.StringVar(&cf.company, "company", "", "company")
	f.StringVar(&cf.plan, "plan", "", "plan")
	f.StringVar(&cf.region, "region", "", "region")
	f.StringVar(&cf.city, "city", "", "city")
	f.StringVar(&cf.language, "language", "", "language")
	f.StringVar(&cf.gender, "gender", "", "gender")
	f.StringVar(&cf.lifecycle, "lifecycle", "", "lifecycle stage ("+joinLifecycles()+")")
	f.Float64Var(&cf.ltv, "ltv", 0, "lifetime value")
	if set {
		f.StringArrayVar(&cf.attrs, "attr", nil, "set attribute k=v (empty v removes it); repeatable")
		f.StringArrayVar(&cf.tags, "tag", nil, "+T adds tag T, -T removes it; repeatable")
	} else {
		f.StringArrayVar(&cf.attrs, "attr", nil, "attribute k=v; repeatable")
		f.StringArrayVar(&cf.tags, "tag", nil, "tag; repeatable")
	}
}

// parseAttr splits k=v.
func parseAttr(s string) (string, string, error) {
	k, v, ok := strings.Cut(s, "=")
	k = strings.TrimSpace(k)
	if !ok || k == "" {
		return "", "", usageErrorf("--attr %q: expected key=value", s)
	}
	return k, strings.TrimSpace(v), nil
}

func checkLTV(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return usageErrorf("--ltv must be a number")
	}
	if v < 0 {
		return fmt.Errorf("%w: ltv %v is negative", model.ErrInvalid, v)
	}
	return nil
}

// customer builds a new customer from the flags, validated.
func (cf *customerFields) customer() (model.Customer, error) {
	c := model.Customer{
		Name:     strings.TrimSpace(cf.name),
		Email:    strings.TrimSpace(cf.email),
		Phone:    strings.TrimSpace(cf.phone),
		Company:  strings.TrimSpace(cf.company),
		Plan:     strings.TrimSpace(cf.plan),
		Region:   strings.TrimSpace(cf.region),
		City:     strings.TrimSpace(cf.city),
		Language: strings.TrimSpace(cf.language),
		Gender:   strings.TrimSpace(cf.gender),
		LTV:      cf.ltv,
	}
	if err := checkLTV(cf.ltv); err != nil {
		return c, err
	}
	if cf.lifecycle != "" {
		l, err := model.ParseLifecycle(cf.lifecycle)
		if err != nil {
			return c, err
		}
		c.Lifecycle = l
	}
	for _, s := range cf.attrs {
		k, v, err := parseAttr(s)
		if err != nil {
			return c, err
		}
		if v == "" {
			continue
		}
		if c.Attrs == nil {
			c.Attrs = map[string]string{}
		}
		c.Attrs[k] = v
	}
	for _, t := range cf.tags {
		c.Tags = model.EditTags(c.Tags, []string{strings.TrimSpace(t)}, nil)
	}
	return c, c.Validate()
}

// patch builds a patch of the flags that were given, checking each value
// that can be checked without the stored record.
func (cf *customerFields) patch(f *pflag.FlagSet) (model.CustomerPatch, bool, error) {
	var p model.CustomerPatch
	changed := false
	str := func(name string, v string, dst **string) {
		if f.Changed(name) {
			v := strings.TrimSpace(v)
			*dst = &v
			changed = true
		}
	}
	str("name", cf.name, &p.Name)
	str("email", cf.email, &p.Email)
	str("phone", cf.phone, &p.Phone)
	str("company", cf.company, &p.Company)
	str("plan", cf.plan, &p.Plan)
	str("region", cf.region, &p.Region)
	str("city", cf.city, &p.City)
	str("language", cf.language, &p.Language)
	str("gender", cf.gender, &p.Gender)
	if p.Email != nil {
		if err := model.ValidateEmail(*p.Email); err != nil {
			return p, false, err
		}
	}
	if p.Phone != nil && *p.Phone != "" && model.PhoneDigits(*p.Phone) == "" {
		return p, false, fmt.Errorf("%w: phone %q has no digits", model.ErrInvalid, *p.Phone)
	}
	if f.Changed("lifecycle") {
		var l model.Lifecycle
		if strings.TrimSpace(cf.lifecycle) != "" {
			var err error
			if l, err = model.ParseLifecycle(cf.lifecycle); err != nil {
				return p, false, err
			}
		}
		p.Lifecycle, changed = &l, true
	}
	if f.Changed("ltv") {
		if err := checkLTV(cf.ltv); err != nil {
			return p, false, err
		}
		v := cf.ltv
		p.LTV, changed = &v, true
	}
	for _, s := range cf.attrs {
		k, v, err := parseAttr(s)
		if err != nil {
			return p, false, err
		}
		if p.SetAttrs == nil {
			p.SetAttrs = map[string]string{}
		}
		p.SetAttrs[k], changed = v, true
	}
	var err error
	if p.AddTags, p.RemoveTags, err = tagEdits(cf.tags); err != nil {
		return p, false, err
	}
	return p, changed || len(cf.tags) > 0, nil
}

func (a *app) customerAddCmd() *cobra.Command {
	var cf customerFields
	var format *formatOpt
	cmd := &cobra.Command{
		Use:   "add --name N [--email E] [--phone P] [fields] [--attr k=v]... [--tag T]...",
		Short: "Add a customer",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			c, err := cf.customer()
			if err != nil {
				return err
			}
			return a.withAgentStore(cmd, false, func(ctx context.Context, st model.Store, agent string) error {
				c, err := st.CreateCustomer(ctx, agent, c)
				if err != nil {
					return err
				}
				return a.printCustomerChange(format, "created", c)
			})
		},
	}
	cf.register(cmd.Flags(), false)
	format = tableOrJSON(cmd)
	return cmd
}

func (a *app) customerSetCmd() *cobra.Command {
	var cf customerFields
	var format *formatOpt
	var ifVersion int64
	cmd := &cobra.Command{
		Use:   "set REF [fields] [--attr k=v]... [--tag +T|-T]... [--if-version V]",
		Short: "Change a customer; only the fields given change (REF: id, email or phone)",
		Args:  exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			p, changed, err := cf.patch(cmd.Flags())
			if err != nil {
				return err
			}
			if !changed {
				return usageErrorf("nothing to change: give at least one field, --attr or --tag")
			}
			if cmd.Flags().Changed("if-version") && ifVersion < 1 {
				return usageErrorf("--if-version must be a version number (1 or more)")
			}
			return a.withAgentStore(cmd, true, func(ctx context.Context, st model.Store, agent string) error {
				c, err := findCustomer(ctx, st, args[0])
				if err != nil {
					return err
				}
				c, err = st.UpdateCustomer(ctx, agent, c.ID, p, ifVersion)
				if err != nil {
					return err
				}
				return a.printCustomerChange(format, "updated", c)
			})
		},
	}
	cf.register(cmd.Flags(), true)
	cmd.Flags().Int64Var(&ifVersion, "if-version", 0, "refuse (exit 4) unless the customer is still at this version")
	format = tableOrJSON(cmd)
	return cmd
}

// printCustomerChange reports a written customer: one line for a person,
// the Customer object for a script.
func (a *app) printCustomerChange(format, verb string, c model.Customer) error {
	line := fmt.Sprintf("%s customer %d %s", verb, c.ID, fitCell(customerLabel(c), 60))
	if verb != "created" {
		line += fmt.Sprintf(" (version %d)", c.Version)
	}
	return a.printResult(format, toCustomerJSON(c), linef("%s\n", line))
}

// customerLabel names a customer for a message: name, else email, else phone.
func customerLabel(c model.Customer) string {
	for _, s := range []string{c.Name, c.Email, c.Phone} {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return "(no name)"
}
