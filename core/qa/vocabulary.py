"""The words of questions that are not about a figure: intent, time, kinds of agency, and filler (data).

Figures are named by the question catalogue (core/templates/catalogue_words.py); this file lists what else a
question may say. Every word here is "explained" when it is read: filler needs nothing, an intent word sets
what kind of answer is wanted, a year word picks a report year against the clock.
"""

from __future__ import annotations

# fmt: off
INTENT: dict[str, tuple[str, ...]] = {
    "help": ("你能回答什么", "能回答什么", "可以回答什么", "你能做什么", "能做什么", "可以问什么", "能问什么", "怎么用",
             "如何使用", "帮助", "使用说明", "示例", "举例", "例子", "你好", "您好", "hello", "hi", "help",
             "what can you do", "what can i ask", "how do i use", "how to use", "examples", "usage"),
    "rank": ("最多", "最高", "最大", "第一", "排第一", "居首", "最多的", "最高的", "most", "highest", "largest",
             "biggest", "greatest", "the most"),
    "rank_asc": ("最少", "最低", "最小", "倒数", "垫底", "倒数第一", "排名最后", "排最后", "最后一名", "末位", "排名末位", "fewest", "least", "lowest", "smallest", "bottom"),
    "ranking": ("排名", "排行", "排", "排序", "排前", "排在前", "排行榜", "名次", "rank", "ranking", "ranked", "rankings"),
    "sum": ("一共", "总共", "合计", "总计", "共计", "加起来", "加一起", "加在一起", "加到一起", "总和", "总量", "累计", "合起来", "加总", "总数", "共", "added up", "add up", "adding up", "all told", "grand total", "both kinds", "either kind", "of either kind", "of both kinds", "都算", "都算上", "都算进去", "一起算", "两种都算", "两个都算", "都包括",
            "in total", "altogether", "combined", "sum", "total", "totals", "overall", "all together", "together"),
    "average": ("平均", "均值", "平均每个", "平均每家", "average", "mean", "avg", "per agency", "on average"),
    "count": ("几家", "多少家", "多少单位", "几个单位", "多少个单位", "几份", "多少份", "单位有几个", "单位有多少",
              "单位有多少个", "的单位有几家",
              "how many agencies", "number of agencies", "how many reports", "number of reports"),
    "which": ("哪个", "哪些", "哪家", "哪几个", "哪几家", "谁", "谁家", "哪一个", "哪一家", "哪", "which", "who", "what agencies"),
    "list": ("有哪些", "列出", "列一下", "分别", "分别是", "list", "show all", "one by one"),
    "each": ("each agency in", "every agency in", "各", "各个", "每个", "每家", "每一个", "each", "every", "哪些单位", "哪个单位", "哪家单位", "哪些报告",
             "which agencies", "which agency", "what agencies", "which reports", "each agency", "所有单位", "全部单位",
             "各单位", "各个单位", "的单位", "下属单位", "辖区单位", "所属单位", "辖区内单位", "all agencies",
             "every agency", "across all agencies", "agencies in"),
    "plural": ("哪些", "哪几个", "哪几家", "哪几个单位", "哪些单位"),
    # 复议维持和纠正的各多少: each of the figures named, not each agency
    "respectively": ("各多少", "各有多少", "各有几件", "各几件", "各是多少", "各为多少", "各自", "各自多少", "各几个",
                     "respectively", "each of them", "each of these"),
    "all": ("所有", "全部", "所有的", "全部的", "全市", "全区", "全县", "全省", "all", "all the", "everyone", "所有单位", "全部单位", "all agencies"),
    "compare": ("比较", "对比", "相比", "比一比", "对照", "差多少", "差距", "差异", "区别", "相差", "谁多", "哪个多",
                "比", "之差", "差", "差值", "差了多少", "gap", "compare", "comparison", "compared", "versus", "vs", "than", "difference", "minus",
                "differ"),
    "change": ("同比", "环比", "变化", "增长", "增加", "减少", "下降", "上升", "提高", "降低", "多了", "少了", "变动",
               "增幅", "降幅", "增长率", "增长百分比", "增长的百分比", "增长比例", "变化率", "变化百分比", "变动率",
               "下降百分比", "减少百分比", "下降率", "减少率", "涨幅", "up or down", "go up", "went up", "gone up", "go down",
               "went down", "gone down", "多收", "少收", "变了", "变化了", "变", "有什么变化", "多还是少", "多了还是少了", "涨", "跌", "增加了", "减少了", "增长了", "下降了", "change", "changed",
               "changes", "grow", "grew", "growth", "increase", "increased", "decrease", "decreased", "rise",
               "rose", "fall", "fell", "growth rate", "rate of change", "增减", "增减情况", "增减变化", "year-over-year", "year over year", "yoy", "more", "fewer"),
    "yoy": ("同比", "环比", "year-over-year", "year over year", "year-on-year", "year on year", "yoy", "同期", "较"),
    "every_year": ("历年", "每年", "各年", "逐年", "历史", "趋势", "所有年份", "各年度", "这几年", "近几年", "变化趋势",
                   "近三年", "近两年", "这两年", "最近两年", "最近几年", "最近三年", "过去几年", "这些年", "历年来",
                   "over the years", "each year", "every year", "all years", "trend", "history", "by year",
                   "over time", "over the last three years", "last three years", "past three years", "over the past three years",
                   "last few years", "past few years", "recent years", "in recent years", "over the past years",
                   "last 3 years", "past 3 years", "over the last years", "across the years", "across all its reports",
                   "all its reports", "across all reports", "in every year", "every year we have"),
    "pct": ("百分之多少", "百分之几", "百分比", "增长率", "增幅", "比例", "几成", "增长百分比", "增长的百分比", "增长比例",
            "变化率", "变化百分比", "变动率", "下降百分比", "减少百分比", "下降率", "减少率", "降幅", "涨幅", "percent", "percentage", "%",
            "by what percentage", "growth rate", "rate of change"),
    "yes_no": ("吗", "了吗", "是否", "算不算", "是否算", "有没有", "是不是", "了没有", "对不对", "没有吗", "么", "有无", "缺不缺", "全不全", "齐不齐"),
    "negative": ("没有", "没", "未", "无", "零", "为0", "为零", "是0", "等于0", "no", "zero", "none", "never",
                 "without", "not"),
    "have": ("有", "过", "发生", "发生过", "出现", "被"),
    "how_many": ("多少", "几", "几件", "多少件", "几次", "多少次", "how many", "how much", "number of",
                 "count",
                 "多杀", "几处", "有几"),  # duosha for duoshao: a pinyin slip, not a homophone    # Things near a figure that the reports do not record: no kind of question uses this intent, so a
    # question that says one is refused, not answered with the figure next to it (被处罚 ≠ 行政处罚决定).
    "unrecorded": ("被处罚", "被行政处罚", "被罚", "被罚款", "罚款金额", "罚没", "罚没款", "罚金", "fines", "fined",
                   "was penalised", "was penalized", "were penalised", "were penalized", "penalty amount",
                   "复议机关", "复议机构", "作为复议机关", "哪些人", "什么人", "谁写的", "谁申请", "哪些申请人",
                   "逾期答复", "延期答复", "超期答复", "答复超期", "当场答复", "延期", "answer late",
                   "answered late", "replied late", "responded late", "late answers", "late replies", "on the spot",
                   "extension", "extensions", "reconsideration body",
                   # what requests were about: the reports count them, they do not say their subjects
                   "关于什么", "涉及什么", "什么内容", "哪些内容", "什么事", "什么事情", "什么方面", "哪方面", "哪些方面",
                   "什么类型的信息", "about what", "what about", "what topics", "what subjects", "what kind of information",
                   # what a report says in words: its prose is not stored as figures
                   # a fee said of requests is the information processing fee, not 行政事业性收费
                   "收费的申请人", "收费的申请", "收了费的", "被收费", "were charged", "charged a fee", "charged fees",
                   # how to apply, and opinions: no report records them
                   "怎么申请", "如何申请", "怎样申请", "在哪申请", "在哪里申请", "去哪申请", "在哪下载", "在哪里下载",
                   "how do i", "how can i", "how to file", "how to apply", "where can i",
                   "做得怎么样", "做得如何", "做得好不好", "干得怎么样", "表现如何", "表现怎么样", "how well", "how good",
                   "说了什么", "写了什么", "讲了什么", "提到了什么", "提了什么", "怎么说的", "怎么写的", "say about",
                   "said about", "says about", "write about", "wrote about", "writes about"),
}

