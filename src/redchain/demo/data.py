"""Static tables of the demo zone: its industry chains, departments, branch brands and places.

The zone is fictional but modelled on the Jinzhong development zone (seed report 003): seven party-building
alliances on seven industry clusters, a vehicle maker as the provincial 链主 of the first chain, about 150
enterprises on the chains, and the usual departments and public utilities of a development zone.
The industry chains are tabled in :mod:`redchain.demo.data_chains` (re-exported here) and people's names
in :mod:`redchain.demo.names`.
"""

from __future__ import annotations

from datetime import date

from redchain.demo.data_chains import CHAINS as CHAINS
from redchain.demo.data_chains import ChainSpec as ChainSpec
from redchain.demo.data_chains import LeaderSpec as LeaderSpec

SEED = 20261123
# Every date of the demo is relative to this day, so that two runs on different days build the same zone.
AS_OF = date(2025, 6, 30)
PASSWORD = "redchain-demo"  # noqa: S105 - the published password of the demo accounts

ZONE = {
    "code": "demo",
    "name": "锦城经济技术开发区",
    "kind": "development_zone",
    "division_code": "140702",
    "description": (
        "锦城经济技术开发区（演示数据）：围绕新能源汽车、数字科技、高端装备制造、新材料（绿色建材）、医药、食品、"
        "现代物流商贸七大产业集群组建七个产业链党建联盟，形成党工委统一领导、各党建联盟牵头、链上企业参与、"
        "职能部门协同的“一核多堡”联盟矩阵。"
    ),
}
ZONE_SHORT = "锦城开发区"
COMMITTEE_NAME = "中共锦城经济技术开发区工作委员会"
COMMITTEE_FOUNDED = date(2010, 9, 1)
# The working committee's secretary is also the demo "leader" account, so the stories line up.
COMMITTEE_SECRETARY = ("崔立新", "male")

# Division codes for USCC prefixes: most firms register in the zone's district, some in the city or province.
REGISTRATION_DIVISIONS = (("140702", 80), ("140700", 12), ("140100", 8))


# Firms of the zone on no chain: the service companies the zone set up for its enterprises (seed 003).
UNCHAINED_FIRMS: tuple[tuple[str, str], ...] = (
    ("锦城开发区建设投资有限公司", "园区基础设施建设"),
    ("锦城开发区人力资源服务有限公司", "职业中介服务"),
    ("锦城开发区全代办企业服务有限公司", "商务代理代办服务"),
    ("锦城产业投资基金管理有限公司", "创业投资基金管理"),
    ("锦城汇通物业服务有限公司", "物业管理"),
    ("锦城锦华酒店管理有限公司", "酒店管理"),
)

FIRM_BRANDS = (
    "华晟",
    "瑞驰",
    "中晋",
    "恒通",
    "宏泰",
    "远航",
    "鑫源",
    "聚力",
    "博远",
    "泰和",
    "凯诺",
    "金石",
    "德润",
    "盛达",
    "汇能",
    "嘉禾",
    "晋源",
    "新锐",
    "众诚",
    "华创",
    "北辰",
    "正元",
    "海川",
    "恒信",
    "龙城",
    "汾河",
    "太行",
    "云海",
    "星火",
    "宇航",
    "天润",
    "锦泰",
    "兴晋",
    "广源",
    "同舟",
    "润丰",
    "安泰",
    "利华",
    "晨光",
    "永旺",
    "长兴",
    "昌盛",
    "万川",
    "卓越",
    "精诚",
    "东方",
    "弘毅",
    "百川",
    "立信",
    "启明",
    "鼎盛",
    "中科",
    "联创",
    "和信",
    "瑞丰",
    "思源",
    "华远",
    "鸿运",
    "融通",
    "丰泽",
    "晋阳",
    "潇河",
    "蕴华",
    "凤鸣",
    "清源",
    "德盛",
    "锦程",
    "亿达",
    "宏达",
    "鼎立",
)
FIRM_PLACES = (("锦城", 40), ("山西", 30), ("", 30))
FIRM_SUFFIXES = (("有限公司", 68), ("股份有限公司", 12), ("有限责任公司", 14), ("集团有限公司", 6))
ROADS = (
    "汇通路",
    "锦华街",
    "科创大道",
    "新能源大道",
    "汽车城路",
    "龙湖大街",
    "迎宾西街",
    "潇河路",
    "蕴华街",
    "工业园一路",
    "工业园二路",
    "创业街",
    "大学城路",
    "陆港大道",
    "晋商街",
    "康元路",
)

