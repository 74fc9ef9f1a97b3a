"""Tables of 一(三) 平安建设: alarms, cases, persons and measures, campaigns, prevention."""

from helpers.data.contract.base import Column as C
from helpers.data.contract.base import Table, register

CASE_TYPES = (
    "电信网络诈骗",
    "毒品",
    "盗窃",
    "诈骗",
    "抢劫抢夺",
    "故意伤害",
    "涉黄",
    "涉赌",
    "走私",
    "偷渡",
    "经济犯罪",
    "其他",
)

register(
    Table(
        name="alarms",
        zh="110警情表",
        row="one call to the 110 platform",
        columns=(
            C("alarm_id", "警情编号", "int", "alarm number"),
            C("received_at", "接警时间", "datetime", "when the call came in; decides the year"),
            C(
                "category",
                "警情类别",
                "category",
                "class of the call",
                allowed=("违法犯罪", "求助", "纠纷", "交通", "火灾", "举报", "其他"),
            ),
            C(
                "subcategory",
                "警情细类",
                "category",
                "kind of offence (违法犯罪 only)",
                required=False,
                allowed=CASE_TYPES,
            ),
            C("status", "警情状态", "category", "validity", allowed=("有效", "无效", "重复")),
        ),
        key=("alarm_id",),
        year_column="received_at",
        counts="alarms with status 有效 (无效 prank or mistaken calls and 重复 repeats are excluded)",
        source="110接处警系统",
        formats=("parquet", "csv"),
    )
)

register(
    Table(
        name="cases",
        zh="案件表",
        row="one criminal case (刑事) or administrative case (行政)",
        columns=(
            C("case_id", "案件编号", "int", "case number"),
            C(
                "kind",
                "案件性质",
                "category",
                "criminal or administrative",
                allowed=("刑事", "行政"),
            ),
            C("case_type", "案件类别", "category", "kind of offence", allowed=CASE_TYPES),
            C(
                "filed_date",
                "立案日期",
                "date",
                "date filed (刑事立案 / 行政受理); decides the file's year",
            ),
            C(
                "solved_date",
                "破案日期",
                "date",
                "date solved (criminal) or closed (administrative)",
                required=False,
            ),
            C("status", "案件状态", "category", "state", allowed=("已立案", "已受理", "已撤销")),
        ),
        key=("case_id",),
        year_column="filed_date",
        counts="cases not 已撤销; solved figures count cases solved in the year, whatever year they were filed",
        source="警综平台案件库",
        formats=("parquet", "csv"),
    )
)

register(
    Table(
        name="persons",
        zh="涉案人员表",
        row="one person caught (抓获) for an offence",
        columns=(
            C("person_id", "人员编号", "int", "pseudonymous id"),
            C("caught_date", "抓获日期", "date", "date caught; decides the year"),
            C("case_type", "案件类别", "category", "kind of offence", allowed=CASE_TYPES),
            C(
                "role",
                "人员类别",
                "category",
                "suspect in a criminal or an administrative case",
                allowed=("犯罪嫌疑人", "违法行为人"),
            ),
        ),
        key=("person_id",),
        year_column="caught_date",
        counts="every person caught",
        source="警综平台涉案人员库",
        formats=("parquet", "csv"),
    )
)

register(
    Table(
        name="measures",
        zh="处理措施表",
        row="one measure taken against a person (detention, transfer for prosecution …)",
        columns=(
            C("measure_id", "措施编号", "int", "record number"),
            C("person_id", "人员编号", "int", "pseudonymous id of the person"),
            C(
                "measure",
                "措施类别",
                "category",
                "measure",
                allowed=("行政拘留", "刑事拘留", "移送审查起诉", "取保候审", "监视居住", "逮捕"),
            ),
            C("decided_date", "决定日期", "date", "date decided; decides the year"),
            C("status", "状态", "category", "state", allowed=("有效", "已撤销")),
        ),
        key=("measure_id",),
        year_column="decided_date",
        counts="measures not 已撤销",
        source="警综平台强制措施库",
        formats=("parquet", "csv"),
    )
)

