package demo

// Word lists and text templates for the demo data generator (demo.go).
// Everything here is fixed data; order matters, because the generator picks
// by index and must give the same data for the same seed.

// zhName is a Chinese name part with its pinyin (for e-mail addresses) and,
// for given names, the gender it usually belongs to ('m', 'f' or 'u').
type zhName struct {
	hz, py string
	g      byte
}

// demoSurnames are common Chinese surnames, most frequent first; the
// generator weights them by position.
var demoSurnames = []zhName{
	{"王", "wang", 0}, {"李", "li", 0}, {"张", "zhang", 0}, {"刘", "liu", 0}, {"陈", "chen", 0},
	{"杨", "yang", 0}, {"黄", "huang", 0}, {"赵", "zhao", 0}, {"吴", "wu", 0}, {"周", "zhou", 0},
	{"徐", "xu", 0}, {"孙", "sun", 0}, {"马", "ma", 0}, {"朱", "zhu", 0}, {"胡", "hu", 0},
	{"郭", "guo", 0}, {"何", "he", 0}, {"高", "gao", 0}, {"林", "lin", 0}, {"罗", "luo", 0},
	{"郑", "zheng", 0}, {"梁", "liang", 0}, {"谢", "xie", 0}, {"宋", "song", 0}, {"唐", "tang", 0},
	{"许", "xu", 0}, {"韩", "han", 0}, {"冯", "feng", 0}, {"邓", "deng", 0}, {"曹", "cao", 0},
	{"彭", "peng", 0}, {"曾", "zeng", 0}, {"肖", "xiao", 0}, {"田", "tian", 0}, {"董", "dong", 0},
	{"袁", "yuan", 0}, {"潘", "pan", 0}, {"于", "yu", 0}, {"蒋", "jiang", 0}, {"蔡", "cai", 0},
	{"余", "yu", 0}, {"杜", "du", 0}, {"叶", "ye", 0}, {"程", "cheng", 0}, {"苏", "su", 0},
	{"魏", "wei", 0}, {"吕", "lv", 0}, {"丁", "ding", 0}, {"任", "ren", 0}, {"沈", "shen", 0},
	{"姚", "yao", 0}, {"卢", "lu", 0}, {"姜", "jiang", 0}, {"崔", "cui", 0}, {"钟", "zhong", 0},
	{"谭", "tan", 0}, {"陆", "lu", 0}, {"汪", "wang", 0}, {"范", "fan", 0}, {"金", "jin", 0},
	{"欧阳", "ouyang", 0}, {"司马", "sima", 0},
}

