"""Tables of 一(二) 疫情常态化防控."""

from helpers.data.contract.base import Column as C
from helpers.data.contract.base import Table, register

register(
    Table(
        name="verification_tasks",
        zh="核查任务表",
        row="one batch of on-the-ground verification (落地核查) assigned to the police",
        columns=(
            C("task_id", "任务编号", "str", "batch number"),
            C("issued_date", "下发日期", "date", "date the batch was issued; decides the year"),
            C(
                "origin",
                "任务来源",
                "category",
                "who issued it",
                allowed=("省疫情防控指挥部", "市疫情防控指挥部", "省公安厅", "外市协查"),
            ),
            C("persons_assigned", "应核查人数", "int", "persons the batch asked to verify", min=0),
            C("status", "状态", "category", "state", allowed=("已完成", "核查中", "已撤销")),
        ),
        key=("task_id",),
        year_column="issued_date",
        counts="batches not 已撤销",
        source="“三人小组”核查任务系统",
    )
)

register(
    Table(
        name="verification_persons",
        zh="核查明细表",
        row="one person to verify within a batch (a person may appear in several batches)",
        columns=(
            C("record_id", "明细编号", "int", "record number"),
            C("task_id", "任务编号", "str", "batch the person belongs to"),
            C("person_id", "人员编号", "int", "pseudonymous id of the person"),
            C(
                "assigned_date",
                "下发日期",
                "date",
                "date the person was assigned; decides the year",
            ),
            C("verified", "已核查", "bool", "verification done"),
        ),
        key=("record_id",),
        year_column="assigned_date",
        counts="persons counted once a year (distinct person_id); rate = verified ÷ assigned records",
        source="“三人小组”核查任务系统明细导出",
        formats=("parquet", "csv"),
    )
)

register(
    Table(
        name="quarantine_deployments",
        zh="隔离场所警力派驻表",
        row="police posted to one quarantine site on one day",
        columns=(
            C("record_id", "记录编号", "str", "record number"),
            C("duty_date", "派驻日期", "date", "day of duty; decides the year"),
            C("site", "隔离场所", "str", "name of the site"),
            C("officers", "派驻人次", "int", "officers on duty that day", min=0),
        ),
        key=("record_id",),
        year_column="duty_date",
        counts="every record",
        source="治安支队隔离场所安保台账",
    )
)

register(
    Table(
        name="venues",
        zh="场所台账",
        row="one registered place the police watch during the epidemic, as listed at year end",
        columns=(
            C("venue_id", "场所编号", "str", "register number"),
            C("name", "场所名称", "str", "name"),
            C(
                "category",
                "场所类别",
                "category",
                "kind of place",
                allowed=("跨境司机定点活动场所", "集中隔离场所", "核酸检测点", "疫苗接种点"),
            ),
            C("town", "所属镇街", "str", "town or street"),
            C("status", "状态", "category", "still on the register", allowed=("在册", "注销")),
        ),
        key=("venue_id",),
        year_column=None,
        counts="places with status 在册",
        source="疫情防控场所台账",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="meeting_facilities",
        zh="监所会见设施台账",
        row="one lawyer-meeting facility or device put into use at a detention centre",
        columns=(
            C("facility_id", "设施编号", "str", "register number"),
            C("centre", "监管场所", "str", "detention centre"),
            C(
                "kind",
                "设施类别",
                "category",
                "kind",
                allowed=("视频会见室", "临时会见卡位", "平板电脑"),
            ),
            C("quantity", "数量", "int", "units (rooms and booths are one each)", min=1),
            C("enabled_date", "启用日期", "date", "date put into use; decides the year"),
        ),
        key=("facility_id",),
        year_column="enabled_date",
        counts="facilities put into use in the year",
        source="监管支队设施台账",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="volunteer_logs",
        zh="志愿服务日志",
        row="one day's work of one team of the bureau's volunteer service (志愿服务队)",
        columns=(
            C("log_id", "日志编号", "str", "record number"),
            C("log_date", "日期", "date", "day; decides the year"),
            C("team", "服务小组", "str", "team"),
            C("town", "服务镇街", "str", "where the team worked"),
            C("visited", "走访人数", "int", "residents visited", min=0),
            C("served", "服务人数", "int", "residents served", min=0),
            C("persuaded", "劝导人数", "int", "residents persuaded", min=0),
            C("deeds", "办实事项数", "int", "practical matters done for residents", min=0),
            C("solved", "解决问题数", "int", "problems coordinated and solved", min=0),
        ),
        key=("log_id",),
        year_column="log_date",
        counts="every log",
        source="机关志愿服务队工作日志",
    )
)
