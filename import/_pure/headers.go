package importer

import (
	"regexp"
	"strconv"
	"strings"
)

// HeaderKey is how headers are compared: without a BOM, a trailing colon
// or an Intercom-style zone in parentheses, in lower case, with full-width
// characters folded, underscores as spaces and runs of spaces as one.
// "Requester email", "requester_email" and " REQUESTER  EMAIL:" are alike.
func HeaderKey(h string) string {
	k, _ := splitHeader(h)
	return k
}

// zoneSuffix matches a time zone written after a header name, as Intercom
// does: "Created at (America/New_York)", "Closed at (UTC)".
var zoneSuffix = regexp.MustCompile(`\s*\(\s*((?:[A-Za-z]+(?:/[A-Za-z0-9_+\-]+)+)|UTC|GMT)\s*\)\s*$`)

// splitHeader returns a header's key and the zone written in it, if any.
func splitHeader(h string) (key, zone string) {
	h = strings.TrimPrefix(strings.TrimSpace(h), "\uFEFF")
	if m := zoneSuffix.FindStringSubmatchIndex(h); m != nil {
		zone = h[m[2]:m[3]]
		h = h[:m[0]]
	}
	h = strings.ToLower(foldWidth(h))
	h = strings.ReplaceAll(h, "_", " ")
	h = strings.Join(strings.Fields(h), " ")
	h = strings.TrimRight(h, ":：")
	return strings.TrimSpace(h), zone
}

// synonyms maps header keys of every export we know, in English, Chinese,
// Portuguese and Spanish, to fields. Vendor presets (presets.go) override
// them where a vendor means something else by a common word.
var synonyms = map[string]Field{}

