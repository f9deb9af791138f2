package importer

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func fieldsOf(m Mapping) map[string]Field {
	out := map[string]Field{}
	for _, c := range m.Columns {
		if _, dup := out[c.Header]; !dup {
			out[c.Header] = c.Field
		}
	}
	return out
}

func TestDetectPresets(t *testing.T) {
	cases := []struct {
		name   string
		header string
		preset string
		want   map[string]Field
	}{
		{"zendesk", "Summation column,Id,Requester,Requester id,Requester external id,Requester email,Requester domain,Submitter,Assignee,Group,Subject,Tags,Status,Priority,Via,Ticket type,Created at,Updated at,Assigned at,Organization,Due date,Initially assigned at,Solved at,Resolution time,Satisfaction Score,Group stations",
			"zendesk", map[string]Field{"Id": FieldTicketID, "Requester": FieldName, "Requester id": FieldCustomerID,
				"Requester email": FieldEmail, "Assignee": FieldAgent, "Group": FieldAttr, "Via": FieldChannel,
				"Ticket type": FieldKind, "Organization": FieldCompany, "Solved at": FieldResolvedAt,
				"Satisfaction Score": FieldCSAT, "Tags": FieldTags, "Summation column": FieldAttr}},
		{"freshdesk", "Ticket ID,Subject,Description,Status,Priority,Source,Type,Agent,Group,Created time,Due by Time,Resolved time,Closed time,Last update time,Tags,Survey results,Full name,Email,Contact ID,Company Name",
			"freshdesk", map[string]Field{"Ticket ID": FieldTicketID, "Source": FieldChannel, "Type": FieldKind,
				"Created time": FieldCreatedAt, "Resolved time": FieldResolvedAt, "Closed time": FieldAttr,
				"Survey results": FieldCSAT, "Full name": FieldName, "Contact ID": FieldCustomerID, "Company Name": FieldCompany}},
		{"helpscout", "Conversation Number,Customer Name,Customer Email,Mailbox,Assigned To,Status,Subject,Type,Tags,Rating,Rating Comments,Created At,Closed At",
			"helpscout", map[string]Field{"Conversation Number": FieldTicketID, "Mailbox": FieldAttr, "Type": FieldChannel,
				"Rating": FieldCSAT, "Rating Comments": FieldBody, "Closed At": FieldResolvedAt}},
		{"zammad", "#,Title,State,Priority,Group,Owner,Customer,Organization,Create Channel,Sender,Tags,Time Units Total,Created At,Updated At,Closed At",
			"zammad", map[string]Field{"#": FieldTicketID, "Title": FieldSubject, "State": FieldStatus, "Owner": FieldAgent,
				"Customer": FieldName, "Create Channel": FieldChannel, "Closed At": FieldResolvedAt}},
		{"osticket", "Ticket Number,Date Created,Subject,From,From Email,Priority,Department,Help Topic,Source,Current Status,Last Updated,Due Date,Closed Date,Agent Assigned,Team Assigned",
			"osticket", map[string]Field{"Ticket Number": FieldTicketID, "From": FieldName, "From Email": FieldEmail,
				"Help Topic": FieldCategory, "Current Status": FieldStatus, "Agent Assigned": FieldAgent, "Closed Date": FieldResolvedAt}},
		{"jira", "Summary,Issue key,Issue id,Issue Type,Status,Priority,Assignee,Reporter,Created,Resolved,Labels,Labels,Labels,Description,Custom field (Story Points)",
			"jira", map[string]Field{"Summary": FieldSubject, "Issue key": FieldTicketID, "Issue id": FieldAttr,
				"Issue Type": FieldKind, "Reporter": FieldName, "Created": FieldCreatedAt, "Resolved": FieldResolvedAt,
				"Labels": FieldTags, "Custom field (Story Points)": FieldAttr}},
		{"intercom", "Conversation ID,Created at (America/New_York),Last closed at (America/New_York),User name,User email,Conversation rating,Conversation rating remark,Teammate assigned,Conversation tags",
			"intercom", map[string]Field{"Conversation ID": FieldTicketID, "Created at (America/New_York)": FieldCreatedAt,
				"User email": FieldEmail, "Conversation rating": FieldCSAT, "Teammate assigned": FieldAgent}},
		{"kaggle", "Ticket ID,Customer Name,Customer Email,Customer Age,Customer Gender,Product Purchased,Date of Purchase,Ticket Type,Ticket Subject,Ticket Description,Ticket Status,Resolution,Ticket Priority,Ticket Channel,First Response Time,Time to Resolution,Customer Satisfaction Rating",
			"tickets", map[string]Field{"Ticket ID": FieldTicketID, "Customer Name": FieldName, "Customer Email": FieldEmail,
				"Customer Age": FieldAttr, "Customer Gender": FieldGender, "Ticket Type": FieldKind, "Ticket Subject": FieldSubject,
				"Ticket Description": FieldBody, "Ticket Status": FieldStatus, "Ticket Priority": FieldPriority,
				"Ticket Channel": FieldChannel, "Customer Satisfaction Rating": FieldCSAT}},
		{"glpi", "Ticker;Requerente;Grupo;Categoria;Data Abertura;Data Solução;Data Fechamento;Atendente;Satisfação;Data Iteração;Usuário Iteração;Resolvido",
			"tickets", map[string]Field{"Ticker": FieldTicketID, "Requerente": FieldName, "Grupo": FieldAttr,
				"Categoria": FieldCategory, "Data Abertura": FieldCreatedAt, "Data Solução": FieldResolvedAt,
				"Atendente": FieldAgent, "Satisfação": FieldCSAT, "Resolvido": FieldResolvedFlag}},
		{"chinese", "用户ID,昵称,邮箱,手机号,会员等级,地区,城市,公司,评论内容,满意度,渠道,问题分类,创建时间,处理人,标签,手机参数",
			"tickets", map[string]Field{"用户ID": FieldCustomerID, "昵称": FieldName, "邮箱": FieldEmail, "手机号": FieldPhone,
				"会员等级": FieldPlan, "地区": FieldRegion, "城市": FieldCity, "公司": FieldCompany, "评论内容": FieldBody,
				"满意度": FieldCSAT, "渠道": FieldChannel, "问题分类": FieldCategory, "创建时间": FieldCreatedAt,
				"处理人": FieldAgent, "标签": FieldTags, "手机参数": FieldAttr}},
		{"more chinese", "客户姓名,客户邮箱,电话,用户名,评分,得分,来源渠道,分类,购买时间,会员级别,客服,内容,标题,状态,优先级",
			"tickets", map[string]Field{"客户姓名": FieldName, "客户邮箱": FieldEmail, "电话": FieldPhone, "用户名": FieldAttr,
				"评分": FieldCSAT, "得分": FieldAttr, "来源渠道": FieldChannel, "分类": FieldCategory, "购买时间": FieldCreatedAt,
				"会员级别": FieldPlan, "客服": FieldAgent, "内容": FieldBody, "标题": FieldSubject, "状态": FieldStatus, "优先级": FieldPriority}},
		{"ibm status", "Customer ID,Count,Quarter,Satisfaction Score,Customer Status,Churn Label,Churn Value,Churn Score,CLTV,Churn Category,Churn Reason",
			"tickets", map[string]Field{"Customer ID": FieldCustomerID, "Satisfaction Score": FieldCSAT,
				"Customer Status": FieldLifecycle, "CLTV": FieldLTV, "Churn Score": FieldAttr}},
		{"comcast", "Ticket #,Customer Complaint,Date,Date_month_year,Time,Received Via,City,State,Zip code,Status,Filing on Behalf of Someone",
			"tickets", map[string]Field{"Ticket #": FieldTicketID, "Customer Complaint": FieldSubject, "Date": FieldCreatedAt,
				"Time": FieldCreatedTime, "Received Via": FieldChannel, "State": FieldRegion, "Status": FieldStatus}},
		{"airline nps", "Airline,CustomerID,How likely are you to recommend this airline?",
			"survey", map[string]Field{"Airline": FieldAttr, "CustomerID": FieldCustomerID,
				"How likely are you to recommend this airline?": FieldNPS}},
		{"contacts", "id,name,email,phone,tags,created at",
			"contacts", map[string]Field{"id": FieldCustomerID, "name": FieldName, "tags": FieldCustomerTags, "created at": FieldAttr}},
		{"ibm demographics", "Customer ID,Count,Gender,Age,Under 30,Senior Citizen,Married,Dependents,Number of Dependents",
			"contacts", map[string]Field{"Customer ID": FieldCustomerID, "Gender": FieldGender, "Age": FieldAttr}},
		{"rapport export", "id,customer_id,customer_name,customer_email,source,external_id,channel,kind,subject,body,category,priority,status,tags,csat,csat_raw,nps,agent,created_at,resolved_at",
			"tickets", map[string]Field{"id": FieldAttr, "customer_id": FieldCustomerID, "customer_name": FieldName,
				"customer_email": FieldEmail, "source": FieldSource, "external_id": FieldTicketID, "channel": FieldChannel,
				"kind": FieldKind, "csat": FieldCSAT, "csat_raw": FieldCSATRaw, "created_at": FieldCreatedAt, "resolved_at": FieldResolvedAt}},
		{"multilang", "id,subject,body,answer,type,queue,priority,language,business_type,tag_1,tag_2,tag_3",
			"tickets", map[string]Field{"id": FieldTicketID, "answer": FieldAttr, "type": FieldKind, "language": FieldLanguage,
				"tag_1": FieldTags, "tag_3": FieldTags}},
		{"chnsenticorp", "label,review", "tickets", map[string]Field{"label": FieldAttr, "review": FieldBody}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sep := ","
			if strings.Contains(c.header, ";") {
				sep = ";"
			}
			header := strings.Split(c.header, sep)
			m := Detect(header)
			if m.Preset != c.preset {
				t.Errorf("preset %q, want %q", m.Preset, c.preset)
			}
			if len(m.Columns) != len(header) {
				t.Fatalf("%d columns for %d headers", len(m.Columns), len(header))
			}
			got := fieldsOf(m)
			for h, want := range c.want {
				if got[h] != want {
					t.Errorf("%q → %q, want %q", h, got[h], want)
				}
			}
		})
	}
}