YEAR_WORDS: dict[str, tuple[str, ...]] = {
    "this": ("今年", "本年度", "今年度", "this year", "current year"),
    "last": ("去年", "上一年", "上年", "上一年度", "上年度", "last year", "previous year", "the year before",
             "prior year", "year before", "a year earlier"),
    "before_last": ("前年", "the year before last", "two years ago"),
    "latest": ("最新", "最近", "最近一年", "最新一年", "最新的", "latest", "most recent", "newest"),
}

# Kinds of agency a question may filter by. The QA maps them to core.tiers and name patterns.
KINDS: dict[str, tuple[str, ...]] = {
    "street": ("街道", "街道办事处", "街道办", "subdistrict", "subdistricts", "street", "streets",
               "sub-district", "sub-districts", "subdistrict office", "subdistrict offices", "street office",
               "street offices"),
    "town": ("乡镇", "镇", "乡", "镇政府", "乡镇政府", "乡镇人民政府", "town", "towns", "township", "townships"),
    "township": ("镇街", "乡镇街道", "街镇", "基层"),
    "dept": ("部门", "局", "委", "委员会", "局委", "委办局", "县级部门", "区级部门", "department", "departments", "bureau",
             "bureaus", "agency departments"),
    "gov": ("区", "县", "区政府", "县政府", "市政府", "区县", "区县政府", "县区", "各区", "本级政府", "区级政府", "县级政府",
            "人民政府", "政府", "区县市", "县市区", "district government", "district governments",
            "county government", "county governments", "city government", "city governments", "government",
            "governments", "districts", "counties", "district", "people's government", "people government",
            "people's governments", "county-level government", "county-level governments", "county-level"),
}

