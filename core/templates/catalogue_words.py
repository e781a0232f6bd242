"""What people call each thing the reports record: the words of the question catalogue (data only).

A *concept* is a row of a table (``row:apply.new``), a group of rows (``row:apply.withheld``, 不予公开's
eight reasons), a column (``col:commercial``), a derived rate (``rate:disclosure``), a report fact
(``fact:published``) or a breakdown (``bd:applicants``). Labels as printed and the template's own aliases
and English names come from core/templates/national.py; this file adds the short forms, the descriptions
people use instead of labels, and English names. ``core.templates.catalogue`` turns concepts into entries.

Words listed under ``soft`` may be left unexplained by a reading (generic verbs such as "get" or 申请);
words under ``hint`` must be explained but never name a figure on their own (公开 could be 予以公开 or
主动公开); every other word of a question must be explained by what the answer is about.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    short: tuple[str, ...] = ()  # short forms of the printed label
    described: tuple[str, ...] = ()  # descriptions people use instead of the label
    english: tuple[str, ...] = ()
    soft: tuple[str, ...] = ()  # generic words that point here but need not be explained
    hint: tuple[str, ...] = ()  # words that must be explained but do not name the concept alone (公开)


# fmt: off
ROWS: dict[str, Words] = {
    # ------------------------------------------------------------ table 三
    "apply.new": Words(
        ("本年新收", "新收", "新收申请"),
        ("收到", "收到申请", "收到的申请", "接到", "接收", "受理", "新收到", "新申请", "收了", "收",
         "来申请", "新增申请", "新增"),
        ("received", "receive", "receives", "receiving", "recieved", "recieve", "new requests", "requests received",
         "applications received", "incoming", "new applications"),
        ("申请", "申请人", "request", "requests", "applications", "application", "get", "got", "gets", "new", "foi requests", "filed", "submitted", "file", "submit", "提交", "提出", "提了", "递交", "提", "提交的申请", "申请数",
         "申请量", "申请件数", "申请数量", "申请总数", "依申请公开", "依申请", "政府信息公开申请", "信息公开申请",
         "公开申请", "申请公开", "单位申请", "单位提出", "单位提交"),
    ),
    "apply.carried_over": Words(
        ("上年结转", "上年度结转"),
        ("去年结转", "结转自上年", "从上年结转", "上年转来", "去年转来", "转过来", "转来", "去年没办完",
         "上年未办结", "往年结转", "上一年转来", "上一年结转", "结转过来", "上年结转过来", "上一年结转过来", "结转过来的", "转过来的", "带过来", "带过来的",
         "承接", "承接上年", "承接上年度", "接续上年",
         "上年带过来", "去年带过来", "上一年带过来", "带进来"),
        # carried over alone has no direction (an agency carries requests over into next year): catalogue
        # AMBIGUOUS_WORDS; with "from" it is this row
        ("carried over from", "carry over from", "carried over from last year", "carried over from the previous year",
         "brought forward", "from the previous year", "from last year", "carried-over from"),
    ),
    "apply.disclosed": Words(
        ("予以公开",),
        ("全部公开", "同意公开", "全公开", "完全公开", "都公开", "准予公开", "给予公开", "公开了全部", "全部给了",
         "都给了", "全给了", "给了全部", "全部提供了", "全部都给了"),
        ("fully disclosed", "disclosed in full", "granted in full", "full disclosure", "fully disclose",
         "disclose in full", "in full", "fully", "disclosed fully", "grant in full", "fully granted"),
        ("grant", "granted"),
        ("公开", "公开了", "disclose", "disclosed", "disclosure"),
    ),
    "apply.partial": Words(
        ("部分公开",),
        ("公开了一部分", "公开一部分", "部分予以公开", "部分同意公开", "只公开了一部分", "给了部分信息", "只给了部分信息",
         "给了一部分", "只给了一部分", "提供了部分信息", "只提供了一部分"),
        ("partly disclosed", "partially disclosed", "partial disclosure", "in part", "partially", "partly",
         "disclosed in part", "disclose in part", "partly disclose", "partially disclose",
         "partly granted", "granted in part", "grant in part", "partially granted"),
    ),
    "apply.withheld.state_secret": Words(
        ("国家秘密",), ("涉密", "涉及国家秘密", "保密", "是国家秘密"), ("state secret", "state secrets", "classified"),
    ),
    "apply.withheld.prohibited_by_law": Words(
        ("法律行政法规禁止公开",), ("法律法规禁止", "法律禁止", "禁止公开", "法规禁止", "法律法规禁止公开"),
        ("prohibited by law", "forbidden by law", "prohibited by other laws", "banned by law"),
    ),
    "apply.withheld.security_stability": Words(
        ("三安全一稳定",), ("危及三安全一稳定", "危害安全稳定", "危及安全稳定", "安全稳定"),
        ("security or stability", "endangers security", "security and stability", "stability"),
    ),
    "apply.withheld.third_party": Words(
        ("第三方合法权益",), ("保护第三方", "第三方", "第三方权益", "商业秘密", "个人隐私", "隐私"),
        ("third-party rights", "third party", "third-party", "privacy", "trade secrets", "third parties"),
    ),
    "apply.withheld.internal_affairs": Words(
        ("内部事务信息", "三类内部事务"), ("内部事务", "内部信息", "内部管理信息"), ("internal affairs",),
    ),
    "apply.withheld.process_info": Words(
        ("过程性信息", "四类过程性信息"), ("过程信息", "过程性"), ("process information", "deliberative", "process info"),
    ),
    "apply.withheld.enforcement_file": Words(
        ("执法案卷",), ("案卷",), ("enforcement files", "law enforcement files", "case files", "enforcement file"),
    ),
    "apply.withheld.inquiry": Words(
        ("行政查询",), ("查询事项",), ("administrative inquiries", "administrative inquiry", "inquiry matters"),
    ),
    "apply.unavailable.not_held": Words(
        ("不掌握相关政府信息", "本机关不掌握"),
        ("不掌握", "没有掌握", "不掌握信息", "没有这个信息", "信息不存在", "没有相关信息", "没有该信息", "查无此信息", "查无相关信息", "查无信息"),
        ("not held", "did not hold", "does not hold", "information not held", "not hold", "didn't hold",
         "not have the information", "not have the info", "have no information", "had no information",
         "did not have the information", "does not exist", "did not exist", "not exist", "doesn't exist",
         "information does not exist", "no such information"),
    ),
    "apply.unavailable.needs_creation": Words(
        ("需要另行制作", "没有现成信息"), ("另行制作", "需要重新制作", "需要加工", "要重新制作", "需要制作"),
        ("would need to be created", "need to be created", "needs creation", "not readily available",
         "have to be created", "had to be created", "to be created", "would have to be created", "newly created"),
    ),
    "apply.unavailable.unclear": Words(
        ("申请内容仍不明确", "补正后申请内容仍不明确"), ("申请内容不明确", "内容不明确", "不明确", "说不清楚", "补正后仍不明确", "补正后仍然不明确",
                                          "补正后还是不明确", "仍不明确", "仍然不明确", "没说清楚", "没有说清楚", "没讲清楚",
                                          "说不清", "还不明确", "补正后还不明确"),
        ("still unclear", "unclear", "unclear after correction"),
    ),
    "apply.not_processed.petition": Words(
        ("信访举报投诉类申请", "信访举报投诉"), ("信访类", "信访举报", "信访类申请", "信访申请", "投诉类", "举报类",
                                          "信访投诉", "投诉举报"),
        ("petition requests", "complaint requests", "petition-type requests", "complaint-type requests",
         "petitions and complaints", "petitions or complaints", "complaints and petitions"),
    ),
    "apply.not_processed.duplicate": Words(
        ("重复申请",), ("重复", "重复提交", "重复提出"), ("duplicate", "duplicates", "duplicate requests", "duplicated",
                                           "repeated requests", "repeat requests"),
    ),
    "apply.not_processed.publication": Words(
        ("公开出版物",), ("出版物", "要求提供出版物"), ("publications", "published materials", "asks for publications"),
    ),
    "apply.not_processed.mass_repeat": Words(
        ("大量反复申请",), ("反复申请", "大量申请", "无正当理由反复申请"),
        ("mass repeated requests", "vexatious", "repeated requests", "mass requests", "repeat requests"),
    ),
    "apply.not_processed.confirm_existing": Words(
        ("确认或重新出具已获取信息",), ("重新出具", "确认或重新出具", "确认已获取信息", "已经拿到的信息", "已拿到的信息",
                                 "已经获取的信息", "已经拿到", "已拿到"),
        ("confirm or re-issue", "re-issue", "reissue"),
    ),
    "apply.other": Words(
        ("其他处理",), ("其他方式处理", "另行处理", "不再处理", "行政机关不再处理"),
        ("other handling", "handled otherwise", "otherwise handled", "no longer processed"),
    ),
    "apply.other.no_correction": Words(
        ("逾期不补正",), ("不补正", "没补正", "没有补正", "未补正", "不补充材料"),
        ("did not correct", "failed to correct", "no correction", "applicant did not correct", "did not supplement",
         "failed to supplement", "not supplemented", "did not supplement them in time", "did not amend"),
    ),
    "apply.other.unpaid_fee": Words(
        ("未按收费通知要求缴纳费用",), ("未缴纳费用", "没交费", "未缴费", "不交费", "没缴费", "没付费", "未交费", "没按时交费", "没按时缴费",
                                 "未按时交费", "未按时缴费", "逾期未缴费", "逾期未交费", "不按时交费", "没有按时交费",
                                 "逾期不交费", "逾期没交费", "逾期不缴费", "逾期没缴费", "逾期未缴纳费用"),
        ("did not pay", "unpaid fee", "unpaid fees", "fee not paid", "did not pay the fee"),
    ),
    "apply.other.other": Words(),
    "apply.total": Words(
        ("办理结果总计", "办结"),
        ("办完", "办了", "处理完", "已办结", "答复", "回复", "办理", "处理", "处理总数", "办理总数", "办理完成", "处理完的",
         "办结数", "已处理", "完成"),
        ("processed", "process", "handled", "handle", "answered", "closed", "completed", "dealt with",
         "results of handling", "handling results total", "total results of handling",
         "finish processing", "finished processing", "finished", "finish", "completed processing",
         "total processed", "responded", "replied", "requests processed", "completed requests"),
        ("answer", "respond"),
    ),
    "apply.carried_forward": Words(
        ("结转下年度继续办理", "结转下年度"),
        ("结转下年", "结转到下一年", "结转至下年度", "转入下年度", "转到明年", "转到下一年", "留到下一年", "留到明年",
         "转到下年", "结转到", "未办结", "尚未办结", "没办完", "还没办完", "没有办完", "继续办理", "转入下一年",
         "留到下年", "结转到下年", "办理中", "处理中", "正在办理", "正在处理", "还在办理", "还在处理", "接着办",
         "接着办理", "继续办", "带到明年", "带到下一年", "带到下年", "没处理完", "还没处理完", "没有处理完",
         "未处理完", "尚未处理完", "办不完", "处理不完"),
        ("carried into next year", "carried forward", "carried over to next year", "carried to next year",
         "carried forward to next year", "carried forward to the following year", "carried forward into next year",
         "rolled over", "still open", "outstanding", "unfinished", "not yet completed", "carry forward",
         "rolled over into", "carry over into", "carried over into", "carried into", "carry into", "roll over into",
         "pending at year end", "still pending at year end", "pending at the end of the year", "not finished",
         "unprocessed", "still unprocessed", "not yet processed", "yet to be processed",
         "go to next year", "went to next year", "goes to next year", "moved to next year", "pushed to next year",
         "still being processed", "still in progress", "still being handled", "still handling", "in progress",
         "being handled", "being processed"),
    ),
    # ------------------------------------------------------------ table 四
    "review": Words(
        ("行政复议", "复议"),
        ("复议案件", "被复议", "被申请行政复议", "申请行政复议", "复议申请", "被申请复议", "复议的"),
        ("reconsideration", "reconsiderations", "administrative reconsideration", "administrative review",
         "appeals", "appeal", "reconsideration cases"),
    ),
    "litigation.direct": Words(
        ("直接起诉",),
        ("未经复议直接起诉", "直接诉讼", "直接告到法院", "直接告", "直接打官司", "没经过复议直接起诉", "直接",
         "没经过复议", "未经过复议", "不经过复议", "没有经过复议", "没经复议", "未经复议", "不经复议"),
        ("filed directly", "directly", "sued directly", "direct lawsuits", "without reconsideration", "direct",
         "without prior reconsideration", "without reconsideration first", "without going through reconsideration"),
    ),
    "litigation.after_review": Words(
        ("复议后起诉",),
        ("复议后诉讼", "复议后又起诉", "复议后再起诉", "复议完又起诉", "对复议结果不服起诉", "复议后",
         "复议之后又起诉", "复议完又去起诉", "复议后又去起诉", "复议之后又去起诉", "复议完了又去起诉", "复议完了又起诉",
         "不服又去起诉", "不服又起诉", "不服再起诉", "不服去起诉"),
        ("after reconsideration", "following reconsideration", "lawsuits after reconsideration",
         "after administrative reconsideration", "following administrative reconsideration", "after review",
         "after a reconsideration", "after an administrative reconsideration"),
    ),
    # ------------------------------------------------------------ table 二
    "active.regulations": Words(("规章",), ("政府规章",), ("rules", "regulations", "government rules")),
    "active.normative_docs": Words(
        ("规范性文件", "行政规范性文件"), ("红头文件", "规范文件"),
        ("normative documents", "normative docs", "policy documents", "normative document"),
        ("文件", "documents"),
    ),
    "active.licensing": Words(
        ("行政许可", "许可"), ("审批", "行政审批", "许可事项"),
        ("licensing", "licences", "licenses", "licence", "license", "permits", "permit", "approvals",
         "administrative licensing", "administrative licences", "administrative licenses", "administrative permits",
         "administrative approvals"),
    ),
    "active.other_services": Words(
        ("其他对外管理服务事项",), ("对外管理服务", "对外管理服务事项", "管理服务事项"), ("other public services",),
    ),
    "active.penalty": Words(
        ("行政处罚", "处罚"), ("罚款", "罚", "处罚决定"),
        ("penalty", "penalties", "sanctions", "punishments", "administrative penalties",
         "administrative penalty", "administrative sanctions"),
    ),
    "active.coercion": Words(
        ("行政强制", "强制"), ("强制措施", "行政强制措施", "强制执行", "行政强制执行"),
        ("coercive measures", "coercion", "enforcement measures", "compulsory measures", "coercive",
         "administrative coercion", "administrative enforcement"),
    ),
    "active.fees": Words(
        ("行政事业性收费", "收费"), ("事业性收费", "行政收费"), ("administrative fees", "fees", "fee", "charges"),
    ),
    "active.procurement": Words(
        ("政府集中采购", "采购"), ("集中采购", "政府采购"),
        ("procurement", "purchasing", "purchases", "government procurement", "procured"),
    ),
}

# Rows that stand for several printed rows (their sum), by the prefix of those rows or a list.
GROUPS: dict[str, Words] = {
    "apply.withheld": Words(
        ("不予公开",), ("不公开", "拒绝公开", "没公开", "未公开", "没有公开", "不予以公开", "不同意公开", "拒绝", "没给公开",
                       "不给公开", "没有给公开"),
        ("withheld", "withhold", "withholding", "refused", "refuse", "refusal", "refusals", "declined", "decline",
         "not disclosed", "denied", "rejected", "reject", "turn down", "turned down", "deny", "refuse to disclose",
         "refused to disclose", "decline to disclose", "declined to disclose", "not disclose", "did not disclose"),
    ),
    "apply.unavailable": Words(
        ("无法提供",), ("不能提供", "没法提供", "没办法提供", "提供不了", "无法提供信息", "答复不了", "无法答复", "没法答复",
                       "给不了"),
        ("could not be provided", "cannot provide", "unavailable", "not available", "could not provide",
         "not provided", "could not answer", "not answer", "couldn't be provided", "cannot be provided",
         "can't be provided", "couldn't provide", "can't provide", "unable to provide", "could not be supplied"),
    ),
    "apply.not_processed": Words(
        ("不予处理",), ("不处理", "没有处理", "不受理"),
        ("not processed", "not handled", "dismissed", "not process", "did not process", "not handle",
         "decline to process", "declined to process", "refuse to process", "refused to process",
         "didn't process", "would not process", "unprocessed", "left unprocessed"),
    ),
    "litigation": Words(
        ("行政诉讼", "诉讼"),
        ("起诉", "被起诉", "被告", "打官司", "官司", "告到法院", "法院", "上法院", "被诉", "被告上法庭"),
        ("lawsuit", "lawsuits", "litigation", "sued", "sue", "court", "court cases", "in court", "defendant",
         "administrative litigation", "administrative lawsuits", "administrative lawsuit",
         "defendants", "was sued", "legal action", "taken to court"),
        # said of reconsiderations too (cases brought against 鹿城区): pointing here, naming nothing alone
        ("brought against", "filed against"),
    ),
}
GROUP_PARTS: dict[str, tuple[str, ...]] = {"litigation": ("litigation.direct", "litigation.after_review")}

COLUMNS: dict[str, Words] = {
    "natural_person": Words(
        ("自然人",), ("公民", "个人", "群众", "老百姓", "市民", "居民", "普通人"),
        ("natural persons", "natural person", "individuals", "individual", "citizens", "private persons",
         "members of the public", "residents", "private individuals", "private citizens", "ordinary people"),
    ),
    "commercial": Words(
        ("商业企业", "企业"), ("公司", "商家", "企业法人"),
        ("businesses", "business", "companies", "company", "enterprises", "firms", "commercial", "corporate",
         "corporations", "corporation"),
    ),
    "research": Words(
        ("科研机构",), ("科研", "研究机构", "科研院所", "高校"),
        ("research institutions", "research institutes", "research institution", "researchers"),
    ),
    "nonprofit": Words(
        ("社会公益组织", "公益组织"), ("社会组织", "公益机构", "非营利组织"),
        ("ngo", "ngos", "non-profit", "nonprofit", "charities", "non-profit organisations", "nonprofits",
         "public welfare organisations", "public welfare organizations", "public-welfare organisations",
         "public-welfare organizations", "welfare organisations", "welfare organizations", "non-profit organizations"),
    ),
    "legal_service": Words(
        ("法律服务机构",), ("律师事务所", "律所", "律师"),
        ("law firms", "law firm", "lawyers", "legal services", "legal service providers", "legal service institutions",
         "legal service organisations", "legal service organizations"),
    ),
    "other_org": Words(
        ("其他组织",), ("其他法人", "其它组织", "其他机构", "申请人是其他的", "申请人为其他的", "其他申请人", "其他类申请人",
                     "其他类型的申请人", "申请人是其它的", "其它申请人"),
        ("other organisations", "other organizations", "other applicants", "other applicant types"),
    ),
    "upheld": Words(
        ("结果维持", "维持"), ("被维持", "维持原决定", "维持原判", "赢", "赢了", "胜诉", "打赢", "申请人败诉", "申请人输了", "原告败诉",
                           "原告输了"),
        ("upheld", "affirmed", "maintained", "uphold", "win", "won", "wins"),
    ),
    "corrected": Words(
        # 纠正 covers every outcome that changes the decision: 撤销, 变更, 确认违法, 责令履行
        ("结果纠正", "纠正"), ("被纠正", "纠错", "被纠错", "撤销", "被撤销", "改判", "输", "输了", "败诉", "变更", "被变更",
                            # the applicant's win is the agency's loss
                            "申请人胜诉", "申请人赢了", "原告胜诉", "原告赢了",
                            "确认违法", "被确认违法", "责令履行"),
        ("corrected", "error correction", "overturned", "reversed", "revoked", "lost", "lose", "overruled", "struck down", "correction",
         "corrections", "ended in correction"),
    ),
    "other": Words(("其他结果",), (), ("other outcome", "other outcomes", "other result", "other results")),
    "pending": Words(
        ("尚未审结", "未审结"), ("还没审结", "没审结", "未结案", "还没结案", "审理中", "没有审结", "尚未结案", "还在", "还在审", "在审",
         "正在审理", "还没判", "没判", "未判", "还没判决", "没有判决", "还没有结果", "没有结果", "没出结果", "还没出结果",
         "进行中", "还在进行"),
        ("pending", "undecided", "not yet decided", "still pending", "unresolved", "ongoing", "open cases",
         "not yet resolved", "not yet concluded", "not concluded", "still not concluded", "unconcluded"),
    ),
    "new_made": Words(("本年新制作", "新制作"), ("制作",), ("newly made", "newly make", "newly drafted", "made")),
    "new_published": Words(
        ("本年新公开", "新公开"), (), ("newly published", "newly disclosed", "newly publish", "newly disclose")
    ),
    "total_published": Words(
        ("对外公开总数量", "对外公开总数"), ("对外公开", "公开总数"), ("total published", "published in total"),
    ),
    "prior_items": Words(
        ("上一年项目数量", "上年项目数"), ("上一年项目数", "原有项目", "上年项目数量", "项目数量上一年"),
        ("items at end of last year", "items last year", "previous year items", "items as of the previous year",
         "number of items as of the previous year", "items of the previous year"),
    ),
    "change": Words(
        ("本年增/减", "本年增减", "增/减"), ("增减", "增加或减少", "新增", "增加", "减少", "增加了", "减少了"),
        ("change this year", "net change", "net increase/decrease", "increase/decrease", "net increase or decrease"),
    ),
    "decisions": Words(
        ("处理决定数量", "处理决定", "本年处理决定数量"), ("决定数", "决定", "作出", "作出决定", "决定数量"),
        ("imposed", "impose", "decided", "decisions issued", "decisions made", "decisions taken"),
        # 行政许可办了多少: handling said of a table 二 row is its decisions
        ("decisions", "decision", "issued", "issue", "made", "taken", "办了", "办理", "处理",
         "办", "handled", "processed", "dealt with"),
    ),
    "count": Words(
        ("采购项目数量", "采购项目"), ("项目数", "项目数量", "项目", "批次"),
        ("procurement items", "projects", "number of purchases", "items", "purchases made"),
    ),
    "amount_yuan": Words(
        ("采购总金额", "采购金额"), ("金额", "总金额", "多少钱", "花了多少钱", "花费", "花了", "钱", "支出", "花"),
        ("amount", "spending", "spent", "spend", "money", "cost", "how much"),
    ),
    "issued": Words(
        ("本年制发件数", "本年制发"), ("制发", "新制发", "印发", "出台", "新发", "发", "新发布", "制定"),
        ("issued", "newly issued"),
        ("issue", "issues"),
    ),
    "repealed": Words(("本年废止件数", "本年废止"), ("废止", "废除", "作废"), ("repealed", "abolished", "repeal")),
    "in_force": Words(
        ("现行有效件数", "现行有效"), ("有效", "仍然有效", "生效"), ("in force", "valid", "currently valid", "effective"),
    ),
    "amount_wan": Words(
        ("本年收费金额", "收费金额"), ("金额", "多少钱", "钱", "收了多少钱", "收入"),
        ("amount", "money", "collected", "how much", "revenue", "revenues", "income", "fee revenue", "fee revenues"),
        ("收了",),
    ),
}
# "total" (总计) is never needed: it is every block's default column, and a word of sums.

# Columns printed under one heading: table 三's 法人或其他组织 over the five kinds of organisation.
COLUMN_GROUPS: dict[str, tuple[Words, tuple[str, ...]]] = {
    "organisations": (
        Words(
            ("法人或其他组织",),
            ("法人和其他组织", "法人", "组织", "单位申请人", "机构和组织", "法人及其他组织", "单位申请", "单位提出",
             "单位提交"),
            ("legal persons and other organisations", "organisations", "organizations", "legal persons"),
        ),
        ("commercial", "research", "nonprofit", "legal_service", "other_org"),
    ),
}

# Words that make any reading a rate, with a figure named next to them ("予以公开的比例").
RATIO: Words = Words(
    (), ("比例", "占比", "比率", "百分比", "百分之多少", "百分之几", "多大比例", "几成", "比重", "率",
         "怎么算", "如何计算", "怎么计算", "计算方法", "计算公式", "公式"),
    ("share", "percentage", "percent", "proportion", "ratio", "fraction", "rate", "how often", "%"),
)

RATES: dict[str, Words] = {
    "substantive_disclosure": Words(
        ("实质公开率",), ("实质公开比例", "实质性公开率", "实际公开率", "实质性公开比例", "实质", "实质性", "实质上"),
        ("substantive disclosure rate", "substantive disclosure"),
    ),
    "disclosure": Words(
        ("公开率",), ("予以公开率", "全部公开率", "公开比例"), ("disclosure rate", "full disclosure rate", "disclosure ratio"),
    ),
    "withholding": Words(("不予公开率",), ("不公开率", "拒绝公开率"), ("withholding rate", "refusal rate")),
    "completion": Words(
        ("办结率",), ("完成率", "办理率", "办结比例", "结案率", "结案比例", "办结比率", "完结率"),
        ("completion rate", "processing rate"),
    ),
    "review_correction": Words(
        ("复议纠错率", "行政复议纠错率"), ("复议纠正率", "复议被纠正率", "复议被纠错率", "复议纠错比例"),
        ("reconsideration correction rate",),
    ),
    "litigation_correction": Words(
        ("诉讼纠错率", "行政诉讼纠错率"), ("诉讼纠正率", "败诉率", "诉讼被纠正率"),
        ("litigation correction rate",),
    ),
}
# Said of either correction rate: the question must also say 复议 or 诉讼.
CORRECTION_RATE: Words = Words(
    ("纠错率",), ("纠正率", "被纠正率", "纠错比例"), ("correction rate", "error correction rate")
)

FACTS: dict[str, Words] = {
    "published": Words(
        ("发布",), ("公布", "印发", "发出", "出", "发", "公开发布", "挂网", "上网", "发布日期", "发布时间", "挂出来", "挂出",
                    "放出来", "贴出来"),
        ("published", "publish", "publication", "released", "release", "issued"),
    ),
    "date": Words(
        (), ("哪天", "哪一天", "什么时候", "何时", "日期", "几月几号", "几月几日", "几号", "时间", "啥时候", "发布日期",
             "发布时间", "公布日期", "发布于", "几月", "几月份", "哪个月"),
        ("when", "date", "what date", "what day", "which day"),
    ),
    "on_time": Words(
        ("按时",),  ("准时", "及时", "按期", "如期", "没超期", "没逾期", "没有逾期", "按规定时间", "按照规定时间", "在规定时间内",
                 "规定时间内", "按规定", "按照规定", "在期限内", "期限内", "截止日前", "截止日期前", "截止日之前",
                 "截止日期之前", "截止时间之前", "截止时间前", "期限之前", "期限前", "按时间要求", "法定期限内",
                 "在法定期限内", "法定时限内", "法定时间内", "规定期限内"),
        ("on time", "in time", "timely", "on schedule", "meet the deadline", "met the deadline", "make the deadline",
         "made the deadline", "within the deadline", "before the deadline", "by the deadline"),
    ),
    "late": Words(
        ("逾期",), ("迟", "晚", "超期", "晚交", "迟交", "晚发", "迟了", "晚了", "过期", "延迟", "拖延", "超过截止日期",
                   "超过截止时间", "超过期限", "超出期限", "超时", "超过", "拖", "拖了", "拖延了"),
        ("late", "overdue", "delayed", "missed the deadline", "after the deadline", "how late", "miss the deadline",
         "missed", "miss", "after the legal deadline", "after the statutory deadline", "past the deadline",
         "past the legal deadline", "past the statutory deadline", "beyond the deadline"),
    ),
    "days": Words((), ("几天", "多少天", "天数", "多久"), ("how many days", "days", "how late", "by how many days")),
    # 比截止日提前了几天: published before the deadline, by how many days
    "early": Words((), ("提前", "早了", "早发", "提早", "早发了"), ("early", "ahead of the deadline", "how early")),
    "same_day": Words(
        (), ("当天", "当日", "同一天", "同一日", "那天", "那一天", "最后一天", "最后一日"),
        ("that day", "the same day", "on the day", "the last day", "on the last day", "the day of the deadline"),
    ),
    "deadline": Words(
        ("截止日期",), ("截止时间", "期限", "最晚", "最迟", "截止日", "法定截止日", "法定截止日期", "法定期限", "法定时限", "截止", "规定时间", "应该", "应当", "应在", "必须", "须在",
                         "之前", "哪天前", "前"),
        ("deadline", "due date", "due", "should", "supposed to", "must", "required to", "statutory deadline",
         "legal deadline"),
    ),
    "template": Words(
        ("模板",), ("格式", "版本", "版", "样式", "哪一版", "哪个版本", "模版", "新模板", "老模板", "旧模板", "新版", "旧版",
                   "老版", "新格式", "旧格式", "老格式"),
        ("template", "format", "version", "template version"),
    ),
    "table": Words((), ("表", "表格", "张表"), ("table", "tables")),
    "missing": Words(
        ("缺少",), ("缺", "缺失", "缺了", "少了", "漏了", "不全", "缺不缺"),
        ("missing", "lack", "lacks", "lacking", "without", "absent"),
    ),
    "complete": Words(("齐全",), ("完整", "全不全", "齐不齐", "都有", "齐"), ("complete", "all tables", "all three tables")),
    "errors": Words(("错误",), ("错", "出错", "错了", "差错"), ("error", "errors", "mistakes", "mistake")),
    "warnings": Words(("警告",), ("提醒",), ("warning", "warnings")),
    "problems": Words(
        ("问题",), ("毛病", "不一致", "对不上", "勾稽", "不平衡", "异常", "什么问题", "任何问题"),
        ("problem", "problems", "inconsistent", "inconsistencies", "anything wrong", "something wrong", "issues",
         "any issues", "wrong with"),
    ),
    "inconsistent_tables": Words(
        ("表格不一致",), ("表格对不上", "表格数字不一致", "勾稽关系错误", "表不一致", "勾稽错误", "勾稽问题",
                       "勾稽关系问题", "勾稽不平"),
        ("inconsistent tables", "tables inconsistent", "tables don't add up"),
    ),
}

# Words that ask for the parts of a figure rather than the figure.
DETAIL: Words = Words(
    (), ("构成", "组成", "分布", "明细", "结构", "原因", "理由", "为什么", "各种", "详细", "详情", "具体", "类型",
         "怎么处理", "如何处理", "怎么处理的", "都是谁", "谁来申请", "结果"),
    ("breakdown", "by type", "split", "reasons", "why", "details", "by reason", "types", "end", "ended",
     "turn out", "outcome", "outcomes", "results", "result"),
    ("情况",),
)

BREAKDOWNS: dict[str, Words] = {
    "applicants": Words(
        ("申请人构成", "申请人情况"),
        ("申请人类型", "申请人分布", "申请人结构", "申请主体", "申请者构成", "谁申请", "申请人类别", "谁来申请的"),
        ("applicant breakdown", "applicant types", "who applied", "by applicant"),
        ("申请人", "applicants", "applicant"),
    ),
    "results": Words(
        ("办理结果",),
        ("处理结果", "答复结果", "办理情况", "处理情况", "结果分布", "都是怎么处理的", "怎么处理的", "如何处理的"),
        ("handling results", "how requests were handled", "outcomes of requests"),
    ),
    "overview": Words(
        ("主要数据",), ("关键数据", "主要指标", "概况", "总体情况", "概要", "摘要", "汇总", "基本情况"),
        ("key figures", "summary", "overview", "key data"),
    ),
}

# Words for one table as a whole: explained by any figure of that table.
TOPICS: dict[str, Words] = {
    "apply": Words(("依申请公开", "依申请"), ("政府信息公开申请", "信息公开申请", "公开申请", "申请公开"),
                   ("disclosure requests", "information requests", "foi", "freedom of information", "ogi",
                    "open government information requests", "gi requests", "rti", "disclosure applications",
                    "information disclosure requests", "information disclosure applications", "foi applications",
                    "information applications", "open government information applications"),
                   ("申请", "request", "requests", "applications", "application",
                    # the applicants named by type speak of requests (申请人是其他的 → 本年新收·其他)
                    "申请人是其他的", "申请人为其他的", "申请人是其它的", "其他申请人", "其他类申请人", "其他类型的申请人",
                    "其它申请人")),
    "review": Words(("行政复议、行政诉讼",), ("复议诉讼", "复议和诉讼", "复议、诉讼"), ("reconsideration and litigation",)),
    # what table 二 counts is what was made public: its decisions are "published", "disclosed"
    "active": Words(("主动公开",), (), ("proactive disclosure", "proactively disclosed"),
                    ("published", "disclosed", "made public")),
}
# fmt: on
