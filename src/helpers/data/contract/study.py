"""Tables of 一(一) 学习贯彻习近平法治思想 and 二 主要负责人履职: dated activities and court appearances."""

from helpers.data.contract.base import Column as C
from helpers.data.contract.base import Table, register

register(
    Table(
        name="activities",
        zh="活动记录表",
        row="one dated activity of the bureau's Party committee or the whole force (study session, lecture, plan issued …)",
        columns=(
            C("activity_id", "活动编号", "str", "record number"),
            C("activity_date", "活动日期", "date", "date held or issued; decides the year"),
            C(
                "category",
                "类别",
                "category",
                "kind of activity",
                allowed=("学法", "普法", "会议", "其他"),
            ),
            C(
                "title",
                "活动内容",
                "str",
                "what was done, as one clause of the report (no figures)",
            ),
        ),
        key=("activity_id",),
        year_column="activity_date",
        counts="activities of category 学法 are listed in the study section in date order",
        source="局党委办公室、法制支队活动台账",
    )
)

register(
    Table(
        name="court_appearances",
        zh="出庭应诉记录",
        row="one court hearing of an administrative lawsuit at which a responsible leader appeared in person",
        columns=(
            C("record_id", "记录编号", "str", "record number"),
            C("hearing_date", "开庭日期", "date", "date of the hearing; decides the year"),
            C("name", "出庭负责人", "str", "name of the leader who appeared"),
            C("post", "职务", "str", "the leader's post"),
            C("represented", "代表机关", "str", "the organ the leader appeared for"),
        ),
        key=("record_id",),
        year_column="hearing_date",
        counts="every appearance",
        source="法制支队行政诉讼台账",
    )
)