# Filler: needs no explanation anywhere.
STOP: tuple[str, ...] = (
    "的", "了", "呢", "吧", "判", "判决", "被判", "啊", "呀", "嘛", "哦", "哈", "是", "在", "为", "及", "同", "或", "和", "与", "跟", "还", "又", "也",
    "都", "就", "才", "只", "已", "把", "对", "从", "到", "给", "向", "由", "于", "以", "而", "且", "但", "则", "即",
    "该", "这", "那", "其", "此", "个", "件", "次", "项", "条", "份", "宗", "起", "例", "笔", "位", "名", "场",
    "多", "少", "啥", "请", "下", "看", "查", "问", "我", "你", "您", "他", "们", "它", "之", "所", "得", "地", "着",
    "年", "度", "本", "一", "些", "样", "怎", "如", "何", "因", "因为", "由于", "所以", "什么",
    "请问", "帮我", "帮忙", "查一下", "查询", "看看", "看一下", "告诉我", "我想知道", "想知道", "想问", "问一下",
    "一下", "麻烦", "一共有", "共有", "数量", "数据", "数字", "情况下", "年度", "报告", "年报", "年度报告",
    "工作年度报告", "政府信息公开工作年度报告", "信息公开工作年度报告", "政府信息公开", "信息公开", "政府信息",
    "信息", "单位", "机关", "行政机关", "本机关", "该单位", "数", "总", "全", "当年", "这一年", "那一年", "全年",
    "其中", "里面", "里", "中", "内", "之中", "当中", "方面", "相关", "有关", "涉及", "关于", "属于", "件数",
    "案件", "案子", "事项", "行政", "工作", "一年", "有多", "有多少", "多高", "多大", "多少件",
    "怎么", "怎样", "如何", "应该", "应当", "能", "会", "要", "需要", "的话", "来看", "来说", "呢吗",
    "完了", "那种", "这种", "那个", "就是", "想问下", "想问问", "想了解", "了解一下", "了解下", "到底", "真的", "其实",
    "的时候", "嗯", "咋", "里头", "那边", "这边", "具体", "算一下", "帮我算一下", "听说", "检查出", "查出", "收录", "收录了", "注意", "谢谢", "请帮我", "帮我看看", "帮我查", "是多少", "一件", "一个", "用", "采用", "使用", "用了",
    "only", "the", "a", "an", "of", "in", "for", "to", "by", "did", "does", "do", "is", "are", "be", "been", "there", "it",
    "its", "their", "they", "this", "that", "these", "those", "please", "tell", "me", "show", "give", "what",
    "how", "many", "much", "on", "at", "from", "about", "and", "or", "as", "any", "at the", "year", "years", "agency",
    "agencies", "report", "reports", "annual", "annual report", "which", "was", "were", "get", "make", "made",
    "take", "took", "face", "faced", "involved", "during", "number", "end", "end of", "i", "we", "you", "can",
    "could", "would", "should", "s", "'s", "us", "whose", "its own", "include", "includes", "contain",
    "contains", "use", "uses", "used", "using", "follow", "follows", "followed", "protect", "protecting", "because of", "brought", "concerned", "concerning", "ended", "截至目前", "目前", "being", "ask", "asked", "asking", "asks", "告知", "告知为", "答复为",
    "至今", "截至", "现在", "最后", "最终", "占", "单", "still", "then", "into", "up", "out", "information", "info",
    "disclosure", "government information", "open government information", "cases", "case", "were there", "had",
    "have", "has", "with", "between", "because", "came", "come", "comes", "time", "times", "them", "against",
    "at the end of", "so", "that", "those", "did not", "要求", "万元", "元", "万", "人次", "人", "回", "遍", "次数",
    "高不高", "低不低", "多不多", "好不好", "怎么样", "行不行", "正常吗", "下面", "下属", "所属", "辖区", "辖区内",
    "下辖", "范围内", "以内", "底下", "还是", "存", "存了", "已存", "存储", "存有", "数据库", "库里", "stored",
    "store", "saved", "in the database", "database", "打", "搞", "弄", "做", "做了", "高", "低", "大", "小", "较高", "较低", "更高", "更低", "更多", "更少",
    "there were", "did it", "per", "higher", "lower", "by how many", "and by how many", "so far", "overall number", "figure",
    "年底", "年末", "年终", "到年底", "截至年底", "或者", "或是", "或",
    # 去起诉, 交了年报, 鄞州区本级, 已经, 加: words of the sentence, not of the figure
    "去", "交了", "编", "编的", "编制", "编写", "百分点", "个百分点", "几个百分点", "多少个百分点",
    "percentage points", "percentage point", "points", "交", "本级", "已经", "加", "加上", "plus", "来自", "across", "provide", "provided",
)