// demoGivenNames are Chinese given names of one or two characters.
var demoGivenNames = []zhName{
	{"伟", "wei", 'm'}, {"芳", "fang", 'f'}, {"娜", "na", 'f'}, {"静", "jing", 'f'}, {"洋", "yang", 'm'},
	{"敏", "min", 'f'}, {"磊", "lei", 'm'}, {"军", "jun", 'm'}, {"杰", "jie", 'm'}, {"婷", "ting", 'f'},
	{"强", "qiang", 'm'}, {"丽", "li", 'f'}, {"勇", "yong", 'm'}, {"艳", "yan", 'f'}, {"涛", "tao", 'm'},
	{"明", "ming", 'm'}, {"超", "chao", 'm'}, {"霞", "xia", 'f'}, {"平", "ping", 'u'}, {"刚", "gang", 'm'},
	{"桂英", "guiying", 'f'}, {"秀英", "xiuying", 'f'}, {"建华", "jianhua", 'm'}, {"建国", "jianguo", 'm'}, {"海燕", "haiyan", 'f'},
	{"玉兰", "yulan", 'f'}, {"志强", "zhiqiang", 'm'}, {"晓东", "xiaodong", 'm'}, {"丹", "dan", 'f'}, {"萍", "ping", 'f'},
	{"鹏", "peng", 'm'}, {"华", "hua", 'u'}, {"红", "hong", 'f'}, {"玲", "ling", 'f'}, {"飞", "fei", 'm'},
	{"斌", "bin", 'm'}, {"宇", "yu", 'm'}, {"浩", "hao", 'm'}, {"凯", "kai", 'm'}, {"健", "jian", 'm'},
	{"俊", "jun", 'm'}, {"帆", "fan", 'u'}, {"帅", "shuai", 'm'}, {"旭", "xu", 'm'}, {"宁", "ning", 'u'},
	{"雪", "xue", 'f'}, {"琳", "lin", 'f'}, {"颖", "ying", 'f'}, {"倩", "qian", 'f'}, {"莉", "li", 'f'},
	{"欣", "xin", 'f'}, {"悦", "yue", 'f'}, {"瑶", "yao", 'f'}, {"璐", "lu", 'f'}, {"琪", "qi", 'f'},
	{"晨", "chen", 'u'}, {"阳", "yang", 'm'}, {"亮", "liang", 'm'}, {"成", "cheng", 'm'}, {"东", "dong", 'm'},
	{"子涵", "zihan", 'u'}, {"浩然", "haoran", 'm'}, {"欣怡", "xinyi", 'f'}, {"梓轩", "zixuan", 'm'}, {"雨桐", "yutong", 'f'},
	{"一诺", "yinuo", 'u'}, {"子轩", "zixuan", 'm'}, {"思远", "siyuan", 'm'}, {"佳怡", "jiayi", 'f'}, {"宇航", "yuhang", 'm'},
	{"诗涵", "shihan", 'f'}, {"俊杰", "junjie", 'm'}, {"梦琪", "mengqi", 'f'}, {"博文", "bowen", 'm'}, {"雨欣", "yuxin", 'f'},
	{"嘉怡", "jiayi", 'f'}, {"天佑", "tianyou", 'm'}, {"思琪", "siqi", 'f'}, {"明轩", "mingxuan", 'm'}, {"可馨", "kexin", 'f'},
	{"晓燕", "xiaoyan", 'f'}, {"晓明", "xiaoming", 'm'}, {"丽娟", "lijuan", 'f'}, {"文博", "wenbo", 'm'}, {"国强", "guoqiang", 'm'},
	{"春梅", "chunmei", 'f'}, {"海涛", "haitao", 'm'}, {"秀兰", "xiulan", 'f'}, {"志明", "zhiming", 'm'}, {"建军", "jianjun", 'm'},
	{"婉清", "wanqing", 'f'}, {"若曦", "ruoxi", 'f'}, {"子墨", "zimo", 'u'}, {"嘉豪", "jiahao", 'm'}, {"紫萱", "zixuan", 'f'},
	{"家豪", "jiahao", 'm'}, {"美玲", "meiling", 'f'}, {"伟明", "weiming", 'm'}, {"晓峰", "xiaofeng", 'm'}, {"丽华", "lihua", 'f'},
	{"雅婷", "yating", 'f'}, {"冠宇", "guanyu", 'm'}, {"永强", "yongqiang", 'm'}, {"慧敏", "huimin", 'f'}, {"佳琪", "jiaqi", 'f'},
	{"立新", "lixin", 'm'}, {"卫东", "weidong", 'm'}, {"红梅", "hongmei", 'f'}, {"少华", "shaohua", 'u'}, {"振华", "zhenhua", 'm'},
	{"文静", "wenjing", 'f'}, {"金凤", "jinfeng", 'f'}, {"德华", "dehua", 'm'}, {"晓丽", "xiaoli", 'f'}, {"鑫", "xin", 'm'},
	{"昊", "hao", 'm'}, {"瑞", "rui", 'u'}, {"蕾", "lei", 'f'}, {"薇", "wei", 'f'}, {"彤", "tong", 'f'},
	{"毅", "yi", 'm'}, {"昕", "xin", 'u'}, {"哲", "zhe", 'm'}, {"睿", "rui", 'm'}, {"妍", "yan", 'f'},
	{"嘉欣", "jiaxin", 'f'}, {"泽宇", "zeyu", 'm'}, {"思彤", "sitong", 'f'}, {"宏伟", "hongwei", 'm'}, {"雨萱", "yuxuan", 'f'},
	{"建平", "jianping", 'm'}, {"淑珍", "shuzhen", 'f'}, {"凤英", "fengying", 'f'}, {"国华", "guohua", 'm'}, {"晓婷", "xiaoting", 'f'},
	{"子豪", "zihao", 'm'}, {"欣妍", "xinyan", 'f'}, {"文轩", "wenxuan", 'm'}, {"静怡", "jingyi", 'f'}, {"宇轩", "yuxuan", 'm'},
}

// demoZhCompanyWords are the middle parts of Chinese company names
// (杭州 + 云栖 + 科技).
var demoZhCompanyWords = []string{
	"云栖", "前海", "陆家嘴", "星河", "蓝海", "天合", "华创", "智联", "微众", "数聚",
	"极光", "青禾", "万象", "博远", "鼎盛", "启明", "睿思", "优品", "锦程", "汇通",
	"恒信", "新元", "联拓", "晨曦", "海纳", "金桥", "长风", "明德", "云帆", "瑞丰",
	"凌云", "同创", "卓越", "易达", "飞鸿", "安途", "乐享", "码上", "松果", "知行",
	"远景", "泰和", "中科", "百川", "嘉禾", "创想", "橙果", "小象", "宏图", "众邦",
}