func init() {
	add := func(f Field, keys ...string) {
		for _, k := range keys {
			synonyms[HeaderKey(k)] = f
		}
	}
	add(FieldCustomerID, "customer id", "customerid", "customer number", "customer no", "client id",
		"user id", "userid", "contact id", "member id", "account id", "requester id", "customer external id",
		"external customer id", "用户ID", "客户ID", "客户编号", "会员ID", "用户编号", "会员编号", "用户账号",
		"código do cliente", "id do cliente", "id cliente")
	add(FieldName, "name", "customer name", "customer", "client", "client name", "full name", "contact",
		"contact name", "requester", "requester name", "user name", "username", "user", "reporter",
		"nickname", "display name", "客户姓名", "客户名称", "客户名", "姓名", "用户名", "昵称", "联系人",
		"客户", "用户", "会员名", "requerente", "solicitante", "cliente", "nome", "nome do cliente", "nombre")
	add(FieldEmail, "email", "e-mail", "email address", "e-mail address", "mail", "customer email",
		"requester email", "contact email", "user email", "from email", "client email", "邮箱", "客户邮箱",
		"电子邮箱", "邮箱地址", "邮件地址", "电子邮件", "correo", "correo electrónico")
	add(FieldPhone, "phone", "phone number", "telephone", "tel", "mobile", "mobile phone", "mobile number",
		"cell", "cell phone", "work phone", "customer phone", "contact phone", "手机号", "手机", "手机号码",
		"电话", "联系电话", "电话号码", "联系方式", "telefone", "celular", "teléfono")
	add(FieldCompany, "company", "company name", "organization", "organisation", "organization name",
		"account", "account name", "business", "customer company", "公司", "公司名称", "企业", "企业名称",
		"单位", "empresa", "organização")
	add(FieldPlan, "plan", "tier", "subscription", "membership", "membership level", "customer tier",
		"account tier", "level", "会员等级", "会员级别", "等级", "套餐", "版本", "用户等级", "plano")
	add(FieldRegion, "region", "state", "province", "country", "area", "territory", "地区", "区域", "省份",
		"省", "大区", "国家", "região", "país", "pais")
	add(FieldCity, "city", "town", "城市", "市", "cidade", "ciudad")
	add(FieldLanguage, "language", "locale", "lang", "语言", "idioma")
	add(FieldGender, "gender", "sex", "customer gender", "性别", "gênero", "genero", "sexo")
	add(FieldLifecycle, "lifecycle", "lifecycle stage", "stage", "customer status", "customer stage",
		"生命周期", "用户阶段", "客户阶段")
	add(FieldLTV, "ltv", "cltv", "clv", "lifetime value", "customer lifetime value", "total spent",
		"消费金额", "累计消费", "客户价值", "总消费", "生命周期价值")
	add(FieldCustomerTags, "customer tags", "user tags", "contact tags", "客户标签", "用户标签")

	add(FieldTicketID, "ticket id", "ticket", "ticket #", "ticket number", "ticket no", "id", "case id",
		"case number", "external id", "issue key", "conversation id", "feedback id", "response id", "review id", "#",
		"number", "ticker", "chamado", "número do chamado", "工单号", "工单ID", "工单编号", "反馈ID",
		"编号", "评论ID", "单号", "序号")
	add(FieldSubject, "subject", "title", "summary", "ticket subject", "topic", "issue", "complaint",
		"customer complaint", "标题", "主题", "问题", "título", "titulo", "assunto", "asunto")
	add(FieldBody, "body", "description", "text", "message", "content", "comment", "comments", "feedback",
		"review", "details", "ticket description", "verbatim", "remark", "remarks", "内容", "评论内容",
		"反馈内容", "问题描述", "描述", "详情", "评论", "评价内容", "留言", "意见", "descrição", "descricao",
		"descripción", "mensagem", "comentário", "comentario")
	add(FieldChannel, "channel", "via", "source", "medium", "ticket channel", "received via",
		"contact channel", "create channel", "渠道", "来源渠道", "来源", "反馈渠道", "canal", "origem")
	add(FieldKind, "type", "kind", "ticket type", "issue type", "request type", "feedback type",
		"类型", "反馈类型", "工单类型", "tipo")
	add(FieldCategory, "category", "help topic", "product area", "reason", "contact reason",
		"问题分类", "分类", "类别", "问题类型", "categoria", "categoría")
	add(FieldSubcategory, "subcategory", "sub-category", "sub category", "子分类", "二级分类", "subcategoria")
	add(FieldPriority, "priority", "ticket priority", "urgency", "优先级", "紧急程度", "prioridade", "prioridad")
	add(FieldStatus, "status", "ticket status", "current status", "conversation status", "状态", "处理状态",
		"工单状态", "situação", "situacao", "status do chamado")
	add(FieldResolvedFlag, "is resolved", "resolvido", "solucionado", "是否解决", "已解决")
	add(FieldCSAT, "csat", "csat score", "satisfaction", "satisfaction score", "satisfaction rating",
		"customer satisfaction", "customer satisfaction rating", "customer satisfaction score",
		"rating", "score", "survey results", "survey result", "happiness rating", "conversation rating",
		"stars", "star rating", "满意度", "评分", "得分", "打分", "星级", "满意度评分", "评价",
		"satisfação", "satisfacao", "satisfacción", "avaliação", "avaliacao")
	add(FieldCSATRaw, "csat raw", "csat text", "satisfaction text")
	add(FieldNPS, "nps", "nps score", "net promoter score", "likelihood to recommend", "recommend",
		"推荐度", "推荐意愿", "推荐指数")
	add(FieldAgent, "agent", "assignee", "assigned to", "owner", "handled by", "support agent",
		"agent name", "agent assigned", "teammate assigned", "responder", "处理人", "客服", "负责人",
		"受理人", "经办人", "客服人员", "atendente", "técnico", "tecnico", "responsável", "agente")
	add(FieldCreatedAt, "created at", "created", "created date", "creation date", "date created",
		"created time", "create time", "created on", "submitted at", "submitted", "opened", "opened at",
		"date opened", "date", "timestamp", "received at", "completion date", "response date",
		"submission date", "创建时间", "提交时间", "反馈时间", "评论时间", "评价时间", "购买时间",
		"下单时间", "日期", "data abertura", "data de abertura", "data", "fecha", "fecha de creación")
	add(FieldCreatedTime, "time", "time of day", "hora", "时间")
	add(FieldResolvedAt, "resolved at", "resolved", "solved at", "resolved time", "resolution date",
		"date resolved", "closed at", "closed date", "closed time", "date closed", "data solução",
		"data de solução", "data solucao", "解决时间", "完成时间", "关闭时间")
	add(FieldTags, "tags", "tag", "labels", "keywords", "conversation tags", "ticket tags",
		"标签", "etiquetas")
}

// tagColumn matches numbered tag columns: tag_1 … tag_9, Label 2, 标签1.
var tagColumn = regexp.MustCompile(`^(tag|tags|label|labels|标签)\s*#?\d+$`)

// fieldForKey maps one header key with the synonyms and a few rules for
// headers that are whole questions ("How likely are you to recommend this
// airline?").
func fieldForKey(key string) Field {
	if f, ok := synonyms[key]; ok {
		return f
	}
	switch {
	case tagColumn.MatchString(key):
		return FieldTags
	case (strings.Contains(key, "recommend") || strings.Contains(key, "推荐")) && !strings.Contains(key, "why"):
		return FieldNPS
	case strings.Contains(key, "nps"):
		return FieldNPS
	case strings.Contains(key, "satisfaction") && (strings.Contains(key, "score") || strings.Contains(key, "rating")),
		strings.Contains(key, "满意"):
		return FieldCSAT
	}
	return FieldAttr
}

// feedbackContent are the fields that make a file hold feedback, not just
// customers.
var feedbackContent = map[Field]bool{
	FieldSubject: true, FieldBody: true, FieldCSAT: true, FieldNPS: true, FieldStatus: true,
	FieldKind: true, FieldCategory: true, FieldPriority: true, FieldChannel: true, FieldAgent: true,
	FieldCSATRaw: true, FieldResolvedAt: true, FieldResolvedFlag: true,
}

