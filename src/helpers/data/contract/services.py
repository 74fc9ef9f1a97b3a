"""Tables of 一(五) 推进“放管服”改革."""

from helpers.data.contract.base import Column, Table, register

register(
    Table(
        name="service_items",
        zh="政务服务事项目录",
        row="本局窗口提供的一项公安政务服务事项，以年末目录为准",
        columns=(
            Column("item_id", "事项编码", "str", "事项的目录编码"),
            Column("item_name", "事项名称", "str", "事项名称"),
            Column(
                "category",
                "业务类别",
                "category",
                "业务条线",
                allowed=("户政", "车驾管", "出入境", "治安", "监管", "网安", "其他"),
            ),
            Column("city_wide", "全市通办", "bool", "能否在全市任一窗口办理"),
            Column("cross_province", "跨省通办", "bool", "能否跨省办理"),
            Column(
                "status",
                "状态",
                "category",
                "是否提供该事项",
                allowed=("在用", "停用"),
            ),
        ),
        key=("item_id",),
        year_column=None,
        counts="状态为 在用 的事项；某一年的文件是截至 12 月 31 日的目录",
        source="政务服务事项管理系统，导出为 XLSX",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="home_services",
        zh="上门服务记录",
        row="为不能到窗口的居民上门办理的一次服务（上门办）",
        columns=(
            Column("record_id", "记录编号", "str", "记录编号"),
            Column("service_date", "服务日期", "date", "上门日期；决定所属年份"),
            Column("person_id", "服务对象编号", "str", "被服务居民的化名编号"),
            Column("age", "年龄", "int", "居民的年龄", min=0, max=130),
            Column(
                "reason",
                "上门原因",
                "category",
                "居民不能到窗口的原因",
                allowed=("高龄", "伤残", "疾病"),
            ),
            Column(
                "business",
                "办理业务",
                "category",
                "办理的事项",
                allowed=("户籍", "居民身份证", "居住证"),
            ),
            Column("status", "状态", "category", "考评结果", allowed=("已办结", "已取消")),
        ),
        key=("record_id",),
        year_column="service_date",
        counts="状态为 已办结 的上门服务；居民每年只计一次（按不同的 person_id）",
        source="户政上门服务登记",
    )
)

register(
    Table(
        name="outreach_events",
        zh="延伸服务活动",
        row="在企业、社区、村、学校或机关开展的一次延伸服务（延伸办）",
        columns=(
            Column("event_id", "活动编号", "str", "活动编号"),
            Column("event_date", "活动日期", "date", "开展日期；决定所属年份"),
            Column(
                "venue_type",
                "场所类型",
                "category",
                "场所类型",
                allowed=("企业", "社区", "村屯", "学校", "单位"),
            ),
            Column("venue", "地点", "str", "场所名称", required=False),
            Column("persons_served", "服务人次", "int", "该场次服务的人次", min=0),
            Column("status", "状态", "category", "是否已开展", allowed=("已开展", "已取消")),
        ),
        key=("event_id",),
        year_column="event_date",
        counts="状态为 已开展 的服务场次",
        source="政务服务延伸活动登记表",
    )
)

register(
    Table(
        name="hotline_tickets",
        zh="12345热线工单",
        row="派给公安机关的一张 12345 政务服务热线工单",
        columns=(
            Column("ticket_id", "工单编号", "str", "工单编号"),
            Column(
                "received_at",
                "受理时间",
                "datetime",
                "热线受理时间；决定所属年份",
            ),
            Column(
                "category",
                "工单类别",
                "category",
                "工单类别",
                allowed=("投诉", "表扬", "咨询", "求助", "建议"),
            ),
            Column(
                "status",
                "办理状态",
                "category",
                "办理状态",
                allowed=("已办结", "办理中", "已撤销"),
            ),
            Column(
                "duplicate",
                "重复工单",
                "bool",
                "热线标记为之前某张工单的重复工单",
            ),
            Column("unit", "承办单位", "str", "承办的公安单位", required=False),
        ),
        key=("ticket_id",),
        year_column="received_at",
        counts="状态不是 已撤销 且未标记为 重复工单 的工单",
        source="12345政务服务便民热线工单系统",
        daily=True,
    )
)
