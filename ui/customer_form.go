package ui

import (
	"errors"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/rapportcrm/rapport/model"
)

// customerDraft is what the new/edit customer form edits. For an edit it
// remembers the customer as loaded, so only the fields the agent touched
// are written, naming the version they started from.
type customerDraft struct {
	base    *model.Customer // nil for a new customer
	Name    string
	Email   string
	Phone   string
	Company string
	Plan    string
	Region  string
	City    string
	Lang    string
	Stage   string
	LTV     string
}

func newCustomerDraft(c *model.Customer) *customerDraft {
	d := &customerDraft{Stage: string(model.LifecycleNew)}
	if c != nil {
		cp := *c
		d.base = &cp
		d.fill(c)
	}
	return d
}

func (d *customerDraft) fill(c *model.Customer) {
	d.Name, d.Email, d.Phone, d.Company = c.Name, c.Email, c.Phone, c.Company
	d.Plan, d.Region, d.City, d.Lang = c.Plan, c.Region, c.City, c.Language
	d.Stage = string(c.Lifecycle)
	d.LTV = ""
	if c.LTV != 0 {
		d.LTV = strconv.FormatFloat(c.LTV, 'f', -1, 64)
	}
}

func (d *customerDraft) dirty() bool {
	if d.base == nil {
		return strings.TrimSpace(d.Name+d.Email+d.Phone+d.Company) != ""
	}
	p, _ := d.patch()
	return !patchEmpty(p)
}

func patchEmpty(p model.CustomerPatch) bool {
	return p.Name == nil && p.Email == nil && p.Phone == nil && p.Company == nil && p.Plan == nil &&
		p.Region == nil && p.City == nil && p.Language == nil && p.Lifecycle == nil && p.LTV == nil
}

func (d *customerDraft) ltv() (float64, error) {
	s := strings.TrimSpace(d.LTV)
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil || v < 0 {
		return 0, errors.New("value (LTV) is a number, e.g. 1200 or 1200.50")
	}
	return v, nil
}

// patch lists the fields that differ from the loaded customer.
func (d *customerDraft) patch() (model.CustomerPatch, error) {
	var p model.CustomerPatch
	var b model.Customer
	if d.base != nil {
		b = *d.base
	}
	set := func(dst **string, now, was string) {
		if strings.TrimSpace(now) != was {
			v := strings.TrimSpace(now)
			*dst = &v
		}
	}
	set(&p.Name, d.Name, b.Name)
	set(&p.Email, d.Email, b.Email)
	set(&p.Phone, d.Phone, b.Phone)
	set(&p.Company, d.Company, b.Company)
	set(&p.Plan, d.Plan, b.Plan)
	set(&p.Region, d.Region, b.Region)
	set(&p.City, d.City, b.City)
	set(&p.Language, d.Lang, b.Language)
	if model.Lifecycle(d.Stage) != b.Lifecycle {
		l := model.Lifecycle(d.Stage)
		p.Lifecycle = &l
	}
	v, err := d.ltv()
	if err != nil {
		return p, err
	}
	if v != b.LTV {
		p.LTV = &v
	}
	return p, nil
}

// check validates what the form can know without the store: the e-mail's
// shape, that a phone has digits, the value's number.
func (d *customerDraft) check() error {
	if e := strings.TrimSpace(d.Email); e != "" {
		if err := model.ValidateEmail(e); err != nil {
			return fieldError{"Email", "email: " + strings.TrimPrefix(err.Error(), model.ErrInvalid.Error()+": ")}
		}
	}
	if ph := strings.TrimSpace(d.Phone); ph != "" && model.PhoneDigits(ph) == "" {
		return fieldError{"Phone", "phone: " + ph + " has no digits"}
	}
	if _, err := d.ltv(); err != nil {
		return fieldError{"Value (LTV)", err.Error()}
	}
	if d.base == nil {
		_, err := d.customer()
		return err
	}
	return nil
}

// refused is the store's refusal, but for a stale edit: the conflict view
// takes that one over, with the draft.
func (m customerSavedMsg) refused() error {
	var stale *model.StaleError
	if errors.As(m.err, &stale) && m.draft != nil && m.draft.base != nil {
		return nil
	}
	return m.err
}