var demoZhCompanySuffixes = []string{
	"科技", "信息", "网络", "贸易", "有限公司", "科技有限公司", "信息技术有限公司",
	"网络科技有限公司", "数据", "电子商务有限公司", "贸易有限公司", "文化传媒",
}

// demoWestName is a first name with its gender.
type demoWestName struct {
	name string
	g    byte
}

// demoNation groups the names, language and company suffixes of one
// country, and where its customers live.
type demoNation struct {
	lang      string
	first     []demoWestName
	last      []string
	suffixes  []string
	domain    string
	cities    []string
	phones    []string // one pattern per city; each # is a random digit
	regionIdx int      // index into demoRegions
}

var demoNations = []demoNation{
	{ // United States / Canada
		lang: "en",
		first: []demoWestName{{"Emma", 'f'}, {"Olivia", 'f'}, {"Ava", 'f'}, {"Sophia", 'f'}, {"Mia", 'f'},
			{"Charlotte", 'f'}, {"Amelia", 'f'}, {"Harper", 'f'}, {"Emily", 'f'}, {"Abigail", 'f'},
			{"Liam", 'm'}, {"Noah", 'm'}, {"Oliver", 'm'}, {"James", 'm'}, {"Elijah", 'm'},
			{"William", 'm'}, {"Henry", 'm'}, {"Benjamin", 'm'}, {"Michael", 'm'}, {"Daniel", 'm'},
			{"Jordan", 'u'}, {"Taylor", 'u'}},
		last: []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
			"Anderson", "Thomas", "Taylor", "Moore", "Jackson", "White", "Harris", "Clark", "Lewis",
			"Walker", "Young", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Nguyen", "Kim", "Patel"},
		suffixes: []string{"Inc.", "LLC", "Co.", "", "Group", "Inc."},
		domain:   "example.com",
		phones: []string{"+1 212-555-####", "+1 415-555-####", "+1 206-555-####", "+1 512-555-####", "+1 312-555-####",
			"+1 617-555-####", "+1 303-555-####", "+1 416-555-####", "+1 604-555-####", "+1 213-555-####"},
		cities: []string{"New York", "San Francisco", "Seattle", "Austin", "Chicago", "Boston",
			"Denver", "Toronto", "Vancouver", "Los Angeles"},
		regionIdx: 4,
	},
	{ // United Kingdom and Ireland (Europe, English)
		lang: "en",
		first: []demoWestName{{"Oliver", 'm'}, {"George", 'm'}, {"Harry", 'm'}, {"Jack", 'm'}, {"Thomas", 'm'},
			{"Amelia", 'f'}, {"Isla", 'f'}, {"Poppy", 'f'}, {"Grace", 'f'}, {"Chloe", 'f'}, {"Alex", 'u'}},
		last: []string{"Smith", "Jones", "Williams", "Taylor", "Davies", "Evans", "Thomas", "Roberts",
			"Walsh", "Murphy", "Hughes", "Edwards", "Wright", "Green"},
		suffixes:  []string{"Ltd", "Ltd", "plc", "LLP", ""},
		domain:    "example.org",
		phones:    []string{"+44 20 7### ####", "+44 161 4## ####", "+44 131 4## ####", "+353 1 6## ####", "+44 117 4## ####"},
		cities:    []string{"London", "Manchester", "Edinburgh", "Dublin", "Bristol"},
		regionIdx: 5,
	},
	{ // Germany, Austria, Switzerland
		lang: "de",
		first: []demoWestName{{"Lukas", 'm'}, {"Leon", 'm'}, {"Felix", 'm'}, {"Jonas", 'm'}, {"Maximilian", 'm'},
			{"Paul", 'm'}, {"Hannah", 'f'}, {"Lena", 'f'}, {"Anna", 'f'}, {"Lea", 'f'}, {"Marie", 'f'},
			{"Sophie", 'f'}, {"Jürgen", 'm'}, {"Katrin", 'f'}},
		last: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
			"Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Braun", "Zimmermann"},
		suffixes: []string{"GmbH", "GmbH", "AG", "GmbH & Co. KG", "UG"},
		domain:   "mail.example.de",
		phones: []string{"+49 30 #######", "+49 89 #######", "+49 40 #######", "+49 221 ######", "+49 69 #######",
			"+43 1 #######", "+41 44 ### ## ##"},
		cities:    []string{"Berlin", "München", "Hamburg", "Köln", "Frankfurt", "Wien", "Zürich"},
		regionIdx: 5,
	},
	{ // France
		lang: "fr",
		first: []demoWestName{{"Lucas", 'm'}, {"Gabriel", 'm'}, {"Louis", 'm'}, {"Hugo", 'm'}, {"Jules", 'm'},
			{"Chloé", 'f'}, {"Léa", 'f'}, {"Manon", 'f'}, {"Camille", 'f'}, {"Inès", 'f'}, {"Élodie", 'f'}},
		last: []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
			"Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garnier", "Faure"},
		suffixes: []string{"SARL", "SAS", "SA", "SAS"},
		domain:   "example.org",
		phones: []string{"+33 1 ## ## ## ##", "+33 4 ## ## ## ##", "+33 4 ## ## ## ##", "+33 5 ## ## ## ##",
			"+33 5 ## ## ## ##", "+33 3 ## ## ## ##"},
		cities:    []string{"Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille"},
		regionIdx: 5,
	},
	{ // Spain
		lang: "es",
		first: []demoWestName{{"Hugo", 'm'}, {"Martín", 'm'}, {"Pablo", 'm'}, {"Alejandro", 'm'}, {"Daniel", 'm'},
			{"Lucía", 'f'}, {"Sofía", 'f'}, {"Martina", 'f'}, {"María", 'f'}, {"Paula", 'f'}},
		last: []string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
			"Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz"},
		suffixes:  []string{"S.L.", "S.L.", "S.A."},
		domain:    "example.com",
		phones:    []string{"+34 91 ### ####", "+34 93 ### ####", "+34 96 ### ####", "+34 95 ### ####", "+34 94 ### ####"},
		cities:    []string{"Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao"},
		regionIdx: 5,
	},
	{ // Italy (writes in English to support)
		lang: "en",
		first: []demoWestName{{"Leonardo", 'm'}, {"Francesco", 'm'}, {"Alessandro", 'm'}, {"Lorenzo", 'm'},
			{"Sofia", 'f'}, {"Giulia", 'f'}, {"Aurora", 'f'}, {"Alice", 'f'}, {"Ginevra", 'f'}},
		last: []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
			"Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca"},
		suffixes:  []string{"S.r.l.", "S.r.l.", "S.p.A."},
		domain:    "example.org",
		phones:    []string{"+39 02 #### ####", "+39 06 #### ####", "+39 011 ### ####", "+39 051 ### ####", "+39 055 ### ####"},
		cities:    []string{"Milano", "Roma", "Torino", "Bologna", "Firenze"},
		regionIdx: 5,
	},
	{ // Asia-Pacific, English speaking
		lang: "en",
		first: []demoWestName{{"Jack", 'm'}, {"Oliver", 'm'}, {"Lachlan", 'm'}, {"Ethan", 'm'}, {"Ryan", 'm'},
			{"Chloe", 'f'}, {"Ruby", 'f'}, {"Zoe", 'f'}, {"Priya", 'f'}, {"Mei", 'f'}, {"Sam", 'u'}},
		last: []string{"Tan", "Lim", "Ng", "Wong", "Smith", "Brown", "Wilson", "Sato", "Suzuki", "Kumar",
			"Singh", "Lee", "Chua", "Kelly"},
		suffixes:  []string{"Pte. Ltd.", "Pty Ltd", "Ltd", "K.K."},
		domain:    "example.com",
		phones:    []string{"+65 6### ####", "+61 2 #### ####", "+61 3 #### ####", "+81 3-####-####", "+64 9 ### ####", "+852 2### ####"},
		cities:    []string{"Singapore", "Sydney", "Melbourne", "Tokyo", "Auckland", "Hong Kong"},
		regionIdx: 6,
	},
}