register(
    Table(
        name="province_cities",
        zh="全省各市指标表",
        row="one city of the province in one year: population, anti-fraud app and fraud figures (from the provincial department)",
        columns=(
            C("year", "年度", "int", "year; decides the year", min=2000, max=2100),
            C("city", "地市", "str", "city"),
            C("population", "常住人口", "int", "resident population", min=1),
            C(
                "app_registered",
                "反诈APP注册人数",
                "int",
                "residents registered on the 国家反诈中心 app",
                min=0,
            ),
            C("app_covered", "反诈APP覆盖人数", "int", "people covered by the app", min=0),
            C("fraud_alarms", "电诈警情数", "int", "telecom-fraud alarms", min=0),
            C("fraud_cases", "电诈立案数", "int", "telecom-fraud cases filed", min=0),
        ),
        key=("year", "city"),
        year_column="year",
        counts="every city; rankings compare all cities of the province",
        source="省公安厅反诈中心通报",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="gangs",
        zh="打掉团伙表",
        row="one criminal group dismantled",
        columns=(
            C("gang_id", "团伙编号", "str", "record number"),
            C("dismantled_date", "打掉日期", "date", "date dismantled; decides the year"),
            C(
                "category",
                "团伙类别",
                "category",
                "kind of group",
                allowed=(
                    "黑社会性质组织",
                    "恶势力犯罪集团",
                    "网络裸聊敲诈勒索团伙",
                    "其它网黑团伙",
                    "走私犯罪团伙",
                    "电诈犯罪团伙",
                    "其他犯罪团伙",
                ),
            ),
            C("members", "成员人数", "int", "members caught", min=0),
            C(
                "status",
                "认定状态",
                "category",
                "whether the finding stands",
                allowed=("已认定", "已撤销"),
            ),
        ),
        key=("gang_id",),
        year_column="dismantled_date",
        counts="groups with status 已认定",
        source="刑侦支队打团伙台账",
    )
)

register(
    Table(
        name="fugitives",
        zh="逃犯抓获表",
        row="one fugitive caught",
        columns=(
            C("record_id", "记录编号", "str", "record number"),
            C("caught_date", "抓获日期", "date", "date caught; decides the year"),
            C(
                "level",
                "逃犯级别",
                "category",
                "whose target list the fugitive was on",
                allowed=("公安部目标逃犯", "省公安厅目标逃犯", "一般逃犯"),
            ),
        ),
        key=("record_id",),
        year_column="caught_date",
        counts="every fugitive caught",
        source="追逃系统",
    )
)

register(
    Table(
        name="commendations",
        zh="贺电表",
        row="one message of congratulation (贺电) received for a case or campaign",
        columns=(
            C("record_id", "记录编号", "str", "record number"),
            C("received_date", "收到日期", "date", "date received; decides the year"),
            C(
                "issuer",
                "发文单位",
                "category",
                "who sent it",
                allowed=("公安部", "省公安厅", "市委市政府"),
            ),
            C(
                "campaign",
                "专项",
                "category",
                "campaign",
                allowed=("涉黄赌", "走私", "电诈", "扫黑除恶", "毒品", "其他"),
            ),
            C("subject", "事由", "str", "case or campaign congratulated", required=False),
        ),
        key=("record_id",),
        year_column="received_date",
        counts="every message",
        source="局办公室收文登记",
    )
)

register(
    Table(
        name="drug_seizures",
        zh="缴获毒品表",
        row="one seizure of drugs",
        columns=(
            C("seizure_id", "缴获编号", "str", "record number"),
            C("seized_date", "缴获日期", "date", "date seized; decides the year"),
            C(
                "drug",
                "毒品种类",
                "category",
                "drug",
                allowed=("冰毒", "海洛因", "氯胺酮", "大麻", "摇头丸", "其他"),
            ),
            C("grams", "重量（克）", "float", "weight in grams", min=0),
        ),
        key=("seizure_id",),
        year_column="seized_date",
        counts="every seizure; shown in kilograms, rounded half up",
        source="禁毒支队缴毒台账",
    )
)

register(
    Table(
        name="special_cases",
        zh="专案表",
        row="one named major case (专案) the report may mention",
        columns=(
            C("case_code", "专案代号", "str", "code name, e.g. 10.22"),
            C("name", "专案名称", "str", "name used in the text, e.g. 华风传销案", required=False),
            C("solved_date", "侦破日期", "date", "date solved; decides the year"),
            C(
                "category",
                "专案类别",
                "category",
                "kind",
                allowed=("偷渡", "地下钱庄", "保险诈骗", "传销", "涉黄", "涉赌", "走私", "其他"),
            ),
            C(
                "supervised_by",
                "督办单位",
                "category",
                "who supervised it",
                required=False,
                allowed=("公安部", "省公安厅", "市公安局"),
            ),
            C("persons", "涉案人数", "int", "persons involved", min=0),
            C("amount", "涉案金额（元）", "float", "value involved in yuan", required=False, min=0),
            C(
                "remark",
                "说明",
                "str",
                "what distinguishes the case, one clause, no figures",
                required=False,
            ),
        ),
        key=("case_code",),
        year_column="solved_date",
        counts="every named case",
        source="各警种专案登记",
    )
)

register(
    Table(
        name="school_enrollments",
        zh="矫治学校入学记录",
        row="one admission of a student to the correction school (启航学校), as known at year end",
        columns=(
            C("enrollment_id", "入学编号", "str", "record number"),
            C("student_id", "学生编号", "str", "pseudonymous id; a student may be admitted twice"),
            C("admitted_date", "入学日期", "date", "date admitted"),
            C("left_date", "离校日期", "date", "date left (empty while in school)", required=False),
            C(
                "reoffended",
                "离校后再违法犯罪",
                "bool",
                "new offence recorded after leaving (empty while in school)",
                required=False,
            ),
        ),
        key=("enrollment_id",),
        year_column=None,
        counts="the file of a year holds every admission since the school opened (July 2020), as at 31 December",
        source="启航学校学籍系统",
    )
)