func TestDetectKeepsUnknownColumns(t *testing.T) {
	m := Detect([]string{"email", "Favourite colour", "", "email"})
	want := []Field{FieldEmail, FieldAttr, FieldAttr, FieldAttr} // the second email is kept, not used
	for i, c := range m.Columns {
		if c.Field != want[i] {
			t.Errorf("column %d %q → %q, want %q", i, c.Header, c.Field, want[i])
		}
	}
	if m.Columns[2].Header != "column 3" {
		t.Errorf("an empty header is named by its position: %q", m.Columns[2].Header)
	}
}

func TestDetectIntercomZone(t *testing.T) {
	m := Detect([]string{"Conversation ID", "Created at (America/New_York)", "User email"})
	if m.Preset != "intercom" || m.Columns[1].TZ != "America/New_York" || m.Columns[1].Field != FieldCreatedAt {
		t.Errorf("got %+v", m)
	}
}

func TestDetectForcedPreset(t *testing.T) {
	m, err := DetectPreset([]string{"id", "subject"}, "zendesk")
	if err != nil || m.Preset != "zendesk" || m.Columns[0].Field != FieldTicketID {
		t.Errorf("forced zendesk: %+v, %v", m, err)
	}
	m, err = DetectPreset([]string{"Requester email", "Satisfaction Score"}, "survey")
	if err != nil || m.Preset != "survey" {
		t.Errorf("forced survey: %+v, %v", m, err)
	}
	if _, err := DetectPreset([]string{"a"}, "salesforce"); err == nil {
		t.Error("an unknown preset should be refused")
	}
}

