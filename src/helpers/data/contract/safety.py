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
        row="向 110 平台的一次报警",
        columns=(
            C("alarm_id", "警情编号", "int", "警情编号"),
            C("received_at", "接警时间", "datetime", "报警时间；决定所属年份"),
            C(
                "category",
                "警情类别",
                "category",
                "警情类别",
                allowed=("违法犯罪", "求助", "纠纷", "交通", "火灾", "举报", "其他"),
            ),
            C(
                "subcategory",
                "警情细类",
                "category",
                "违法犯罪的种类（仅限 违法犯罪 类）",
                required=False,
                allowed=CASE_TYPES,
            ),
            C("status", "警情状态", "category", "是否有效", allowed=("有效", "无效", "重复")),
        ),
        key=("alarm_id",),
        year_column="received_at",
        counts="状态为 有效 的警情（不含 无效 的骚扰、误报电话和 重复 的重复报警）",
        source="110接处警系统",
        formats=("parquet", "csv"),
        daily=True,
        tally=("category", "subcategory", "status"),
    )
)

register(
    Table(
        name="cases",
        zh="案件表",
        row="一起刑事案件或行政案件",
        columns=(
            C("case_id", "案件编号", "int", "案件编号"),
            C(
                "kind",
                "案件性质",
                "category",
                "刑事或行政",
                allowed=("刑事", "行政"),
            ),
            C("case_type", "案件类别", "category", "案件的种类", allowed=CASE_TYPES),
            C(
                "filed_date",
                "立案日期",
                "date",
                "立案日期（刑事立案 / 行政受理）；决定文件所属年份",
            ),
            C(
                "solved_date",
                "破案日期",
                "date",
                "破案日期（刑事）或结案日期（行政）",
                required=False,
            ),
            C("status", "案件状态", "category", "状态", allowed=("已立案", "已受理", "已撤销")),
        ),
        key=("case_id",),
        year_column="filed_date",
        counts="状态不是 已撤销 的案件；破案数按年内破获的案件计，不论立案年份",
        source="警综平台案件库",
        formats=("parquet", "csv"),
        daily=True,
    )
)

register(
    Table(
        name="persons",
        zh="涉案人员表",
        row="因违法犯罪被抓获的一人",
        columns=(
            C("person_id", "人员编号", "int", "化名编号"),
            C("caught_date", "抓获日期", "date", "抓获日期；决定所属年份"),
            C("case_type", "案件类别", "category", "案件的种类", allowed=CASE_TYPES),
            C(
                "role",
                "人员类别",
                "category",
                "刑事案件或行政案件的嫌疑人",
                allowed=("犯罪嫌疑人", "违法行为人"),
            ),
        ),
        key=("person_id",),
        year_column="caught_date",
        counts="每一个被抓获的人",
        source="警综平台涉案人员库",
        formats=("parquet", "csv"),
        daily=True,
    )
)

register(
    Table(
        name="measures",
        zh="处理措施表",
        row="对一人采取的一项措施（拘留、移送起诉 …）",
        columns=(
            C("measure_id", "措施编号", "int", "记录编号"),
            C("person_id", "人员编号", "int", "该人的化名编号"),
            C(
                "measure",
                "措施类别",
                "category",
                "措施",
                allowed=("行政拘留", "刑事拘留", "移送审查起诉", "取保候审", "监视居住", "逮捕"),
            ),
            C("decided_date", "决定日期", "date", "决定日期；决定所属年份"),
            C("status", "状态", "category", "状态", allowed=("有效", "已撤销")),
        ),
        key=("measure_id",),
        year_column="decided_date",
        counts="状态不是 已撤销 的措施",
        source="警综平台强制措施库",
        formats=("parquet", "csv"),
        daily=True,
    )
)

register(
    Table(
        name="province_cities",
        zh="全省各市指标表",
        row="全省一个地市一年的数据：人口、反诈 App 和诈骗数字（来自省公安厅）",
        columns=(
            C("year", "年度", "int", "年份；决定所属年份", min=2000, max=2100),
            C("city", "地市", "str", "地市"),
            C("population", "常住人口", "int", "常住人口", min=1),
            C(
                "app_registered",
                "反诈APP注册人数",
                "int",
                "注册国家反诈中心 App 的居民数",
                min=0,
            ),
            C("app_covered", "反诈APP覆盖人数", "int", "App 覆盖的人数", min=0),
            C("fraud_alarms", "电诈警情数", "int", "电信诈骗警情数", min=0),
            C("fraud_cases", "电诈立案数", "int", "电信诈骗立案数", min=0),
        ),
        key=("year", "city"),
        year_column="year",
        counts="每一个地市；排名比较全省所有地市",
        source="省公安厅反诈中心通报",
        formats=("xlsx", "csv", "parquet"),
    )
)

