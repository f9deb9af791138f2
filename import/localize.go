package importer

import (
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// Header names of Jira/JSM, Zendesk and Freshdesk exports in Spanish,
// French, German, Portuguese, Italian, Chinese and Japanese, added to the
// synonyms (fields.go) so that a localized export maps with no help.
func init() {
	add := func(f Field, names ...string) {
		for _, n := range names {
			if _, taken := synonyms[normHeader(n)]; !taken {
				synonyms[normHeader(n)] = f
			}
		}
	}
	// Freshdesk and Zendesk in Spanish, French, German, Portuguese,
	// Italian, Chinese and Japanese
	add(FieldTicketID, "id del ticket", "id du ticket", "ticket-id", "id do ticket", "id ticket", "工单 id", "チケット id")
	add(FieldCreated, "hora de creación", "heure de création", "erstellungszeit", "hora de criação", "ora di creazione",
		"创建时间", "作成時間", "creado el", "créé le", "criado em")
	add(FieldResolved, "hora de resolución", "heure de résolution", "lösungszeit", "hora de resolução", "ora di risoluzione",
		"解决时间", "resuelto el", "résolu le", "解決時間")
	add(FieldCSAT, "resultados de la encuesta", "résultats de l'enquête", "umfrageergebnisse", "resultados da pesquisa",
		"risultati del sondaggio", "调查结果", "アンケート結果", "puntuación de satisfacción", "score de satisfaction",
		"zufriedenheitswert", "pontuação de satisfação", "punteggio di soddisfazione", "满意度评价", "満足度評価")
	add(FieldCustomerID, "id de contacto", "id du contact", "kontakt-id", "id do contato", "id contatto", "联系人 id",
		"id del solicitante", "id du demandeur")
	add(FieldEmail, "correo electrónico del solicitante", "e-mail du demandeur", "e-mail des anfragenden",
		"e-mail do solicitante", "e-mail del richiedente", "请求者电子邮件", "リクエスタのメール")
	add(FieldName, "nombre del contacto", "nom du contact", "kontaktname", "nome do contato", "nome del contatto",
		"リクエスタ", "请求者", "demandeur", "anfragender")
	add(FieldChannel, "fuente", "vía", "kanal", "via", "経路", "渠道")
	add(FieldAgent, "asignado", "assigné", "zugewiesen", "atribuído", "assegnato", "受理人", "agent", "agente",
		"nome do agente", "nombre del agente")
	add(FieldTicketID, "clave de incidencia", "clé de ticket", "clé", "vorgangsschlüssel", "chave da item", "chave",
		"chiave", "chiave del ticket", "问题关键字", "课题キー", "キー", "チケットID", "id del ticket", "id do ticket",
		"numéro de ticket", "ticketnummer", "ticket-id", "número do ticket", "número de ticket", "工单编号")
	add(FieldSubject, "resumen", "résumé", "zusammenfassung", "resumo", "riepilogo", "sommario", "概要", "件名",
		"asunto", "sujet", "objet", "betreff", "assunto", "oggetto", "titre", "título", "titolo", "titel")
	add(FieldBody, "descripción", "descriptif", "beschreibung", "descrição", "descrizione", "説明", "内容", "描述",
		"comentario", "comentarios", "commentaire", "commentaires", "kommentar", "comentário", "commento",
		"explication", "explicación", "verbatim", "raison", "mensaje", "message", "mensagem", "messaggio", "コメント",
		"評論", "評価コメント", "avis", "opinión", "opinião", "motivo", "razón")
	add(FieldName, "informador", "rapporteur", "melder", "relator", "segnalatore", "报告人", "報告者",
		"solicitante", "demandeur", "anforderer", "richiedente", "依頼者", "请求者", "nombre", "nom", "nachname",
		"surname", "last name", "apellido", "apellidos", "sobrenome", "cognome", "nome completo", "nom complet",
		"nombre completo", "vollständiger name", "氏名", "名前")
	add(FieldEmail, "correo", "correo electrónico", "courriel", "adresse e-mail", "adresse email", "e-mail-adresse",
		"email do solicitante", "correo del solicitante", "メールアドレス", "メール")
	add(FieldStatus, "estado", "statut", "état", "estado do ticket", "stato", "ステータス", "状態", "工单状态", "situação")
	add(FieldPriority, "prioridad", "priorité", "priorität", "priorità", "優先度")
	add(FieldKind, "tipo de incidencia", "type de ticket", "type de demande", "vorgangstyp", "tipo de item", "tipo di ticket",
		"课题类型", "课题タイプ", "課題タイプ", "问题类型", "tipo", "typ")
	add(FieldAgent, "responsable", "persona asignada", "personne assignée", "assigné à", "bearbeiter",
		"responsável", "assegnatario", "经办人", "担当者", "agente", "atribuído a", "asignado a")
	add(FieldCreated, "creada", "creado", "fecha de creación", "créé", "créée", "date de création", "erstellt",
		"erstellt am", "criado", "criado em", "data de criação", "creato", "data di creazione", "创建日期", "作成日",
		"作成日時", "fecha", "data", "datum", "评论时间", "评价时间", "发表时间", "发布时间", "提交时间", "回答时间",
		"投稿日", "投稿日時", "date de réponse", "fecha de respuesta")
	add(FieldResolved, "resuelta", "resuelto", "fecha de resolución", "résolu", "résolue", "gelöst", "erledigt am",
		"resolvido em", "risolto", "已解决时间", "解決日", "解決日時")
	add(FieldTags, "etiquetas", "étiquettes", "etiquettes", "schlagwörter", "etiketten", "etichette", "标签", "ラベル", "タグ")
	add(FieldCSAT, "calificación de satisfacción", "calificación", "note de satisfaction", "zufriedenheit",
		"zufriedenheitsbewertung", "avaliação de satisfação", "avaliação", "valutazione della soddisfazione",
		"valutazione", "满意度评分", "満足度", "評価", "note", "satisfaction")
	add(FieldChannel, "canal de origen", "origen", "origine", "quelle", "origem", "canale", "来源", "チャネル")
	add(FieldCategory, "categoría", "catégorie", "kategorie", "categoria", "カテゴリ", "类别", "componentes", "composants",
		"komponenten", "componenti")
	add(FieldCompany, "organización", "organisation", "organização", "organizzazione", "société", "firma",
		"empresa", "azienda", "組織", "会社")
	add(FieldPhone, "teléfono", "téléphone", "telefon", "telefono", "電話番号")
}

// statusWords maps status values of localized exports (lower case) to
// our four statuses; statusOf falls back on keywords.
var statusWords = map[string]model.Status{
	"open": model.StatusOpen, "new": model.StatusOpen, "abierta": model.StatusOpen, "abierto": model.StatusOpen,
	"en curso": model.StatusOpen, "en progreso": model.StatusOpen, "por hacer": model.StatusOpen,
	"tareas por hacer": model.StatusOpen, "nuevo": model.StatusOpen, "nueva": model.StatusOpen,
	"ouvert": model.StatusOpen, "ouverte": model.StatusOpen, "nouveau": model.StatusOpen, "en cours": model.StatusOpen,
	"à faire": model.StatusOpen, "offen": model.StatusOpen, "neu": model.StatusOpen, "in arbeit": model.StatusOpen,
	"aberto": model.StatusOpen, "novo": model.StatusOpen, "em andamento": model.StatusOpen, "aperto": model.StatusOpen,
	"nuovo": model.StatusOpen, "in corso": model.StatusOpen, "in progress": model.StatusOpen, "to do": model.StatusOpen,
	"reopened": model.StatusOpen, "unsolved": model.StatusOpen, "escalated": model.StatusOpen,
	"待处理": model.StatusPending, "处理中": model.StatusOpen, "新建": model.StatusOpen, "オープン": model.StatusOpen,
	"未着手": model.StatusOpen, "進行中": model.StatusOpen, "対応中": model.StatusOpen,
	"pending": model.StatusPending, "on hold": model.StatusPending, "en espera": model.StatusPending,
	"pendiente": model.StatusPending, "en attente": model.StatusPending, "wartend": model.StatusPending,
	"ausstehend": model.StatusPending, "pendente": model.StatusPending, "in attesa": model.StatusPending,
	"保留中": model.StatusPending, "保留": model.StatusPending, "待回复": model.StatusPending,
	"esperando al cliente": model.StatusPending, "esperando soporte": model.StatusOpen,
	"solved": model.StatusResolved, "resolved": model.StatusResolved, "done": model.StatusResolved,
	"completado": model.StatusResolved, "completada": model.StatusResolved, "resuelta": model.StatusResolved,
	"resuelto": model.StatusResolved, "listo": model.StatusResolved, "hecho": model.StatusResolved,
	"finalizado": model.StatusResolved, "terminé": model.StatusResolved, "terminée": model.StatusResolved,
	"résolu": model.StatusResolved, "résolue": model.StatusResolved, "erledigt": model.StatusResolved,
	"gelöst": model.StatusResolved, "fertig": model.StatusResolved, "resolvido": model.StatusResolved,
	"concluído": model.StatusResolved, "risolto": model.StatusResolved, "completato": model.StatusResolved,
	"已解决": model.StatusResolved, "已完成": model.StatusResolved, "完了": model.StatusResolved, "解決済み": model.StatusResolved,
	"closed": model.StatusClosed, "cerrada": model.StatusClosed, "cerrado": model.StatusClosed, "fermé": model.StatusClosed,
	"fermée": model.StatusClosed, "clos": model.StatusClosed, "geschlossen": model.StatusClosed, "fechado": model.StatusClosed,
	"chiuso": model.StatusClosed, "已关闭": model.StatusClosed, "关闭": model.StatusClosed, "クローズ": model.StatusClosed,
	"canceled": model.StatusClosed, "cancelled": model.StatusClosed, "cancelado": model.StatusClosed,
}

// statusOf maps a status value; known is false for a value neither the
// table nor the keywords know (it is read as open and listed in the
// report).
func statusOf(v string) (st model.Status, known bool) {
	s := strings.ToLower(strings.TrimSpace(v))
	if st, ok := statusWords[s]; ok {
		return st, true
	}
	switch {
	case containsAny(s, "pending", "waiting", "hold", "待", "pendente", "em atendimento", "espera", "attente"):
		return model.StatusPending, true
	case containsAny(s, "closed", "已关闭", "fechado", "关闭", "cerrad", "fermé", "geschlossen", "chiuso"):
		return model.StatusClosed, true
	case containsAny(s, "solved", "resolved", "已解决", "resolvido", "solucionado", "done", "complet", "resuel",
		"résolu", "erledigt", "risolt"):
		return model.StatusResolved, true
	case containsAny(s, "open", "progress", "curso", "new", "abiert", "ouvert", "offen", "abert", "apert"):
		return model.StatusOpen, true
	}
	return model.StatusOpen, false
}

// channelWords maps channel values to one canonical set, so that
// "Social media" and "social" are one channel in Insights.
var channelWords = map[string]string{
	"email": "email", "e-mail": "email", "mail": "email", "correo": "email", "correo electrónico": "email",
	"courriel": "email", "邮件": "email", "电子邮件": "email", "メール": "email", "inbound email": "email",
	"phone": "phone", "telephone": "phone", "call": "phone", "voice": "phone", "teléfono": "phone", "téléphone": "phone",
	"telefon": "phone", "telefone": "phone", "telefono": "phone", "电话": "phone", "電話": "phone", "phone call": "phone",
	"chat": "chat", "live chat": "chat", "messaging": "chat", "在线客服": "chat", "在线": "chat", "チャット": "chat",
	"web": "web", "web form": "web", "webform": "web", "website": "web", "portal": "web", "feedback widget": "web",
	"formulario web": "web", "formulaire web": "web", "网页": "web", "网站": "web", "internet": "web",
	"social": "social", "social media": "social", "twitter": "social", "facebook": "social", "instagram": "social",
	"redes sociales": "social", "réseaux sociaux": "social", "社交媒体": "social", "微博": "social",
	"wechat": "wechat", "微信": "wechat", "weixin": "wechat",
	"survey": "survey", "encuesta": "survey", "enquête": "survey", "umfrage": "survey", "问卷": "survey",
	"app": "app", "mobile app": "app", "mobile": "app", "api": "api", "sms": "sms", "whatsapp": "whatsapp",
	"postal mail": "mail", "letter": "mail", "customer care call": "phone", "internet form": "web",
}

// channelOf maps a channel value to the canonical set; known is false
// for a value it does not know, which is kept (in lower case) and listed
// in the report.
func channelOf(v string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(v))
	if c, ok := channelWords[s]; ok {
		return c, true
	}
	return s, false
}

// nobodyNames are what a name column holds for a person nobody knows (a
// deleted or anonymous account): such a row names no person.
var nobodyNames = map[string]bool{"[已注销]": true, "已注销": true, "[deleted]": true, "deleted user": true,
	"anonymous": true, "(anonymous)": true, "匿名": true, "匿名用户": true, "anonyme": true, "anónimo": true}