// demoNationWeights: US/Canada, UK, DACH, France, Spain, Italy, APAC.
var demoNationWeights = []int{38, 11, 16, 10, 7, 5, 13}

var demoEnCompanyFirst = []string{
	"Northwind", "Blue Harbor", "Silver Oak", "Red Maple", "Brightline", "Granite", "Evergreen",
	"Summit", "Lakeside", "Ironbridge", "Cedar", "Pioneer", "Atlas", "Harbor Point", "Meridian",
	"Copper Leaf", "North Star", "Westfield", "Sunrise", "Clearwater", "Alpine", "Riverside",
	"Falcon", "Orchard", "Beacon", "Bluebird", "Contoso", "Fabrikam", "Tailspin", "Wide World",
}

var demoEnCompanySecond = []string{
	"Traders", "Analytics", "Logistics", "Software", "Foods", "Labs", "Systems", "Health", "Media",
	"Outfitters", "Consulting", "Robotics", "Studio", "Partners", "Supply", "Retail", "Energy",
	"Finance", "Learning", "Travel", "Coffee", "Fitness",
}

// demoRegion is a sales region and its cities. The first four are the
// Chinese regions.
type demoRegion struct {
	name   string
	cities []string
	// effect shifts the satisfaction of the region's customers.
	effect float64
}

