"""Tables of 一(四) 严格规范公正文明执法."""

from helpers.data.contract.base import Column as C
from helpers.data.contract.base import Table, register

register(
    Table(
        name="guidelines",
        zh="执法指引目录",
        row="本局印发的一件执法指引或规范性文件",
        columns=(
            C("doc_id", "文号", "str", "文号"),
            C("title", "文件名称", "str", "标题，不带书名号"),
            C("issued_date", "印发日期", "date", "印发日期；决定所属年份"),
            C("status", "状态", "category", "是否有效", allowed=("有效", "废止")),
        ),
        key=("doc_id",),
        year_column="issued_date",
        counts="年内印发且状态为 有效 的文件",
        source="法制支队规范性文件目录",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="case_reviews",
        zh="案件考评表",
        row="一轮考评（案件考评）中评查的一起案件或一条警情",
        columns=(
            C("review_id", "考评编号", "str", "记录编号"),
            C("round", "考评批次", "str", "考评轮次"),
            C("review_date", "考评日期", "date", "该轮考评的日期；决定所属年份"),
            C("object", "考评对象", "category", "评查的对象", allowed=("案件", "警情")),
            C("result", "考评结果", "category", "考评结果", allowed=("合格", "瑕疵", "不合格")),
        ),
        key=("review_id",),
        year_column="review_date",
        counts="每一个被评查的对象；考评轮次只计一次",
        source="执法质量考评系统",
    )
)

register(
    Table(
        name="inspections",
        zh="执法巡查记录",
        row="对一个分局的一次执法巡查",
        columns=(
            C("record_id", "记录编号", "str", "记录编号"),
            C("inspected_date", "巡查日期", "date", "日期；决定所属年份"),
            C("unit", "被巡查单位", "str", "被巡查的分局"),
            C("kind", "巡查类别", "category", "类别", allowed=("专项执法巡查", "日常巡查")),
        ),
        key=("record_id",),
        year_column="inspected_date",
        counts="专项执法巡查；被巡查单位只计一次",
        source="法制支队巡查台账",
    )
)

register(
    Table(
        name="it_functions",
        zh="信息化功能目录",
        row="办案信息系统的一项功能，以年末在用情况为准",
        columns=(
            C("function_id", "功能编号", "str", "功能编号"),
            C("name", "功能名称", "str", "名称"),
            C(
                "category",
                "功能类别",
                "category",
                "类别",
                allowed=("协同业务", "大数据服务", "风险监督"),
            ),
            C("status", "状态", "category", "是否在用", allowed=("在用", "停用")),
        ),
        key=("function_id",),
        year_column=None,
        counts="状态为 在用 的功能",
        source="执法办案管理中心系统目录",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="honours",
        zh="荣誉表",
        row="授予一个单位的一项荣誉",
        columns=(
            C("record_id", "记录编号", "str", "记录编号"),
            C("awarded_date", "授予日期", "date", "日期；决定所属年份"),
            C("unit", "获奖单位", "str", "获得荣誉的单位"),
            C("honour", "荣誉名称", "str", "荣誉名称"),
            C("issuer", "授予单位", "str", "授予单位"),
        ),
        key=("record_id",),
        year_column="awarded_date",
        counts="每一项荣誉",
        source="政治部荣誉登记",
    )
)
