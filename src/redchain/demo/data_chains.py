"""The seven industry chains of the demo zone, in the order of the Jinzhong report (seed 003).

Each chain says what its segments make, which words its firms' names use, who anchors it (链主) and how
its party-building alliance is staffed. Read through :mod:`redchain.demo.data`, which re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LeaderSpec:
    """The anchor firm (链主) of a chain, written out by hand because every demo story starts there."""

    name: str
    segment: str
    industry: str
    employees: int
    capital_wan: int
    land_mu: int | None
    established: date


@dataclass(frozen=True)
class ChainSpec:
    """One industry chain with what its segments make and how its alliance is staffed."""

    code: str
    name: str
    description: str
    upstream: str
    midstream: str
    downstream: str
    firms: int  # besides the leader
    park: str
    leader: LeaderSpec
    # Per segment: (word in the firm's name, industry) pairs the generator draws from.
    trades: dict[str, tuple[tuple[str, str], ...]]
    high_tech_rate: float
    needs_land: bool
    alliance_brand: str
    instructor_department: str
    member_departments: tuple[str, ...]
    institute: str
    bank: str
    leader_units: tuple[
        str, ...
    ]  # the chain leader's branches, the first split into party groups on big sites
    brands: tuple[tuple[str, str], ...]  # branch brands that fit the chain


CHAINS: tuple[ChainSpec, ...] = (
    ChainSpec(
        code="nev",
        name="新能源汽车",
        description="以整车制造为龙头，乘用车、商用车、专用车三条整车产品线带动动力电池、电机电控和零部件配套，"
        "发展甲醇汽车，建设全省规模最大、链条最长的新能源汽车园区。",
        upstream="正负极材料、电解液、锂电池电芯、电机电控、汽车电子与线束",
        midstream="动力电池系统、车身及底盘零部件、整车制造（乘用车、商用车、专用车）",
        downstream="整车销售、充换电设施、汽车后市场、动力电池回收利用",
        firms=29,
        park="新能源汽车产业园",
        leader=LeaderSpec(
            "锦城吉驰新能源汽车有限公司", "midstream", "新能源整车制造", 3260, 300000, 1580, date(2016, 4, 18)
        ),
        trades={
            "upstream": (
                ("电池材料科技", "锂离子电池材料制造"),
                ("新能源科技", "锂离子电池制造"),
                ("电机", "微特电机制造"),
                ("电控技术", "汽车电子装置制造"),
                ("汽车电子", "汽车电子装置制造"),
                ("汽车线束", "汽车零部件及配件制造"),
                ("精密铝业", "铝压延加工"),
            ),
            "midstream": (
                ("汽车零部件", "汽车零部件及配件制造"),
                ("车身科技", "汽车车身制造"),
                ("底盘系统", "汽车零部件及配件制造"),
                ("汽车座椅", "汽车零部件及配件制造"),
                ("动力系统", "汽车零部件及配件制造"),
                ("专用汽车", "改装汽车制造"),
            ),
            "downstream": (
                ("充电科技", "充电桩运营"),
                ("汽车销售服务", "汽车新车零售"),
                ("新能源汽车服务", "汽车修理与维护"),
                ("再生资源科技", "废旧电池回收利用"),
            ),
        },
        high_tech_rate=0.25,
        needs_land=True,
        alliance_brand="链动新能",
        instructor_department="党群工作部",
        member_departments=("企业服务局", "发展改革局", "投资促进局"),
        institute="锦城新能源汽车技术研究院",
        bank="中国建设银行锦城开发区支行",
        leader_units=("总装车间", "冲焊车间", "涂装车间", "研发中心", "职能部门"),
        brands=(
            ("红色动力舱", "党员领衔整车和三电系统研发项目，攻关关键技术。"),
            ("先锋车间", "车间党员亮身份、作表率，划分党员责任区管质量、管安全。"),
            ("链上先锋", "党员带头对接链上配套企业，推动零部件本地配套。"),
        ),
    ),
    ChainSpec(
        code="digital",
        name="数字科技",
        description="以信创适配、大数据和工业互联网为主攻方向，建设数字经济产业园，为链上制造企业提供数字化转型服务。",
        upstream="电子元器件、芯片封装测试、服务器与网络设备",
        midstream="软件开发、大数据与云计算、信创适配、人工智能",
        downstream="工业互联网平台、智慧城市、数字服务外包、电商直播",
        firms=21,
        park="数字经济产业园",
        leader=LeaderSpec(
            "锦城数港科技股份有限公司", "midstream", "软件和信息技术服务", 860, 50000, 45, date(2017, 9, 6)
        ),
        trades={
            "upstream": (
                ("电子", "电子元件制造"),
                ("微电子", "集成电路封装测试"),
                ("智能设备", "计算机整机制造"),
            ),
            "midstream": (
                ("软件", "软件开发"),
                ("信息技术", "信息系统集成服务"),
                ("大数据科技", "数据处理和存储服务"),
                ("云计算", "信息技术咨询服务"),
                ("人工智能科技", "人工智能应用软件开发"),
            ),
            "downstream": (
                ("工业互联网", "互联网平台"),
                ("智慧城市科技", "信息系统集成服务"),
                ("数字传媒", "互联网信息服务"),
                ("电子商务", "互联网零售"),
            ),
        },
        high_tech_rate=0.45,
        needs_land=False,
        alliance_brand="数智红链",
        instructor_department="科技局",
        member_departments=("企业服务局", "行政审批局", "商务局"),
        institute="锦城数字经济研究院",
        bank="中国银行锦城分行",
        leader_units=("研发中心", "交付中心"),
        brands=(
            ("数智红盟", "党员技术骨干为链上制造企业提供数字化转型诊断。"),
            ("红色算力", "党员技术团队保障数据中心和算力平台稳定运行。"),
            ("红芯领航", "党员牵头信创适配和核心软件攻关。"),
        ),
    ),
    ChainSpec(
        code="equipment",
        name="高端装备制造",
        description="以液压装备、煤机装备和智能机器人为重点，共建产业互联网平台，打通原材料与零部件集中采购渠道。",
        upstream="铸锻件、轴承齿轮、液压元件、数控系统",
        midstream="液压装备、煤机装备、智能机器人、轨道交通装备",
        downstream="系统集成、检验检测、再制造与运维服务",
        firms=28,
        park="高端装备产业园",
        leader=LeaderSpec(
            "晋锦重工液压股份有限公司",
            "midstream",
            "液压动力机械及元件制造",
            1820,
            80000,
            620,
            date(2008, 11, 3),
        ),
        trades={
            "upstream": (
                ("铸造", "黑色金属铸造"),
                ("锻造", "锻件及粉末冶金制品制造"),
                ("轴承", "滚动轴承制造"),
                ("齿轮传动", "齿轮及齿轮减、变速箱制造"),
                ("液压元件", "液压动力机械及元件制造"),
            ),
            "midstream": (
                ("液压", "液压动力机械及元件制造"),
                ("煤机装备", "矿山机械制造"),
                ("智能装备", "工业机器人制造"),
                ("机器人科技", "工业机器人制造"),
                ("轨道装备", "城市轨道交通设备制造"),
                ("精密机械", "通用设备制造"),
            ),
            "downstream": (
                ("自动化工程", "工业自动控制系统装置制造"),
                ("检测技术", "检验检测服务"),
                ("机电设备", "通用设备修理"),
            ),
        },
        high_tech_rate=0.35,
        needs_land=True,
        alliance_brand="红色智造",
        instructor_department="企业服务局",
        member_departments=("科技局", "应急管理局", "供电公司"),
        institute="锦城理工学院智能制造学院",
        bank="中国工商银行锦城开发区支行",
        leader_units=("液压件分厂", "技术中心"),
        brands=(
            ("智造先锋", "党员带头推进智能制造和数字化车间建设。"),
            ("匠心向党", "以党员技能大师工作室传帮带，培养一线技术骨干。"),
            ("精工铸魂", "党员攻关小组攻克精密加工和液压密封难题。"),
        ),
    ),
    ChainSpec(
        code="materials",
        name="新材料（绿色建材）",
        description="以纳米材料、装配式建筑部品和节能建材为主，推动建材产业绿色低碳转型。",
        upstream="纳米粉体、特种钢材、玻璃纤维、固废综合利用原料",
        midstream="装配式建筑部品、节能玻璃、保温材料、新型墙材、纳米涂料",
        downstream="绿色建筑施工、建材检测、建材仓储物流",
        firms=18,
        park="新材料产业园",
        leader=LeaderSpec(
            "锦城中晶新材料股份有限公司", "midstream", "新型建筑材料制造", 960, 60000, 410, date(2011, 5, 20)
        ),
        trades={
            "upstream": (
                ("纳米科技", "纳米材料制造"),
                ("特钢", "钢压延加工"),
                ("玻纤", "玻璃纤维及制品制造"),
                ("固废利用科技", "固体废物治理"),
            ),
            "midstream": (
                ("建材", "新型建筑材料制造"),
                ("装配式建筑科技", "建筑用金属制品制造"),
                ("节能玻璃", "技术玻璃制品制造"),
                ("保温材料", "隔热和隔音材料制造"),
                ("新型墙材", "轻质建筑材料制造"),
                ("涂料", "涂料制造"),
            ),
            "downstream": (("绿色建筑工程", "房屋建筑业"), ("建材检测", "检验检测服务")),
        },
        high_tech_rate=0.30,
        needs_land=True,
        alliance_brand="绿筑同心",
        instructor_department="自然资源局",
        member_departments=("住房和城乡建设局", "生态环境分局", "市场监督管理局"),
        institute="锦城建筑材料科学研究院",
        bank="晋商银行锦城分行",
        leader_units=("生产基地", "技术中心"),
        brands=(
            ("绿色先锋", "党员牵头节能降耗、固废利用和清洁生产改造。"),
            ("绿筑先锋", "党员服务队对接装配式建筑项目，保障部品供应。"),
        ),
    ),
    ChainSpec(
        code="pharma",
        name="医药",
        description="以化学制剂、中成药和医疗器械为主，依托太行山中药材资源，建设医药健康产业园。",
        upstream="中药材种植与加工、原料药、药用辅料与包装",
        midstream="化学药品制剂、中成药、生物制品、医疗器械",
        downstream="医药流通、连锁药房、健康管理服务",
        firms=16,
        park="医药健康产业园",
        leader=LeaderSpec(
            "锦城康元制药股份有限公司", "midstream", "化学药品制剂制造", 1150, 40000, 260, date(2005, 8, 12)
        ),
        trades={
            "upstream": (
                ("中药材", "中药饮片加工"),
                ("原料药", "化学药品原料药制造"),
                ("药用包装", "药用辅料及包装材料制造"),
            ),
            "midstream": (
                ("制药", "化学药品制剂制造"),
                ("药业", "中成药生产"),
                ("生物科技", "生物药品制造"),
                ("医疗器械", "医疗诊断、监护及治疗设备制造"),
            ),
            "downstream": (("医药", "西药批发"), ("大药房", "药品零售"), ("健康科技", "健康咨询服务")),
        },
        high_tech_rate=0.35,
        needs_land=True,
        alliance_brand="药香红盟",
        instructor_department="市场监督管理局",
        member_departments=("企业服务局", "行政审批局", "生态环境分局"),
        institute="锦城中医药大学药学院",
        bank="中国农业银行锦城开发区支行",
        leader_units=("制剂车间", "研发中心"),
        brands=(
            ("药香党旗红", "把党建融入药品质量管理全过程，守护用药安全。"),
            ("红色质量关", "党员质检员对关键工序实行签字负责制。"),
        ),
    ),
    ChainSpec(
        code="food",
        name="食品",
        description="以功能食品、杂粮加工和老陈醋为特色，建设北方功能食品产业园，打通种植、加工、冷链和销售。",
        upstream="杂粮种植、畜禽养殖、食品添加剂与包装",
        midstream="功能食品、杂粮制品、乳制品、肉制品、饮品、老陈醋与调味品",
        downstream="冷链配送、商超与社区团购、电商直播",
        firms=14,
        park="北方功能食品产业园",
        leader=LeaderSpec(
            "山西锦禾功能食品集团有限公司", "midstream", "保健食品制造", 1380, 30000, 350, date(2009, 3, 16)
        ),
        trades={
            "upstream": (
                ("农业科技", "谷物种植"),
                ("牧业", "牲畜饲养"),
                ("食品包装", "塑料包装箱及容器制造"),
            ),
            "midstream": (
                ("食品", "其他方便食品制造"),
                ("杂粮", "杂粮加工"),
                ("乳业", "液体乳制造"),
                ("肉制品", "肉制品及副产品加工"),
                ("饮品", "饮料制造"),
                ("醋业", "酱油、食醋及类似制品制造"),
            ),
            "downstream": (("冷链物流", "冷藏车道路运输"), ("商贸", "食品批发"), ("电子商务", "互联网零售")),
        },
        high_tech_rate=0.08,
        needs_land=True,
        alliance_brand="舌尖红盟",
        instructor_department="商务局",
        member_departments=("市场监督管理局", "企业服务局", "供水公司"),
        institute="锦城农业大学食品科学与工程学院",
        bank="锦城农村商业银行",
        leader_units=("生产基地", "营销中心"),
        brands=(
            ("食安守护者", "党员质量监督岗把好原料、生产、出厂三道关。"),
            ("红色粮仓", "党员带头联农带农，建设杂粮订单种植基地。"),
        ),
    ),
    ChainSpec(
        code="logistics",
        name="现代物流商贸",
        description="以公铁联运陆港为枢纽，发展多式联运、供应链管理、保税物流和商贸综合体。",
        upstream="物流园区与仓储设施、公铁联运场站",
        midstream="仓储配送、道路运输、多式联运、供应链管理、保税物流",
        downstream="商贸批发、商业综合体与奥特莱斯、跨境电商",
        firms=11,
        park="现代物流园",
        leader=LeaderSpec(
            "锦城陆港物流集团有限公司", "midstream", "多式联运和运输代理", 720, 50000, 860, date(2012, 7, 1)
        ),
        trades={
            "upstream": (("物流园开发", "物流园区管理服务"), ("仓储设施", "通用仓储")),
            "midstream": (
                ("物流", "道路货物运输"),
                ("供应链管理", "供应链管理服务"),
                ("国际货运代理", "货物运输代理"),
                ("冷链", "冷藏车道路运输"),
            ),
            "downstream": (
                ("商贸", "综合零售"),
                ("奥特莱斯商业管理", "商业综合体管理服务"),
                ("跨境电商", "互联网零售"),
            ),
        },
        high_tech_rate=0.03,
        needs_land=True,
        alliance_brand="红色通道",
        instructor_department="投资促进局",
        member_departments=("商务局", "公安分局", "综合执法局"),
        institute="锦城商贸职业学院",
        bank="交通银行锦城分行",
        leader_units=("多式联运中心", "仓储配送中心"),
        brands=(
            ("红色通道", "党员服务队保障原材料和产成品运输畅通。"),
            ("红色驿站", "建设党群服务驿站，服务货车司机和快递小哥。"),
        ),
    ),
)