// Detect reads a header row and says what the file is: the vendor preset
// whose export it matches (zendesk, freshdesk, helpscout, zammad,
// osticket, jira, intercom), or else survey (an NPS column and no ticket
// id), contacts (no feedback columns at all) or tickets; and what each
// column means. Columns it does not know become attributes, kept under
// their header's name, never dropped.
func Detect(header []string) Mapping {
	m, _ := DetectPreset(header, "auto")
	return m
}

// DetectPreset is Detect with the preset given (--preset); "" or "auto"
// detects it.
func DetectPreset(header []string, name string) (Mapping, error) {
	keys := make([]string, len(header))
	zones := make([]string, len(header))
	for i, h := range header {
		keys[i], zones[i] = splitHeader(h)
	}
	var p *preset
	switch name {
	case "", "auto":
		p = matchPreset(keys, zones)
	case "tickets":
		if p = matchPreset(keys, zones); p != ownExport {
			p, _ = presetByName(name)
		}
	default:
		found, ok := presetByName(name)
		if !ok {
			return Mapping{}, errUnknownPreset(name)
		}
		p = found
	}
	m := Mapping{Columns: make([]Column, len(header))}
	for i, h := range header {
		m.Columns[i] = Column{Header: cleanHeader(h, i), Field: p.field(keys[i]), TZ: zones[i]}
	}
	dedupe(m.Columns)
	m.Preset = p.name
	if p.generic {
		m.Preset = genericKind(m.Columns, p.name)
		settleGeneric(m.Columns, m.Preset)
	}
	return m, nil
}

// cleanHeader is the name a column goes by in attributes and messages:
// the header as written, trimmed, or "column N" when it is empty.
func cleanHeader(h string, i int) string {
	h = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(h), "\uFEFF"))
	if h == "" {
		return "column " + strconv.Itoa(i+1)
	}
	return h
}

// dedupe keeps the first column for each single-valued field and turns
// the later ones into attributes: two "email" columns cannot both be the
// email, and the second is kept rather than lost.
func dedupe(cols []Column) {
	seen := map[Field]bool{}
	for i, c := range cols {
		info, ok := c.Field.Info()
		if !ok || info.Multi {
			continue
		}
		if seen[c.Field] {
			cols[i].Field = FieldAttr
		}
		seen[c.Field] = true
	}
}

// genericKind names what a file without a vendor signature holds.
func genericKind(cols []Column, forced string) string {
	if forced == "survey" || forced == "contacts" {
		return forced
	}
	has := map[Field]bool{}
	content := false
	for _, c := range cols {
		has[c.Field] = true
		content = content || feedbackContent[c.Field]
	}
	switch {
	case forced == "tickets":
		return "tickets"
	case !content:
		return "contacts"
	case has[FieldNPS] && !has[FieldTicketID]:
		return "survey"
	}
	return "tickets"
}

// settleGeneric adjusts a generic mapping to what the file turned out to
// be: in a contacts file an "id" is the customer's, tags are customer tags
// and dates are plain attributes.
func settleGeneric(cols []Column, kind string) {
	if kind != "contacts" {
		return
	}
	hasCustomerID := false
	for _, c := range cols {
		hasCustomerID = hasCustomerID || c.Field == FieldCustomerID
	}
	for i, c := range cols {
		switch c.Field {
		case FieldTicketID:
			if !hasCustomerID {
				cols[i].Field = FieldCustomerID
				hasCustomerID = true
			} else {
				cols[i].Field = FieldAttr
			}
		case FieldTags:
			cols[i].Field = FieldCustomerTags
		default:
			if info, _ := c.Field.Info(); info.Feedback {
				cols[i].Field = FieldAttr // kept, and not parsed as what a contact has not got
			}
		}
	}
}

// Bind applies a saved mapping to a file's header: each header takes the
// field of the mapping's column with the same key (the n-th repeat of a
// header takes the n-th such column); headers the mapping does not name
// are detected as usual under the mapping's preset. Columns of the mapping
// that the file lacks are ignored.
func (m Mapping) Bind(header []string) Mapping {
	byKey := map[string][]Column{}
	for _, c := range m.Columns {
		k := HeaderKey(c.Header)
		byKey[k] = append(byKey[k], c)
	}
	p, ok := presetByName(m.Preset)
	if !ok {
		p = genericPreset
	}
	out := m
	out.Columns = make([]Column, len(header))
	used := map[string]int{}
	for i, h := range header {
		key, zone := splitHeader(h)
		if cs := byKey[key]; used[key] < len(cs) {
			c := cs[used[key]]
			c.Header = cleanHeader(h, i)
			if c.TZ == "" {
				c.TZ = zone
			}
			out.Columns[i] = c
		} else {
			out.Columns[i] = Column{Header: cleanHeader(h, i), Field: p.field(key), TZ: zone}
		}
		used[key]++
	}
	return out
}