# name, short name, kind, responsibility keywords (职责清单, used to route demands)
DEPARTMENTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "企业服务局",
        "企服局",
        "bureau",
        (
            "企业诉求",
            "惠企政策",
            "政策兑现",
            "企业走访",
            "纾困解难",
            "融资对接",
            "上市培育",
            "专精特新",
            "规上企业培育",
            "企业用工",
        ),
    ),
    (
        "发展改革局",
        "发改局",
        "bureau",
        ("项目立项", "项目备案", "重点项目", "节能审查", "固定资产投资", "价格", "能耗指标", "招投标监管"),
    ),
    (
        "财政局",
        "财政局",
        "bureau",
        ("财政资金", "专项资金", "奖补资金拨付", "政府采购", "国有资产", "财政预算"),
    ),
    (
        "投资促进局",
        "投促局",
        "bureau",
        ("招商引资", "项目签约", "项目落地", "以商招商", "招商政策", "外资", "投资协议"),
    ),
    (
        "行政审批局",
        "审批局",
        "bureau",
        (
            "营业执照",
            "行政许可",
            "施工许可",
            "拿地即开工",
            "证照办理",
            "审批时限",
            "一网通办",
            "工程建设项目审批",
        ),
    ),
    (
        "科技局",
        "科技局",
        "bureau",
        (
            "高新技术企业认定",
            "科技型中小企业",
            "研发费用",
            "研发平台",
            "科技成果转化",
            "知识产权",
            "人才引进",
            "产学研",
        ),
    ),
    (
        "商务局",
        "商务局",
        "bureau",
        ("外贸", "进出口", "出口退税协调", "电商", "会展", "商贸流通", "限上商贸企业", "消费促进"),
    ),
    (
        "自然资源局",
        "自然资源局",
        "bureau",
        ("土地", "用地", "土地出让", "不动产登记", "规划许可", "工改工", "容积率", "测绘", "闲置土地"),
    ),
    (
        "生态环境分局",
        "环保分局",
        "bureau",
        ("环评", "排污许可", "污水", "废气", "噪声", "固体废物", "危险废物", "环境监测", "入河排污口"),
    ),
    (
        "住房和城乡建设局",
        "住建局",
        "bureau",
        ("施工", "建筑工程", "竣工验收", "质量安全监督", "农民工工资", "物业", "市政道路", "消防设计审查"),
    ),
    (
        "人力资源和社会保障局",
        "人社局",
        "bureau",
        ("招工", "用工", "社保", "劳动合同", "劳动仲裁", "欠薪", "职业技能培训", "人才公寓", "稳岗补贴"),
    ),
    (
        "市场监督管理局",
        "市场监管局",
        "bureau",
        ("商标", "质量", "计量", "特种设备", "食品安全", "药品", "价格违法", "广告", "企业登记", "标准化"),
    ),
    (
        "应急管理局",
        "应急局",
        "bureau",
        ("安全生产", "危险化学品", "安全评价", "应急预案", "隐患排查", "有限空间"),
    ),
    (
        "税务局",
        "税务局",
        "bureau",
        ("纳税", "发票", "退税", "留抵退税", "研发费用加计扣除", "税收优惠", "社保费征缴"),
    ),
    ("公安分局", "公安分局", "bureau", ("治安", "交通", "户籍", "车辆通行", "企业周边环境", "诈骗", "保安")),
    ("消防救援大队", "消防大队", "bureau", ("消防", "火灾隐患", "消防验收", "消防检查", "消防通道")),
    (
        "综合执法局",
        "综合执法局",
        "bureau",
        ("城市管理", "占道", "渣土", "违章建筑", "户外广告", "环境卫生", "绿化"),
    ),
    (
        "供电公司",
        "供电公司",
        "utility",
        ("电力", "用电报装", "停电", "电压", "增容", "变压器", "电费", "双回路供电"),
    ),
    ("供水公司", "供水公司", "utility", ("供水", "停水", "水压", "用水报装", "管网漏水", "水费", "排水")),
    ("燃气公司", "燃气公司", "utility", ("燃气", "天然气", "用气报装", "气压", "燃气管道", "蒸汽", "供热")),
    (
        "党群工作部",
        "党群部",
        "office",
        ("党建", "党建联盟", "党组织组建", "党员管理", "非公党建", "党建指导员", "群团"),
    ),
    (
        "产业链发展促进部",
        "链促部",
        "office",
        ("产业链", "链主企业", "上下游配套", "产业链招商", "产业基金", "链上企业需求"),
    ),
)
DEPARTMENT_PHONE_PREFIX = "0354-3"

