package importer

import (
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// The helpdesks' own words for status, priority, kind and lifecycle, mapped
// onto Rapport's closed sets. A word that is not here is not an error: the
// converter leaves the field empty and keeps the word in the record's
// attributes under the column's name, so nothing is lost.

// ParseStatus maps status words of Zendesk, Freshdesk, Jira, Zammad, GLPI
// and Chinese ticket systems onto open, pending, resolved and closed.
func ParseStatus(raw string) (model.Status, bool) {
	s := lowerWords(raw)
	if st, err := model.ParseStatus(s); err == nil {
		return st, true
	}
	switch s {
	case "new", "active", "to do", "todo", "in progress", "reopened", "open - unassigned",
		"aberto", "novo", "em andamento", "em atendimento", "abierto", "nuevo",
		"新建", "待处理", "处理中", "未解决", "打开", "进行中", "未处理":
		return model.StatusOpen, true
	case "hold", "on-hold", "on hold", "waiting", "waiting on customer", "waiting on third party",
		"pending customer response", "awaiting response", "pending reminder", "pending close",
		"pendente", "pendiente", "挂起", "待回复", "等待", "待确认", "待反馈":
		return model.StatusPending, true
	case "solved", "done", "fixed", "completed", "complete", "solucionado", "resolvido", "resuelto",
		"已解决", "已处理", "已完成", "完成", "解决", "已回复":
		return model.StatusResolved, true
	case "fechado", "cerrado", "archived", "cancelled", "canceled", "merged",
		"已关闭", "关闭", "已取消":
		return model.StatusClosed, true
	}
	return "", false
}

// ParsePriority maps priority words, Jira's Highest … Lowest, P1 … P4,
// Zammad's "2 normal" and Chinese 低/中/高/紧急 onto low, normal, high and
// urgent.
func ParsePriority(raw string) (model.Priority, bool) {
	s := lowerWords(raw)
	if len(s) > 2 && isDigit(s[0]) && s[1] == ' ' { // Zammad: "2 normal"
		s = s[2:]
	}
	if p, err := model.ParsePriority(s); err == nil {
		return p, true
	}
	switch s {
	case "lowest", "minor", "trivial", "p4", "baixa", "baja", "低", "较低":
		return model.PriorityLow, true
	case "medium", "moderate", "p3", "média", "media", "中", "普通", "一般", "正常":
		return model.PriorityNormal, true
	case "highest", "major", "p2", "alta", "高", "较高", "重要":
		return model.PriorityHigh, true
	case "critical", "blocker", "emergency", "p1", "urgente", "紧急", "非常紧急", "最高":
		return model.PriorityUrgent, true
	}
	return "", false
}

// ParseKind maps ticket types onto Rapport's kinds: incidents, problems and
// bugs are complaints; inquiries are questions; feature, refund and
// cancellation requests are requests.
func ParseKind(raw string) (model.Kind, bool) {
	s := lowerWords(raw)
	if k, err := model.ParseKind(s); err == nil {
		return k, true
	}
	switch s {
	case "投诉", "差评", "reclamação", "reclamacao", "queja":
		return model.KindComplaint, true
	case "咨询", "提问", "问题咨询", "dúvida", "duvida", "pregunta":
		return model.KindQuestion, true
	case "建议", "需求", "申请", "solicitação", "solicitacao", "solicitud", "change", "task":
		return model.KindRequest, true
	case "表扬", "好评", "elogio", "compliment", "kudos":
		return model.KindPraise, true
	case "反馈", "意见", "review", "评价", "survey":
		return model.KindFeedback, true
	}
	switch {
	case strings.Contains(s, "request") || strings.Contains(s, "suggestion") || strings.Contains(s, "feature"):
		return model.KindRequest, true
	case strings.Contains(s, "inquiry") || strings.Contains(s, "enquiry") || strings.Contains(s, "question") || strings.Contains(s, "how to"):
		return model.KindQuestion, true
	case strings.Contains(s, "incident") || strings.Contains(s, "problem") || strings.Contains(s, "issue") ||
		strings.Contains(s, "bug") || strings.Contains(s, "complaint") || strings.Contains(s, "defect"):
		return model.KindComplaint, true
	case strings.Contains(s, "praise") || strings.Contains(s, "thank"):
		return model.KindPraise, true
	}
	return "", false
}

// ParseLifecycle maps stage words, IBM's Joined/Stayed/Churned and Chinese
// 新用户/活跃/付费/流失 onto Rapport's lifecycle stages.
func ParseLifecycle(raw string) (model.Lifecycle, bool) {
	s := strings.ReplaceAll(lowerWords(raw), " ", "_")
	if l, err := model.ParseLifecycle(s); err == nil {
		return l, true
	}
	switch s {
	case "joined", "lead", "trial", "新用户", "新客", "新客户", "注册":
		return model.LifecycleNew, true
	case "active", "激活", "已激活":
		return model.LifecycleActivated, true
	case "stayed", "loyal", "留存", "活跃", "老客", "老客户":
		return model.LifecycleRetained, true
	case "customer", "paid", "subscriber", "付费", "付费用户", "付费客户":
		return model.LifecyclePaying, true
	case "advocate", "promoter", "推荐", "推荐人":
		return model.LifecycleReferrer, true
	case "at-risk", "risk", "流失风险", "预警", "沉默":
		return model.LifecycleAtRisk, true
	case "churn", "lost", "cancelled", "canceled", "流失", "已流失":
		return model.LifecycleChurned, true
	}
	return "", false
}

// NormalizeChannel lower-cases a channel and folds the names helpdesks use
// onto the common ones (email, phone, chat, web, social, survey, app);
// anything else is kept, lower-cased.
func NormalizeChannel(raw string) string {
	s := lowerWords(raw)
	switch s {
	case "":
		return ""
	case "电话", "热线", "400", "呼叫中心":
		return "phone"
	case "邮件", "邮箱", "电子邮件":
		return "email"
	case "在线", "在线客服", "聊天", "im", "whatsapp":
		return "chat"
	case "网站", "官网", "网页", "工单", "internet", "portal", "web form", "form":
		return "web"
	case "微博", "微信", "公众号", "twitter", "facebook", "instagram", "weibo", "wechat", "social media":
		return "social"
	case "问卷", "调研", "feedback widget":
		return "survey"
	case "app", "mobile", "小程序", "客户端", "ios", "android":
		return "app"
	}
	switch {
	case strings.Contains(s, "mail"):
		return "email"
	case strings.Contains(s, "phone") || strings.Contains(s, "call") || strings.Contains(s, "voice") || strings.Contains(s, "telefone"):
		return "phone"
	case strings.Contains(s, "chat") || strings.Contains(s, "messag"):
		return "chat"
	case strings.Contains(s, "social"):
		return "social"
	case strings.Contains(s, "survey"):
		return "survey"
	case strings.Contains(s, "web"):
		return "web"
	}
	return s
}

func lowerWords(raw string) string {
	return strings.ToLower(strings.Join(strings.Fields(foldWidth(raw)), " "))
}

// categoryPath turns a category (and a subcategory) into Rapport's
// two-level path: "Billing" + "Refund" is "Billing/Refund"; GLPI's
// "Suporte > Webmail > Recuperação de senha" is "Suporte/Webmail ›
// Recuperação de senha". A slash inside a name becomes "-" so that it is
// not read as a level.
func categoryPath(cat, sub string) string {
	var parts []string
	for _, v := range []string{cat, sub} {
		if IsNull(v) {
			continue
		}
		sep := "/"
		for _, s := range []string{" > ", ">", " › ", "›", "::", "»"} {
			if strings.Contains(v, s) {
				sep = s
				break
			}
		}
		for _, p := range strings.Split(v, sep) {
			p = strings.Join(strings.Fields(strings.ReplaceAll(p, "/", "-")), " ")
			if p != "" {
				parts = append(parts, p)
			}
		}
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return parts[0] + "/" + strings.Join(parts[1:], " › ")
}