var demoRegions = []demoRegion{
	{"华东", []string{"上海", "杭州", "南京", "苏州", "宁波", "合肥"}, 0.15},
	{"华南", []string{"深圳", "广州", "厦门", "福州", "东莞", "南宁"}, -0.75},
	{"华北", []string{"北京", "天津", "济南", "石家庄", "青岛", "太原"}, 0.05},
	{"西南", []string{"成都", "重庆", "昆明", "贵阳", "西安"}, 0.1},
	{"North America", nil, 0.1},
	{"Europe", nil, -0.65},
	{"APAC", nil, 0.05},
}

// demoZhRegionWeights: 华东, 华南, 华北, 西南.
var demoZhRegionWeights = []int{36, 24, 25, 15}

var demoPlans = []string{"free", "pro", "enterprise"}

var demoPlanWeights = []int{60, 30, 10}

// demoLifecycleWeights per plan (free, pro, enterprise), in the order of
// model.Lifecycles: new, activated, retained, paying, referrer, at_risk,
// churned. Only paid plans are "paying".
var demoLifecycleWeights = [3][]int{
	{18, 30, 22, 0, 5, 9, 16},
	{4, 6, 12, 50, 8, 12, 8},
	{2, 3, 8, 62, 12, 9, 4},
}

var demoLifecycles = []string{"new", "activated", "retained", "paying", "referrer", "at_risk", "churned"}

var demoSignupSources = [2][]string{
	{"wechat", "app_store", "web", "referral", "sales", "douyin", "xiaohongshu", "partner"},
	{"web", "google_ads", "referral", "sales", "app_store", "partner", "linkedin", "event"},
}

var demoIndustries = []string{"retail", "education", "finance", "saas", "manufacturing",
	"healthcare", "logistics", "gaming", "media", "travel"}

var demoCompanySizes = []string{"1-10", "11-50", "51-200", "201-1000", "1000+"}

// demoTags are the customer tags; the generator decides who gets which.
var demoTags = []string{"vip", "beta", "大客户", "渠道:线下", "churn-risk", "partner", "early-adopter", "outage"}

const (
	tagVIP = iota
	tagBeta
	tagBigAccount
	tagOffline
	tagChurnRisk
	tagPartner
	tagEarlyAdopter
	tagOutage // feedback tag during the outage
)

// demoCategories is the taxonomy created up front; parents come from the
// paths. Templates refer to categories by path.
var demoCategories = []string{
	"Billing/Refund", "Billing/Invoice", "Product/Bug", "Product/Feature request",
	"Account/Login", "Delivery/Delay", "Service/Attitude", "Performance/Slow",
	"账单/退款", "物流/延迟", "服务/态度", "产品/故障",
}

// demoAgents is the support team. The first four mostly answer Chinese
// customers.
var demoAgents = []string{"li.na", "zhang.wei", "wang.fang", "chen.jing", "emma", "lucas", "sofia", "noah"}

// Channels with weights, for Chinese and for other customers.
var demoChannels = []string{"email", "phone", "chat", "web", "social", "survey", "app", "wechat"}

var demoChannelWeights = [2][]int{
	{8, 15, 15, 10, 7, 5, 14, 26},
	{32, 12, 18, 12, 8, 9, 9, 0},
}

// demoChannelEffect shifts satisfaction by channel (same order).
var demoChannelEffect = []float64{-0.35, 0.45, 0.35, 0, -0.5, 0, 0.05, 0.15}

// demoTemplate is one subject/body pair with slots:
// {p} product area, {f} feature, {a} amount, {d} days, {o} order number,
// {n} a small count, {c} the customer's city, {g} an agent's name.
type demoTemplate struct {
	kind     string
	category string // "" = left unclassified
	outage   bool   // typical of the outage month
	subject  string
	body     string
}

var demoZhProducts = []string{"支付页面", "订单列表", "发票中心", "手机App", "数据报表", "会员中心",
	"客服工单", "消息通知", "小程序", "后台管理", "导出功能", "优惠券"}

var demoZhFeatures = []string{"批量导出", "微信登录", "自定义报表", "多账号管理", "暗色模式",
	"发票自动开具", "API接口", "订单提醒", "数据看板", "子账号权限"}

var demoEnProducts = []string{"checkout page", "order history", "invoice portal", "mobile app",
	"dashboard", "account settings", "reports", "notifications", "API", "CSV export", "search", "admin console"}

var demoEnFeatures = []string{"bulk export", "single sign-on", "custom reports", "dark mode",
	"two-factor authentication", "Slack integration", "scheduled exports", "team roles",
	"a public API", "audit logs"}