# Departments of the vertical systems (tax, police, fire) keep their party organisations in their own system.
DEPARTMENTS_WITHOUT_BRANCH = ("税务局", "公安分局", "消防救援大队")

VILLAGES = ("东阳村", "王湖村", "北要村", "南庄村")
COMMUNITIES = ("锦华社区", "汇通社区", "潇河社区")
# The one community large enough for a general branch with two branches under it.
GENERAL_BRANCH_COMMUNITY = "锦华社区"

LEADER_GROUPS = ("第一党小组", "第二党小组", "第三党小组")
JOINT_BRANCH_CHAINS = ("digital", "materials", "logistics")

# 一支部一品牌: branch brands with what each stands for. Enterprise branches draw from their chain's brands
# first, then from these; departments and places have their own.
ENTERPRISE_BRANDS: tuple[tuple[str, str], ...] = (
    ("红色引擎", "以党员先锋岗和党员攻关小组带动技术攻关，把党建活力转化为发展动力。"),
    ("一线堡垒", "把支部建在生产一线，难题在一线解决。"),
    ("红帆领航", "以主题党日带动经营难题攻坚。"),
    ("创新攻坚", "党员攻关小组征集合理化建议，推动技术改造。"),
    ("亮身份作表率", "党员挂牌上岗，亮身份、亮承诺、亮业绩。"),
    ("党旗映初心", "以三会一课和主题党日锤炼党性，带动业务提升。"),
    ("安全红线", "党员安全员带头排查隐患，守住安全生产底线。"),
    ("初心工坊", "以党员工作室开展技能比武和岗位练兵。"),
    ("先锋护航", "党员突击队保障重点项目节点。"),
    ("红色薪火", "老党员传帮带，讲好企业创业故事。"),
    ("红色引航", "以党建引领企业文化建设，凝聚职工。"),
    ("暖心驿站", "为企业职工提供政策咨询、法律援助和心理疏导。"),
)
JOINT_BRANCH_BRANDS: tuple[tuple[str, str], ...] = (
    ("同心圆", "联合支部把分散的小微企业党员凝聚起来。"),
    ("红色e站", "联合支部线上开展三会一课，方便倒班党员参加组织生活。"),
)
DEPARTMENT_BRANDS: dict[str, tuple[str, str]] = {
    "企业服务局": ("企呼我应", "支部党员包联企业，企业诉求一呼即应。"),
    "行政审批局": ("红色代办", "党员代办员为项目提供全程帮办代办服务，推动拿地即开工。"),
    "投资促进局": ("服务零距离", "党员干部走进企业，开展“行走的办公室”。"),
    "财政局": ("廉洁护航", "以廉洁文化护航奖补资金和政策兑现。"),
    "市场监督管理局": ("金牌服务岗", "党员窗口争创金牌服务岗，提升办事体验。"),
    "生态环境分局": ("绿水青山守护者", "党员带头巡河护河，守护生态环境。"),
    "应急管理局": ("安全守护", "党员专家团队上门帮助企业排查安全隐患。"),
    "供电公司": ("红色电力", "党员服务队上门办理用电报装，保障重点项目用电。"),
    "党群工作部": ("红色纽带", "党建指导员联系七个产业链党建联盟，推动党建链与产业链同频共振。"),
    "产业链发展促进部": ("链上服务", "党员联系链主企业，梳理链上企业需求清单。"),
    "科技局": ("创新服务", "党员干部辅导企业申报高新技术企业和研发平台。"),
}
VILLAGE_BRANDS: tuple[tuple[str, str], ...] = (
    ("乡村振兴先锋", "党员带头发展集体经济，推进村级工业园改造。"),
    ("集体经济领头雁", "支部领办合作社，盘活闲置厂房和土地，壮大村集体收入。"),
    ("党群连心桥", "党员联系群众，收集民情民意，解决急难愁盼。"),
)
COMMUNITY_BRANDS: tuple[tuple[str, str], ...] = (
    ("红色邻里", "党员认领楼栋，开展邻里互助。"),
    ("红色网格", "党员网格员走访企业和住户，问题在网格内解决。"),
    ("红色物业", "党组织引领物业服务，小区问题在楼栋里解决。"),
)

RATINGS = (("fortress", 20), ("advanced", 30), ("standard", 42), ("weak", 3), ("", 5))
