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
        row="对本局或其下属单位的行为提出的一件行政复议申请，不论由谁复议（分局的行为由本局复议，本局自己的行为由市人民政府或省公安厅复议）",
        columns=(
            C("case_id", "案件编号", "str", "复议机关的案件编号；不重复"),
            C(
                "received_date",
                "收到申请日期",
                "date",
                "复议机关收到申请的日期；决定所属年份",
            ),
            C("applicant_type", "申请人类别", "category", "申请人", allowed=PARTIES),
            C(
                "respondent",
                "被申请人",
                "str",
                "被申请复议的行为所属的本局或单位（市公安局、…分局、交警支队 …）",
            ),
            C(
                "reviewer",
                "复议机关",
                "str",
                "决定该案的机关（市公安局、市人民政府、省公安厅 …）",
            ),
            C(
                "matter",
                "被申请复议行为",
                "category",
                "被申请复议的行为的种类",
                allowed=MATTERS,
            ),
            C(
                "status",
                "办理状态",
                "category",
                "审理期间为 审理中；作出决定后为 已审结；申请未被受理时为 不予受理",
                allowed=("审理中", "已审结", "不予受理"),
            ),
            C(
                "accepted_date",
                "受理日期",
                "date",
                "受理申请的日期；未受理时为空",
                required=False,
            ),
            C(
                "decided_date",
                "审结日期",
                "date",
                "作出决定的日期；案件未结时为空",
                required=False,
            ),
            C(
                "decision",
                "复议决定",
                "category",
                "案件的结果：维持 维持原行为；驳回 驳回申请；撤销、变更、确认违法、确认无效、责令履行 纠正原行为（撤销、变更、确认违法或无效、责令履行职责）；调解 经调解结案；终止 未作决定而终结（撤回申请等）；案件未结时为空",
                required=False,
                allowed=DECISIONS,
            ),
        ),
        key=("case_id",),
        year_column="received_date",
        counts="年内收到的每一件申请；受理：状态不是 不予受理；年内审结：状态为 已审结 且审结日期在该年，从手头每一年的文件中读取（法律规定自受理起 60 日内审结，延长的 90 日，但中止的案件会更长）；纠错：决定为 撤销、变更、确认违法、确认无效、责令履行",
        source="法制支队行政复议案件台账",
    )
)

register(
    Table(
        name="lawsuits",
        zh="行政诉讼案件登记表",
        row="以本局或其下属单位为被告的一件行政诉讼，从法院立案到在任何审级终结",
        columns=(
            C(
                "case_no",
                "案号",
                "str",
                "一审案号，如 （2023）粤1971行初123号；不重复",
            ),
            C("filed_date", "立案日期", "date", "法院立案日期；决定所属年份"),
            C("court", "受理法院", "str", "一审法院"),
            C("plaintiff_type", "原告类别", "category", "原告", allowed=PARTIES),
            C("defendant", "被告", "str", "被诉的本局或单位（市公安局、…分局 …）"),
            C("matter", "被诉行政行为", "category", "被申请复议的行为的种类", allowed=MATTERS),
            C(
                "after_reconsideration",
                "是否经复议",
                "bool",
                "原告起诉前是否申请过行政复议",
                required=False,
            ),
            C(
                "status",
                "办理状态",
                "category",
                "任一审级未结时为 审理中；判决或裁定终结后为 已审结",
                allowed=("审理中", "已审结"),
            ),
            C(
                "concluded_date",
                "审结日期",
                "date",
                "终结该案的判决或裁定生效的日期；未结时为空",
                required=False,
            ),
            C(
                "instance",
                "结案审级",
                "category",
                "该案终结时的审级；未结时为空",
                required=False,
                allowed=("一审", "二审", "再审"),
            ),
            C(
                "result",
                "审结结果",
                "category",
                "结果：胜诉 判决被告胜诉（驳回诉讼请求）；败诉 判决被告败诉（撤销、变更、确认违法或无效、责令履行职责、赔偿）；驳回起诉 裁定驳回起诉；撤诉 准予撤诉；调解 经调解结案；其他 以其他方式终结；未结时为空",
                required=False,
                allowed=RESULTS,
            ),
            C(
                "hearings",
                "开庭次数",
                "int",
                "该案各审级开庭的次数；未开庭时为 0",
                min=0,
            ),
            C(
                "leader_appeared",
                "负责人是否出庭",
                "bool",
                "被告的负责人（正职、副职或分管领导）是否在该案的庭审中出庭",
            ),
            C(
                "leader",
                "出庭负责人",
                "str",
                "出庭负责人的职务（及姓名）；无人出庭时为空",
                required=False,
            ),
        ),
        key=("case_no",),
        year_column="filed_date",
        counts="年内立案的每一件诉讼；年内审结：状态为 已审结 且审结日期在该年，从手头每一年的文件中读取（一件诉讼可能持续到立案的下一年以后）；判决：结果为 胜诉 和 败诉；开庭审理：开庭次数至少为 1",
        source="法制支队行政诉讼案件台账",
    )
)
