"""Tables of 一(二) 疫情常态化防控."""

from helpers.data.contract.base import Column as C
from helpers.data.contract.base import Table, register

register(
    Table(
        name="verification_tasks",
        zh="核查任务表",
        row="交给公安机关的一批落地核查任务",
        columns=(
            C("task_id", "任务编号", "str", "批次编号"),
            C("issued_date", "下发日期", "date", "该批任务的下发日期；决定所属年份"),
            C(
                "origin",
                "任务来源",
                "category",
                "下发单位",
                allowed=("省疫情防控指挥部", "市疫情防控指挥部", "省公安厅", "外市协查"),
            ),
            C("persons_assigned", "应核查人数", "int", "该批任务要求核查的人数", min=0),
            C("status", "状态", "category", "状态", allowed=("已完成", "核查中", "已撤销")),
        ),
        key=("task_id",),
        year_column="issued_date",
        counts="状态不是 已撤销 的批次",
        source="“三人小组”核查任务系统",
    )
)

register(
    Table(
        name="verification_persons",
        zh="核查明细表",
        row="一批任务中要核查的一个人（同一人可以出现在几批中）",
        columns=(
            C("record_id", "明细编号", "int", "记录编号"),
            C("task_id", "任务编号", "str", "该人所属的批次"),
            C("person_id", "人员编号", "int", "该人的化名编号", distinct=True),
            C(
                "assigned_date",
                "下发日期",
                "date",
                "该人被分派的日期；决定所属年份",
            ),
            C("verified", "已核查", "bool", "是否已核查"),
        ),
        key=("record_id",),
        year_column="assigned_date",
        counts="人员每年只计一次（按不同的 person_id）；核查率 = 已核查 ÷ 下发的记录数",
        source="“三人小组”核查任务系统明细导出",
        formats=("parquet", "csv"),
    )
)

register(
    Table(
        name="quarantine_deployments",
        zh="隔离场所警力派驻表",
        row="某一天派驻某一个隔离场所的警力",
        columns=(
            C("record_id", "记录编号", "str", "记录编号"),
            C("duty_date", "派驻日期", "date", "值勤日期；决定所属年份"),
            C("site", "隔离场所", "str", "场所名称"),
            C("officers", "派驻人次", "int", "当天在岗的警力人数", min=0),
        ),
        key=("record_id",),
        year_column="duty_date",
        counts="每一条记录",
        source="治安支队隔离场所安保台账",
    )
)

register(
    Table(
        name="venues",
        zh="场所台账",
        row="疫情期间公安机关管控的一个登记场所，以年末名册为准",
        columns=(
            C("venue_id", "场所编号", "str", "登记编号"),
            C("name", "场所名称", "str", "名称"),
            C(
                "category",
                "场所类别",
                "category",
                "场所类型",
                allowed=("跨境司机定点活动场所", "集中隔离场所", "核酸检测点", "疫苗接种点"),
            ),
            C("town", "所属镇街", "str", "镇街"),
            C("status", "状态", "category", "是否仍在册", allowed=("在册", "注销")),
        ),
        key=("venue_id",),
        year_column=None,
        counts="状态为 在册 的场所",
        source="疫情防控场所台账",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="meeting_facilities",
        zh="监所会见设施台账",
        row="看守所投入使用的一个律师会见设施或设备",
        columns=(
            C("facility_id", "设施编号", "str", "登记编号"),
            C("centre", "监管场所", "str", "看守所"),
            C(
                "kind",
                "设施类别",
                "category",
                "类别",
                allowed=("视频会见室", "临时会见卡位", "平板电脑"),
            ),
            C("quantity", "数量", "int", "数量（每个房间、每个隔间各计一个）", min=1),
            C("enabled_date", "启用日期", "date", "投入使用日期；决定所属年份"),
        ),
        key=("facility_id",),
        year_column="enabled_date",
        counts="年内投入使用的设施",
        source="监管支队设施台账",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="volunteer_logs",
        zh="志愿服务日志",
        row="本局志愿服务队某一支队伍一天的工作",
        columns=(
            C("log_id", "日志编号", "str", "记录编号"),
            C("log_date", "日期", "date", "日期；决定所属年份"),
            C("team", "服务小组", "str", "队伍"),
            C("town", "服务镇街", "str", "队伍工作的地点"),
            C("visited", "走访人数", "int", "走访的居民数", min=0),
            C("served", "服务人数", "int", "服务的居民数", min=0),
            C("persuaded", "劝导人数", "int", "劝导的居民数", min=0),
            C("deeds", "办实事项数", "int", "为居民办理的实事", min=0),
            C("solved", "解决问题数", "int", "协调解决的问题", min=0),
        ),
        key=("log_id",),
        year_column="log_date",
        counts="每一条日志",
        source="机关志愿服务队工作日志",
    )
)