# English function words: no reading needs them. Only those the words above give no other meaning count
# (core.qa.lexicon); words that bound or negate (not, no, since, until, than, before …) are not here.
FUNCTION_WORDS: tuple[str, ...] = (
    "where", "whereas", "wherein", "whom", "whatever", "here", "itself", "themselves", "he", "him", "his",
    "she", "her", "hers", "our", "ours", "your", "yours", "my", "mine", "one", "ones", "someone", "anyone",
    "some", "such", "am", "done", "doing", "having", "will", "shall", "may", "might", "onto", "upon", "via",
    "throughout", "if", "thus", "also", "too", "very", "just", "really", "actually", "exactly", "roughly",
    "approximately", "around", "kindly", "know", "want", "wanted", "like", "let", "lets", "let's", "see",
    "find", "found", "check", "look", "looking", "i'd", "i'm", "we'd", "ever", "yet", "already", "even",
    "altogether", "respectively", "basically", "currently", "overall", "exact", "precise", "quick",
    "question", "data", "figures", "stats", "statistics", "numbers", "value", "values", "amounts",
    "officially", "reported", "according", "recorded", "record", "listed", "say", "says", "said", "state",
    "states", "stated", "mention", "mentioned", "it's", "that's", "there's", "what's", "how's", "who's",
    # greetings and plain adjectives that qualify no figure (ordinary citizens are citizens)
    "hey", "hi", "hello", "thanks", "thank", "pls", "plz", "ordinary", "regular", "common", "original",
    "yo", "hiya", "heya", "sup", "wat", "wot", "whats",
    # (who is asking — journalist, researcher — is not filler: "how many journalists filed requests")
    "involving", "among", "caseload",
)
# fmt: on
