"""Tables of 一(四) 严格规范公正文明执法."""

from helpers.data.contract.base import Column as C
from helpers.data.contract.base import Table, register

register(
    Table(
        name="guidelines",
        zh="执法指引目录",
        row="one enforcement guideline or rule issued by the bureau",
        columns=(
            C("doc_id", "文号", "str", "document number"),
            C("title", "文件名称", "str", "title, without book-title marks"),
            C("issued_date", "印发日期", "date", "date issued; decides the year"),
            C("status", "状态", "category", "in force", allowed=("有效", "废止")),
        ),
        key=("doc_id",),
        year_column="issued_date",
        counts="documents issued in the year that are 有效",
        source="法制支队规范性文件目录",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="case_reviews",
        zh="案件考评表",
        row="one case or alarm reviewed in a review round (案件考评)",
        columns=(
            C("review_id", "考评编号", "str", "record number"),
            C("round", "考评批次", "str", "review round"),
            C("review_date", "考评日期", "date", "date of the round; decides the year"),
            C("object", "考评对象", "category", "what was reviewed", allowed=("案件", "警情")),
            C("result", "考评结果", "category", "outcome", allowed=("合格", "瑕疵", "不合格")),
        ),
        key=("review_id",),
        year_column="review_date",
        counts="every reviewed item; rounds counted once",
        source="执法质量考评系统",
    )
)

register(
    Table(
        name="inspections",
        zh="执法巡查记录",
        row="one enforcement inspection of a branch",
        columns=(
            C("record_id", "记录编号", "str", "record number"),
            C("inspected_date", "巡查日期", "date", "date; decides the year"),
            C("unit", "被巡查单位", "str", "branch inspected"),
            C("kind", "巡查类别", "category", "kind", allowed=("专项执法巡查", "日常巡查")),
        ),
        key=("record_id",),
        year_column="inspected_date",
        counts="special inspections (专项执法巡查); units named once",
        source="法制支队巡查台账",
    )
)

register(
    Table(
        name="it_functions",
        zh="信息化功能目录",
        row="one function of the case-handling information systems, as in use at year end",
        columns=(
            C("function_id", "功能编号", "str", "function number"),
            C("name", "功能名称", "str", "name"),
            C(
                "category",
                "功能类别",
                "category",
                "kind",
                allowed=("协同业务", "大数据服务", "风险监督"),
            ),
            C("status", "状态", "category", "in use", allowed=("在用", "停用")),
        ),
        key=("function_id",),
        year_column=None,
        counts="functions with status 在用",
        source="执法办案管理中心系统目录",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="honours",
        zh="荣誉表",
        row="one honour awarded to a unit",
        columns=(
            C("record_id", "记录编号", "str", "record number"),
            C("awarded_date", "授予日期", "date", "date; decides the year"),
            C("unit", "获奖单位", "str", "unit honoured"),
            C("honour", "荣誉名称", "str", "honour"),
            C("issuer", "授予单位", "str", "who awarded it"),
        ),
        key=("record_id",),
        year_column="awarded_date",
        counts="every honour",
        source="政治部荣誉登记",
    )
)
