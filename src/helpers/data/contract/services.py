"""Tables of 一(五) 推进“放管服”改革."""

from helpers.data.contract.base import Column, Table, register

register(
    Table(
        name="service_items",
        zh="政务服务事项目录",
        row="one public-security service item offered at the bureau's windows, as catalogued at year end",
        columns=(
            Column("item_id", "事项编码", "str", "catalog code of the item"),
            Column("item_name", "事项名称", "str", "name of the item"),
            Column(
                "category",
                "业务类别",
                "category",
                "business line",
                allowed=("户政", "车驾管", "出入境", "治安", "监管", "网安", "其他"),
            ),
            Column("city_wide", "全市通办", "bool", "can be handled at any window in the city"),
            Column("cross_province", "跨省通办", "bool", "can be handled across provinces"),
            Column(
                "status",
                "状态",
                "category",
                "whether the item is offered",
                allowed=("在用", "停用"),
            ),
        ),
        key=("item_id",),
        year_column=None,
        counts="items with status 在用; the file of a year is the catalog as of 31 December",
        source="政务服务事项管理系统, exported as XLSX",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="home_services",
        zh="上门服务记录",
        row="one home visit (上门办) to a resident who cannot come to a window",
        columns=(
            Column("record_id", "记录编号", "str", "record number"),
            Column("service_date", "服务日期", "date", "date of the visit; decides the year"),
            Column("person_id", "服务对象编号", "str", "pseudonymous id of the resident served"),
            Column("age", "年龄", "int", "age of the resident", min=0, max=130),
            Column(
                "reason",
                "上门原因",
                "category",
                "why the resident cannot come",
                allowed=("高龄", "伤残", "疾病"),
            ),
            Column(
                "business",
                "办理业务",
                "category",
                "what was handled",
                allowed=("户籍", "居民身份证", "居住证"),
            ),
            Column("status", "状态", "category", "outcome", allowed=("已办结", "已取消")),
        ),
        key=("record_id",),
        year_column="service_date",
        counts="visits with status 已办结; residents are counted once a year (distinct person_id)",
        source="户政上门服务登记",
    )
)

register(
    Table(
        name="outreach_events",
        zh="延伸服务活动",
        row="one outreach session (延伸办) held at a company, community, village, school or office",
        columns=(
            Column("event_id", "活动编号", "str", "event number"),
            Column("event_date", "活动日期", "date", "date held; decides the year"),
            Column(
                "venue_type",
                "场所类型",
                "category",
                "kind of place",
                allowed=("企业", "社区", "村屯", "学校", "单位"),
            ),
            Column("venue", "地点", "str", "name of the place", required=False),
            Column(
                "persons_served", "服务人次", "int", "person-times served at the session", min=0
            ),
            Column(
                "status", "状态", "category", "whether it took place", allowed=("已开展", "已取消")
            ),
        ),
        key=("event_id",),
        year_column="event_date",
        counts="sessions with status 已开展",
        source="政务服务延伸活动登记表",
    )
)

register(
    Table(
        name="hotline_tickets",
        zh="12345热线工单",
        row="one 12345 government-hotline ticket assigned to the police",
        columns=(
            Column("ticket_id", "工单编号", "str", "ticket number"),
            Column(
                "received_at",
                "受理时间",
                "datetime",
                "when the hotline received it; decides the year",
            ),
            Column(
                "category",
                "工单类别",
                "category",
                "kind of ticket",
                allowed=("投诉", "表扬", "咨询", "求助", "建议"),
            ),
            Column(
                "status",
                "办理状态",
                "category",
                "handling state",
                allowed=("已办结", "办理中", "已撤销"),
            ),
            Column(
                "duplicate",
                "重复工单",
                "bool",
                "marked by the hotline as a repeat of an earlier ticket",
            ),
            Column("unit", "承办单位", "str", "police unit that handled it", required=False),
        ),
        key=("ticket_id",),
        year_column="received_at",
        counts="tickets not 已撤销 and not marked 重复工单",
        source="12345政务服务便民热线工单系统",
    )
)