register(
    Table(
        name="gangs",
        zh="打掉团伙表",
        row="打掉的一个犯罪团伙",
        columns=(
            C("gang_id", "团伙编号", "str", "记录编号"),
            C("dismantled_date", "打掉日期", "date", "打掉日期；决定所属年份"),
            C(
                "category",
                "团伙类别",
                "category",
                "团伙的种类",
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
            C("members", "成员人数", "int", "抓获的成员数", min=0),
            C(
                "status",
                "认定状态",
                "category",
                "认定是否成立",
                allowed=("已认定", "已撤销"),
            ),
        ),
        key=("gang_id",),
        year_column="dismantled_date",
        counts="状态为 已认定 的团伙",
        source="刑侦支队打团伙台账",
    )
)

register(
    Table(
        name="fugitives",
        zh="逃犯抓获表",
        row="抓获的一名逃犯",
        columns=(
            C("record_id", "记录编号", "str", "记录编号"),
            C("caught_date", "抓获日期", "date", "抓获日期；决定所属年份"),
            C(
                "level",
                "逃犯级别",
                "category",
                "逃犯所在的目标名单",
                allowed=("公安部目标逃犯", "省公安厅目标逃犯", "一般逃犯"),
            ),
        ),
        key=("record_id",),
        year_column="caught_date",
        counts="每一名被抓获的逃犯",
        source="追逃系统",
    )
)

register(
    Table(
        name="commendations",
        zh="贺电表",
        row="为一起案件或一次专项行动收到的一封贺电",
        columns=(
            C("record_id", "记录编号", "str", "记录编号"),
            C("received_date", "收到日期", "date", "收到日期；决定所属年份"),
            C(
                "issuer",
                "发文单位",
                "category",
                "发电单位",
                allowed=("公安部", "省公安厅", "市委市政府"),
            ),
            C(
                "campaign",
                "专项",
                "category",
                "专项行动",
                allowed=("涉黄赌", "走私", "电诈", "扫黑除恶", "毒品", "其他"),
            ),
            C("subject", "事由", "str", "所贺的案件或行动", required=False),
        ),
        key=("record_id",),
        year_column="received_date",
        counts="每一封贺电",
        source="局办公室收文登记",
    )
)

register(
    Table(
        name="drug_seizures",
        zh="缴获毒品表",
        row="一次缴获毒品",
        columns=(
            C("seizure_id", "缴获编号", "str", "记录编号"),
            C("seized_date", "缴获日期", "date", "缴获日期；决定所属年份"),
            C(
                "drug",
                "毒品种类",
                "category",
                "毒品种类",
                allowed=("冰毒", "海洛因", "氯胺酮", "大麻", "摇头丸", "其他"),
            ),
            C("grams", "重量（克）", "float", "重量（克）", min=0),
        ),
        key=("seizure_id",),
        year_column="seized_date",
        counts="每一次缴获；以千克显示，四舍五入",
        source="禁毒支队缴毒台账",
    )
)

register(
    Table(
        name="special_cases",
        zh="专案表",
        row="报告可能提到的一个有名称的重大专案",
        columns=(
            C("case_code", "专案代号", "str", "专案代号，如 10.22"),
            C("name", "专案名称", "str", "正文中使用的名称，如 华风传销案", required=False),
            C("solved_date", "侦破日期", "date", "破案日期；决定所属年份"),
            C(
                "category",
                "专案类别",
                "category",
                "类别",
                allowed=("偷渡", "地下钱庄", "保险诈骗", "传销", "涉黄", "涉赌", "走私", "其他"),
            ),
            C(
                "supervised_by",
                "督办单位",
                "category",
                "督办单位",
                required=False,
                allowed=("公安部", "省公安厅", "市公安局"),
            ),
            C("persons", "涉案人数", "int", "涉案人数", min=0),
            C("amount", "涉案金额（元）", "float", "涉案金额（元）", required=False, min=0),
            C(
                "remark",
                "说明",
                "str",
                "该案的特点，一句话，不写数字",
                required=False,
            ),
        ),
        key=("case_code",),
        year_column="solved_date",
        counts="每一个专案",
        source="各警种专案登记",
    )
)

register(
    Table(
        name="school_enrollments",
        zh="矫治学校入学记录",
        row="一名学生进入矫治学校（启航学校）的一次入学，以年末所知为准",
        columns=(
            C("enrollment_id", "入学编号", "str", "记录编号"),
            C("student_id", "学生编号", "str", "化名编号；同一学生可能入学两次"),
            C("admitted_date", "入学日期", "date", "入学日期"),
            C("left_date", "离校日期", "date", "离校日期（在校期间为空）", required=False),
            C(
                "reoffended",
                "离校后再违法犯罪",
                "bool",
                "离校后记录的新违法犯罪（在校期间为空）",
                required=False,
            ),
        ),
        key=("enrollment_id",),
        year_column=None,
        counts="某一年的文件包含学校开办（2020 年 7 月）以来截至 12 月 31 日的每一次入学",
        source="启航学校学籍系统",
    )
)

register(
    Table(
        name="rental_inspections",
        zh="出租屋排查表",
        row="对一处出租屋的一次排查",
        columns=(
            C("inspection_id", "排查编号", "int", "记录编号"),
            C("house_id", "房屋编号", "int", "出租屋", distinct=True),
            C("inspected_date", "排查日期", "date", "排查日期；决定所属年份"),
            C(
                "town",
                "镇街",
                "category",
                "镇街",
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
                "考评结果",
                allowed=("正常", "责令整改", "移交处理"),
            ),
        ),
        key=("inspection_id",),
        year_column="inspected_date",
        counts="出租屋每年只计一次（按不同的 house_id）",
        source="出租屋管理系统",
        formats=("parquet", "csv"),
        daily=True,
    )
)

register(
    Table(
        name="knife_seizures",
        zh="刀具收缴表",
        row="一次收缴管制刀具",
        columns=(
            C("record_id", "记录编号", "str", "记录编号"),
            C("seized_date", "收缴日期", "date", "日期；决定所属年份"),
            C("town", "镇街", "str", "镇街"),
            C("quantity", "数量（把）", "int", "收缴的刀具数", min=0),
        ),
        key=("record_id",),
        year_column="seized_date",
        counts="每一次收缴",
        source="治安支队“缉刀断刃”台账",
    )
)

register(
    Table(
        name="volunteer_roster",
        zh="义警名册",
        row="东莞义警的一名成员，以年末登记为准",
        columns=(
            C("volunteer_id", "义警编号", "int", "成员编号"),
            C("group_id", "义警小组", "str", "成员所属的团体"),
            C("joined_date", "加入日期", "date", "加入日期"),
            C("status", "状态", "category", "是否仍是成员", allowed=("在册", "退出")),
        ),
        key=("volunteer_id",),
        year_column=None,
        counts="状态为 在册 的成员；团体成员计入其中",
        source="东莞义警管理平台",
        formats=("parquet", "csv"),
    )
)

register(
    Table(
        name="response_teams",
        zh="应急响应小组台账",
        row="一支应急响应小组（“先莞队”），以年末登记为准",
        columns=(
            C("team_id", "小组编号", "str", "小组编号"),
            C("town", "镇街", "str", "镇街"),
            C("founded_date", "组建日期", "date", "成立日期"),
            C("status", "状态", "category", "是否仍在运作", allowed=("在册", "撤销")),
        ),
        key=("team_id",),
        year_column=None,
        counts="状态为 在册 的小组",
        source="东莞义警管理平台",
    )
)

register(
    Table(
        name="rally_points",
        zh="义警召集点台账",
        row="义警的一个召集点，以年末登记为准",
        columns=(
            C("point_id", "召集点编号", "str", "召集点编号"),
            C("town", "镇街", "str", "镇街"),
            C("status", "状态", "category", "是否仍在使用", allowed=("在用", "停用")),
        ),
        key=("point_id",),
        year_column=None,
        counts="状态为 在用 的召集点",
        source="东莞义警管理平台",
    )
)

register(
    Table(
        name="volunteer_results",
        zh="义警战果表",
        row="义警上报的一项战果",
        columns=(
            C("record_id", "记录编号", "str", "记录编号"),
            C("record_date", "日期", "date", "日期；决定所属年份"),
            C("kind", "战果类别", "category", "类别", allowed=("协助抓获", "好人好事", "提供线索")),
            C("suspects", "协助抓获人数", "int", "协助抓获的嫌疑人数", min=0),
        ),
        key=("record_id",),
        year_column="record_date",
        counts="每一条记录；好人好事 记录计条数，嫌疑人数相加",
        source="东莞义警管理平台",
    )
)

register(
    Table(
        name="traffic_accidents",
        zh="交通事故表",
        row="一起有人员伤亡的道路交通事故",
        columns=(
            C("accident_id", "事故编号", "str", "事故编号"),
            C("occurred_at", "事故时间", "datetime", "发生时间；决定所属年份"),
            C("town", "镇街", "str", "镇街"),
            C("deaths", "死亡人数", "int", "死亡人数", min=0),
            C("injuries", "受伤人数", "int", "受伤人数", min=0),
        ),
        key=("accident_id",),
        year_column="occurred_at",
        counts="每一起事故；死亡人数相加",
        source="交警支队事故处理系统",
        daily=True,
    )
)