var demoZhTemplates = []demoTemplate{
	{"complaint", "账单/退款", false, "退款{d}天还没到账", "订单{o}申请退款已经{d}天了，金额{a}，到现在还没有到账，请尽快处理。"},
	{"complaint", "账单/退款", false, "重复扣费", "同一笔订单{o}被扣了两次款，共{a}，要求退回多扣的部分。"},
	{"complaint", "账单/退款", false, "自动续费没有提醒", "没有收到任何提醒就自动续费扣了{a}，我已经不用了，要求全额退款。"},
	{"question", "Billing/Invoice", false, "如何开具增值税专用发票", "我们公司需要为订单{o}开具增值税专用发票，请问在{p}哪里填写开票信息？"},
	{"request", "Billing/Invoice", false, "发票抬头填错了", "订单{o}的发票抬头写错了，麻烦帮忙作废重开，金额{a}。"},
	{"complaint", "物流/延迟", false, "下单{d}天还没发货", "订单{o}下单已经{d}天了还显示待发货，客服一直说在催，到底什么时候能发？"},
	{"complaint", "物流/延迟", false, "快递送到{c}太慢", "寄到{c}的包裹{d}天了还在中转，物流信息一直没有更新。"},
	{"complaint", "服务/态度", false, "客服态度很差", "昨天打电话咨询{p}的问题，客服很不耐烦，没说完就挂了电话。"},
	{"complaint", "服务/态度", false, "问题反映{n}次没人处理", "同一个问题已经反映了{n}次，每次都说会有人联系我，结果一直没有回音。"},
	{"complaint", "产品/故障", false, "{p}打不开", "升级到最新版本后{p}一直闪退，重启手机也没用，已经影响到我们{n}个同事使用。"},
	{"complaint", "产品/故障", false, "{p}数据对不上", "{p}里显示的金额和实际到账的{a}对不上，差了好几笔。"},
	{"complaint", "产品/故障", true, "系统无法登录，业务中断", "从今天上午开始系统完全打不开，{p}报错502，我们的业务已经停了{n}个小时！"},
	{"complaint", "Performance/Slow", true, "服务又挂了", "这周第{n}次无法访问了，{p}一直转圈，请给个说法，什么时候能恢复？"},
	{"complaint", "Performance/Slow", false, "{p}加载很慢", "最近{d}天{p}加载要等十几秒，高峰期经常超时。"},
	{"feedback", "Performance/Slow", true, "宕机期间的损失谁来承担", "上周故障期间{p}不可用，我们损失了不少订单，希望能给出补偿方案。"},
	{"question", "Account/Login", false, "收不到验证码", "登录时一直收不到短信验证码，换了手机号也不行，怎么办？"},
	{"question", "Account/Login", false, "忘记密码怎么找回", "管理员账号的密码忘了，绑定的邮箱也不用了，请问怎么找回？"},
	{"request", "Account/Login", false, "希望支持{f}", "我们团队有{n}个人，希望能支持{f}，现在每次登录都很麻烦。"},
	{"request", "Product/Feature request", false, "希望增加{f}功能", "建议在{p}里增加{f}，现在每次都要手动处理，很不方便。"},
	{"request", "Product/Feature request", false, "{p}能否支持{f}", "请问{p}以后会支持{f}吗？我们很需要这个功能，愿意付费。"},
	{"request", "Product/Feature request", false, "建议优化{p}", "{p}的操作步骤太多了，建议简化一下流程，最好能一键完成。"},
	{"question", "", false, "{p}怎么使用", "刚开通账号，不太会用{p}，有没有使用教程或者视频？"},
	{"question", "", false, "企业版和专业版有什么区别", "我们目前是专业版，想了解一下企业版多了哪些功能，价格是多少？"},
	{"question", "Billing/Invoice", false, "对公转账怎么付款", "我们公司只能对公转账，请问收款账户是多少？付款后多久能开通？"},
	{"question", "", false, "数据能导出吗", "想把{p}里近{d}天的数据导出来做分析，请问支持Excel格式吗？"},
	{"question", "物流/延迟", false, "订单{o}到哪了", "订单{o}显示已发货{d}天了，请帮忙查一下物流状态。"},
	{"praise", "服务/态度", false, "感谢{g}的耐心解答", "{g}非常耐心地帮我解决了{p}的问题，服务很专业，点赞！"},
	{"praise", "", false, "新版本很好用", "新版{p}比以前快多了，界面也清爽，继续加油。"},
	{"praise", "", false, "问题解决得很快", "提交工单不到一个小时就解决了，效率很高，很满意。"},
	{"praise", "物流/延迟", false, "发货速度很快", "昨天下单今天就到{c}了，包装也很好，会推荐给朋友。"},
	{"feedback", "", false, "{p}体验反馈", "整体还可以，但是{p}的界面有点复杂，新员工上手需要一些时间。"},
	{"feedback", "", false, "关于价格的建议", "专业版{a}一年对小团队来说有点贵，能不能出一个按月付费的套餐？"},
	{"feedback", "产品/故障", false, "{p}偶尔出错", "{p}偶尔会出现提交失败的情况，刷新一下又好了，不知道是什么原因。"},
	{"feedback", "服务/态度", false, "客服响应有点慢", "在线客服排队要等{n}0分钟，希望能增加人手。"},
	{"feedback", "", false, "回访问卷", "已经使用{d}天，总体满意，{p}还有改进空间。"},
	{"complaint", "账单/退款", false, "优惠券没有抵扣", "下单时用了优惠券，结果实际支付了{a}，优惠没生效，请退还差价。"},
	{"complaint", "产品/故障", false, "{p}消息推送异常", "{p}一天推送了{n}0条重复消息，严重打扰，请尽快修复。"},
	{"request", "", false, "申请延长试用", "我们还在评估{p}，试用期只剩{d}天了，能否延长两周？"},
	{"request", "Billing/Invoice", false, "合同和发票盖章", "请把订单{o}的合同和发票盖章后寄到{c}的办公室。"},
	{"question", "Account/Login", false, "如何添加子账号", "想给{n}个同事开通子账号，并且限制他们只能看{p}，怎么设置？"},
}

