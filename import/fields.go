package importer

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Field is where a column's values go. Columns mapped to nothing are kept
// in the customer's attrs under their header name.
type Field string

const (
	FieldNone         Field = ""
	FieldCustomerID   Field = "customer.id"
	FieldName         Field = "customer.name"
	FieldEmail        Field = "customer.email"
	FieldPhone        Field = "customer.phone"
	FieldCompany      Field = "customer.company"
	FieldPlan         Field = "customer.plan"
	FieldRegion       Field = "customer.region"
	FieldCity         Field = "customer.city"
	FieldLanguage     Field = "customer.language"
	FieldGender       Field = "customer.gender"
	FieldLTV          Field = "customer.ltv"
	FieldCustomerTags Field = "customer.tags"
	FieldTicketID     Field = "feedback.id"
	FieldSubject      Field = "feedback.subject"
	FieldBody         Field = "feedback.body"
	FieldChannel      Field = "feedback.channel"
	FieldKind         Field = "feedback.kind"
	FieldCategory     Field = "feedback.category"
	FieldPriority     Field = "feedback.priority"
	FieldStatus       Field = "feedback.status"
	FieldCSAT         Field = "feedback.csat"
	FieldNPS          Field = "feedback.nps"
	FieldAgent        Field = "feedback.agent"
	FieldCreated      Field = "feedback.created_at"
	FieldResolved     Field = "feedback.resolved_at"
	FieldTags         Field = "feedback.tags"
)

// synonyms maps normalised header names (lower case, no accents, spaces
// or punctuation) to fields, in English, Chinese and Portuguese, covering
// the helpdesk and survey exports of corpus/SOURCES.md.
var synonyms = map[string]Field{}

func init() {
	add := func(f Field, names ...string) {
		for _, n := range names {
			synonyms[normHeader(n)] = f
		}
	}
	add(FieldCustomerID, "customer id", "customerid", "user id", "用户ID", "客户ID", "requester id", "contact id", "client id", "account id", "CustomerID")
	add(FieldName, "customer name", "name", "requester", "requester name", "contact name", "full name", "customer",
		"客户姓名", "姓名", "用户名", "昵称", "客户名称", "requerente", "reporter", "nome")
	add(FieldEmail, "email", "e-mail", "customer email", "requester email", "contact email", "email address",
		"邮箱", "客户邮箱", "电子邮件", "电子邮箱")
	add(FieldPhone, "phone", "phone number", "mobile", "telephone", "手机号", "手机", "电话", "联系电话", "手机号码", "telefone")
	add(FieldCompany, "company", "organization", "organisation", "account", "company name", "公司", "企业", "单位", "公司名称", "empresa")
	add(FieldPlan, "plan", "tier", "subscription", "会员等级", "会员级别", "套餐", "版本")
	add(FieldRegion, "region", "state", "province", "地区", "区域", "省份")
	add(FieldCity, "city", "城市", "cidade")
	add(FieldLanguage, "language", "lang", "locale", "语言")
	add(FieldGender, "gender", "sex", "customer gender", "性别")
	add(FieldLTV, "ltv", "cltv", "lifetime value", "customer lifetime value", "客户价值")
	add(FieldTicketID, "ticket id", "ticket", "ticket #", "ticket number", "ticker", "issue key", "conversation id",
		"工单号", "工单ID", "工单编号", "case id", "id")
	add(FieldSubject, "subject", "ticket subject", "title", "summary", "标题", "主题")
	add(FieldBody, "description", "ticket description", "body", "comment", "comments", "review", "customer complaint",
		"text", "message", "评论内容", "内容", "描述", "反馈内容", "问题描述", "feedback")
	add(FieldChannel, "channel", "ticket channel", "received via", "via", "渠道", "来源渠道", "canal")
	add(FieldKind, "type", "ticket type", "kind", "类型")
	add(FieldCategory, "category", "categoria", "问题分类", "分类", "queue", "topic")
	add(FieldPriority, "priority", "ticket priority", "优先级", "prioridade")
	add(FieldStatus, "status", "ticket status", "状态")
	add(FieldCSAT, "satisfaction score", "customer satisfaction rating", "satisfaction rating", "satisfaction", "csat",
		"rating", "满意度", "评分", "得分", "satisfação", "score")
	add(FieldNPS, "nps", "nps score", "likelihood to recommend")
	add(FieldAgent, "agent", "assignee", "assigned to", "owner", "atendente", "处理人", "客服", "负责人")
	add(FieldCreated, "created at", "created", "date", "created date", "date opened", "data abertura", "创建时间",
		"购买时间", "submitted at", "completion date", "时间", "日期", "opened")
	add(FieldResolved, "resolved at", "solved at", "data solução", "resolution date", "解决时间", "closed at")
	add(FieldTags, "tags", "labels", "label", "标签")
}

// normHeader folds a header for matching: accents removed, lower case,
// only letters and digits (and #).
func normHeader(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '#':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fieldForKey maps one normalised header by the synonyms, and a few rules
// for headers that are whole questions ("How likely are you to recommend
// …?") or numbered tag columns.
func fieldForKey(n string) Field {
	if f, ok := synonyms[n]; ok {
		return f
	}
	switch {
	case strings.Contains(n, "recommend") || strings.Contains(n, "推荐"):
		return FieldNPS
	case strings.HasPrefix(n, "tag") && strings.TrimLeft(n[3:], "0123456789") == "":
		return FieldTags
	}
	return FieldNone
}

// allFields are the fields a column can be mapped to.
var allFields = []Field{FieldCustomerID, FieldName, FieldEmail, FieldPhone, FieldCompany, FieldPlan, FieldRegion,
	FieldCity, FieldLanguage, FieldGender, FieldLTV, FieldCustomerTags, FieldTicketID, FieldSubject, FieldBody,
	FieldChannel, FieldKind, FieldCategory, FieldPriority, FieldStatus, FieldCSAT, FieldNPS, FieldAgent,
	FieldCreated, FieldResolved, FieldTags}