// customer is the draft as a new customer.
func (d *customerDraft) customer() (model.Customer, error) {
	v, err := d.ltv()
	c := model.Customer{Name: strings.TrimSpace(d.Name), Email: strings.TrimSpace(d.Email),
		Phone: strings.TrimSpace(d.Phone), Company: strings.TrimSpace(d.Company), Plan: strings.TrimSpace(d.Plan),
		Region: strings.TrimSpace(d.Region), City: strings.TrimSpace(d.City), Language: strings.TrimSpace(d.Lang),
		Lifecycle: model.Lifecycle(d.Stage), LTV: v}
	if err == nil && c.Name == "" && c.Email == "" && c.Phone == "" {
		err = errors.New("a customer needs a name, an email or a phone")
	}
	return c, err
}

// customerSavedMsg reports a created or edited customer. On a refused
// stale write it carries the draft, so the conflict view can put the
// agent's typing back.
type customerSavedMsg struct {
	customer model.Customer
	created  bool
	draft    *customerDraft
	err      error
}

func customerForm(e *env, d *customerDraft) (*formOverlay, tea.Cmd) {
	stages := make([]huh.Option[string], len(model.Lifecycles))
	for i, l := range model.Lifecycles {
		stages[i] = huh.NewOption(string(l), string(l))
	}
	stage := huh.NewSelect[string]().Title("Lifecycle").Value(&d.Stage).Options(stages...).Inline(true)
	in := func(title string, v *string, ph string) huh.Field {
		return huh.NewInput().Title(title).Value(v).Inline(true).CharLimit(300).Placeholder(ph)
	}
	plan := huh.NewInput().Title("Plan    ").Value(&d.Plan).Inline(true).CharLimit(300).Placeholder("free, pro, enterprise…")
	name, email, phone := in("Name    ", &d.Name, "王芳 / Emma Schmidt"), in("Email   ", &d.Email, "name@example.com"),
		in("Phone   ", &d.Phone, "+86 138 0013 8000")
	ltv := huh.NewInput().Title("Value (LTV)").Value(&d.LTV).Inline(true).Validate(func(string) error { _, err := d.ltv(); return err })
	fields := []huh.Field{
		name,
		email,
		phone,
		in("Company ", &d.Company, ""),
		plan,
		in("Region  ", &d.Region, ""),
		in("City    ", &d.City, ""),
		in("Language", &d.Lang, "zh, en, de…"),
		stage,
		ltv,
	}
	st, ctx, agent := e.store, e.ctx, e.agent
	title := "New customer"
	var submit func() tea.Cmd
	if d.base == nil {
		submit = func() tea.Cmd {
			c, err := d.customer()
			if err != nil {
				return func() tea.Msg { return customerSavedMsg{err: err, draft: d} }
			}
			return func() tea.Msg {
				saved, err := st.CreateCustomer(ctx, agent, c)
				return customerSavedMsg{customer: saved, created: true, draft: d, err: err}
			}
		}
	} else {
		title = "Edit " + model.CleanLine(d.base.Label())
		id, version := d.base.ID, d.base.Version
		submit = func() tea.Cmd {
			p, err := d.patch()
			if err != nil {
				return func() tea.Msg { return customerSavedMsg{err: err, draft: d} }
			}
			return func() tea.Msg {
				saved, err := st.UpdateCustomer(ctx, agent, id, p, version)
				return customerSavedMsg{customer: saved, draft: d, err: err}
			}
		}
	}
	o, cmd := newFormOverlay(e, title, []*huh.Group{huh.NewGroup(fields...)}, submit, d.dirty)
	o.last = fields[len(fields)-1]
	plans := newKnown("plan")
	if d.base != nil {
		plans.add([]string{d.base.Plan})
	}
	o.completeInput(plan, "Plan    ", plans, &d.Plan)
	o.hintOptions(stage, "Lifecycle", enumStrings(model.Lifecycles), &d.Stage)
	o.named(map[string]huh.Field{"Name    ": name, "Email   ": email, "Phone   ": phone, "Plan    ": plan,
		"Value (LTV)": ltv, "Lifecycle": stage})
	o.check = func() error {
		if c := plans.canonical(d.Plan); c != "" {
			d.Plan = c // "Pro" is the plan in use, "pro"
		}
		return d.check()
	}
	o.ask = func() []string {
		if d.base != nil && strings.TrimSpace(d.Plan) == d.base.Plan {
			return nil
		}
		return []string{plans.newQuestion(d.Plan)}
	}
	o.fieldOf = fieldByWord("email", "Email   ", "phone", "Phone   ", "ltv", "Value (LTV)", "lifecycle", "Lifecycle",
		"name", "Name    ")
	return o, tea.Batch(cmd, loadValues(e, "plan"))
}
