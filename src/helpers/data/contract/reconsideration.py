"""Tables of 行政复议和行政应诉: the legal-affairs office's registers of reconsideration
applications and of administrative lawsuits against the bureau and its units."""

from helpers.data.contract.base import Column as C
from helpers.data.contract.base import Table, register

# parties and the kinds of act challenged, as the registers of 行政复议法 and 行政诉讼法 cases list them
PARTIES = ("公民", "法人", "其他组织")
MATTERS = (
    "行政处罚",
    "行政强制措施",
    "行政许可",
    "不履行法定职责",
    "政府信息公开",
    "行政赔偿",
    "其他",
)
# how a reconsideration case ended (行政复议法 and its 实施条例; 确认无效 and 调解 since the 2023
# revision of the law)
DECISIONS = ("维持", "驳回", "撤销", "变更", "确认违法", "确认无效", "责令履行", "调解", "终止")
# how a lawsuit ended, from the defendant's side
RESULTS = ("胜诉", "败诉", "驳回起诉", "撤诉", "调解", "其他")

register(
    Table(
        name="reconsiderations",
        zh="行政复议案件登记表",
        row="one application for administrative reconsideration (行政复议) of an act of the bureau"
        " or one of its units, whoever reviews it (the bureau itself for its branches' acts, or"
        " the city government or the provincial department for the bureau's own)",
        columns=(
            C("case_id", "案件编号", "str", "the reviewing organ's case number; unique"),
            C(
                "received_date",
                "收到申请日期",
                "date",
                "date the reviewing organ received the application; decides the year",
            ),
            C("applicant_type", "申请人类别", "category", "who applied", allowed=PARTIES),
            C(
                "respondent",
                "被申请人",
                "str",
                "the bureau or the unit whose act is challenged (市公安局、…分局、交警支队 …)",
            ),
            C(
                "reviewer",
                "复议机关",
                "str",
                "the organ that decides the case (市公安局、市人民政府、省公安厅 …)",
            ),
            C(
                "matter",
                "被申请复议行为",
                "category",
                "the kind of act challenged",
                allowed=MATTERS,
            ),
            C(
                "status",
                "办理状态",
                "category",
                "审理中 while open; 已审结 once decided; 不予受理 when the application was not accepted",
                allowed=("审理中", "已审结", "不予受理"),
            ),
            C(
                "accepted_date",
                "受理日期",
                "date",
                "date the application was accepted; empty when it was not",
                required=False,
            ),
            C(
                "decided_date",
                "审结日期",
                "date",
                "date of the decision; empty while the case is open",
                required=False,
            ),
            C(
                "decision",
                "复议决定",
                "category",
                "how the case ended: 维持 the act upheld; 驳回 the application rejected;"
                " 撤销、变更、确认违法、确认无效、责令履行 the act corrected (annulled, changed,"
                " declared unlawful or void, the duty ordered done); 调解 settled by mediation;"
                " 终止 ended without a decision (withdrawn …); empty while the case is open",
                required=False,
                allowed=DECISIONS,
            ),
        ),
        key=("case_id",),
        year_column="received_date",
        counts="every application received in the year; accepted: status other than 不予受理;"
        " decided in the year: status 已审结 with 审结日期 in the year, read from every year's file"
        " on hand (the law gives 60 days from acceptance, 90 with an extension, but a suspended"
        " case runs longer); corrected:"
        " decisions 撤销、变更、确认违法、确认无效、责令履行",
        source="法制支队行政复议案件台账",
    )
)

register(
    Table(
        name="lawsuits",
        zh="行政诉讼案件登记表",
        row="one administrative lawsuit (行政诉讼) against the bureau or one of its units, from"
        " the court's filing to its end at whatever instance",
        columns=(
            C(
                "case_no",
                "案号",
                "str",
                "the first-instance case number, e.g. （2023）粤1971行初123号; unique",
            ),
            C("filed_date", "立案日期", "date", "date the court filed the case; decides the year"),
            C("court", "受理法院", "str", "the court of first instance"),
            C("plaintiff_type", "原告类别", "category", "who sued", allowed=PARTIES),
            C("defendant", "被告", "str", "the bureau or the unit sued (市公安局、…分局 …)"),
            C("matter", "被诉行政行为", "category", "the kind of act challenged", allowed=MATTERS),
            C(
                "after_reconsideration",
                "是否经复议",
                "bool",
                "whether the plaintiff applied for administrative reconsideration before suing",
                required=False,
            ),
            C(
                "status",
                "办理状态",
                "category",
                "审理中 while any instance is open; 已审结 once a judgment or ruling ends it",
                allowed=("审理中", "已审结"),
            ),
            C(
                "concluded_date",
                "审结日期",
                "date",
                "date the judgment or ruling that ended the case took effect; empty while open",
                required=False,
            ),
            C(
                "instance",
                "结案审级",
                "category",
                "the instance at which the case ended; empty while open",
                required=False,
                allowed=("一审", "二审", "再审"),
            ),
            C(
                "result",
                "审结结果",
                "category",
                "how it ended: 胜诉 judgment for the defendant (the claims rejected); 败诉"
                " judgment against it (act annulled, changed, declared unlawful or void, duty"
                " ordered, damages); 驳回起诉 suit dismissed by ruling; 撤诉 withdrawn with leave;"
                " 调解 settled by mediation; 其他 ended otherwise; empty while open",
                required=False,
                allowed=RESULTS,
            ),
            C(
                "hearings",
                "开庭次数",
                "int",
                "court hearings held in the case, all instances; 0 when none was held",
                min=0,
            ),
            C(
                "leader_appeared",
                "负责人是否出庭",
                "bool",
                "whether a responsible person of the defendant (its head, a deputy or the"
                " leader in charge) appeared in court at a hearing of the case",
            ),
            C(
                "leader",
                "出庭负责人",
                "str",
                "post (and name) of the responsible person who appeared; empty if none",
                required=False,
            ),
        ),
        key=("case_no",),
        year_column="filed_date",
        counts="every lawsuit filed in the year; concluded in the year: status 已审结 with 审结日期 in"
        " the year, read from every year's file on hand (a suit may last past the year after"
        " it was filed); judgments: results 胜诉 and 败诉; heard: 开庭次数 at least 1",
        source="法制支队行政诉讼案件台账",
    )
)