var demoEnTemplates = []demoTemplate{
	{"complaint", "Billing/Refund", false, "Refund not received after {d} days", "I requested a refund for order {o} ({a}) {d} days ago and still have not received it. Please look into this."},
	{"complaint", "Billing/Refund", false, "Charged twice", "My card was charged twice for order {o}, {a} in total. Please refund the duplicate charge."},
	{"complaint", "Billing/Refund", false, "Auto-renewal without notice", "You renewed my subscription and charged {a} without any reminder. I want a full refund."},
	{"question", "Billing/Invoice", false, "Invoice with VAT number", "Could you reissue the invoice for order {o} with our VAT number? The current one is missing it."},
	{"request", "Billing/Invoice", false, "Wrong billing address on invoice", "The invoice for order {o} shows our old address. Please send a corrected copy."},
	{"complaint", "Delivery/Delay", false, "Order {o} still not shipped", "I ordered {d} days ago and the status still says processing. When will it ship?"},
	{"complaint", "Delivery/Delay", false, "Package stuck in transit", "My package to {c} has been stuck in transit for {d} days with no tracking update."},
	{"complaint", "Service/Attitude", false, "Rude support agent", "I called about the {p} and the agent was dismissive and ended the call before I finished."},
	{"complaint", "Service/Attitude", false, "Nobody gets back to me", "I have reported this {n} times now. Every time I am told someone will contact me, and nobody does."},
	{"complaint", "Product/Bug", false, "The {p} crashes", "Since the last update the {p} crashes on start. {n} people on my team cannot work."},
	{"complaint", "Product/Bug", false, "Wrong totals in {p}", "The totals in the {p} do not match what we were billed ({a}). Several entries are missing."},
	{"complaint", "Product/Bug", true, "Service down, we cannot work", "Since this morning nothing loads and the {p} returns error 502. Our business has been down for {n} hours!"},
	{"complaint", "Performance/Slow", true, "Outage again?", "That makes {n} outages this week. The {p} just spins. When will it be fixed?"},
	{"complaint", "Performance/Slow", false, "{p} is very slow", "For the last {d} days the {p} takes more than ten seconds to load and often times out."},
	{"feedback", "Performance/Slow", true, "Compensation for the outage", "During last week's outage the {p} was unavailable and we lost orders. We expect some compensation."},
	{"question", "Account/Login", false, "Not receiving the login code", "I never receive the verification code when I sign in, even after trying another address."},
	{"question", "Account/Login", false, "Locked out of admin account", "Our admin left the company and we cannot reset the password. How can we regain access?"},
	{"request", "Account/Login", false, "Please support {f}", "We are {n} people on the team and would like {f}. Signing in separately is a pain."},
	{"request", "Product/Feature request", false, "Feature request: {f}", "It would save us a lot of time if the {p} had {f}. Right now we do it by hand."},
	{"request", "Product/Feature request", false, "Will the {p} get {f}?", "Is {f} on your roadmap for the {p}? We would happily pay for it."},
	{"request", "Product/Feature request", false, "Simplify the {p}", "The {p} needs too many clicks for a simple task. Could it be done in one step?"},
	{"question", "", false, "How do I use the {p}?", "We just signed up and are not sure how the {p} works. Is there a guide or a video?"},
	{"question", "", false, "Pro vs Enterprise", "We are on Pro. What does Enterprise add, and what would it cost for {n}0 seats?"},
	{"question", "Billing/Invoice", false, "Paying by bank transfer", "Our finance team can only pay by bank transfer. What are your bank details?"},
	{"question", "", false, "Exporting data", "Can I export the last {d} days of data from the {p} to Excel?"},
	{"question", "Delivery/Delay", false, "Where is order {o}?", "Order {o} was shipped {d} days ago. Could you check where it is?"},
	{"praise", "Service/Attitude", false, "Thanks to {g}", "{g} was patient and fixed our {p} problem in minutes. Great service!"},
	{"praise", "", false, "Love the new version", "The new {p} is much faster and cleaner. Keep it up."},
	{"praise", "", false, "Quick resolution", "My ticket was solved within the hour. Very happy with the support."},
	{"praise", "Delivery/Delay", false, "Fast delivery", "Ordered yesterday, delivered to {c} today. Nicely packed too."},
	{"feedback", "", false, "Feedback on the {p}", "Overall fine, but the {p} is a bit confusing for new team members."},
	{"feedback", "", false, "Pricing feedback", "Pro at {a} a year is steep for a small team. A monthly plan would help."},
	{"feedback", "Product/Bug", false, "{p} sometimes fails", "Saving in the {p} fails now and then; a reload fixes it. Not sure why."},
	{"feedback", "Service/Attitude", false, "Long chat queue", "I waited {n}0 minutes in the chat queue. Please add more agents at peak times."},
	{"feedback", "", false, "Survey answer", "Using it for {d} days now, mostly happy; the {p} could be better."},
	{"complaint", "Billing/Refund", false, "Coupon not applied", "I used a coupon at checkout but was charged the full {a}. Please refund the difference."},
	{"complaint", "Product/Bug", false, "Duplicate notifications", "The {p} sent me {n}0 duplicate notifications today. Please fix this."},
	{"request", "", false, "Extend our trial", "We are still evaluating the {p} and have {d} days of trial left. Could you extend it by two weeks?"},
	{"request", "Billing/Invoice", false, "Signed contract and invoice", "Please send the signed contract and invoice for order {o} to our office in {c}."},
	{"question", "Account/Login", false, "Adding team members", "How do I add {n} colleagues and limit them to the {p} only?"},
}