func TestHeaderKey(t *testing.T) {
	for in, want := range map[string]string{
		"\uFEFFRequester  Email ": "requester email", "requester_email": "requester email",
		"Created at (America/New_York)": "created at", "用户ID": "用户id", "Ｅｍａｉｌ：": "email",
	} {
		if got := HeaderKey(in); got != want {
			t.Errorf("HeaderKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMappingSetBindSaveLoad(t *testing.T) {
	header := []string{"Ticket ID", "Customer Email", "Rating", "Notes", "Labels", "Labels"}
	m := Detect(header)
	if err := m.Set(3, FieldBody); err != nil {
		t.Fatal(err)
	}
	if err := m.Set(9, FieldBody); err == nil {
		t.Error("Set on a missing column should fail")
	}
	if err := m.Set(0, "favourite"); err == nil {
		t.Error("Set to an unknown field should fail")
	}
	m.Columns[2].Scale = Scale10
	m.TZ = "Asia/Shanghai"
	m.Source = "helpdesk"
	path := filepath.Join(t.TempDir(), "map.toml")
	if err := SaveMapping(path, m); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(path)
	if !strings.Contains(string(text), `field = "body"`) {
		t.Errorf("saved mapping:\n%s", text)
	}
	back, err := LoadMapping(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, m) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, m)
	}

	// A file with the columns reordered, one renamed in case, one new.
	bound := back.Bind([]string{"notes", "Ticket ID", "Labels", "Satisfaction", "Labels", "Rating"})
	got := []Field{}
	for _, c := range bound.Columns {
		got = append(got, c.Field)
	}
	want := []Field{FieldBody, FieldTicketID, FieldTags, FieldCSAT, FieldTags, FieldCSAT}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Bind: %q, want %q", got, want)
	}
	if bound.Columns[5].Scale != Scale10 || bound.Columns[0].Header != "notes" {
		t.Errorf("Bind should keep column settings and the file's header: %+v", bound.Columns)
	}
}

