"""Tables of 一(一) 学习贯彻习近平法治思想 and 二 主要负责人履职: dated activities and court appearances."""

from helpers.data.contract.base import Column as C
from helpers.data.contract.base import Table, register

register(
    Table(
        name="activities",
        zh="活动记录表",
        row="局党委或全局的一项有日期的活动（学习会、讲座、印发计划 …）",
        columns=(
            C("activity_id", "活动编号", "str", "记录编号"),
            C("activity_date", "活动日期", "date", "举办或印发日期；决定所属年份"),
            C(
                "category",
                "类别",
                "category",
                "活动的种类",
                allowed=("学法", "普法", "会议", "其他"),
            ),
            C(
                "title",
                "活动内容",
                "str",
                "做了什么，写成报告中的一个分句（不写数字）",
            ),
        ),
        key=("activity_id",),
        year_column="activity_date",
        counts="类别为 学法 的活动按日期顺序列在学习一节中",
        source="局党委办公室、法制支队活动台账",
    )
)

register(
    Table(
        name="court_appearances",
        zh="出庭应诉记录",
        row="负责人亲自出庭的一次行政诉讼庭审",
        columns=(
            C("record_id", "记录编号", "str", "记录编号"),
            C("hearing_date", "开庭日期", "date", "开庭日期；决定所属年份"),
            C("name", "出庭负责人", "str", "出庭负责人的姓名"),
            C("post", "职务", "str", "负责人的职务"),
            C("represented", "代表机关", "str", "负责人代表出庭的机关"),
        ),
        key=("record_id",),
        year_column="hearing_date",
        counts="每一次出庭",
        source="法制支队行政诉讼台账",
    )
)