var demoZhFollowupNotes = []string{
	"回访确认退款是否到账", "电话回访满意度", "跟进发票开具进度", "确认{p}问题是否解决",
	"续费提醒", "邀请参加新功能内测", "故障后致歉回访", "沟通升级企业版方案", "召回：发放优惠券",
}

var demoEnFollowupNotes = []string{
	"Call back about the refund", "Check in after the outage", "Renewal reminder",
	"Confirm the {p} issue is fixed", "Invite to the beta", "Quarterly business review",
	"Send the invoice copy", "Win-back offer", "Walk through the {p}",
}

var demoZhNotes = []string{
	"客户偏好微信联系", "下午三点后方便接电话", "对价格比较敏感", "决策人是采购部经理",
	"曾多次投诉物流问题", "有意向升级到企业版", "老客户，介绍过{n}个新客户", "月底前出差，邮件联系",
	"对{p}的稳定性有顾虑", "要求每月提供使用报告",
}

var demoEnNotes = []string{
	"Prefers email over phone", "Decision maker is the CTO", "Price sensitive, asked about discounts",
	"Interested in the enterprise plan", "Travelling until the end of the month",
	"Reported the {p} bug twice", "Referred {n} new customers", "Wants a monthly usage report",
	"Worried about the {p} reliability", "Renewal due next quarter",
}

// demoAgentNames are how customers call the agents of demoAgents in a text.
var demoAgentNames = []string{"小李", "小张", "小王", "小陈", "Emma", "Lucas", "Sofia", "Noah"}

// demoHourWeights spread feedback over the hours of a UTC day: Chinese
// office hours (01–10 UTC) and European and American ones (08–22 UTC).
var demoHourWeights = []int{4, 10, 14, 16, 14, 12, 13, 12, 12, 11, 9, 8, 8, 9, 10, 10, 9, 8, 7, 6, 5, 4, 3, 3}

// Openers and closers vary the feedback bodies.
var (
	demoZhOpeners = []string{"", "", "", "你好，", "您好，", "客服你好，", "麻烦看一下：", "急！"}
	demoZhClosers = []string{"", "", "", "谢谢。", "麻烦尽快回复。", "辛苦了。", "期待回复。", "电话联系我也可以。"}
	demoEnOpeners = []string{"", "", "", "Hi,\n", "Hello,\n", "Hi team,\n", "Hello support,\n", "Dear support,\n"}
	demoEnClosers = []string{"", "", "", " Thanks.", " Thank you!", "\nKind regards.", " Please advise.", "\nCheers."}
)