func TestLoadMappingRefusesMistakes(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"typo":       "preset = \"tickets\"\n[[columns]]\nheader = \"a\"\nfeild = \"email\"\n",
		"field":      "[[columns]]\nheader = \"a\"\nfield = \"favourite\"\n",
		"zone":       "tz = \"Mars/Olympus\"\n",
		"preset":     "preset = \"salesforce\"\n",
		"scale":      "[[columns]]\nheader = \"a\"\nfield = \"csat\"\nscale = \"7\"\n",
		"delimiter":  "delimiter = \"ab\"\n",
		"encoding":   "encoding = \"ebcdic\"\n",
		"not toml":   "this is not toml",
		"date order": "[[columns]]\nheader = \"a\"\nfield = \"created_at\"\ndate_order = \"ymd\"\n",
	} {
		path := filepath.Join(dir, name+".toml")
		os.WriteFile(path, []byte(text), 0o644)
		if _, err := LoadMapping(path); err == nil {
			t.Errorf("%s: LoadMapping should fail", name)
		}
	}
	if _, err := LoadMapping(filepath.Join(dir, "missing.toml")); err == nil {
		t.Error("a missing file should fail")
	}
}

func TestParseDelimiter(t *testing.T) {
	for in, want := range map[string]rune{"": 0, "auto": 0, ",": ',', ";": ';', "tab": '\t', `\t`: '\t', "|": '|', "semicolon": ';'} {
		if got, err := ParseDelimiter(in); err != nil || got != want {
			t.Errorf("ParseDelimiter(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"ab", `"`, "\n", "é"} {
		if _, err := ParseDelimiter(in); err == nil {
			t.Errorf("ParseDelimiter(%q): want an error", in)
		}
	}
}

func TestFieldsComplete(t *testing.T) {
	seen := map[Field]bool{}
	for _, fi := range Fields {
		if seen[fi.Field] || fi.Label == "" {
			t.Errorf("field %q listed twice or without a label", fi.Field)
		}
		seen[fi.Field] = true
	}
	for _, f := range synonyms {
		if !seen[f] {
			t.Errorf("synonym field %q is not in Fields", f)
		}
	}
	if got := PresetNames(); got[0] != "auto" || len(got) != 11 {
		t.Errorf("PresetNames = %q", got)
	}
}