register(
    Table(
        name="rental_inspections",
        zh="出租屋排查表",
        row="one inspection of one rented dwelling",
        columns=(
            C("inspection_id", "排查编号", "int", "record number"),
            C("house_id", "房屋编号", "int", "dwelling"),
            C("inspected_date", "排查日期", "date", "date inspected; decides the year"),
            C(
                "town",
                "镇街",
                "category",
                "town or street",
                allowed=(
                    "莞城",
                    "南城",
                    "东城",
                    "万江",
                    "石碣",
                    "石龙",
                    "茶山",
                    "石排",
                    "企石",
                    "横沥",
                    "桥头",
                    "谢岗",
                    "东坑",
                    "常平",
                    "寮步",
                    "樟木头",
                    "大朗",
                    "黄江",
                    "清溪",
                    "塘厦",
                    "凤岗",
                    "大岭山",
                    "长安",
                    "虎门",
                    "厚街",
                    "沙田",
                    "道滘",
                    "洪梅",
                    "麻涌",
                    "望牛墩",
                    "中堂",
                    "高埗",
                    "松山湖",
                    "滨海湾",
                ),
            ),
            C(
                "result",
                "排查结果",
                "category",
                "outcome",
                allowed=("正常", "责令整改", "移交处理"),
            ),
        ),
        key=("inspection_id",),
        year_column="inspected_date",
        counts="dwellings counted once a year (distinct house_id)",
        source="出租屋管理系统",
        formats=("parquet", "csv"),
    )
)

register(
    Table(
        name="knife_seizures",
        zh="刀具收缴表",
        row="one seizure of controlled knives",
        columns=(
            C("record_id", "记录编号", "str", "record number"),
            C("seized_date", "收缴日期", "date", "date; decides the year"),
            C("town", "镇街", "str", "town or street"),
            C("quantity", "数量（把）", "int", "knives seized", min=0),
        ),
        key=("record_id",),
        year_column="seized_date",
        counts="every seizure",
        source="治安支队“缉刀断刃”台账",
    )
)

register(
    Table(
        name="volunteer_roster",
        zh="义警名册",
        row="one member of the 东莞义警 volunteer police, as registered at year end",
        columns=(
            C("volunteer_id", "义警编号", "int", "member number"),
            C("group_id", "义警小组", "str", "group the member belongs to"),
            C("joined_date", "加入日期", "date", "date joined"),
            C("status", "状态", "category", "still a member", allowed=("在册", "退出")),
        ),
        key=("volunteer_id",),
        year_column=None,
        counts="members with status 在册; groups counted among them",
        source="东莞义警管理平台",
        formats=("parquet", "csv"),
    )
)

register(
    Table(
        name="response_teams",
        zh="应急响应小组台账",
        row="one emergency response team (“先莞队”), as registered at year end",
        columns=(
            C("team_id", "小组编号", "str", "team number"),
            C("town", "镇街", "str", "town or street"),
            C("founded_date", "组建日期", "date", "date founded"),
            C("status", "状态", "category", "still active", allowed=("在册", "撤销")),
        ),
        key=("team_id",),
        year_column=None,
        counts="teams with status 在册",
        source="东莞义警管理平台",
    )
)

register(
    Table(
        name="rally_points",
        zh="义警召集点台账",
        row="one rally point of the volunteer police, as registered at year end",
        columns=(
            C("point_id", "召集点编号", "str", "point number"),
            C("town", "镇街", "str", "town or street"),
            C("status", "状态", "category", "still in use", allowed=("在用", "停用")),
        ),
        key=("point_id",),
        year_column=None,
        counts="points with status 在用",
        source="东莞义警管理平台",
    )
)

register(
    Table(
        name="volunteer_results",
        zh="义警战果表",
        row="one reported result of the volunteer police",
        columns=(
            C("record_id", "记录编号", "str", "record number"),
            C("record_date", "日期", "date", "date; decides the year"),
            C("kind", "战果类别", "category", "kind", allowed=("协助抓获", "好人好事", "提供线索")),
            C("suspects", "协助抓获人数", "int", "suspects caught with their help", min=0),
        ),
        key=("record_id",),
        year_column="record_date",
        counts="every record; 好人好事 records are counted, suspects are summed",
        source="东莞义警管理平台",
    )
)

register(
    Table(
        name="traffic_accidents",
        zh="交通事故表",
        row="one road traffic accident with casualties",
        columns=(
            C("accident_id", "事故编号", "str", "accident number"),
            C("occurred_at", "事故时间", "datetime", "when it happened; decides the year"),
            C("town", "镇街", "str", "town or street"),
            C("deaths", "死亡人数", "int", "people killed", min=0),
            C("injuries", "受伤人数", "int", "people injured", min=0),
        ),
        key=("accident_id",),
        year_column="occurred_at",
        counts="every accident; deaths summed",
        source="交警支队事故处理系统",
    )
)
